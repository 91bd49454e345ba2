"""周报/月报 and day sign-offs at the hall: each station's reports, kept per station.

A station sends its own reports only (the body's station is the token's).  A
report is kept once per uuid: a replay of the same body answers the stored one
(200), the same uuid with another body is refused (422).  A report sent again for
the same period has a new uuid and is kept beside the earlier one — the hall
holds every version a supervisor sent, the latest answering ``latest_reports``.
"""

from __future__ import annotations

import json

import contracts
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, utc_now

# A month's report of a centre with a few dozen departments is some tens of KB.
BODY_LIMIT = 1024 * 1024


def record_from_station(db: HallDatabase, session, body) -> tuple[int, dict]:
    """A station's report; (status, stored report)."""
    problems = contracts.violations("period_report", body)
    if problems:
        field, message = problems[0]
        raise HallError(422, "invalid_report", f"{field}: {message}")
    if body["station"] != session.station:
        raise HallError(403, "not_your_station",
                        f"station {body['station']} is not this token's ({session.station})")
    if body["period_end"] < body["period_start"]:
        raise HallError(422, "invalid_report", "period_end: before period_start")

    def work(conn):
        existing = conn.execute("SELECT record_json FROM period_reports WHERE uuid = ?",
                                (body["uuid"],)).fetchone()
        if existing is not None:
            stored = json.loads(existing["record_json"])
            if stored != body:
                raise HallError(422, "idempotency_key_reused",
                                "this uuid was sent before with another report")
            return 200, stored
        conn.execute(
            "INSERT INTO period_reports (uuid, station, kind, period_start, period_end, "
            "record_json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (body["uuid"], body["station"], body["kind"], body["period_start"],
             body["period_end"], json.dumps(body, ensure_ascii=False, sort_keys=True),
             utc_now()))
        return 201, body

    return db.in_shared_transaction(work)


def latest_reports(db: HallDatabase, station: str | None, kind: str | None = None) -> list[dict]:
    """The latest version of each (station, kind, period) — one station's, or all."""
    clauses, params = [], []
    for column, value in (("station", station), ("kind", kind)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    with db.reading() as conn:
        rows = conn.execute(
            f"SELECT station, kind, period_start, record_json FROM period_reports {where} "
            "ORDER BY station, kind, period_start, seq", tuple(params)).fetchall()
    latest: dict[tuple, dict] = {}
    for row in rows:  # later versions (higher seq) replace earlier ones
        latest[(row["station"], row["kind"], row["period_start"])] = json.loads(
            row["record_json"])
    return list(latest.values())
