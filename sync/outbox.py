"""The persisted outbox: every case decision waiting to reach the hall.

A decision (receive / notify / accept / reject / conclude) is enqueued in the
same writer transaction as the case itself (``enqueue``), so a case is either
committed *and* queued, or neither.  Entries move

    queued → uploading → sent → acknowledged
       ↘ parked (with a reason a person can read) ↗ (retry puts it back to queued)

``uploading`` and ``sent`` survive a crash: on restart they are simply tried
again — the hall is idempotent on the Idempotency-Key, so a replay is harmless.

Everything that writes here runs on the writer thread (``store.writer.call``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from peewee import fn

import contracts
from local_store.models import Case, OutboxEntry, utcnow
from sync.manifest import build_manifest, missing_core_fields

QUEUED = "queued"
UPLOADING = "uploading"
SENT = "sent"
ACKNOWLEDGED = "acknowledged"
PARKED = "parked"

STATES = (QUEUED, UPLOADING, SENT, ACKNOWLEDGED, PARKED)
UNSENT_STATES = (QUEUED, UPLOADING, SENT, PARKED)
STATE_LABELS = {
    QUEUED: "排队中",
    UPLOADING: "上传中",
    SENT: "已发送待确认",
    ACKNOWLEDGED: "大厅已确认",
    PARKED: "已搁置",
}


# last_error of an entry whose manifest, rebuilt by this workstation, still breaks
# the contract (followed by "：<field>"): a defect of the program, not of the entry.
LOCAL_CONTRACT_REFUSAL = "工作站生成的办件数据不符合接口约定"
# Decided at the time of the decision: kept from the frozen manifest on a rebuild.
DECISION_TIME_FIELDS = ("state", "accept_time", "promised_date", "decided_at", "decision",
                        "materials", "attachments")


class IncompleteCase(ValueError):
    """Core data is missing; the case cannot be queued (and must not commit)."""

    def __init__(self, fields: list[str]):
        self.fields = list(fields)
        super().__init__("办件核心数据不完整，缺少：" + "、".join(self.fields))


def enqueue(case: Case, event: str) -> OutboxEntry:
    """Queue ``case`` at decision ``event``. Call inside the writer transaction.

    Raises ``IncompleteCase`` naming every missing core-data field, so the
    caller's whole unit of work (the case commit) rolls back.
    """
    manifest = build_manifest(case, event)
    missing = missing_core_fields(manifest)
    if missing:
        raise IncompleteCase(missing)
    # The hall checks the same schema: a manifest it would refuse is never queued
    # (raises contracts.ContractViolation naming the field).
    contracts.check("case_manifest", manifest)
    previous = OutboxEntry.select().where(OutboxEntry.case == case).count()
    return OutboxEntry.create(
        case=case,
        idempotency_key=f"{case.uuid}:{previous + 1}",
        state=QUEUED,
        manifest=manifest,
        next_attempt_at=utcnow(),
        # The instant the manifest reports, to its second as on the wire (及时率).
        decided_at=case.decided_at.replace(microsecond=0) if case.decided_at else None,
    )


# --- worker side (each function is one writer unit of work) -----------------


def due_entry_ids(now: dt.datetime | None = None, limit: int = 50) -> list[int]:
    """Entries ready for an attempt, oldest first, one per case.

    A case's decisions must reach the hall in order (the hall numbers
    revisions by arrival), so an entry waits while an earlier entry of the
    same case is not yet acknowledged — even if that one is parked.
    """
    now = now or utcnow()
    earlier = OutboxEntry.alias("earlier")
    blocked = earlier.select(fn.COUNT(earlier.id)).where(
        (earlier.case == OutboxEntry.case)
        & (earlier.id < OutboxEntry.id)
        & (earlier.state != ACKNOWLEDGED)
    )
    query = (
        OutboxEntry.select(OutboxEntry.id)
        .where(
            OutboxEntry.state.in_((QUEUED, UPLOADING, SENT))
            & (OutboxEntry.next_attempt_at <= now)
            & (blocked == 0)
        )
        .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
        .limit(limit)
    )
    return [row.id for row in query]


def next_due_at() -> dt.datetime | None:
    """When the earliest waiting entry becomes due (None = nothing waiting)."""
    row = (
        OutboxEntry.select(fn.MIN(OutboxEntry.next_attempt_at).alias("due"))
        .where(OutboxEntry.state.in_((QUEUED, UPLOADING, SENT)))
        .dicts()
        .get()
    )
    due = row["due"]
    if isinstance(due, str):
        due = dt.datetime.fromisoformat(due)
    return due


def mark_uploading(entry_id: int) -> None:
    mark_uploading_many([entry_id])


def mark_uploading_many(entry_ids: list[int]) -> None:
    """Claim a batch for an attempt (one transaction for the lot)."""
    OutboxEntry.update(state=UPLOADING, attempts=OutboxEntry.attempts + 1).where(
        OutboxEntry.id.in_(entry_ids)
    ).execute()


def mark_sent(entry_id: int) -> None:
    OutboxEntry.update(state=SENT, sent_at=utcnow()).where(OutboxEntry.id == entry_id).execute()


def mark_acknowledged(entry_id: int) -> None:
    mark_acknowledged_many([entry_id])


def mark_acknowledged_many(entry_ids: list[int]) -> None:
    now = utcnow()
    OutboxEntry.update(
        state=ACKNOWLEDGED, acknowledged_at=now, last_error="", next_attempt_at=now
    ).where(OutboxEntry.id.in_(entry_ids)).execute()


def schedule_retry(entry_id: int, message: str, delay_s: float) -> None:
    """Keep the entry queued; try again after ``delay_s`` (backoff or Retry-After)."""
    OutboxEntry.update(
        state=QUEUED,
        last_error=message,
        next_attempt_at=utcnow() + dt.timedelta(seconds=delay_s),
    ).where(OutboxEntry.id == entry_id).execute()


def park(entry_id: int, reason: str) -> None:
    """Stop automatic attempts; a person must look at ``reason`` and retry."""
    OutboxEntry.update(state=PARKED, last_error=reason).where(
        OutboxEntry.id == entry_id
    ).execute()


def retry_now(entry_id: int) -> None:
    """A person asked to try again (parked or waiting entries)."""
    OutboxEntry.update(state=QUEUED, next_attempt_at=utcnow()).where(
        (OutboxEntry.id == entry_id) & (OutboxEntry.state != ACKNOWLEDGED)
    ).execute()


def rebuilt_manifest(entry: OutboxEntry) -> dict:
    """The entry's manifest made again from its case by this release's code.

    What was decided at the time (state, times, decision, materials) is kept
    from the frozen manifest, because the case may have moved on since (a 补正
    case accepted later); only when those frozen parts themselves break the
    contract are they taken from the case as it is now.  Raises
    ``contracts.ContractViolation`` when even that is refused.
    """
    frozen = entry.manifest
    fresh = build_manifest(entry.case, frozen["event"])
    kept = dict(fresh, **{key: frozen[key] for key in DECISION_TIME_FIELDS if key in frozen})
    if contracts.is_valid("case_manifest", kept):
        return kept
    contracts.check("case_manifest", fresh)
    return fresh


def requeue_rebuilt(entry: OutboxEntry) -> bool:
    """Re-queue a parked entry with its manifest rebuilt (writer unit).  When the
    rebuilt manifest still breaks the contract the entry stays parked, its
    reason naming the field; returns whether it was re-queued."""
    try:
        manifest = rebuilt_manifest(entry)
    except contracts.ContractViolation as violation:
        park(entry.id, f"{LOCAL_CONTRACT_REFUSAL}：{violation.field}")
        return False
    OutboxEntry.update(state=QUEUED, manifest=manifest, last_error="",
                       next_attempt_at=utcnow()).where(OutboxEntry.id == entry.id).execute()
    return True


def rebuild_waiting(entry: OutboxEntry) -> int:
    """Rebuild the manifest of a waiting (never acknowledged) entry; 1 if changed."""
    try:
        manifest = rebuilt_manifest(entry)
    except contracts.ContractViolation as violation:
        park(entry.id, f"{LOCAL_CONTRACT_REFUSAL}：{violation.field}")
        return 1
    OutboxEntry.update(manifest=manifest).where(OutboxEntry.id == entry.id).execute()
    return 1


def retry_all_now() -> int:
    """"Sync now": every waiting (not parked) entry becomes due at once."""
    return (
        OutboxEntry.update(next_attempt_at=utcnow())
        .where(OutboxEntry.state.in_((QUEUED, UPLOADING, SENT)))
        .execute()
    )


@dataclass(frozen=True)
class EntryToSend:
    """What an upload worker needs of an entry, read without the ORM.

    Read once per case sent; building peewee's query for a whole
    ``OutboxEntry`` row cost more than the hall took to commit a
    metadata-only case."""

    id: int
    idempotency_key: str
    attempts: int
    manifest: dict


_ENTRY_TO_SEND = (f"SELECT id, idempotency_key, attempts, manifest "
                  f"FROM {OutboxEntry._meta.table_name} WHERE id = ?")


def entry_to_send(entry_id: int) -> EntryToSend:
    row = OutboxEntry._meta.database.execute_sql(_ENTRY_TO_SEND, (entry_id,)).fetchone()
    if row is None:
        raise OutboxEntry.DoesNotExist(f"outbox entry {entry_id}")
    return EntryToSend(row[0], row[1], row[2], json.loads(row[3]))
