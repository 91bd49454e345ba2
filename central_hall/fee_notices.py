"""The stations' fee notices (缴款通知书): which case a 缴款码 pays, its amount, payee,
clerk and payer.  The non-tax platform's confirmation (``central_hall.payments``)
knows only code, amount, time and channel; the exchange export joins the notice
by payment code so a paid fee is reported with its case (docs/exchange.md)."""

from __future__ import annotations

import json

import contracts
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, utc_now


def record_from_station(db: HallDatabase, session, body) -> tuple[int, dict]:
    """Keep a station's notice once (201; a notice sent again answers 200 with the one
    held).  The code must be the station's own (its first nine digits) and the case
    must have reached the hall (before that: 409, which the station retries)."""
    problems = contracts.violations("fee_notice", body)
    if problems:
        field, message = problems[0]
        raise HallError(422, "invalid_fee_notice", f"{field}: {message}")
    if body["payment_code"][:9] != session.station:
        raise HallError(403, "not_your_payment_code",
                        "the payment code belongs to another station")

    def work(conn):
        held = conn.execute("SELECT record_json FROM fee_notices WHERE payment_code = ?",
                            (body["payment_code"],)).fetchone()
        if held is not None:
            return 200, json.loads(held["record_json"])
        case = conn.execute("SELECT number, station FROM cases WHERE uuid = ?",
                            (body["case_uuid"],)).fetchone()
        if case is None:
            raise HallError(409, "case_not_yet_here",
                            "the case has not reached the hall yet; send the notice again later")
        if case["station"] != session.station or case["number"] != body["case_number"]:
            raise HallError(403, "not_your_case",
                            "the case belongs to another station or has another number")
        conn.execute("INSERT INTO fee_notices (payment_code, station, case_uuid, case_number, "
                     "record_json, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                     (body["payment_code"], session.station, body["case_uuid"],
                      body["case_number"], json.dumps(body, ensure_ascii=False), utc_now()))
        return 201, body

    return db.in_shared_transaction(work)
