"""Read-side queries on cases: today's list, search, one case in detail.

Everything here only reads (any thread may call it; the GUI calls it through
``run_in_background``).  ID numbers leave this module masked unless the
caller explicitly asks for the full number (``mask=False``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from app.identity import mask_id, normalize_id_text
from app.retention import ARCHIVED_LABEL
from app.staff.signin import display_names
from local_store.instants import day_bounds_utc, to_station, to_wire
from local_store.models import Case, CaseEvent, CaseMaterial, CasePage, OutboxEntry

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


def cases_on_day(day: dt.date, station: str | None = None) -> list[CaseSummary]:
    """Cases received on the station's ``day`` (at ``station`` if given), oldest first."""
    since, until = day_bounds_utc(day)
    sql = "c.received_at >= ? AND c.received_at < ?"
    params: tuple = (str(since), str(until))
    if station:
        sql += " AND c.station = ?"
        params += (station,)
    return _summaries(sql + " ORDER BY c.received_at, c.id", params)


# Only what a list row shows, read as plain rows: building a peewee model per
# row was most of a search's time (500 rows for a common name).
_SUMMARY_COLUMNS = ("c.number, c.uuid, c.task_code, c.item_name, c.handle_item_name, "
                    "c.applicant_snapshot, c.state, c.received_at, c.deadline, "
                    "c.deadline_uncertain, c.handle_item_code")


def _summaries(where: str, params: tuple) -> list[CaseSummary]:
    cursor = Case._meta.database.execute_sql(
        f'SELECT {_SUMMARY_COLUMNS} FROM "case" c WHERE {where}', params)
    rows = []
    for (number, case_uuid, task_code, item_name, handle_item_name, snapshot, state,
         received_at, deadline, deadline_uncertain, handle_item_code) in cursor:
        applicant = json.loads(snapshot) if snapshot else {}
        rows.append(CaseSummary(
            number=number,
            uuid=case_uuid,
            task_code=task_code,
            item_name=handle_item_name or item_name,
            applicant_name=applicant.get("name") or "",
            id_masked=mask_id(applicant.get("id_number")),
            state=state,
            received_at=to_station(dt.datetime.fromisoformat(received_at)),
            deadline=dt.date.fromisoformat(deadline) if deadline else None,
            deadline_uncertain=bool(deadline_uncertain),
            handle_item_code=handle_item_code,
        ))
    return rows


# The applicant's name and ID number as the case recorded them; 0015 indexes
# exactly these expressions, so they are spelled here as literals (a bound
# '$.name' parameter would not match the index).
SNAPSHOT_NAME = "json_extract(applicant_snapshot, '$.name')"
SNAPSHOT_ID = "json_extract(applicant_snapshot, '$.id_number')"
# Above every character: ``x <= s < x + TOP`` is "s starts with x" on an index.
TOP = "\U0010ffff"
_NUMBER_TEXT = re.compile(r"^[0-9A-Z]+$")


def search_cases(text: str, station: str | None = None, limit: int = SEARCH_LIMIT):
    """Cases by number, applicant name or the applicant's full ID number —
    newest first.

    At five years of cases (1.5 M) a scan of the case table takes seconds,
    so the search goes through indexes (0015) first: the ID number exactly,
    the number from its start (scanned, or typed from the left), the name
    exactly — or, when nobody has that name, names starting with it (a
    surname, a name half typed).  Only when none of those finds anything does it
    look for the text inside numbers (the last digits a clerk reads off a
    receipt) and inside names (a part of a 维吾尔族 name after the ·): it then
    scans the number index and the applicants' names, not the case table.
    """
    text = (text or "").strip()
    if not text:
        return []
    id_text = normalize_id_text(text)
    found = _indexed_matches(text, id_text, station, limit)
    if not found:
        found = _contained_matches(text, id_text, station, limit)
    if not found:
        return []
    return _summaries("c.id IN (SELECT value FROM json_each(?)) "
                      "ORDER BY c.received_at DESC, c.id DESC LIMIT ?",
                      (json.dumps(sorted(found)), limit))


