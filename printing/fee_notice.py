"""缴款通知书: the fee notice the applicant pays with (non-tax payment platform).

Payee, payer, the fee items with their basis, the amount in figures and in
capitals (人民币大写), the 20-digit payment code (缴款码) large enough to type,
and a QR code with the payment link; the case number as Code 128 in the corner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from printing.codes import QrCode
from printing.fonts import FONTS
from printing.frame import corner_barcode, para
from printing.render import BOTTOM, LEFT, RIGHT, TOP, _pdf, one_at_a_time
from printing.styles import chinese_datetime


@dataclass
class FeeNotice:
    centre_name: str
    case_number: str
    item_name: str
    payee: str  # 收费单位
    payer: str  # 缴款人
    notice_no: str  # 缴款单号
    payment_code: str  # 缴款码, 20 digits
    amount: str  # figures, '1,005.07'
    amount_in_capitals: str
    issued_at: dt.datetime  # station time
    confirmed_by: str  # 收费人员
    payment_url: str  # what the QR code carries
    items: list[tuple[str, str, str]] = field(default_factory=list)  # name, basis, standard


def _grouped(code: str) -> str:
    """The payment code in groups of four, as it is read out and typed."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


@one_at_a_time
def render_fee_notice(notice: FeeNotice) -> bytes:
    FONTS.ensure_main()
    width = A4_SIZE[0] - LEFT - RIGHT
    label = 32 * mm

    def row(name: str, value: str):
        return [para(name, "cell_centre"), para(value, "cell")]

    head = Table([
        row("缴款单号", notice.notice_no),
        row("收费单位", notice.payee),
        row("缴款人", notice.payer),
        row("办件编号", notice.case_number),
        row("办理事项", notice.item_name),
    ], colWidths=[label, width - label])
    items = Table(
        [[para("收费项目", "cell_centre"), para("收费依据", "cell_centre"),
          para("收费标准", "cell_centre")]]
        + [[para(name, "cell"), para(basis, "cell"), para(standard, "cell")]
           for name, basis, standard in notice.items],
        colWidths=[width * 0.3, width * 0.35, width * 0.35])
    amount = Table([
        row("金额（小写）", f"¥{notice.amount}"),
        row("金额（大写）", f"人民币{notice.amount_in_capitals}"),
        row("缴款码", _grouped(notice.payment_code)),
    ], colWidths=[label, width - label])
    for table in (head, items, amount):
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, (0, 0, 0)),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    pay = Table([[QrCode(notice.payment_url, 30 * mm), [
        para("缴费方式：扫描左侧二维码，或在非税收入缴款平台、银行柜台凭 20 位缴款码缴款。",
             "plain"),
        para("缴费后无须回窗口确认：平台确认到账后，本中心自动记为已缴费。", "plain"),
    ]]], colWidths=[34 * mm, width - 34 * mm])
    pay.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story = [
        para(notice.centre_name, "docnumber"),
        Spacer(1, 3 * mm),
        para("缴款通知书", "title"),
        Spacer(1, 5 * mm),
        head, Spacer(1, 4 * mm), items, Spacer(1, 4 * mm), amount, Spacer(1, 6 * mm), pay,
        Spacer(1, 6 * mm),
        para(f"收费人员：{notice.confirmed_by}　开具时间：{chinese_datetime(notice.issued_at)}",
             "small"),
    ]
    barcode = corner_barcode(notice.case_number, *A4_SIZE, RIGHT)
    return _pdf(story, A4_SIZE, (TOP, BOTTOM, LEFT, RIGHT), on_page=barcode,
                title=f"缴款通知书 {notice.case_number}", subject=notice.item_name)
