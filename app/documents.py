"""Printable documents of a committed case: gather, render, archive, log.

``render`` reads the case (Case, CaseMaterial, CaseEvent) and its catalog item
and hands ``printing`` display-ready text — ID numbers are masked here, so no
full ID number can reach a PDF.  ``archive_and_log`` keeps every printed PDF
in the blob store and writes the PrintLog row through the one writer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.catalog.code_tables import code_meaning
from app.catalog.item_key import ItemKey, display_name
from app.catalog.repository import get_item as catalog_item
from app.catalog.repository import items_by_code
from app.identity import mask_id
from app.numbering import verify_case_number
from app.retention import ARCHIVED_LABEL
from app.settings import Settings, load_settings
from app.staff import audit
from app.staff.signin import display_names
from local_store.instants import from_station_wall, station_now, to_station
from local_store.models import Case, CaseEvent, CaseMaterial, PrintLog
from printing.model import (
    A4,
    BLANK_FORM,
    CASE_DOCUMENTS,
    COMPLETION,
    LAYOUTS,
    ROLL,
    ROLL_KINDS,
    TITLES,
    PrintableCase,
    PrintableForm,
    PrintableMaterial,
    Station,
)
from printing.render import render_case, render_form

# CaseMaterial.received_form → what the applicant reads on the receipt.
RECEIVED_AS = {
    "original": "纸质原件",
    "copy": "复印件",
    "electronic": "电子材料",
    "scanned": "扫描件",
    "ecert": "电子证照",
    "missing": "未提交",
    "deficiency": "容缺后补",
    "not_applicable": "不适用",
}
NOT_RECEIVED = frozenset({"missing", "deficiency", "not_applicable"})
# Satisfied from the e-certificate library (免提交): nothing was handed over.
FROM_CERTIFICATE = "ecert"
ACCEPTED_STATES = frozenset({"accepted", "in_process", "concluded", "delivered"})
# Events whose detail may carry a case-specific completion period.
COMPLETION_EVENTS = ("needs_completion", "completion_notice", "notified")


class DocumentError(Exception):
    """A document cannot be produced; the message is for the clerk (Chinese)."""


# 缴款通知书 (app.fees): archived and logged like the case documents.
FEE_NOTICE = "fee-notice"

def code_label(table: str, code: str | None) -> str:
    """The meaning of a code, or the code itself when the table does not know it."""
    return code_meaning(table, code) or str(code or "")


def _limit_text(limit: dict | None) -> str:
    if not limit or not limit.get("value"):
        return ""
    return f"{limit['value']}个{code_label('limit_unit', limit.get('unit'))}"


def _wanted(spec: dict) -> str:
    """"纸质原件1份、复印件1份" from a catalog material."""
    parts = []
    if spec.get("originals"):
        parts.append(f"原件{spec['originals']}份")
    if spec.get("copies"):
        parts.append(f"复印件{spec['copies']}份")
    form = code_label("material_form", spec.get("form")) if spec.get("form") else ""
    text = "、".join(parts) or "1份"
    return f"{form}{text}" if form else text


def _how_to_supply(material: CaseMaterial, spec: dict) -> str:
    hints = [material.note.strip()] if material.note.strip() else []
    if spec.get("condition"):
        hints.append(f"适用情形：{spec['condition']}")
    if spec.get("blank_form"):
        hints.append(f"使用《{spec['blank_form']}》格式文本，可在窗口领取或网上办事大厅下载")
    if spec.get("cert_type_code"):
        hints.append("可授权窗口从电子证照库调取，免交纸质证件")
    if spec.get("accepts_signed_electronic"):
        hints.append("可提交电子签名文件")
    if spec.get("note") and spec["note"] not in hints:
        hints.append(spec["note"])
    return "；".join(hints)


def _printable_material(material: CaseMaterial, spec: dict) -> PrintableMaterial:
    return PrintableMaterial(
        name=material.name,
        received_as=RECEIVED_AS.get(material.received_form, material.received_form),
        originals=material.originals or 0,
        copies=material.copies or 0,
        pages=material.page_count or 0,
        wanted=_wanted(spec) if spec else "",
        how_to_supply=_how_to_supply(material, spec),
        note=material.note or "",
    )


def station_of(settings: Settings, clerk: str = "") -> Station:
    account = clerk or settings.clerk_name
    return Station(
        centre_name=settings.centre_name,
        window_name=settings.window_name,
        # Papers name the clerk as people know them; the account stays in the records.
        clerk=display_names([account]).get(account, account),
        consultation_phone=settings.consultation_phone,
        complaint_phone=settings.complaint_phone,
        seal_image=settings.seal_image,
        reconsideration_body=settings.reconsideration_body,
        litigation_body=settings.litigation_body,
    )


def find_case(case_number: str) -> Case:
    number = case_number.strip().upper()
    case = Case.get_or_none(Case.number == number)
    if case is None:
        if not verify_case_number(number):
            raise DocumentError(f"办件编号 {case_number} 校验位不符，可能输错了 / "
                                "check character wrong (typing error?)")
        raise DocumentError(f"找不到办件编号 {case_number} / no such case")
    if case.purged_at is not None:
        # Retention removed the names and the printed copies from this station.
        raise DocumentError(f"办件 {case.number} {ARCHIVED_LABEL}，本机已不保存申请人信息，"
                            "请从网上办事大厅调取 / archived to the hall")
    return case


def _completion_days(case: Case, settings: Settings) -> int:
    events = (CaseEvent.select().where((CaseEvent.case == case)
                                       & (CaseEvent.kind.in_(COMPLETION_EVENTS)))
              .order_by(CaseEvent.at.desc()))
    for event in events:
        days = (event.detail or {}).get("days_allowed")
        if days:
            return int(days)
    return settings.completion_days_allowed


def _printed_at(now: dt.datetime | None, zone) -> dt.datetime:
    """Station wall time of printing; a naive ``now`` is station wall time already."""
    if now is None:
        return station_now(zone)
    return to_station(from_station_wall(now, zone), zone)


def rating_link(settings: Settings, case: Case) -> str:
    """The hall's rating page for ``case`` (the receipt's 好差评 QR code), signed so
    that the printed number alone cannot rate: HMAC-SHA256 of ``rate:NUMBER`` keyed
    with the case UUID, which only this station and the hall know.  '' without a hall."""
    import hashlib
    import hmac
    from urllib.parse import urlencode

    base = settings.effective_hall_url.rstrip("/")
    if not base:
        return ""
    signature = hmac.new(case.uuid.encode(), f"rate:{case.number}".encode(),
                         hashlib.sha256).hexdigest()[:32]
    return f"{base}/rate?{urlencode({'c': case.number, 's': signature})}"


def printable_case(case: Case, settings: Settings, now: dt.datetime | None = None
                   ) -> PrintableCase:
    zone = settings.zone
    item = catalog_item(ItemKey(case.task_code, case.handle_item_code)) or {}
    specs = {m.get("id"): m for m in item.get("materials", [])}
    snapshot = case.applicant_snapshot or {}
    agent = case.agent or {}
    materials = list(case.materials.order_by(CaseMaterial.id))
    printable = [(m, _printable_material(m, specs.get(m.material_id, {}))) for m in materials]
    return PrintableCase(
        station=station_of(settings, case.clerk),
        case_number=case.number,
        status_query_url=f"{settings.status_query_url}{case.number}",
        rating_url=rating_link(settings, case),
        item_name=case.handle_item_name or case.item_name,
        task_code=case.task_code,
        handle_item_code=case.handle_item_code or "",
        dept_name=case.dept_name or item.get("dept_name", ""),
        applicant_name=snapshot.get("name", ""),
        applicant_id_label=code_label("id_type", snapshot.get("id_type")) or "证件号码",
        applicant_id_masked=mask_id(snapshot.get("id_number")),
        legal_rep_name=(snapshot.get("legal_rep") or {}).get("name", ""),
        agent_name=agent.get("name", "") if agent else "",
        agent_id_masked=mask_id(agent.get("id_number")) if agent else "",
        # Printed in the station's zone, whatever the computer's zone is.
        received_at=to_station(case.received_at, zone),
        accepted_at=to_station(case.accepted_at, zone) if case.accepted_at else None,
        concluded_at=to_station(case.concluded_at, zone) if case.concluded_at else None,
        printed_at=_printed_at(now, zone),
        is_licence=item.get("task_type", "") == "01",
        promised_date=case.deadline,
        promised_date_uncertain=bool(case.deadline_uncertain),
        promise_limit=_limit_text(item.get("promise_limit")),
        materials=[p for m, p in printable
                   if m.received_form not in NOT_RECEIVED | {FROM_CERTIFICATE}],
        from_certificates=[p for m, p in printable if m.received_form == FROM_CERTIFICATE],
        missing=[p for m, p in printable if m.received_form == "missing"],
        deficient=[p for m, p in printable if m.received_form == "deficiency"],
        completion_days_allowed=_completion_days(case, settings),
        deficiency_promise_date=case.deficiency_promise_date,
        decision_reason=case.decision_reason or "",
        decision_basis=case.decision_basis or "",
        link_way=item.get("link_way", ""),
        supervise_way=item.get("supervise_way", ""),
        transact_addr=item.get("transact_addr", ""),
    )


def _check_applicable(case: Case, kind: str, printable: PrintableCase) -> None:
    """Refuse documents that would say something untrue about this case."""
    if kind == COMPLETION and not printable.missing:
        raise DocumentError("该办件没有缺少的材料，无需出具一次性告知书 / nothing is missing")
    if kind == "deficiency" and not printable.deficient:
        raise DocumentError("该办件没有容缺材料，无需容缺受理承诺书 / no deficiency recorded")
    if kind == "rejection" and case.state != "rejected":
        raise DocumentError("该办件未作不予受理决定 / the case was not rejected")
    if kind == "acceptance" and case.accepted_at is None and case.state not in ACCEPTED_STATES:
        raise DocumentError("该办件尚未受理，不能出具受理通知书 / the case is not accepted")


def render(case_number: str, kind: str, layout: str = A4, settings: Settings | None = None,
           now: dt.datetime | None = None) -> bytes:
    """The PDF of document ``kind`` for a committed case."""
    if kind not in CASE_DOCUMENTS:
        raise DocumentError(f"未知文书类型 {kind} / unknown document; choose one of "
                            + ", ".join(CASE_DOCUMENTS))
    if layout not in LAYOUTS:
        raise DocumentError(f"未知版式 {layout} / unknown layout; choose a4 or roll")
    if layout == ROLL and kind not in ROLL_KINDS:
        raise DocumentError(f"{TITLES[kind]}只有 A4 版式 / only the receipt has a roll layout")
    settings = settings or load_settings()
    case = find_case(case_number)
    printable = printable_case(case, settings, now)
    _check_applicable(case, kind, printable)
    return render_case(printable, kind, layout)


def render_blank_form(code: str, material_id: str | None = None,
                      settings: Settings | None = None, now: dt.datetime | None = None
                      ) -> bytes:
    """An item's blank application form, when the catalog names one.

    ``code``: the 业务办理项编码 of a 办理项 (each has its own forms), or the
    task_code of an item without 办理项."""
    settings = settings or load_settings()
    items = items_by_code(code)
    if not items:
        raise DocumentError(f"目录中没有事项 {code} / no such catalog item")
    if len(items) > 1:
        choices = "、".join(f"{display_name(i)}（{i.get('handle_item_code')}）" for i in items)
        raise DocumentError(f"事项 {code} 有 {len(items)} 个办理项，请给出办理项编码：{choices}"
                            " / give the handle-item code")
    item = items[0]
    task_code = item["task_code"]
    forms = [m for m in item.get("materials", []) if m.get("blank_form")
             and (material_id is None or m.get("id") == material_id)]
    if not forms:
        raise DocumentError(f"事项“{display_name(item) or task_code}”没有空白表格 / no blank form")
    return render_form(PrintableForm(
        station=station_of(settings),
        title=forms[0]["blank_form"],
        item_name=display_name(item),
        task_code=task_code,
        handle_item_code=item.get("handle_item_code") or "",
        dept_name=item.get("dept_name", ""),
        printed_at=_printed_at(now, settings.zone),
        material_names=[m.get("name", "") for m in item.get("materials", [])],
        link_way=item.get("link_way", ""),
    ))


@dataclass
class ArchivedDocument:
    log_id: int
    blob_digest: str
    reprint: int


def archive_and_log(store, case_number: str | None, kind: str, pdf: bytes, *, clerk: str,
                    layout: str = A4, printer: str = "", outcome: str = "archived",
                    error: str = "", copies: int = 1) -> ArchivedDocument:
    """Keep the PDF in the blob store and log it; ``reprint`` counts earlier prints."""
    if kind not in CASE_DOCUMENTS and kind not in (BLANK_FORM, FEE_NOTICE):
        raise DocumentError(f"未知文书类型 {kind}")
    digest = store.blobs.put_bytes(pdf)
    case = find_case(case_number) if case_number else None

    def log_print() -> ArchivedDocument:
        earlier = (PrintLog.select().where((PrintLog.case == case) & (PrintLog.document == kind))
                   .count() if case is not None else 0)
        row = PrintLog.create(case=case, document=kind, layout=layout, blob_digest=digest,
                              clerk=clerk, printer=printer, copies=copies, reprint=earlier,
                              outcome=outcome, error=error)
        audit.append_in_unit(
            case.station if case is not None else "", clerk, audit.PRINT,
            f"{case.number if case is not None else '-'}/{kind}",
            audit.FAILED if outcome == "failed" else audit.OK,
            {"document": kind, "printer": printer, "copies": copies, "reprint": earlier,
             "outcome": outcome})
        return ArchivedDocument(row.id, digest, earlier)

    return store.writer.call(log_print)


def issue(store, case_number: str, kind: str, layout: str = A4, *, reprint: bool = False,
          settings: Settings | None = None) -> tuple[bytes, bool]:
    """The PDF to hand over: for a reprint the archived original when there is
    one, else freshly rendered.  Returns (pdf, is_archived_original)."""
    if reprint:
        original = archived_copy(store, case_number, kind, layout)
        if original is not None:
            return original, True
    return render(case_number, kind, layout, settings=settings), False


def archived_copy(store, case_number: str, kind: str, layout: str = A4) -> bytes | None:
    """The PDF last issued for this case and document, exactly as it was printed.

    A reprint hands over the same paper again (same date, same content), not a
    document re-rendered from today's data.  None when nothing was issued yet.
    """
    case = find_case(case_number)
    rows = (PrintLog.select().where((PrintLog.case == case) & (PrintLog.document == kind)
                                    & (PrintLog.layout == layout))
            .order_by(PrintLog.id.desc()))
    for row in rows:
        if store.blobs.has(row.blob_digest) and store.blobs.verify(row.blob_digest):
            return store.blobs.read(row.blob_digest)
    return None


def record_print_outcome(store, log_id: int, outcome: str, printer: str = "",
                         error: str = "", copies: int | None = None) -> None:
    """After the printer answered: printed, or failed with the reason; ``copies``
    when the print dialog changed the number."""
    def update() -> None:
        changes = {"outcome": outcome, "printer": printer, "error": error}
        if copies is not None:
            changes["copies"] = copies
        PrintLog.update(**changes).where(PrintLog.id == log_id).execute()

    store.writer.call(update)


def document_title(kind: str) -> str:
    return "缴款通知书" if kind == FEE_NOTICE else TITLES.get(kind, kind)
