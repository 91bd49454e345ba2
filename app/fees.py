"""Fees (收费) of a case: the catalog's fee items, the amount the clerk confirms at
acceptance, the fee notice (缴款通知书) and the payment the non-tax platform confirms.

Amounts are kept in fen (分) as integers, so no sum is ever off by a rounding.
The payment code (缴款码) is 20 digits: the station's 6-digit region code first,
then its 3-digit station code, the station's day (yymmdd), a 4-digit serial of
the day's notices and a Luhn check digit, so a mistyped code is caught at the
counter.  A payment confirmation is applied once (its ``confirmation_id``),
whatever number of times it is delivered, and only when code and amount match
the notice.  A case whose item charges fees cannot be concluded before the fee
is paid.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from local_store.instants import station_now, to_station, utcnow
from local_store.models import Case, CaseEvent, CaseFee

ACCEPTED_STATES = frozenset({"accepted", "in_process"})
UNPAID, PAID, REFUNDED = "unpaid", "paid", "refunded"
STATE_LABELS = {UNPAID: "未缴费", PAID: "已缴费", REFUNDED: "已退费"}
MAX_FEN = 10**12  # a trillion fen: far above any administrative fee

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


class FeeError(ValueError):
    """A fee step that cannot be done (message in Chinese)."""


def parse_amount(text: str) -> int:
    """'1,005.07' → 100507 fen; refuses negatives, more than two decimals, nonsense."""
    cleaned = str(text).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"\d+(\.\d{1,2})?", cleaned):
        raise FeeError(f"金额格式不对：{text!r}（应如 10.00，最多两位小数）")
    try:
        fen = int(Decimal(cleaned) * 100)
    except InvalidOperation as exc:
        raise FeeError(f"金额格式不对：{text!r}") from exc
    if fen >= MAX_FEN:
        raise FeeError(f"金额过大：{text}")
    return fen


def figures(fen: int) -> str:
    """100507 → '1,005.07'."""
    yuan, rest = divmod(fen, 100)
    return f"{yuan:,}.{rest:02d}"


def _four_digits(number: int) -> str:
    text, zero_pending = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero_pending = bool(text)
            continue
        if zero_pending:
            text += "零"
            zero_pending = False
        text += _DIGITS[digit] + _SMALL_UNITS[position]
    return text


def capitals(fen: int) -> str:
    """人民币大写 of an amount in fen: 50 → 伍角, 1000 → 壹拾元整,
    100507 → 壹仟零伍元零柒分, 10000000 → 壹拾万元整.

    Rules (中国人民银行《支付结算办法》 on writing amounts): a 零 for each run of
    zeros inside the number, 整 when there is no 角 and 分, 零 between 元 and a 分
    when 角 is zero, and 壹拾 rather than 拾 at the front."""
    if fen < 0:
        raise FeeError("金额不能为负数")
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    groups = []
    while yuan:
        groups.append(yuan % 10000)
        yuan //= 10000
    text, zero_pending = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(text)
            continue
        if text and (zero_pending or group < 1000):
            text += "零"
        text += _four_digits(group) + _BIG_UNITS[index]
        zero_pending = False
    if text:
        text += "元"
    if not jiao and not cents:
        return (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif text:
        text += "零"
    if cents:
        text += _DIGITS[cents] + "分"
    return text


def fee_items(item: dict | None) -> list[dict]:
    """The catalog item's fee items (name, standard, amount or rule, basis)."""
    return list((item or {}).get("fees") or [])


def fee_summary(item: dict | None) -> str:
    """One line for the intake screen (read-only): what the catalog says this item
    charges; '' when the catalog does not say."""
    fees = (item or {}).get("fees")
    if fees is None:
        return ""
    if not fees:
        return "收费：不收费"
    parts = []
    for fee in fees:
        amount = fee.get("amount_yuan")
        how = f"{amount} 元" if amount not in (None, "") else "按标准计收"
        detail = "；".join(p for p in (fee.get("standard") or "", fee.get("basis") or "") if p)
        parts.append(f"{fee.get('name', '')}（{how}" + (f"；{detail}" if detail else "") + "）")
    return "收费：" + "、".join(parts) + "。受理时确认金额并打印缴款通知书，缴费后方可办结。"


def _luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return str((10 - total % 10) % 10)


def payment_code_ok(code: str) -> bool:
    return bool(re.fullmatch(r"\d{20}", code)) and _luhn_digit(code[:19]) == code[19]


