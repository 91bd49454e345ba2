"""IntakeService: drafts, autosave, and the one atomic case commit.

The commit is one writer unit: applicant, case, materials, pages, events, the
number sequence and the outbox entry are written together or not at all.
Page PDFs are assembled and written to the blob store *before* that unit
(content-addressed, so an orphan blob after a crash is harmless).  Call
``commit`` off the GUI thread (``run_in_background``): it assembles PDFs and
waits for the writer.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace
from typing import NamedTuple

from app.applicants import ApplicantInfo, PersonInfo, prefill, upsert_applicant
from app.catalog.item_key import ItemKey, display_name
from app.catalog.repository import get_item, items_of_task
from app.deadlines import DeadlineError, WorkCalendar, promise_deadline
from app.identity import check_id, preload_area_table
from app.intake.draft import CONDITIONAL, DEFICIENCY, NOT_APPLICABLE, DraftState, MaterialEntry
from app.intake.material_files import (
    MaterialFile,
    MaterialPdfCache,
    material_pdf,
    prepare_material_files,
    size_error,
)
from app.intake.validation import (
    ACCEPT,
    CONCLUDE,
    NOTIFY,
    RECEIVE,
    REJECT,
    Decision,
    FieldError,
    IntakeError,
    ValidationReport,
    check_draft,
    check_material,
    missing_materials,
)
from app.numbering import CaseNumberError, next_case_number, station_key
from app.scanning.pages import Page, forget_pages
from app.staff import audit
from contracts import ContractViolation
from local_store.instants import from_station_wall, station_date, to_station, to_wire
from local_store.models import Case, CaseEvent, CaseMaterial, CasePage, Draft, utcnow
from sync.outbox import IncompleteCase, enqueue


class Outcome(NamedTuple):
    state: str  # the case's state afterwards
    hall_event: str  # the event sent to the hall (hall_api.md)
    event_kind: str  # the CaseEvent appended to the case's history


ACCEPTED = "accepted"
NEEDS_COMPLETION = "needs_completion"
REJECTED = "rejected"
CONCLUDED = "concluded"
RECEIVED = "received"
OUTCOMES = {
    ACCEPT: Outcome(ACCEPTED, "accept", "accepted"),
    NOTIFY: Outcome(NEEDS_COMPLETION, "notify", "notified"),
    REJECT: Outcome(REJECTED, "reject", "rejected"),
    CONCLUDE: Outcome(CONCLUDED, "conclude", "concluded"),
    # An online application passed pre-review: the applicant brings the originals.
    RECEIVE: Outcome(RECEIVED, "receive", "awaiting_originals"),
}
# States in which the applicant comes back to the window and the case continues.
CONTINUABLE = {NEEDS_COMPLETION: "待补正", RECEIVED: "待核验原件"}


@dataclass(frozen=True)
class CommitResult:
    case_number: str
    uuid: str
    deadline: dt.date | None
    deadline_uncertain: bool
    state: str
    deadline_reason: str = ""
    already_committed: bool = False
    # Accepted with materials to follow (容缺): the undertaking is to be printed.
    has_deficiencies: bool = False


class DuplicateImport(IntakeError):
    """A batch record whose ``ref`` was imported before."""

    def __init__(self, import_ref: str, case_number: str):
        self.case_number = case_number
        super().__init__(
            [FieldError("ref", f"该记录已导入过（办件编号 {case_number}），未重复导入")]
        )


class CaseNotFound(IntakeError):
    def __init__(self, number: str):
        super().__init__([FieldError("case_number", f"找不到办件 {number}")])


def load_catalog_item(key: ItemKey | str) -> dict | None:
    """The full catalog item JSON as the catalog cache holds it (a str: the
    task_code of an item without 办理项)."""
    return get_item(key)


def _catalog_item_to_take_in(key: ItemKey | str) -> dict:
    """The item (or 办理项) a new application is for; a bare task_code is enough
    when the item has exactly one entry, else the clerk must pick the 办理项."""
    if isinstance(key, ItemKey):
        item = get_item(key)
        if item is None:
            raise IntakeError([FieldError("task_code", f"事项目录中找不到事项 {key.label()}")])
        return item
    entries = items_of_task(key)
    if not entries:
        raise IntakeError([FieldError("task_code", f"事项目录中找不到事项 {key}")])
    if len(entries) > 1:
        choices = "、".join(f"{display_name(e)}（{e.get('handle_item_code')}）" for e in entries)
        raise IntakeError([FieldError(
            "handle_item_code",
            f"事项「{entries[0].get('name')}」有 {len(entries)} 个办理项，请选择其一：{choices}")])
    return entries[0]


def _parse_time(text: str | None, zone) -> dt.datetime | None:
    """Stored form (naive UTC) of a draft's time; text without an offset is station time."""
    if not text:
        return None
    return from_station_wall(dt.datetime.fromisoformat(text), zone)


