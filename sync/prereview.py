"""Pre-review lane (网上预审): online applications in, decisions out.

One run of the lane
1. delivers every queued decision (``POST /applications/{id}/decision``; the
   ``decision_id`` is the hall's idempotency key, so a decision whose answer
   was lost is sent again and recorded once), each signed by the station when
   the clerk decided; the station's public key goes to the hall first, once;
2. pulls the applications routed to this station that changed since the stored
   cursor (``GET /applications?since=``), each page applied in one writer unit
   together with the new cursor;
3. downloads the files of every application still missing some, checking each
   against its SHA-256 before it enters the blob store.

Everything lives in the case database and the blob store, so with the hall out
of reach the queue and every file already downloaded stay available.  The due
date is the caller's rule (``due_of``, from ``app.prereview``): this layer
knows no working-day calendar.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

from local_store.models import (
    PrereviewApplication,
    PrereviewDecision,
    StationSigningKey,
    SyncCursor,
    utcnow,
)
from local_store.store import Store
from sync.http import Backoff, HallClient, HallFailure, settle_refusal

LANE = "prereview"
PAGE_SIZE = 100
QUEUED, ACKNOWLEDGED, PARKED = "queued", "acknowledged", "parked"
DECISION_STATE_LABELS = {QUEUED: "待上报", ACKNOWLEDGED: "大厅已确认", PARKED: "已搁置"}
PENDING = "pending"
# Hall errors that no retry can fix: a person has to look (the application was
# decided elsewhere, the applicant resubmitted meanwhile, it is not routed here).
FINAL_ERRORS = {404, 409, 422, 403, 400}
DueOf = Callable[[dt.datetime], tuple[dt.date, bool]]


def naive_utc(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _file_digests(materials: list[dict]) -> list[str]:
    return [f["sha256"] for material in materials for f in material.get("files") or []]


def apply_page(store: Store, records: list[dict], cursor: str, due_of: DueOf) -> int:
    """Writer unit: upsert one page of applications and advance the cursor."""
    changed = 0
    for record in records:
        changed += _upsert(store, record, due_of)
    SyncCursor.insert(lane=LANE, cursor=cursor, updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: cursor, SyncCursor.updated_at: utcnow()},
    ).execute()
    return changed


def _upsert(store: Store, record: dict, due_of: DueOf) -> int:
    row = PrereviewApplication.get_or_none(PrereviewApplication.hall_id == record["id"])
    hall_state = record["state"]
    round_ = int(record["round"])
    if row is not None and row.round == round_ and row.state != PENDING and hall_state == PENDING:
        # Decided here, not yet delivered: the station's decision stands.
        row.hall_state = hall_state
        row.save()
        return 0
    round_submitted = naive_utc(record["round_submitted_at"])
    due, uncertain = due_of(round_submitted)
    fields = {
        "ref": record.get("ref") or "",
        "task_code": record["task_code"],
        "handle_item_code": record.get("handle_item_code"),
        "item_name": record.get("item_name") or "",
        "dept_name": record.get("dept_name") or "",
        "dept_code": record.get("dept_code") or "",
        "applicant": record["applicant"],
        "agent": record.get("agent"),
        "contact_phone": record.get("contact_phone") or "",
        "materials": record["materials"],
        "round": round_,
        "hall_state": hall_state,
        "state": hall_state,
        "submitted_at": naive_utc(record["submitted_at"]),
        "round_submitted_at": round_submitted,
        "due_date": due,
        "due_uncertain": uncertain,
        "decision": record.get("decision"),
        "files_missing": sum(1 for d in _file_digests(record["materials"])
                             if not store.blobs.has(d)),
        "pulled_at": utcnow(),
    }
    if row is not None and record.get("decision") is None and row.round == round_:
        fields["decision"] = row.decision
    if row is not None and row.case_number and not (record.get("decision") or {}).get(
            "case_number"):
        fields["case_number"] = row.case_number
    else:
        fields["case_number"] = (record.get("decision") or {}).get("case_number")
    if row is None:
        PrereviewApplication.create(hall_id=record["id"], **fields)
    else:
        PrereviewApplication.update(**fields).where(PrereviewApplication.id == row.id).execute()
    return 1


def _nobody() -> None:
    """A ``progressed`` callback for runs that nobody watches."""


def pull_applications(store: Store, client: HallClient, due_of: DueOf,
                      page_size: int = PAGE_SIZE,
                      progressed: Callable[[], None] = _nobody) -> int:
    """Fetch and apply every change since the stored cursor. Returns rows changed.
    ``progressed()`` after each page that changed rows (the window's queue refreshes)."""
    changed = 0
    while True:
        row = SyncCursor.get_or_none(SyncCursor.lane == LANE)
        page = client.get_json("/applications",
                               params={"since": row.cursor if row else "", "limit": page_size})
        records = page.get("applications") or []
        applied = store.writer.call(apply_page, store, records, page["cursor"], due_of)
        changed += applied
        if applied:
            progressed()
        if len(records) < page_size:
            return changed


def download_files(store: Store, client: HallClient,
                   progressed: Callable[[], None] = _nobody) -> int:
    """Fetch every file not yet here; returns how many were stored.
    ``progressed()`` after each application whose files were fetched."""
    stored = 0
    waiting = list(PrereviewApplication.select(PrereviewApplication.id,
                                               PrereviewApplication.hall_id,
                                               PrereviewApplication.materials)
                   .where(PrereviewApplication.files_missing > 0))
    for application in waiting:
        for digest in _file_digests(application.materials):
            if store.blobs.has(digest):
                continue
            content = client.request(
                "GET", f"/applications/{application.hall_id}/files/{digest}").content
            if hashlib.sha256(content).hexdigest() != digest:
                raise HallFailure("digest_mismatch", "下载的申请材料文件与摘要不符，稍后重试",
                                  True)
            store.blobs.put_bytes(content)
            stored += 1
        missing = sum(1 for d in _file_digests(application.materials) if not store.blobs.has(d))
        store.writer.call(lambda a=application, m=missing: PrereviewApplication.update(
            files_missing=m).where(PrereviewApplication.id == a.id).execute())
        progressed()
    return stored


# --- decisions: the station's outbox for pre-review -------------------------------


def wire_decision(entry: PrereviewDecision) -> dict:
    """The body of ``POST /applications/{id}/decision`` (prereview_decision.v1.json)."""
    decided_at = entry.decided_at
    if isinstance(decided_at, str):
        decided_at = dt.datetime.fromisoformat(decided_at)
    return {
        "decision_id": entry.decision_id, "round": entry.round, "decision": entry.decision,
        "reason": entry.reason, "basis": entry.basis, "missing": entry.missing,
        "case_number": entry.case_number, "decided_by": entry.decided_by,
        "decided_at": decided_at.replace(tzinfo=dt.UTC).isoformat(),
        "signature": entry.signature,
    }


def enrol_signing_key(store: Store, client: HallClient) -> bool:
    """Tell the hall the station's public key once (``PUT /stations/signing-key``),
    before the first decision signed with it; True when the hall has it.

    The key is made by the first decision (``app.decision_signing``); the hall
    keeps the first key a station enrols and refuses another (409), which parks
    nothing here: the decisions wait, queued, for an operator to sort the key out.
    """
    key = StationSigningKey.select().order_by(StationSigningKey.id.desc()).first()
    if key is None:
        return False
    if key.registered_hall == client.base_url:
        return True
    client.request("PUT", "/stations/signing-key",
                   json={"algorithm": "SM2", "public_key": key.public_key})
    store.writer.call(lambda: StationSigningKey.update(
        registered_hall=client.base_url, registered_at=utcnow()).where(
        StationSigningKey.id == key.id).execute())
    return True


def due_decisions(now: dt.datetime | None = None) -> list[PrereviewDecision]:
    now = now or utcnow()
    return list(PrereviewDecision.select(PrereviewDecision, PrereviewApplication)
                .join(PrereviewApplication)
                .where((PrereviewDecision.state == QUEUED)
                       & (PrereviewDecision.next_attempt_at <= now))
                .order_by(PrereviewDecision.id))


def _acknowledged(entry_id: int, hall_state: str) -> None:
    entry = PrereviewDecision.get_by_id(entry_id)
    PrereviewDecision.update(state=ACKNOWLEDGED, acknowledged_at=utcnow(), last_error="").where(
        PrereviewDecision.id == entry_id).execute()
    PrereviewApplication.update(hall_state=hall_state).where(
        PrereviewApplication.id == entry.application_id).execute()


def _waiting(entry_ids: list[int], message: str) -> None:
    PrereviewDecision.update(last_error=message).where(
        PrereviewDecision.id.in_(entry_ids)).execute()


def _failed(entry_id: int, message: str, park: bool, wait_s: float) -> None:
    entry = PrereviewDecision.get_by_id(entry_id)
    PrereviewDecision.update(
        state=PARKED if park else QUEUED, attempts=entry.attempts + 1, last_error=message,
        next_attempt_at=utcnow() + dt.timedelta(seconds=wait_s),
    ).where(PrereviewDecision.id == entry_id).execute()


def deliver_decisions(store: Store, client: HallClient, backoff: Backoff | None = None) -> int:
    """Send every due decision; returns how many the hall acknowledged.

    A link failure stops the run (the lane backs off) with the entry still
    queued; an answer no retry can change parks the entry with its reason.
    """
    backoff = backoff or Backoff()
    delivered = 0
    due = due_decisions()
    if due:
        try:
            enrol_signing_key(store, client)
        except HallFailure as failure:
            if failure.link_down or failure.needs_sign_in:
                raise
            # The hall refuses the key (another one is enrolled for this station):
            # the decisions wait, queued, with the reason for a person to read,
            # and the pull still runs.
            store.writer.call(_waiting, [entry.id for entry in due],
                              f"大厅未接受本工位的签名公钥：{failure.message}")
            return 0
    for entry in due:
        try:
            answer = client.request("POST", f"/applications/{entry.application.hall_id}"
                                    "/decision", json=wire_decision(entry))
        except HallFailure as failure:
            store.writer.call(_failed, entry.id,
                              *settle_refusal(failure, FINAL_ERRORS, backoff, entry.attempts))
            if failure.link_down or failure.needs_sign_in:
                raise
            continue
        store.writer.call(_acknowledged, entry.id, answer.json().get("state") or "")
        delivered += 1
    return delivered


def run_lane(store: Store, client: HallClient, due_of: DueOf,
             backoff: Backoff | None = None,
             progressed: Callable[[], None] = _nobody) -> None:
    """Decisions out, applications in, their files after them; ``progressed()`` at
    each step that changed what the window's 网上预审 queue shows (the sync child
    reports it on its pipe: the window re-reads on that, not on a timer)."""
    if deliver_decisions(store, client, backoff):
        progressed()
    pull_applications(store, client, due_of, progressed=progressed)
    download_files(store, client, progressed)
