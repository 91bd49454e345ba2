"""Checks on a draft and a decision, each naming the field in Chinese.

Nothing here changes the draft: a refused commit leaves everything the clerk
entered as it was.  Field paths (``applicant.id_number``,
``materials[M02].received_form``, ``decision.basis``) let the screen focus the
right widget and let ``onewindow case import`` report per record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.applicants import APPLICANT_KINDS, PERSON, ApplicantInfo, PersonInfo
from app.identity import USCC_ID_TYPE, check_id
from app.intake.draft import (
    CHANNELS,
    COPY,
    DEFICIENCY,
    ECERT,
    ELECTRONIC,
    MISSING,
    NOT_APPLICABLE,
    ORIGINAL,
    RECEIVED_FORMS,
    REQUIRED,
    SATISFYING_FORMS,
    SCANNED,
    DraftState,
    MaterialEntry,
)
from app.plain_text import (
    ADDRESS_LIMIT,
    NAME_LIMIT,
    ORGANISATION_NAME_LIMIT,
    TEXT_LIMIT,
    text_problem,
)

ACCEPT = "accept"
NOTIFY = "notify"
REJECT = "reject"
CONCLUDE = "conclude"
# 收件 only: the materials are complete (an online application passed pre-review)
# and the applicant still has to bring the originals before it is accepted.
RECEIVE = "receive"
DECISIONS = {ACCEPT: "受理", NOTIFY: "一次性告知（补正）", REJECT: "不予受理", CONCLUDE: "当场办结",
             RECEIVE: "收件（待核验原件）"}
IMMEDIATE_PROJECT_TYPE = "1"  # 即办件 (A.6)

# Why a decision cannot stand on the materials as they are.  The decision step
# warns with these before the commit; ``validate`` refuses on the same rule.
MISSING_BLOCKS_DECISION = "missing_blocks_decision"  # accept / conclude, something absent
DEFICIENT_BLOCKS_CONCLUSION = "deficient_blocks_conclusion"  # 容缺 cannot be concluded
NOTHING_TO_NOTIFY = "nothing_to_notify"  # 补正 with every material here


def may_conclude_on_the_spot(project_type) -> bool:
    """Only a 即办件 may be concluded at the window (当场办结)."""
    return str(project_type or "") == IMMEDIATE_PROJECT_TYPE


def material_conflict(action: str, *, absent: list, deficient: list) -> str | None:
    """The rule ``action`` breaks given the needed materials neither handed in nor
    promised (``absent``) and those promised for later (``deficient``, 容缺)."""
    if action in (ACCEPT, CONCLUDE) and absent:
        return MISSING_BLOCKS_DECISION
    if action == CONCLUDE and deficient:
        return DEFICIENT_BLOCKS_CONCLUSION
    if action == NOTIFY and not absent and not deficient:
        return NOTHING_TO_NOTIFY
    return None

MAX_NAME_LENGTH = NAME_LIMIT
_PHONE = re.compile(r"^\+?[0-9][0-9\- ()]{5,24}$")


@dataclass
class Decision:
    action: str
    reason: str = ""
    basis: str = ""
    # 容缺受理: the date the applicant promises to bring what is missing.
    promised_date: dt.date | None = None
    note: str = ""


@dataclass
class FieldError:
    field: str
    message: str

    def to_json(self) -> dict:
        return {"field": self.field, "message": self.message}


@dataclass
class ValidationReport:
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    missing: list[MaterialEntry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class IntakeError(ValueError):
    """A commit was refused; ``errors`` name every field to fix."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("；".join(error.message for error in self.errors))


def _check_name(name: str, where: str, label: str, errors: list[FieldError],
                limit: int = NAME_LIMIT) -> None:
    text = (name or "").strip()
    problem = text_problem(text, label, limit) if text else f"请填写{label}"
    if problem:
        errors.append(FieldError(where, problem))


