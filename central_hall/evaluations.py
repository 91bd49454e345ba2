"""好差评 at the hall: ratings from the stations, ratings by QR, the stations' pull.

A rating is kept once per uuid (a replay of the same body answers the stored
rating; the same uuid with another body is refused) and once per decision point
of a case (一事一评: ``decision``, ``conclusion``).  Stations send only ratings of
their own cases.  A rating the applicant gives on the hall's page (the QR code
on the receipt) is kept with an empty ``rated_by`` and offered to the case's
station through ``GET /evaluations?since=``.

The QR link is ``/rate?c=NUMBER&s=SIGNATURE`` where SIGNATURE is HMAC-SHA256
(first 16 bytes, hex) of ``rate:NUMBER`` keyed with the case UUID: the station
prints it offline, the hall checks it against the UUID it received with the
case, and a number alone (it is printed in clear) forges nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import uuid as uuid_module

import contracts
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, lock_sequence, utc_now

LEVELS = {1: "非常满意", 2: "满意", 3: "基本满意", 4: "不满意", 5: "非常不满意"}
CONCLUDED_EVENTS = {"conclude", "concluded", "deliver", "delivered"}
_CURSOR = re.compile(r"^e(\d+)$")


def link_signature(case_uuid: str, number: str) -> str:
    return hmac.new(case_uuid.encode(), f"rate:{number}".encode(),
                    hashlib.sha256).hexdigest()[:32]


def _check(contract: str, body) -> None:
    problems = contracts.violations(contract, body)
    if problems:
        field, message = problems[0]
        raise HallError(422, "invalid_evaluation", f"{field}: {message}")


def _store(conn, record: dict, station: str, origin: str) -> tuple[int, dict]:
    """Insert once; (status, stored record)."""
    existing = conn.execute("SELECT record_json FROM evaluations WHERE uuid = ?",
                            (record["uuid"],)).fetchone()
    if existing is not None:
        stored = json.loads(existing["record_json"])
        if stored != record:
            raise HallError(422, "idempotency_key_reused",
                            "this uuid was sent before with another rating")
        return 200, stored
    taken = conn.execute("SELECT uuid FROM evaluations WHERE number = ? AND point = ?",
                         (record["case_number"], record["point"])).fetchone()
    if taken is not None:
        raise HallError(422, "already_rated", "该办件的此环节已评价（一事一评）："
                        f"{record['case_number']} {record['point']}")
    lock_sequence(conn, "evaluations")  # stations pull QR ratings by this cursor
    conn.execute(
        "INSERT INTO evaluations (uuid, number, station, point, origin, record_json, "
        "received_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (record["uuid"], record["case_number"], station, record["point"], origin,
         json.dumps(record, ensure_ascii=False, sort_keys=True), utc_now()))
    return 201, record


def record_from_station(db: HallDatabase, session, body) -> tuple[int, dict]:
    """A station's rating of one of its own cases (the case must have reached the hall:
    before that the answer is 409, which the station retries)."""
    _check("evaluation", body)
    if LEVELS[body["level_code"]] != body["level"]:
        raise HallError(422, "invalid_evaluation", "level: does not match level_code")

    def work(conn):
        case = conn.execute("SELECT station FROM cases WHERE number = ?",
                            (body["case_number"],)).fetchone()
        if case is None:
            raise HallError(409, "case_not_yet_here",
                            "the case has not reached the hall yet; send the rating again later")
        if case["station"] != session.station:
            raise HallError(403, "not_your_case", "the case belongs to another station")
        return _store(conn, body, case["station"], "station")

    return db.in_shared_transaction(work)


def _point_of(manifest: dict) -> str:
    return "conclusion" if (manifest.get("event") or "") in CONCLUDED_EVENTS else "decision"


def record_from_qr(db: HallDatabase, body) -> dict:
    """The applicant's rating on the hall's page, its link checked."""
    _check("evaluation_qr", body)
    comment = (body.get("comment") or "").strip()
    if body["level_code"] >= 4 and not comment:
        raise HallError(422, "comment_required", "不满意、非常不满意请填写原因")

    def work(conn):
        case = conn.execute("SELECT uuid, station, manifest_json FROM cases WHERE number = ?",
                            (body["case_number"],)).fetchone()
        if case is None or not hmac.compare_digest(
                link_signature(case["uuid"], body["case_number"]), body["signature"]):
            raise HallError(404, "unknown_link", "评价链接无效或办件尚未上报")
        point = _point_of(json.loads(case["manifest_json"]))
        rated = conn.execute("SELECT COUNT(*) FROM evaluations WHERE number = ?",
                             (body["case_number"],)).fetchone()[0]
        record = {
            "uuid": str(uuid_module.uuid4()), "case_number": body["case_number"],
            "point": point, "round": rated + 1, "level": LEVELS[body["level_code"]],
            "level_code": body["level_code"], "channel": "qr", "comment": comment,
            "rated_by": "",
            "rated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        _check("evaluation", record)
        return _store(conn, record, case["station"], "qr")[1]

    return db.in_shared_transaction(work)


def ratings_since(db: HallDatabase, station: str | None, since: str | None,
                  limit: int) -> dict:
    """Ratings given on the hall (by QR) for one station's cases (None: all) after a
    cursor; stations already have their own ratings."""
    match = _CURSOR.match(since or "")
    after = int(match.group(1)) if match else 0
    with db.reading() as conn:
        if station is None:
            rows = conn.execute("SELECT seq, record_json FROM evaluations WHERE origin = 'qr' "
                                "AND seq > ? ORDER BY seq LIMIT ?", (after, limit)).fetchall()
        else:
            rows = conn.execute("SELECT seq, record_json FROM evaluations WHERE station = ? "
                                "AND origin = 'qr' AND seq > ? ORDER BY seq LIMIT ?",
                                (station, after, limit)).fetchall()
    last = rows[-1]["seq"] if rows else after
    return {"cursor": f"e{last}",
            "evaluations": [json.loads(row["record_json"]) for row in rows]}