def _utc_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class IntakeService:
    """``clock`` gives now: aware, or naive meaning station wall time (tests pin it)."""

    def __init__(self, store, settings, clock: Callable[[], dt.datetime] = _utc_clock):
        self.store = store
        self.settings = settings
        self.clock = clock
        self._autosave_lock = threading.Lock()
        self._pending_autosaves: dict[str, tuple[dict, Future]] = {}
        self._pdf_cache = MaterialPdfCache()
        # Parsing the ID area table takes ~0.2 s: do it now, off the caller's
        # thread, so the first ID number typed at the window is checked at once.
        threading.Thread(target=preload_area_table, name="id-area-table", daemon=True).start()

    # --- drafts --------------------------------------------------------

    def new_draft(self, item_key: ItemKey | str) -> DraftState:
        """A draft for an item (``ItemKey``; a bare task_code for an item without
        业务办理项, or whose only entry is one 办理项)."""
        item = _catalog_item_to_take_in(item_key)
        state = item.get("state") or "active"
        if state != "active":
            label = {"suspended": "已暂停", "cancelled": "已取消"}.get(state, state)
            raise IntakeError([FieldError("task_code", f"事项「{display_name(item)}」{label}")])
        return DraftState.from_catalog_item(item)

    def prefill_applicant(self, draft: DraftState) -> bool:
        """Fill the applicant from a returning applicant's record; True if found."""
        filled = prefill(draft.applicant)
        found = filled.known_applicant_id is not None
        draft.applicant = filled
        return found

    def check(self, draft: DraftState, decision: Decision | None = None) -> ValidationReport:
        """Everything wrong with the draft (live feedback for the screen)."""
        today = station_date(self._decision_time(draft), self.settings.zone)
        return check_draft(draft, decision, today, self.store.blobs)

    def check_materials(self, materials: list[MaterialEntry]) -> ValidationReport:
        """The materials step's check: forms and counts, and every scanned page and
        imported file present in the blob store.  It reads the disk, so the window
        calls it off its GUI thread (with a copy of the entries it is editing)."""
        report = ValidationReport()
        for entry in materials:
            check_material(entry, self.store.blobs, report)
        return report

    def autosave(self, draft: DraftState) -> Future:
        """Save the draft through the writer; calls in quick succession coalesce.

        The payload is captured now (on the caller's thread); if a save of the
        same draft is still waiting in the writer queue, it just takes the
        newer payload instead of queueing another write.
        """
        payload = draft.to_json()
        with self._autosave_lock:
            pending = self._pending_autosaves.get(draft.uuid)
            if pending is not None:
                self._pending_autosaves[draft.uuid] = (payload, pending[1])
                return pending[1]
            future = self.store.writer.submit(self._flush_autosave, draft.uuid)
            self._pending_autosaves[draft.uuid] = (payload, future)
            return future

    def _flush_autosave(self, draft_uuid: str) -> None:
        with self._autosave_lock:
            pending = self._pending_autosaves.pop(draft_uuid, None)
        if pending is None:
            return  # discarded while the save was waiting
        payload = pending[0]
        if _already_committed(payload, draft_uuid):
            return  # a save that arrives after the commit must not resurrect the draft
        Draft.insert(
            uuid=draft_uuid,
            task_code=payload["task_code"],
            case_number=payload.get("case_number"),
            payload=payload,
            clerk=self.settings.clerk_name,
            updated_at=utcnow(),
        ).on_conflict(
            conflict_target=[Draft.uuid],
            update={Draft.payload: payload, Draft.updated_at: utcnow()},
        ).execute()

    def material_pdf(self, entry: MaterialEntry) -> tuple[MaterialFile | None, str | None]:
        """Assemble (or find) a material's PDF now; ``(file, size problem)``.

        Call off the GUI thread when a material's pages are done: the screen
        shows the size and the limit message, and the commit reuses the PDF.
        """
        material_file = material_pdf(entry, self.store.blobs, self.settings, self._pdf_cache)
        if material_file is None:
            return None, None
        return material_file, size_error(
            material_file.size, self.settings.material_size_limit_bytes
        )

    def open_drafts(self) -> list[DraftState]:
        """Unfinished drafts, newest first, for resumption after a restart."""
        rows = Draft.select().order_by(Draft.updated_at.desc())
        return [DraftState.from_json(row.payload) for row in rows]

    def discard(self, draft: DraftState) -> None:
        with self._autosave_lock:
            self._pending_autosaves.pop(draft.uuid, None)
        self.store.writer.call(lambda: Draft.delete().where(Draft.uuid == draft.uuid).execute())
        self._done_with_pages(draft)

    def _done_with_pages(self, draft: DraftState) -> None:
        """The draft is committed or discarded: the blob store need not keep the
        plaintext of its pages in memory any longer (``store_page``)."""
        forget_pages(self.store.blobs, (page for entry in draft.materials
                                        for page in entry.pages))

    # --- the service's clock, for the window ----------------------------

    def station_now(self) -> dt.datetime:
        """Now on the service's clock, as aware station wall time: the intake screen
        checks dates and stamps its autosave by the clock the commit will use."""
        return to_station(from_station_wall(self.clock(), self.settings.zone),
                          self.settings.zone)

    def station_today(self) -> dt.date:
        return self.station_now().date()

    # --- commit -------------------------------------------------------

    def _decision_time(self, draft: DraftState) -> dt.datetime:
        """When the decision is made, as stored (naive UTC)."""
        # Batch entry (补录) records decisions made at the time of receipt.
        if draft.import_ref and draft.received_at:
            return _parse_time(draft.received_at, self.settings.zone)
        return from_station_wall(self.clock(), self.settings.zone).replace(microsecond=0)

    def commit(self, draft: DraftState, decision: Decision) -> CommitResult:
        """Validate, write blobs, then commit the whole case in one writer unit."""
        now = self._decision_time(draft)
        report = check_draft(
            draft, decision, station_date(now, self.settings.zone), self.store.blobs
        )
        if report.errors:
            raise IntakeError(report.errors)
        if decision.action == CONCLUDE:
            from app.fees import unpaid_fee_problem

            unpaid = unpaid_fee_problem(draft.item, draft.case_number)
            if unpaid:  # 办结 only once the fee is paid (issue 15)
                raise IntakeError([FieldError("fees", unpaid)])
        files, size_errors = prepare_material_files(
            draft, self.store.blobs, self.settings, self._pdf_cache
        )
        if size_errors:
            raise IntakeError(size_errors)
        try:
            result = self.store.writer.call(self._write_case, draft, decision, files, now)
        except IncompleteCase as exc:
            raise IntakeError(
                [FieldError("case", f"办件核心数据不完整，缺少：{'、'.join(exc.fields)}")]
            ) from exc
        except ContractViolation as exc:  # a defect of this program, not of the entry
            raise IntakeError([FieldError(
                "case", f"办件数据不符合大厅接口约定（字段 {exc.field}），未保存、未上报；"
                        f"已填写内容保留在草稿中，请联系技术支持：{exc}")]) from exc
        except CaseNumberError as exc:  # a bad pattern in the station settings
            raise IntakeError([FieldError("case_number", str(exc))]) from exc
        except DeadlineError as exc:  # a catalog item with an unusable limit
            raise IntakeError([FieldError("task_code", str(exc))]) from exc
        self._done_with_pages(draft)
        return result

    def _write_case(
        self,
        draft: DraftState,
        decision: Decision,
        files: dict[str, MaterialFile],
        now: dt.datetime,
    ) -> CommitResult:
        """The one writer unit: everything of the case, or (on any error) nothing."""
        if draft.case_uuid:
            case, first_commit = _case_waiting_for_completion(draft), False
        else:
            existing = Case.get_or_none(Case.uuid == draft.uuid)
            if existing is not None:  # the same draft committed twice (double click)
                return _result(existing, already_committed=True)
            case, first_commit = self._new_case(draft, now), True

        self._fill_case(case, draft, now)
        deadline = _apply_decision(case, draft, decision, now, self.settings.zone)
        case.save(force_insert=first_commit)
        _write_materials(case, draft.materials, files, replace=not first_commit)
        if first_commit:
            # The item as it stood at intake travels with the case (for 补正 later).
            detail = {"channel": draft.channel, "import_ref": draft.import_ref, "item": draft.item}
            CaseEvent.create(case=case, at=now, kind="received", clerk=case.clerk, detail=detail)
        deficient = _deficient(draft)
        decision_kind = _event_kind(decision, deficient)
        CaseEvent.create(
            case=case,
            at=now,
            kind=decision_kind,
            clerk=case.clerk,
            detail=_event_detail(draft, decision, deadline, deficient),
        )
        # The decision and its audit row commit together (or neither does).
        audit.append_in_unit(case.station, case.clerk, audit.CASE_DECISION, case.number,
                             audit.OK, {"decision": decision_kind, "task_code": case.task_code})
        enqueue(case, OUTCOMES[decision.action].hall_event)
        Draft.delete().where(Draft.uuid == draft.uuid).execute()
        return _result(case, deadline_reason=deadline.reason if deadline else "")

    def _new_case(self, draft: DraftState, now: dt.datetime) -> Case:
        if draft.import_ref:
            imported = Case.get_or_none(Case.import_ref == draft.import_ref)
            if imported is not None:
                raise DuplicateImport(draft.import_ref, imported.number)
        received_at = _parse_time(draft.received_at, self.settings.zone) or now
        return Case(
            uuid=draft.uuid,
            # The case number carries the station's day of receipt.
            number=next_case_number(
                self.settings, station_date(received_at, self.settings.zone)
            ),
            received_at=received_at,
            station=station_key(self.settings.region_code, self.settings.station_code),
            import_ref=draft.import_ref,
        )

    def _fill_case(self, case: Case, draft: DraftState, now: dt.datetime) -> None:
        item = draft.item
        applicant = _normalized_applicant(draft)
        case.task_code = draft.task_code
        case.catalog_code = item.get("catalog_code") or ""
        case.handle_item_code = item.get("handle_item_code") or None
        case.handle_item_name = item.get("handle_item_name") or None
        case.item_name = item.get("name") or ""
        case.item_version = int(item.get("version") or 1)
        case.project_type = str(item.get("project_type") or "")
        case.dept_name = item.get("dept_name") or ""
        case.dept_code = item.get("dept_code") or ""
        case.channel = draft.channel
        case.applicant = upsert_applicant(applicant)
        case.applicant_snapshot = applicant.snapshot()
        case.agent = _normalized_agent(draft)
        case.contact_phone = _contact_phone(draft)
        case.clerk = self.settings.clerk_name
        case.updated_at = utcnow()

    # --- 补正: the applicant comes back ---------------------------------

    def continue_case(self, case_number: str) -> DraftState:
        """A draft for a needs_completion case: same uuid and number on commit."""
        case = Case.get_or_none(Case.number == case_number.strip().upper())
        if case is None:
            raise CaseNotFound(case_number)
        if case.state not in CONTINUABLE:
            raise IntakeError(
                [FieldError("case_number",
                            f"办件 {case.number} 不是待补正状态（也不是待核验原件），不能继续受理")]
            )
        # The current checklist, but the item as it stood at intake (version,
        # limits, 容缺) — the applicant is finishing that application.
        key = ItemKey(case.task_code, case.handle_item_code)
        catalog_item = load_catalog_item(key) or {"task_code": case.task_code,
                                                  "handle_item_code": case.handle_item_code}
        draft = DraftState.from_catalog_item(catalog_item)
        received = (
            CaseEvent.select()
            .where((CaseEvent.case == case) & (CaseEvent.kind == "received"))
            .first()
        )
        if received is not None and (received.detail or {}).get("item"):
            draft.item = dict(received.detail["item"])
        draft.applicant = ApplicantInfo.from_json(case.applicant_snapshot)
        draft.agent = PersonInfo.from_json(case.agent)
        draft.contact_phone = case.contact_phone
        draft.channel = case.channel
        draft.case_uuid = case.uuid
        draft.case_number = case.number
        draft.received_at = to_wire(case.received_at, self.settings.zone)
        draft.materials = _materials_from_case(case, draft.materials)
        return draft