def _check_text(text: str, where: str, label: str, errors: list[FieldError],
                limit: int = TEXT_LIMIT, multiline: bool = True) -> None:
    """Optional free text: capped, and no control or formatting characters."""
    problem = text_problem(text or "", label, limit, multiline)
    if problem:
        errors.append(FieldError(where, problem))


# Mainland mobile numbers: 11 digits, 1 then 3–9 (GB/T 13618 numbering plan).
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def _check_phone(phone: str, where: str, label: str, errors: list[FieldError]) -> None:
    text = (phone or "").strip()
    if not text:
        return
    digits = "".join(ch for ch in text if ch.isdigit())
    if not _PHONE.match(text) or len(digits) < 7:
        errors.append(FieldError(where, f"{label}格式不正确：{text}"))
        return
    if text.startswith("+") and not text.startswith("+86"):
        return  # a foreign number: its own plan
    national = digits
    for prefix in ("0086", "86"):
        if text.lstrip("+").startswith(prefix) and len(digits) > 11:
            national = digits[len(prefix):]
            break
    if national.startswith("1") and not _MOBILE.match(national):
        # A 10- or 12-digit "mobile" is a typing error the office cannot call back.
        errors.append(FieldError(
            where, f"{label}格式不正确：手机号码应为 11 位数字（现为 {len(national)} 位）"))


def _check_person(
    person: PersonInfo | ApplicantInfo,
    where: str,
    role: str,
    today: dt.date,
    report: ValidationReport,
) -> None:
    _check_name(person.name, f"{where}.name", f"{role}姓名", report.errors)
    result = check_id(person.id_type, person.id_number, today)
    if not result.ok:
        report.errors.append(FieldError(f"{where}.id_number", f"{role}：{result.error}"))
    report.warnings += [FieldError(f"{where}.id_number", f"{role}：{w}") for w in result.warnings]
    _check_phone(person.phone, f"{where}.phone", f"{role}电话", report.errors)


def check_applicant(draft: DraftState, today: dt.date, report: ValidationReport) -> None:
    applicant = draft.applicant
    if applicant.kind not in APPLICANT_KINDS:
        report.errors.append(FieldError("applicant.kind", "请选择申请人类型（自然人或法人）"))
        return
    if applicant.kind == PERSON:
        _check_person(applicant, "applicant", "申请人", today, report)
        if applicant.id_type == USCC_ID_TYPE:
            report.errors.append(
                FieldError("applicant.id_type", "自然人不能使用统一社会信用代码作为证件")
            )
    else:
        _check_name(applicant.name, "applicant.name", "申请单位名称", report.errors,
                    ORGANISATION_NAME_LIMIT)
        if applicant.id_type != USCC_ID_TYPE:
            report.errors.append(
                FieldError("applicant.id_type", "法人或其他组织应使用统一社会信用代码")
            )
        result = check_id(USCC_ID_TYPE, applicant.id_number, today)
        if not result.ok:
            report.errors.append(FieldError("applicant.id_number", result.error))
        _check_phone(applicant.phone, "applicant.phone", "联系电话", report.errors)
        if applicant.legal_rep is None:
            report.errors.append(FieldError("applicant.legal_rep.name", "请填写法定代表人"))
        else:
            _check_person(applicant.legal_rep, "applicant.legal_rep", "法定代表人", today, report)
    if draft.agent is not None:
        _check_person(draft.agent, "agent", "代理人", today, report)
    _check_phone(draft.contact_phone, "contact_phone", "联系电话", report.errors)
    phones = [
        applicant.phone,
        draft.contact_phone,
        draft.agent.phone if draft.agent else "",
        applicant.legal_rep.phone if applicant.legal_rep else "",
    ]
    if not any((phone or "").strip() for phone in phones):
        report.errors.append(FieldError("applicant.phone", "请填写联系电话（申请人或联系人）"))
    _check_text(applicant.address, "applicant.address", "地址", report.errors, ADDRESS_LIMIT,
                multiline=False)
    if draft.channel not in CHANNELS:
        report.errors.append(FieldError("channel", f"申请方式无效：{draft.channel}"))