def _case_ids(sql: str, params: tuple, station: str | None, limit: int) -> set[int]:
    """Ids of the newest ``limit`` cases among ``sql``'s (a WHERE on "case" c).

    The unary + keeps the planner off the received_at index: walking it
    newest first until ``limit`` matches reads the whole table when the
    matches are few, which they are (one person, one number)."""
    if station:
        sql += " AND c.station = ?"
        params += (station,)
    sql += " ORDER BY +c.received_at DESC LIMIT ?"
    cursor = Case._meta.database.execute_sql(sql, (*params, limit))
    return {case_id for (case_id,) in cursor}


def _indexed_matches(text: str, id_text: str, station: str | None, limit: int) -> set[int]:
    found: set[int] = set()
    by_case = 'SELECT c.id FROM "case" c WHERE '
    # CROSS JOIN: the applicant index first, then that person's cases.
    by_applicant = ('SELECT c.id FROM applicant a CROSS JOIN "case" c '
                    "ON c.applicant_id = a.id WHERE ")
    found |= _case_ids(by_case + f"{SNAPSHOT_ID} = ?", (id_text,), station, limit)
    found |= _case_ids(by_applicant + "a.id_number = ?", (id_text,), station, limit)
    if _NUMBER_TEXT.match(id_text):
        found |= _case_ids(by_case + "c.number >= ? AND c.number < ?",
                           (id_text, id_text + TOP), station, limit)
    # A whole name lists the people of that name (at 1.5 M cases 王伟 has
    # hundreds, and 王伟华, 王伟明 … hundreds more, each a row to read); a
    # name nobody has is taken as the start of one.
    by_name = _case_ids(by_case + f"{SNAPSHOT_NAME} = ?", (text,), station, limit)
    by_name |= _case_ids(by_applicant + "a.name = ?", (text,), station, limit)
    if not by_name:
        by_name |= _case_ids(by_case + f"{SNAPSHOT_NAME} > ? AND {SNAPSHOT_NAME} < ?",
                             (text, text + TOP), station, limit)
        by_name |= _case_ids(by_applicant + "a.name > ? AND a.name < ?",
                             (text, text + TOP), station, limit)
    return found | by_name


def _like_contains(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# A text found inside many names (one common character) would otherwise
# collect every match before the newest are picked.
CONTAINED_CAP = 20 * SEARCH_LIMIT


def _contained_matches(text: str, id_text: str, station: str | None, limit: int) -> set[int]:
    """The text inside a number or a name.  Reads indexes only, each far smaller
    than the case table: the numbers (newest first: the date is in the number),
    the names the cases recorded (``> ''`` walks 0015's expression index) and
    the applicant register's names (a person's name as changed since)."""
    db = Case._meta.database
    found: set[int] = set()
    pattern = _like_contains(text)
    if _NUMBER_TEXT.match(id_text):
        newest_numbers = ('SELECT id FROM "case" WHERE number LIKE ? ESCAPE \'\\\' '
                          "ORDER BY number DESC LIMIT ?")
        sql = f'SELECT c.id FROM "case" c WHERE c.id IN ({newest_numbers})'
        params: tuple = (_like_contains(id_text), limit)
        if station:
            sql += " AND c.station = ?"
            params += (station,)
        found |= {case_id for (case_id,) in db.execute_sql(sql, params)}
    by_name = [
        (f"SELECT id FROM \"case\" WHERE {SNAPSHOT_NAME} > '' "
         f"AND {SNAPSHOT_NAME} LIKE ? ESCAPE '\\' LIMIT ?"),
        ("SELECT c.id FROM applicant a CROSS JOIN \"case\" c ON c.applicant_id = a.id "
         "WHERE a.name LIKE ? ESCAPE '\\' LIMIT ?"),
    ]
    for sql in by_name:
        if station:
            sql = f'SELECT id FROM "case" WHERE id IN ({sql}) AND station = ?'
        params = (pattern, CONTAINED_CAP, station) if station else (pattern, CONTAINED_CAP)
        found |= {case_id for (case_id,) in db.execute_sql(sql, params)}
    return found


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