def new_payment_code(region: str, station: str, day: dt.date) -> str:
    """The next 缴款码 of this station's day (inside a writer unit)."""
    prefix = f"{region}{station}{day:%y%m%d}"
    if not re.fullmatch(r"\d{15}", prefix):
        raise FeeError("地区代码（6位）和工位代码（3位）须为数字，才能生成缴款码："
                       f"{region} {station}")
    issued = CaseFee.select().where(CaseFee.payment_code.startswith(prefix)).count()
    if issued >= 9999:
        raise FeeError("本工位当日缴款通知书已达 9999 份上限")
    body = f"{prefix}{issued + 1:04d}"
    return body + _luhn_digit(body)


@dataclass(frozen=True)
class FeeStatus:
    case_number: str
    items: list[dict]  # catalog fee items
    state: str  # none|unconfirmed|unpaid|paid|refunded
    amount_fen: int | None
    payment_code: str = ""
    notice_no: str = ""
    paid_at: dt.datetime | None = None
    paid_channel: str = ""
    refunded_at: dt.datetime | None = None
    refund_note: str = ""

    def to_json(self) -> dict:
        from local_store.instants import to_wire

        return {"case_number": self.case_number, "state": self.state,
                "items": self.items,
                "amount": None if self.amount_fen is None else figures(self.amount_fen),
                "amount_in_capitals": None if self.amount_fen is None
                else capitals(self.amount_fen),
                "payment_code": self.payment_code, "notice_no": self.notice_no,
                "paid_at": to_wire(self.paid_at), "paid_channel": self.paid_channel,
                "refunded_at": to_wire(self.refunded_at), "refund_note": self.refund_note}


def _case(number: str) -> Case:
    case = Case.get_or_none(Case.number == number)
    if case is None:
        raise FeeError(f"本机没有办件 {number}")
    return case


def _item_of(case: Case) -> dict:
    from app.catalog.item_key import ItemKey
    from app.intake.service import load_catalog_item

    item = load_catalog_item(ItemKey(case.task_code, case.handle_item_code))
    if item is None:  # gone from the catalog since: the item as taken in travels with the case
        first = case.events.order_by(CaseEvent.id).first()
        item = ((first.detail or {}).get("item") if first is not None else None) or {}
    return item


def fee_status(number: str) -> FeeStatus:
    case = _case(number)
    items = fee_items(_item_of(case))
    fee = CaseFee.get_or_none(CaseFee.case == case)
    if fee is None:
        return FeeStatus(number, items, "unconfirmed" if items else "none", None)
    return FeeStatus(number, fee.items, fee.state, fee.amount_fen, fee.payment_code,
                     fee.notice_no, fee.paid_at, fee.paid_channel, fee.refunded_at,
                     fee.refund_note)


def confirm_fee(store, settings, identity, number: str, amount: str) -> FeeStatus:
    """At acceptance the clerk confirms the amount to pay; the notice can then be printed.
    Once confirmed the amount stays (a changed amount is a new notice: not here)."""
    from app.staff import audit, require_signed_in

    require_signed_in(identity)
    fen = parse_amount(amount)
    if fen == 0:
        raise FeeError("确认金额为 0：无需开具缴款通知书")

    def unit() -> FeeStatus:
        case = _case(number)
        items = fee_items(_item_of(case))
        if not items:
            raise FeeError(f"办件 {number} 的事项不收费（事项目录未列收费项目）")
        if case.state not in ACCEPTED_STATES:
            raise FeeError(f"办件 {number} 尚未受理（当前：{case.state}），受理时才确认收费金额")
        if CaseFee.get_or_none(CaseFee.case == case) is not None:
            raise FeeError(f"办件 {number} 的收费金额已确认过")
        today = station_now(settings.zone).date()
        code = new_payment_code(settings.region_code, settings.station_code, today)
        payer = (case.applicant_snapshot or {}).get("name", "")
        CaseFee.create(case=case, items=items, amount_fen=fen,
                       payee=case.dept_name or settings.centre_name, payer=payer,
                       payment_code=code, notice_no=f"{case.number}-JK", confirmed_by=
                       identity.account, confirmed_at=utcnow())
        audit.append_in_unit(identity.station, identity.account, audit.FEE,
                             f"case/{case.number}", audit.OK, {"amount_fen": fen})
        return fee_status(number)

    return store.writer.call(unit)


def apply_payment_in_unit(confirmation: dict) -> bool:
    """The non-tax platform's confirmation (its signature checked by the caller):
    marks the fee paid once.  Returns False when it was applied before."""
    confirmation_id = str(confirmation["confirmation_id"])
    if CaseFee.get_or_none(CaseFee.confirmation_id == confirmation_id) is not None:
        return False
    fee = CaseFee.get_or_none(CaseFee.payment_code == confirmation["payment_code"])
    if fee is None:
        raise FeeError(f"没有缴款码为 {confirmation['payment_code']} 的缴款通知书")
    paid_fen = parse_amount(confirmation["amount"])
    if paid_fen != fee.amount_fen:
        raise FeeError(f"缴款金额 {figures(paid_fen)} 与通知书金额 {figures(fee.amount_fen)} 不符，"
                       "未记为已缴费")
    if fee.state == PAID:
        return False
    from local_store.instants import from_wire

    fee.state, fee.confirmation_id = PAID, confirmation_id
    fee.paid_at = from_wire(confirmation["paid_at"])
    fee.paid_channel = str(confirmation.get("channel") or "")
    fee.save()
    return True