def _material_field(entry: MaterialEntry, name: str) -> str:
    return f"materials[{entry.material_id}].{name}"


def check_material(entry: MaterialEntry, blobs, report: ValidationReport) -> None:
    """The recorded form must be backed by what it claims (counts, pages, file)."""
    label = f"「{entry.name}」"
    form = entry.received_form

    def error(name: str, message: str) -> None:
        report.errors.append(FieldError(_material_field(entry, name), label + message))

    if form not in RECEIVED_FORMS:
        error("received_form", f"收取方式无效：{form}")
    elif form == ORIGINAL and entry.originals < 1:
        error("originals", "选择了原件，份数应至少为 1")
    elif form == COPY and entry.copies < 1:
        error("copies", "选择了复印件，份数应至少为 1")
    elif form == SCANNED and not entry.pages and not entry.file_digest:
        error("pages", "选择了扫描件，但还没有扫描任何页面")
    elif form == ELECTRONIC and not entry.file_digest:
        error("file_digest", "选择了电子文件，但还没有导入文件")
    elif form == ECERT and not entry.cert_ref:
        error("cert_ref", "选择了电子证照，但没有关联具体证照")
    elif form == ECERT and not is_verified_certificate_ref(entry.cert_ref):
        error("cert_ref",
              "关联的电子证照未经证照库查验，不能代替纸质材料，请重新查验或收取纸质材料")
    elif form == NOT_APPLICABLE and entry.requirement == REQUIRED and not entry.override_reason:
        error("received_form", "是必要材料，标记为不适用须填写说明")
    if entry.originals < 0 or entry.copies < 0:
        error("originals", "份数不能为负数")
    for name, label in (("override_reason", "说明"), ("note", "备注")):
        problem = text_problem(getattr(entry, name) or "", label, TEXT_LIMIT, multiline=True)
        if problem:
            error(name, problem)
    if (
        form == ELECTRONIC
        and entry.signature_status == "invalid"
        and not entry.override_reason.strip()
    ):
        error("override_reason", "电子签名验证未通过，如仍收取须填写说明")
    if form in SATISFYING_FORMS:
        digests = ([entry.file_digest] if entry.file_digest else []) + entry.page_digests
        if any(not blobs.has(digest) for digest in digests):
            error("pages", "的文件在本机存储中找不到，请重新扫描或导入")


def is_verified_certificate_ref(ref: dict | None) -> bool:
    """A material's ``cert_ref`` names a certificate the library returned and the
    station verified (``VerifiedCertificate.reference()`` records its identifier
    and when it was verified).  Anything else — an older draft's "the USCC is
    well formed" note, a hand-made reference — proves nothing."""
    return bool(ref and ref.get("identifier") and ref.get("verified_at"))


def missing_materials(draft: DraftState) -> list[MaterialEntry]:
    """Every needed material not handed in — all of them, for one notice."""
    return [
        entry
        for entry in draft.materials
        if entry.needed
        and (
            entry.received_form in (MISSING, NOT_APPLICABLE, DEFICIENCY)
            or (entry.received_form == ECERT and not is_verified_certificate_ref(entry.cert_ref))
        )
        and not (entry.received_form == NOT_APPLICABLE and entry.override_reason)
    ]


def _names(entries: list[MaterialEntry]) -> str:
    return "、".join(f"「{entry.name}」" for entry in entries)