def _case_waiting_for_completion(draft: DraftState) -> Case:
    case = Case.get_or_none(Case.uuid == draft.case_uuid)
    if case is None:
        raise CaseNotFound(draft.case_number or draft.case_uuid)
    if case.state not in CONTINUABLE:
        raise IntakeError([FieldError("case_number", f"办件 {case.number} 当前不是待补正状态")])
    return case


def _deficient(draft: DraftState) -> list[MaterialEntry]:
    return [e for e in draft.materials if e.needed and e.received_form == DEFICIENCY]


def _event_kind(decision: Decision, deficient: list[MaterialEntry]) -> str:
    if decision.action == ACCEPT and deficient:
        return "accepted_with_deficiencies"
    return OUTCOMES[decision.action].event_kind


def _apply_decision(case: Case, draft: DraftState, decision: Decision, now: dt.datetime, zone):
    """State, decision fields and (for accept/conclude) the promised deadline.

    ``now`` is stored time (UTC); the deadline counts from the station's day.
    """
    case.state = OUTCOMES[decision.action].state
    case.decided_at = now
    case.decision_reason = decision.reason.strip()
    case.decision_basis = decision.basis.strip()
    case.deficiency_promise_date = decision.promised_date if _deficient(draft) else None
    if decision.action not in (ACCEPT, CONCLUDE):
        return None
    case.accepted_at = now
    # 即办件 concluded on the spot: the promise is kept today.
    limit = draft.item.get("promise_limit") if decision.action == ACCEPT else None
    deadline = promise_deadline(station_date(now, zone), limit, WorkCalendar.load())
    case.deadline = deadline.date
    case.deadline_uncertain = deadline.uncertain
    if decision.action == CONCLUDE:
        case.concluded_at = now
    return deadline


