"""Entry points: a PrintableCase or PrintableForm in, PDF bytes out."""

from __future__ import annotations

import functools
import io
import threading

from reportlab.lib.pagesizes import A4 as A4_SIZE
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    HRFlowable,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from printing.codes import Code128Bars, QrCode
from printing.fonts import FONTS, MAIN_FONT
from printing.frame import (
    Heading,
    corner_barcode,
    masthead,
    page_footer,
    para,
    service_box,
)
from printing.model import (
    A4,
    BLANK_FORM,
    CASE_DOCUMENTS,
    RECEIPT,
    ROLL,
    ROLL_KINDS,
    TITLES,
    PrintableCase,
    PrintableForm,
)
from printing.notices import case_story
from printing.styles import chinese_date, chinese_datetime

# GB/T 9704 margins, slightly reduced at the top to leave room for the barcode.
TOP, BOTTOM, LEFT, RIGHT = 28 * mm, 16 * mm, 26 * mm, 24 * mm
ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm
ROLL_SCALE = 0.68


# reportlab keeps per-font subset state and module-level caches that are not
# thread-safe; two documents started at once (two buttons) take turns.
_RENDER_LOCK = threading.Lock()


def one_at_a_time(render):
    @functools.wraps(render)
    def serialised(*args, **kwargs):
        with _RENDER_LOCK:
            return render(*args, **kwargs)
    return serialised


class UnsupportedLayout(ValueError):
    pass


def _pdf(story: list, pagesize, margins, on_page=None, title: str = "",
         subject: str = "") -> bytes:
    top, bottom, left, right = margins
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=pagesize, title=title, subject=subject,
                          author="OneWindow 一窗受理工作站", creator="OneWindow",
                          leftMargin=left, rightMargin=right, topMargin=top,
                          bottomMargin=bottom)
    frame = Frame(left, bottom, pagesize[0] - left - right, pagesize[1] - top - bottom,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=on_page or (lambda c, d: None))])
    doc.build(story)
    return buffer.getvalue()


@one_at_a_time
def render_case(case: PrintableCase, kind: str, layout: str = A4) -> bytes:
    if kind not in CASE_DOCUMENTS:
        raise ValueError(f"unknown document kind {kind!r}")
    if layout == ROLL:
        if kind not in ROLL_KINDS:
            raise UnsupportedLayout(
                f"{TITLES[kind]}只有 A4 版式 / only the receipt has a roll layout"
            )
        return _render_roll_receipt(case)
    if layout != A4:
        raise UnsupportedLayout(f"未知版式 {layout!r} / unknown layout")
    FONTS.ensure_main()
    width = A4_SIZE[0] - LEFT - RIGHT
    title = TITLES[kind]
    story = masthead(case.station, kind, case.case_number, case.printed_at.date(), title)
    story += case_story(case, kind, width)
    # The service box (window, clerk, channels, QR) sits at the foot of every
    # page, where an applicant looks for "whom to call", like a form's footer.
    box = service_box(case.station, case.status_query_url, case.printed_at, case.link_way,
                      case.supervise_way, width,
                      case.rating_url if kind == RECEIPT else "")
    _, box_height = box.wrap(width, A4_SIZE[1])
    barcode = corner_barcode(case.case_number, *A4_SIZE, RIGHT)
    footer = page_footer(case.case_number, A4_SIZE[0], BOTTOM)

    def on_page(canvas, doc):
        barcode(canvas, doc)
        box.drawOn(canvas, LEFT, BOTTOM)
        footer(canvas, doc)

    bottom = BOTTOM + box_height + 4 * mm
    return _pdf(story, A4_SIZE, (TOP, bottom, LEFT, RIGHT), on_page,
                title=f"{title} {case.case_number}", subject=case.item_name)


