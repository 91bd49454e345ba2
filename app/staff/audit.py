"""The audit trail: append-only rows chained with SM3 (GB/T 22239-2019 8.1.4.3).

Every row names the date-time (UTC, with its offset), station, account,
event, object and outcome.  Its hash covers those fields, its id and the
hash of the row before it, so a changed, removed or reordered row breaks the
chain at that point and ``verify`` names it.  Triggers (migration 0006) make
the program itself unable to change or delete a row; the chain is for
whoever goes around the program.  Removing rows from the end leaves a
consistent chain, so the head (last id and hash) is also kept in a file
beside the database; the head may lag the table by the rows of a unit that
committed just before a crash, never run ahead of it.

Rows are written inside the writer unit of the action they record (a case
decision, a print, a certificate look-up), so an action and its audit row
commit together.  No ID numbers in clear: callers pass masked ones.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from local_store.models import AuditEvent

GENESIS = "0" * 64
HEAD_FILE = "audit-head.json"

# Events (the object names what the event was about).
SIGN_IN = "sign_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGN_IN_REFUSED_LOCKED = "sign_in_locked"
ACCOUNT_LOCKED = "account_locked"
SIGN_OUT = "sign_out"
IDLE_LOCK = "idle_lock"
UNLOCK = "unlock"
CLERK_SWITCH = "clerk_switch"
CASE_DECISION = "case_decision"
PREREVIEW_DECISION = "prereview_decision"  # 网上预审: pass / return / reject
PRINT = "print"
CERT_LOOKUP = "cert_lookup"
PERMISSION_REFUSED = "permission_refused"
SETTINGS_CHANGE = "settings_change"
EXPORT = "export"
EVALUATION = "evaluation"
RECTIFICATION = "rectification"
FEE = "fee"
EOD_SIGN = "eod_sign"  # the supervisor's end-of-day sign-off (app.reports.end_of_day)
KEY_SLOT_REVOKED = "key_slot_revoked"  # a staff key slot removed (app.staff.key_slots)
RECOVERY_KEY_REISSUED = "recovery_key_reissued"

OK, REFUSED, FAILED = "ok", "refused", "failed"


def utc_now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def sm3_hex(data: bytes) -> str:
    from cryptography.hazmat.primitives import hashes  # on first use: start-up stays lean

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def row_hash(prev_hash: str, row_id: int, at: str, station: str, account: str, event: str,
             obj: str, outcome: str, detail: str) -> str:
    canonical = json.dumps([row_id, at, station, account, event, obj, outcome, detail],
                           ensure_ascii=False, separators=(",", ":"))
    return sm3_hex(f"{prev_hash}\n{canonical}".encode())


def _hash_of(row: AuditEvent, prev_hash: str) -> str:
    return row_hash(prev_hash, row.id, row.at, row.station, row.account, row.event,
                    row.object, row.outcome, row.detail)


def append_in_unit(station: str, account: str, event: str, obj: str = "", outcome: str = OK,
                   detail: dict | None = None) -> AuditEvent:
    """Append one row; call inside a writer unit (the single writer orders the chain)."""
    last = AuditEvent.select(AuditEvent.id, AuditEvent.row_hash).order_by(
        AuditEvent.id.desc()).first()
    prev_hash = last.row_hash if last else GENESIS
    row_id = (last.id if last else 0) + 1
    at = utc_now_text()
    detail_text = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""
    obj = (obj or "")[:200]
    digest = row_hash(prev_hash, row_id, at, station, account or "", event, obj, outcome,
                      detail_text)
    return AuditEvent.create(id=row_id, at=at, station=station, account=account or "",
                             event=event, object=obj, outcome=outcome, detail=detail_text,
                             prev_hash=prev_hash, row_hash=digest)


def append(store, station: str, account: str, event: str, obj: str = "", outcome: str = OK,
           detail: dict | None = None) -> None:
    """Append one row in its own unit and move the head file forward."""
    row = store.writer.call(append_in_unit, station, account, event, obj, outcome, detail)
    write_head(store.home, row.id, row.row_hash)


def write_head(home: Path, row_id: int, digest: str) -> None:
    path = Path(home) / HEAD_FILE
    try:
        current = json.loads(path.read_text(encoding="utf-8"))
        if int(current.get("id", 0)) >= row_id:
            return  # another process already recorded a later head
    except (OSError, ValueError):
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".audit-head-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"id": row_id, "row_hash": digest}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_head(home: Path) -> tuple[int, str] | None:
    try:
        head = json.loads((Path(home) / HEAD_FILE).read_text(encoding="utf-8"))
        return int(head["id"]), str(head["row_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class AuditProblem:
    row_id: int | None
    message: str


def verify(home: Path | None = None) -> tuple[int, list[AuditProblem]]:
    """Walk the chain; return (rows checked, problems found)."""
    problems: list[AuditProblem] = []
    prev_hash = GENESIS
    expected_id = 1
    checked = 0
    hashes_by_id: dict[int, str] = {}
    rows = AuditEvent.select().order_by(AuditEvent.id).iterator()
    for row in rows:
        checked += 1
        if row.id != expected_id:
            problems.append(AuditProblem(
                row.id, f"第 {expected_id}–{row.id - 1} 行缺失（被删除）/ rows missing before "
                        f"{row.id}"))
        if row.prev_hash != prev_hash:
            problems.append(AuditProblem(
                row.id, f"第 {row.id} 行与前一行的链接不符（前面的行被删除、改动或调换）/ "
                        f"chain broken before row {row.id}"))
        if _hash_of(row, row.prev_hash) != row.row_hash:
            problems.append(AuditProblem(
                row.id, f"第 {row.id} 行内容被改动（{row.at} {row.account} {row.event}）/ "
                        f"row {row.id} changed"))
        hashes_by_id[row.id] = row.row_hash
        prev_hash = row.row_hash
        expected_id = row.id + 1
    head = read_head(home) if home is not None else None
    if head is not None:
        head_id, head_hash = head
        if head_id >= expected_id:
            problems.append(AuditProblem(
                head_id, f"最后 {head_id - expected_id + 1} 行被删除（记录到第 {head_id} 行，"
                         f"现只有到第 {expected_id - 1} 行）/ rows removed from the end"))
        elif hashes_by_id.get(head_id) != head_hash:
            problems.append(AuditProblem(
                head_id, f"第 {head_id} 行与留存的链头不符 / row {head_id} differs from the "
                         "recorded head"))
    return checked, problems


def rows_since(since: dt.datetime) -> list[dict]:
    """Rows at or after ``since`` (an aware datetime), oldest first, as JSON-ready dicts."""
    since_text = since.astimezone(dt.UTC).isoformat(timespec="microseconds")
    query = (AuditEvent.select().where(AuditEvent.at >= since_text)
             .order_by(AuditEvent.id))
    return [
        {"id": row.id, "at": row.at, "station": row.station, "account": row.account,
         "event": row.event, "object": row.object, "outcome": row.outcome,
         "detail": json.loads(row.detail) if row.detail else None, "hash": row.row_hash}
        for row in query
    ]
