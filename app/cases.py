"""Read-side queries on cases: today's list, search, one case in detail.

Everything here only reads (any thread may call it; the GUI calls it through
``run_in_background``).  ID numbers leave this module masked unless the
caller explicitly asks for the full number (``mask=False``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from app.identity import mask_id, normalize_id_text
from app.retention import ARCHIVED_LABEL
from app.staff.signin import display_names
from local_store.instants import day_bounds_utc, to_station, to_wire
from local_store.models import Applicant, Case, CaseEvent, CaseMaterial, CasePage, OutboxEntry

SEARCH_LIMIT = 500


@dataclass(frozen=True)
class CaseSummary:
    number: str
    uuid: str
    task_code: str
    item_name: str  # the 办理项's own name for a case of a 办理项
    applicant_name: str
    id_masked: str
    state: str
    received_at: dt.datetime  # station wall time (aware)
    deadline: dt.date | None
    deadline_uncertain: bool
    handle_item_code: str | None = None

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "uuid": self.uuid,
            "task_code": self.task_code,
            "handle_item_code": self.handle_item_code,
            "item_name": self.item_name,
            "applicant_name": self.applicant_name,
            "applicant_id_masked": self.id_masked,
            "state": self.state,
            "received_at": self.received_at.isoformat(timespec="seconds"),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_uncertain": self.deadline_uncertain,
        }


def _summary(case: Case) -> CaseSummary:
    snapshot = case.applicant_snapshot or {}
    return CaseSummary(
        number=case.number,
        uuid=case.uuid,
        task_code=case.task_code,
        item_name=case.handle_item_name or case.item_name,
        applicant_name=snapshot.get("name") or "",
        id_masked=mask_id(snapshot.get("id_number")),
        state=case.state,
        received_at=to_station(case.received_at),
        deadline=case.deadline,
        deadline_uncertain=bool(case.deadline_uncertain),
        handle_item_code=case.handle_item_code,
    )


def cases_on_day(day: dt.date, station: str | None = None) -> list[CaseSummary]:
    """Cases received on the station's ``day`` (at ``station`` if given), oldest first."""
    since, until = day_bounds_utc(day)
    query = Case.select().where((Case.received_at >= since) & (Case.received_at < until))
    if station:
        query = query.where(Case.station == station)
    return [_summary(case) for case in query.order_by(Case.received_at, Case.id)]


def search_cases(text: str, station: str | None = None, limit: int = SEARCH_LIMIT):
    """Cases whose number contains ``text``, whose applicant name contains it,
    or whose applicant ID number is exactly it — newest first."""
    text = (text or "").strip()
    if not text:
        return []
    id_text = normalize_id_text(text)
    snapshot_name = fn.json_extract(Case.applicant_snapshot, "$.name")
    snapshot_id = fn.json_extract(Case.applicant_snapshot, "$.id_number")
    matches = (
        Case.number.contains(id_text)
        | snapshot_name.contains(text)
        | Applicant.name.contains(text)
        | (snapshot_id == id_text)
        | (Applicant.id_number == id_text)
    )
    query = (
        Case.select(Case)
        .join(Applicant, JOIN.LEFT_OUTER, on=(Case.applicant == Applicant.id))
        .where(matches)
    )
    if station:
        query = query.where(Case.station == station)
    query = query.order_by(Case.received_at.desc(), Case.id.desc()).limit(limit)
    return [_summary(case) for case in query]


def _iso(value) -> str | None:
    """Dates as they are; instants in ISO 8601 with the station's offset."""
    if isinstance(value, dt.datetime):
        return to_wire(value)
    return value.isoformat() if value is not None else None


def _person(data: dict | None, mask: bool) -> dict | None:
    if not data:
        return None
    shown = dict(data)
    if mask and shown.get("id_number"):
        shown["id_number"] = mask_id(shown["id_number"])
    if isinstance(shown.get("legal_rep"), dict):
        shown["legal_rep"] = _person(shown["legal_rep"], mask)
    return shown


def case_detail(number: str, mask: bool = True) -> dict | None:
    """One case for display or ``onewindow case show --json``."""
    case = Case.get_or_none(Case.number == (number or "").strip().upper())
    if case is None:
        return None
    materials = []
    for material in (
        CaseMaterial.select().where(CaseMaterial.case == case).order_by(CaseMaterial.id)
    ):
        pages = CasePage.select().where(CasePage.material == material).order_by(CasePage.position)
        materials.append(
            {
                "material_id": material.material_id,
                "name": material.name,
                "requirement": material.requirement,
                "received_form": material.received_form,
                "originals": material.originals,
                "copies": material.copies,
                "page_count": material.page_count,
                "digest": material.blob_digest,
                "size": material.blob_size,
                "page_digests": [page.blob_digest for page in pages],
                "signature_status": material.signature_status,
                "cert_ref": material.cert_ref,
                "override_reason": material.override_reason,
            }
        )
    # The timeline: intake events and the hall's status updates, all stored in
    # UTC, so ordering by time is the order they happened in.
    case_events = list(
        CaseEvent.select().where(CaseEvent.case == case).order_by(CaseEvent.at, CaseEvent.id)
    )
    # "clerk" is the account that acted (unique); "clerk_name" how people know them.
    names = display_names([case.clerk, *(event.clerk for event in case_events)])
    events = [
        {"at": _iso(event.at), "kind": event.kind, "clerk": event.clerk,
         "clerk_name": names.get(event.clerk, event.clerk), "detail": event.detail}
        for event in case_events
    ]
    outbox = [
        {"key": entry.idempotency_key, "state": entry.state, "event": entry.manifest.get("event")}
        for entry in OutboxEntry.select().where(OutboxEntry.case == case).order_by(OutboxEntry.id)
    ]
    return {
        "number": case.number,
        "uuid": case.uuid,
        "state": case.state,
        "task_code": case.task_code,
        "catalog_code": case.catalog_code,
        "handle_item_code": case.handle_item_code,
        "item_name": case.item_name,
        "handle_item_name": case.handle_item_name,
        "item_version": case.item_version,
        "project_type": case.project_type,
        "dept_name": case.dept_name,
        "channel": case.channel,
        "station": case.station,
        "clerk": case.clerk,
        "clerk_name": names.get(case.clerk, case.clerk),
        "received_at": _iso(case.received_at),
        "accepted_at": _iso(case.accepted_at),
        "decided_at": _iso(case.decided_at),
        "concluded_at": _iso(case.concluded_at),
        "deadline": _iso(case.deadline),
        "deadline_uncertain": bool(case.deadline_uncertain),
        "decision": {"reason": case.decision_reason, "basis": case.decision_basis},
        "deficiency_promise_date": _iso(case.deficiency_promise_date),
        "import_ref": case.import_ref,
        "applicant": _person(case.applicant_snapshot, mask),
        "agent": _person(case.agent, mask),
        "contact_phone": case.contact_phone,
        "materials": materials,
        "events": events,
        "outbox": outbox,
        "hall_status": case.hall_status,
        # Retention (app.retention): the personal data and scans are at the hall only.
        "archived": ARCHIVED_LABEL if case.purged_at is not None else None,
        "purged_at": _iso(case.purged_at),
    }