def _contact_phone(draft: DraftState) -> str:
    """Who the office calls: the explicit contact, else applicant, agent, legal rep."""
    legal_rep = draft.applicant.legal_rep
    candidates = [
        draft.contact_phone,
        draft.applicant.phone,
        draft.agent.phone if draft.agent else "",
        legal_rep.phone if legal_rep else "",
    ]
    return next((phone.strip() for phone in candidates if phone and phone.strip()), "")


def _already_committed(payload: dict, draft_uuid: str) -> bool:
    continued = payload.get("case_uuid")
    if continued:
        return (
            not Case.select()
            .where((Case.uuid == continued) & (Case.state == NEEDS_COMPLETION))
            .exists()
        )
    return Case.select().where(Case.uuid == draft_uuid).exists()


def _normalized_applicant(draft: DraftState) -> ApplicantInfo:
    """Store ID numbers normalised (upper-case X, no spaces), names untouched."""
    applicant = draft.applicant
    legal_rep = applicant.legal_rep
    if legal_rep is not None:
        legal_rep = replace(
            legal_rep,
            name=legal_rep.name.strip(),
            id_number=check_id(legal_rep.id_type, legal_rep.id_number).normalized,
        )
    return replace(
        applicant,
        name=applicant.name.strip(),
        id_number=check_id(applicant.id_type, applicant.id_number).normalized,
        phone=applicant.phone.strip(),
        legal_rep=legal_rep,
    )