def _render_roll_receipt(case: PrintableCase) -> bytes:
    """80 mm thermal roll: one column, page as long as the content."""
    FONTS.ensure_main()
    s = ROLL_SCALE
    width = ROLL_WIDTH - 2 * ROLL_MARGIN
    rows = [[para("材料名称", "cell", s), para("形式", "cell_centre", s),
             para("份数", "cell_centre", s)]]
    for material in case.materials:
        paper = material.originals or material.copies
        count = f"{material.originals}/{material.copies}" if paper else "—"  # files, e-certs
        rows.append([para(material.name, "cell", s), para(material.received_as, "cell_centre", s),
                     para(count, "cell_centre", s)])
    table = Table(rows, colWidths=[width - 28 * mm, 16 * mm, 12 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, (0, 0, 0)),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    station = case.station
    lines = [
        f"申请人：{case.applicant_name}",
        f"{case.applicant_id_label}：{case.applicant_id_masked}",
        f"事项：{case.item_name}",
        f"实施编码：{case.task_code}",
        *([f"办理项编码：{case.handle_item_code}"] if case.handle_item_code else []),
        f"收件时间：{chinese_datetime(case.received_at)}",
    ]
    if case.promised_date:
        lines.append(f"承诺办结：{chinese_date(case.promised_date)}前")
    story = [
        para(station.centre_name, "title", s * 0.75),
        para(f"{TITLES[RECEIPT]}", "title", s),
        Code128Bars(case.case_number, max_width=width, bar_height=11 * mm,
                    font_name=MAIN_FONT, font_size=8),
        _tear_line(),
        *[para(line, "plain", s) for line in lines],
        Spacer(1, 1.5 * mm),
        para(f"收到材料共 {len(case.materials)} 项（份数：原件/复印件）", "plain", s),
        table,
    ]
    if case.from_certificates:
        story.append(para("电子证照免提交：" + "、".join(m.name for m in case.from_certificates),
                          "plain", s))
    if case.missing:
        story.append(para("尚缺：" + "、".join(m.name for m in case.missing)
                          + "（详见一次性告知书）", "plain", s))
    story += [
        _tear_line(),
        para("本回执不作为受理凭证，请妥善保管。", "plain", s),
        para(f"窗口：{station.window_name}　经办人：{station.clerk}", "plain", s),
        para(f"打印：{chinese_datetime(case.printed_at)}", "plain", s),
        para(f"咨询：{station.consultation_phone}　投诉：{station.complaint_phone}", "plain", s),
        Spacer(1, 2 * mm),
        QrCode(case.status_query_url, 26 * mm),
        para("扫码查询办件进度", "small_centre", s / 0.9),
    ]
    if case.rating_url:
        story += [Spacer(1, 2 * mm), QrCode(case.rating_url, 26 * mm),
                  para("扫码评价本次服务（好差评）", "small_centre", s / 0.9)]
    for flowable in story:
        flowable.hAlign = "CENTER"
    height = sum(f.wrap(width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                 for f in story)
    page = (ROLL_WIDTH, height + 2 * ROLL_MARGIN + 6 * mm)
    return _pdf(story, page, (ROLL_MARGIN, ROLL_MARGIN, ROLL_MARGIN, ROLL_MARGIN),
                title=f"{TITLES[RECEIPT]} {case.case_number}", subject=case.item_name)


def _tear_line() -> HRFlowable:
    """The dashed rule that separates a till receipt's sections."""
    return HRFlowable(width="100%", thickness=0.5, dash=[2, 2], spaceBefore=1.5 * mm,
                      spaceAfter=1.5 * mm)


@one_at_a_time
def render_form(form: PrintableForm) -> bytes:
    """A blank application form: the catalog's title, the item, empty fields."""
    FONTS.ensure_main()
    width = A4_SIZE[0] - LEFT - RIGHT
    label_width = 42 * mm

    def row(label: str, value: str = "", height: float = 11 * mm):
        return [para(label, "cell_centre"), para(value, "cell")], height

    fields = [
        row("申请事项", form.item_name),
        row("实施编码", form.task_code),
        *([row("办理项编码", form.handle_item_code)] if form.handle_item_code else []),
        row("实施机关", form.dept_name),
        row("申请人姓名（名称）"),
        row("证件类型"),
        row("证件号码"),
        row("法定代表人（负责人）"),
        row("联系电话"),
        row("住所（地址）"),
        row("委托代理人及证件号码"),
        row("申请内容", height=38 * mm),
    ]
    if form.material_names:
        # One tick box per line, so the applicant can check them off.
        listing = [para(f"□ {name}", "cell") for name in form.material_names]
        fields.append(([para("提交材料", "cell_centre"), listing], None))
    cells = [cells for cells, _ in fields]
    heights = [height for _, height in fields]
    table = Table(cells, colWidths=[label_width, width - label_width], rowHeights=heights)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("VALIGN", (1, 10), (1, 10), "TOP"),
    ]))
    story = [
        para(form.station.centre_name, "docnumber"),
        Spacer(1, 3 * mm),
        Heading(form.title, 19),
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 5 * mm),
        para("本人（本单位）承诺所填写内容及提交的材料真实、合法、有效，如有虚假，"
             "愿承担相应的法律责任。", "body"),
        Spacer(1, 8 * mm),
        para("申请人（签字或盖章）：＿＿＿＿＿＿＿＿　　＿＿＿＿年＿＿月＿＿日", "plain"),
        Spacer(1, 8 * mm),
        para(f"咨询方式：{form.link_way or form.station.consultation_phone}", "small"),
        para(f"表格由{form.station.centre_name}提供，打印于{chinese_datetime(form.printed_at)}。",
             "small"),
    ]
    return _pdf(story, A4_SIZE, (TOP - 8 * mm, BOTTOM, LEFT, RIGHT),
                title=form.title, subject=TITLES[BLANK_FORM])