def check_decision(
    draft: DraftState, decision: Decision, today: dt.date, report: ValidationReport
) -> None:
    action = decision.action
    missing = report.missing
    deficient = [entry for entry in missing if entry.received_form == DEFICIENCY]
    absent = [entry for entry in missing if entry.received_form != DEFICIENCY]

    if action not in DECISIONS:
        report.errors.append(FieldError("decision.action", f"未知的受理决定：{action}"))
        return
    for name, label in (("reason", "理由"), ("basis", "法律依据"), ("note", "备注")):
        _check_text(getattr(decision, name), f"decision.{name}", label, report.errors)
    if deficient and not draft.deficiency_allowed and action in (ACCEPT, CONCLUDE):
        for entry in deficient:
            report.errors.append(
                FieldError(
                    _material_field(entry, "received_form"),
                    f"本事项不允许容缺受理，「{entry.name}」不能标记为容缺",
                )
            )
    conflict = material_conflict(action, absent=absent, deficient=deficient)
    if action == ACCEPT:
        if conflict == MISSING_BLOCKS_DECISION:
            report.errors.append(
                FieldError(
                    "materials",
                    f"尚缺必要材料：{_names(absent)}。请改为一次性告知（补正）"
                    + ("或容缺受理" if draft.deficiency_allowed else ""),
                )
            )
        if deficient and draft.deficiency_allowed:
            if decision.promised_date is None:
                report.errors.append(
                    FieldError("decision.promised_date", "容缺受理须填写申请人承诺补交材料的日期")
                )
            elif decision.promised_date < today:
                report.errors.append(
                    FieldError("decision.promised_date", "承诺补交日期不能早于今天")
                )
            else:
                _check_promise_within_deadline(draft, decision.promised_date, today, report)
    elif action == RECEIVE:
        if missing:
            report.errors.append(
                FieldError("materials", f"尚缺必要材料：{_names(missing)}，不能收件，请退回补正")
            )
    elif action == NOTIFY:
        if conflict == NOTHING_TO_NOTIFY:
            report.errors.append(
                FieldError("decision.action", "材料已齐全，无需一次性告知，请直接受理")
            )
    elif action == REJECT:
        if not decision.reason.strip():
            report.errors.append(FieldError("decision.reason", "不予受理须填写理由"))
        if not decision.basis.strip():
            report.errors.append(FieldError("decision.basis", "不予受理须填写法律依据"))
    elif action == CONCLUDE:
        if not may_conclude_on_the_spot(draft.project_type):
            report.errors.append(
                FieldError("decision.action", "本事项为承诺件，不能当场办结，请选择受理")
            )
        if conflict is not None:  # something absent, or only promised (容缺)
            report.errors.append(
                FieldError("materials", f"尚缺必要材料：{_names(missing)}，不能当场办结")
            )


def _check_promise_within_deadline(
    draft: DraftState, promised: dt.date, today: dt.date, report: ValidationReport
) -> None:
    """A 容缺 promise after the case's own deadline cannot be kept by the office."""
    from app.deadlines import DeadlineError, WorkCalendar, deficiency_window

    try:
        window = deficiency_window(today, draft.item.get("promise_limit"), WorkCalendar.load())
    except DeadlineError:
        return  # the item's limit is unusable; the commit says so on its own
    if promised > window.latest:
        report.errors.append(FieldError(
            "decision.promised_date",
            f"承诺补交日期不能晚于本件承诺办结日期 {window.latest:%Y-%m-%d}"
            f"（建议 {window.default:%Y-%m-%d}）",
        ))


def check_draft(
    draft: DraftState, decision: Decision | None, today: dt.date, blobs
) -> ValidationReport:
    """Everything wrong with ``draft`` (and ``decision``), at once."""
    report = ValidationReport()
    state = (draft.item.get("state") or "active") if draft.case_uuid is None else "active"
    if state != "active":
        label = {"suspended": "已暂停", "cancelled": "已取消"}.get(state, state)
        report.errors.append(FieldError("task_code", f"事项{label}，不能受理新申请"))
    check_applicant(draft, today, report)
    for entry in draft.materials:
        check_material(entry, blobs, report)
    report.missing = missing_materials(draft)
    if decision is not None:
        check_decision(draft, decision, today, report)
    return report