def _normalized_agent(draft: DraftState) -> dict | None:
    agent = draft.agent
    if agent is None:
        return None
    data = agent.to_json()
    data["name"] = agent.name.strip()
    data["id_number"] = check_id(agent.id_type, agent.id_number).normalized
    return data


def _write_materials(
    case: Case, entries: list[MaterialEntry], files: dict[str, MaterialFile], replace: bool
) -> None:
    if replace:
        # The checklist as it stands now replaces the one of the earlier visit.
        CaseMaterial.delete().where(CaseMaterial.case == case).execute()
    for entry in entries:
        material_file = files.get(entry.material_id)
        material = CaseMaterial.create(
            case=case,
            material_id=entry.material_id,
            name=entry.name,
            requirement=entry.requirement,
            received_form=entry.received_form,
            originals=entry.originals,
            copies=entry.copies,
            page_count=material_file.page_count if material_file else len(entry.pages),
            blob_digest=material_file.digest if material_file else None,
            blob_size=material_file.size if material_file else 0,
            signature_status=entry.signature_status,
            signature_detail=entry.signature_detail,
            cert_ref=entry.cert_ref,
            override_reason=entry.override_reason,
            note=entry.note,
        )
        if entry.pages:
            CasePage.insert_many(
                [
                    {
                        "material": material,
                        "position": position,
                        "blob_digest": page.digest,
                        "kind": page.kind,
                        "rotation": page.rotation,
                        "pdf_index": page.pdf_index,
                    }
                    for position, page in enumerate(
                        (Page.from_json(data) for data in entry.pages), start=1
                    )
                ]
            ).execute()