def record_refund(store, identity, number: str, note: str) -> FeeStatus:
    """A paid fee refunded (e.g. the application was refused after payment): recorded by
    a supervisor with its reason and reference; the fee then reads 已退费."""
    from app.staff import SUPERVISORS, audit, require_role

    require_role(identity, SUPERVISORS, "登记退费")
    note = (note or "").strip()
    if not note:
        raise FeeError("请填写退费原因及退付凭证号")

    def unit() -> FeeStatus:
        fee = CaseFee.select().join(Case).where(Case.number == number).first()
        if fee is None:
            raise FeeError(f"办件 {number} 没有缴款通知书")
        if fee.state != PAID:
            raise FeeError(f"办件 {number} 的费用{STATE_LABELS[fee.state]}，只有已缴费的才能退费")
        fee.state, fee.refunded_at, fee.refund_note = REFUNDED, utcnow(), note
        fee.save()
        audit.append_in_unit(identity.station, identity.account, audit.FEE,
                             f"case/{number}", audit.OK, {"refund": True})
        return fee_status(number)

    return store.writer.call(unit)


def payment_applier(settings):
    """``apply`` for the payment lane (``sync.payments``): a confirmation signed by the
    hall key this station pinned at enrolment is applied once.  One whose signature
    does not verify stops the page (FeeError: the cursor stays before it, the lane
    shows the error and tries again, so a key pinned late loses nothing); one whose
    code or amount does not match a notice changes nothing (logged for a person).
    Runs in a writer unit."""
    import json
    import logging

    from app.certificates.sm2 import InvalidPublicKey, verify_sm3_signature

    log = logging.getLogger(__name__)

    def apply(confirmation: dict) -> bool:
        unsigned = {k: v for k, v in confirmation.items() if k != "signature"}
        payload = json.dumps(unsigned, ensure_ascii=False, sort_keys=True,
                             separators=(",", ":")).encode("utf-8")
        try:
            genuine = bool(settings.hall_public_key) and verify_sm3_signature(
                settings.hall_public_key, confirmation.get("signature") or "", payload)
        except InvalidPublicKey:
            genuine = False
        if not genuine:
            raise FeeError(f"缴费确认 {confirmation.get('confirmation_id')} 的签名无法用本机固定的"
                           "大厅公钥验证，未记为已缴费（请核对大厅公钥）")
        try:
            return apply_payment_in_unit(confirmation)
        except FeeError as exc:
            log.warning("payment confirmation %s not applied: %s",
                        confirmation.get("confirmation_id"), exc)
            return False

    return apply


def unpaid_fee_problem(item: dict | None, case_number: str | None) -> str:
    """Why the case cannot be concluded now, or '' (an item without fees, or paid)."""
    if not fee_items(item):
        return ""
    fee = None
    if case_number:
        fee = (CaseFee.select().join(Case).where(Case.number == case_number).first())
    if fee is not None and fee.state == PAID:
        return ""
    return ("该事项须缴费：受理并确认收费金额、申请人缴费后方可办结"
            + (f"（缴款码 {fee.payment_code} 尚未缴费）" if fee is not None else ""))


def render_notice(number: str, settings) -> bytes:
    """The 缴款通知书 PDF of a case whose amount was confirmed."""
    from printing.fee_notice import FeeNotice, render_fee_notice

    case = _case(number)
    fee = CaseFee.get_or_none(CaseFee.case == case)
    if fee is None:
        raise FeeError(f"办件 {number} 尚未确认收费金额，不能打印缴款通知书")
    hall = settings.effective_hall_url.rstrip("/")
    return render_fee_notice(FeeNotice(
        centre_name=settings.centre_name, case_number=case.number,
        item_name=case.handle_item_name or case.item_name, payee=fee.payee, payer=fee.payer,
        notice_no=fee.notice_no, payment_code=fee.payment_code,
        amount=figures(fee.amount_fen), amount_in_capitals=capitals(fee.amount_fen),
        issued_at=to_station(fee.confirmed_at, settings.zone), confirmed_by=fee.confirmed_by,
        # The QR code: the platform's payment page for this code, or the code itself.
        payment_url=f"{hall}/pay?code={fee.payment_code}" if hall else fee.payment_code,
        items=[(i.get("name", ""), i.get("basis", ""), i.get("standard", ""))
               for i in fee.items]))
