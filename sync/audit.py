"""Audit lane: the station's hash-chained audit rows go to the hall, each once.

The hall keeps them at least 180 days (网络安全法 art. 21) and checks that they
continue the chain it already holds (``central_hall.audit_trail``).  The rows
never change locally (triggers of migration 0006), so no outbox entries are
needed: a cursor (``SyncCursor`` lane ``audit``) holds the last row the hall
confirmed, and everything after it is due, oldest first.  The cursor moves
only to what the hall answers it holds, in its own writer unit after the
answer: a crash before that sends the batch again, and the hall answers those
rows "already held" (idempotent by station + seq) — nothing lost, nothing
doubled.

A refusal no retry can change (a row whose hash does not match its content, a
row that differs from the copy the hall holds, a chain that does not continue)
stops the lane with the hall's words for a person to see; the lane tries again
on its schedule, and the station's ``onewindow audit verify`` names the row.
A gap (the hall lost rows, e.g. restored from a backup) moves the cursor back
to what the hall holds and sends the missing rows again.
"""

from __future__ import annotations

import json

import contracts
from local_store.models import AuditEvent, SyncCursor, utcnow
from local_store.store import Store
from sync.http import HallClient, HallFailure, json_body

LANE = "audit"
MAX_ROWS = 100
MAX_BYTES = 256 * 1024  # the hall takes up to 1 MB per batch
REFUSED_CODES = {"invalid_audit_rows", "audit_row_altered", "audit_row_changed",
                 "audit_chain_broken"}


def wire_row(row: AuditEvent) -> dict:
    """The row exactly as it was hashed (``app.staff.audit.row_hash``)."""
    return {"seq": row.id, "at": row.at, "station": row.station, "account": row.account,
            "event": row.event, "object": row.object, "outcome": row.outcome,
            "detail": row.detail, "prev_hash": row.prev_hash, "hash": row.row_hash}


def acknowledged_seq() -> int:
    """The last row the hall confirmed it holds (0: none yet)."""
    row = SyncCursor.get_or_none(SyncCursor.lane == LANE)
    try:
        return int(row.cursor) if row else 0
    except ValueError:
        return 0


def pending_rows() -> int:
    """Rows not yet confirmed by the hall."""
    return AuditEvent.select().where(AuditEvent.id > acknowledged_seq()).count()


def _set_cursor(seq: int) -> None:
    SyncCursor.insert(lane=LANE, cursor=str(seq), updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: str(seq), SyncCursor.updated_at: utcnow()},
    ).execute()


def _next_batch(after: int, max_rows: int) -> list[dict]:
    rows, size = [], 0
    for row in AuditEvent.select().where(AuditEvent.id > after).order_by(
            AuditEvent.id).limit(max_rows):
        wire = wire_row(row)
        size += len(json.dumps(wire, ensure_ascii=False).encode("utf-8"))
        if rows and size > MAX_BYTES:
            break
        rows.append(wire)
    return rows


def _refused(message: str, failure: HallFailure | None = None) -> HallFailure:
    return HallFailure("http", f"大厅拒收本工位的审计记录：{message}", False,
                       failure.status if failure else None,
                       failure.code if failure else "audit_refused")


def deliver_audit(store: Store, client: HallClient, max_rows: int = MAX_ROWS) -> int:
    """Send every row after the cursor, in chain order; returns how many the hall stored."""
    stored = 0
    moved_back = False
    while True:
        rows = _next_batch(acknowledged_seq(), max_rows)
        if not rows:
            return stored
        body = {"rows": rows}
        problems = contracts.violations("audit_batch", body)
        if problems:  # a defect of this release or a damaged row: a person must see it
            field, message = problems[0]
            raise _refused(f"第 {rows[0]['seq']} 行起的数据不符合合同（{field}: {message}）")
        try:
            reply = client.request("POST", "/audit", ok=(200,), json=body)
        except HallFailure as failure:
            payload = failure.payload or {}
            if failure.code == "audit_gap" and not moved_back:
                # The hall holds fewer rows than it confirmed once: send them again.
                moved_back = True
                store.writer.call(_set_cursor, int(payload.get("held_seq") or 0))
                continue
            if failure.code in REFUSED_CODES or failure.code == "audit_gap":
                raise _refused(str(payload.get("detail") or failure.message), failure) from None
            raise
        receipt = json_body(reply)
        problems = contracts.violations("audit_receipt", receipt)
        if problems:
            field, message = problems[0]
            raise HallFailure("contract", f"大厅的审计回执不符合合同：{field}: {message}", True)
        if receipt["head_seq"] < rows[-1]["seq"]:
            raise HallFailure("contract", f"大厅只确认到第 {receipt['head_seq']} 行", True)
        head = AuditEvent.get_or_none(AuditEvent.id == receipt["head_seq"])
        if head is None or head.row_hash != receipt["head_hash"]:
            raise _refused(f"大厅保存到第 {receipt['head_seq']} 行，与本机的审计记录不一致"
                           "（本机记录被删除或重建？请运行 onewindow audit verify）")
        store.writer.call(_set_cursor, receipt["head_seq"])
        stored += receipt["stored"]