def _materials_from_case(case: Case, checklist: list[MaterialEntry]) -> list[MaterialEntry]:
    """The current catalog checklist, filled with what the earlier visit recorded."""
    recorded = {m.material_id: m for m in CaseMaterial.select().where(CaseMaterial.case == case)}
    entries = list(checklist)
    known = {entry.material_id for entry in entries}
    for material_id, material in recorded.items():
        if material_id not in known:  # item changed since: keep what was recorded
            entries.append(
                MaterialEntry(
                    material_id=material_id, name=material.name, requirement=material.requirement
                )
            )
    for entry in entries:
        material = recorded.get(entry.material_id)
        if material is None:
            continue
        entry.received_form = material.received_form
        entry.originals = material.originals
        entry.copies = material.copies
        entry.cert_ref = material.cert_ref
        entry.signature_status = material.signature_status
        entry.signature_detail = material.signature_detail
        entry.override_reason = material.override_reason
        entry.note = material.note
        entry.condition_applies = (
            entry.requirement == CONDITIONAL and material.received_form != NOT_APPLICABLE
        )
        pages = list(material.pages.order_by(CasePage.position))
        if pages:
            entry.pages = [
                Page(page.blob_digest, page.kind, page.rotation, page.pdf_index).to_json()
                for page in pages
            ]
        elif material.blob_digest:
            entry.file_digest = material.blob_digest
            entry.file_size = material.blob_size
    return entries


def _event_detail(draft, decision, deadline, deficient) -> dict:
    detail: dict = {"action": decision.action}
    if decision.action == NOTIFY:
        detail["missing"] = [
            {"material_id": e.material_id, "name": e.name} for e in missing_materials(draft)
        ]
    if decision.action == REJECT:
        detail.update(reason=decision.reason.strip(), basis=decision.basis.strip())
    if deficient:
        detail["deficiencies"] = [{"material_id": e.material_id, "name": e.name} for e in deficient]
        detail["promised_date"] = (
            decision.promised_date.isoformat() if decision.promised_date else None
        )
    if deadline is not None:
        detail.update(
            deadline=deadline.date.isoformat(),
            deadline_uncertain=deadline.uncertain,
            deadline_reason=deadline.reason,
        )
    if draft.case_uuid:
        detail["continued"] = True
    if decision.note:
        detail["note"] = decision.note
    return detail


def _result(case: Case, deadline_reason: str = "", already_committed: bool = False):
    return CommitResult(
        case_number=case.number,
        uuid=case.uuid,
        deadline=case.deadline,
        deadline_uncertain=bool(case.deadline_uncertain),
        state=case.state,
        deadline_reason=deadline_reason,
        already_committed=already_committed,
        has_deficiencies=case.deficiency_promise_date is not None,
    )
