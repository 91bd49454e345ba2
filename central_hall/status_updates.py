"""Status updates: the hall's feed of case progress, per station, by cursor.

The cursor is ``u<n>`` over one monotonic sequence for the whole hall; each
station sees only the cases it committed (district supervisors see all).
Posting an update is the departments' action: admin role only.
"""

from __future__ import annotations

import re

from central_hall.errors import HallError
from central_hall.storage import HallDatabase, lock_sequence, utc_now

_UPDATE_CURSOR = re.compile(r"^u(\d+)$")


def append_update(conn, uuid, number, station, status, detail, at) -> int:
    lock_sequence(conn, "status_updates")
    return conn.execute(
        "INSERT INTO status_updates (uuid, number, station, status, detail, at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING seq",
        (uuid, number, station, status, detail, at),
    ).fetchone()[0]


def append_status(db: HallDatabase, uuid: str, status: str, detail: str) -> dict:
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT number, station FROM cases WHERE uuid = ?", (uuid,)
        ).fetchone()
        if row is None:
            raise HallError(404, "case_unknown", f"the hall holds no case {uuid}")
        at = utc_now()
        seq = append_update(conn, uuid, row["number"], row["station"], status, detail, at)
    return {"cursor": f"u{seq}",
            "update": {"uuid": uuid, "number": row["number"], "status": status, "at": at,
                       "detail": detail}}


def updates_since(db: HallDatabase, station: str | None, since: str | None, limit: int) -> dict:
    """Updates for one station (None: every station, for district supervisors) after a
    cursor; a cursor from a reset hall restarts at 0."""
    with db.reading() as conn:
        newest = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM status_updates").fetchone()[0]
        match = _UPDATE_CURSOR.match(since or "")
        after = int(match.group(1)) if match else 0
        if after > newest:
            after = 0
        if station is None:
            rows = conn.execute(
                "SELECT seq, uuid, number, status, detail, at FROM status_updates "
                "WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit),
            ).fetchall()
        else:
            rows = conn.execute(
                "SELECT seq, uuid, number, status, detail, at FROM status_updates "
                "WHERE station = ? AND seq > ? ORDER BY seq LIMIT ?",
                (station, after, limit),
            ).fetchall()
    # With nothing new for this station, move the cursor past other stations' updates.
    last = rows[-1]["seq"] if rows else max(after, newest)
    return {
        "cursor": f"u{last}",
        "updates": [
            {"uuid": r["uuid"], "number": r["number"], "status": r["status"],
             "at": r["at"], "detail": r["detail"]}
            for r in rows
        ],
    }
