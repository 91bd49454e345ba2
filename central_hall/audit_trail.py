"""Stations' audit trails at the hall, kept at least 180 days (网络安全法 art. 21).

Each station sends the rows of its SM3 hash-chained audit trail, oldest first
(``POST /audit``, contract ``audit_batch``).  The hall keeps every station's
chain apart, under the station of the token that sent it, and checks what
arrives before storing a row:

- every row's hash is recomputed from its content (the rule is in the
  contract, so this module shares no code with the workstation);
- the batch must continue the chain the hall already holds: the next number
  after the held head, its ``prev_hash`` the held head's hash.  A row the hall
  already holds with the same hash is "already held" (a replay after a lost
  answer: idempotent by station + seq); the same number with another hash is a
  changed row; a number beyond the head is a gap.  Both are refused, nothing
  of the batch is stored, and the answer says which row and why.

The head of each chain is kept in ``audit_heads`` as well as in its last row,
so that the retention clean-up (``prune``) can delete old rows without losing
the point the chain continues from.  ``prune`` never deletes a row younger
than ``MINIMUM_RETENTION_DAYS``, counted from both the row's own time and the
time the hall stored it (a station that was offline for a month sends old rows
late; they are still kept 180 days from arrival).
"""

from __future__ import annotations

import datetime as dt
import json
import re

import contracts
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, lock_keys, lock_sequence

MINIMUM_RETENTION_DAYS = 180
GENESIS = "0" * 64


_CURSOR = re.compile(r"^a(\d+)$")


def sm3_hex(data: bytes) -> str:
    from cryptography.hazmat.primitives import hashes

    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def row_hash(row: dict) -> str:
    """The hash of a row by the rule of contracts/audit_batch.v1.json."""
    canonical = json.dumps([row["seq"], row["at"], row["station"], row["account"], row["event"],
                            row["object"], row["outcome"], row["detail"]],
                           ensure_ascii=False, separators=(",", ":"))
    return sm3_hex(f"{row['prev_hash']}\n{canonical}".encode())


def _head(conn, station: str) -> tuple[int, str]:
    row = conn.execute("SELECT seq, row_hash FROM audit_heads WHERE held_for = ?",
                       (station,)).fetchone()
    return (row["seq"], row["row_hash"]) if row else (0, GENESIS)


def receive(db: HallDatabase, station: str, body) -> dict:
    """Store a station's batch of audit rows after checking it continues its chain."""
    problems = contracts.violations("audit_batch", body)
    if problems:
        field, message = problems[0]
        raise HallError(422, "invalid_audit_rows", f"{field}: {message}")
    rows = body["rows"]
    for before, after in zip(rows, rows[1:], strict=False):
        if after["seq"] != before["seq"] + 1:
            raise HallError(422, "invalid_audit_rows",
                            f"rows must be consecutive: {before['seq']} then {after['seq']}")
    for row in rows:  # before any database work: the hashing is the costly part
        if row_hash(row) != row["hash"]:
            raise HallError(422, "audit_row_altered",
                            f"第 {row['seq']} 行的内容与其哈希不符（记录被改动）/ row "
                            f"{row['seq']}: content does not match its hash", seq=row["seq"])

    def work(conn) -> dict:
        lock_keys(conn, f"audit:{station}")
        head_seq, head_hash = _head(conn, station)
        stored = already_held = 0
        received_at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        for row in rows:
            if row["seq"] <= head_seq:
                held = conn.execute("SELECT row_hash FROM audit_rows WHERE held_for = ? AND "
                                    "seq = ?", (station, row["seq"])).fetchone()
                if held is not None and held["row_hash"] != row["hash"]:
                    raise HallError(
                        422, "audit_row_changed",
                        f"第 {row['seq']} 行与大厅已保存的不同（本机审计记录在上报后被改动或"
                        f"重建）/ row {row['seq']} differs from the one the hall holds",
                        seq=row["seq"])
                already_held += 1  # held unchanged, or kept its 180 days and pruned
                continue
            if row["seq"] > head_seq + 1:
                raise HallError(409, "audit_gap",
                                f"大厅只保存到第 {head_seq} 行，缺第 {head_seq + 1}–"
                                f"{row['seq'] - 1} 行 / rows missing before {row['seq']}",
                                held_seq=head_seq)
            if row["prev_hash"] != head_hash:
                raise HallError(
                    422, "audit_chain_broken",
                    f"第 {row['seq']} 行不接续大厅保存的第 {head_seq} 行（前面的行被删除、改动"
                    f"或调换）/ row {row['seq']} does not continue the chain", seq=row["seq"])
            lock_sequence(conn, "audit_rows")  # readers follow the rows by this cursor
            conn.execute(
                "INSERT INTO audit_rows (held_for, seq, at, row_json, row_hash, received_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (station, row["seq"], _utc_text(row["at"]),
                 json.dumps(row, ensure_ascii=False, sort_keys=True), row["hash"], received_at))
            head_seq, head_hash = row["seq"], row["hash"]
            stored += 1
        if stored:
            conn.execute(
                "INSERT INTO audit_heads (held_for, seq, row_hash) VALUES (?, ?, ?) "
                "ON CONFLICT (held_for) DO UPDATE SET seq = excluded.seq, "
                "row_hash = excluded.row_hash", (station, head_seq, head_hash))
        return {"station": station, "head_seq": head_seq, "head_hash": head_hash,
                "stored": stored, "already_held": already_held}

    return db.in_shared_transaction(work)


def _utc_text(instant: str) -> str:
    """Instants compared as text must be in one zone and one spelling."""
    moment = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def rows_since(db: HallDatabase, station: str | None, since: str | None, limit: int) -> dict:
    """Rows held for ``station`` (None: every station) after the cursor, oldest first."""
    match = _CURSOR.match(since or "")
    after = int(match.group(1)) if match else 0
    with db.reading() as conn:
        if station is None:
            found = conn.execute("SELECT id, held_for, row_json, received_at FROM audit_rows "
                                 "WHERE id > ? ORDER BY id LIMIT ?", (after, limit)).fetchall()
        else:
            found = conn.execute("SELECT id, held_for, row_json, received_at FROM audit_rows "
                                 "WHERE held_for = ? AND id > ? ORDER BY id LIMIT ?",
                                 (station, after, limit)).fetchall()
    last = found[-1]["id"] if found else after
    return {"cursor": f"a{last}", "entries": [
        {"held_for": row["held_for"], "received_at": row["received_at"],
         "row": json.loads(row["row_json"])} for row in found]}


def prune(db: HallDatabase, keep_days: int = MINIMUM_RETENTION_DAYS,
          now: dt.datetime | None = None) -> int:
    """Delete rows older than ``keep_days`` (at least 180) by both their own time and
    their arrival; chain heads stay.  Returns how many rows were deleted."""
    if keep_days < MINIMUM_RETENTION_DAYS:
        raise ValueError(f"审计记录至少保存 {MINIMUM_RETENTION_DAYS} 天（网络安全法第二十一条），"
                         f"不能只保存 {keep_days} 天 / audit rows are kept at least "
                         f"{MINIMUM_RETENTION_DAYS} days")
    now = now or dt.datetime.now(dt.UTC)
    cutoff = (now - dt.timedelta(days=keep_days)).astimezone(dt.UTC).isoformat(
        timespec="microseconds")
    with db.transaction() as conn:
        # at and received_at are stored in this very spelling (UTC, microseconds).
        return conn.execute("DELETE FROM audit_rows WHERE at < ? AND received_at < ?",
                            (cutoff, cutoff)).rowcount
