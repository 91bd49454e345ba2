"""The non-tax payment platform's confirmations, as the reference hall simulates them.

``python -m central_hall pay CODE --amount 10.00`` records that the fee notice with
payment code CODE was paid: a confirmation (id, code, amount, time, channel)
signed with the hall's SM2 key, the signature over its canonical JSON as for
certificates (``central_hall.signing``).  The station the code belongs to (its
first nine digits: region 6 + station 3) pulls it from ``GET /payments?since=``,
checks the signature against the hall key it pinned at enrolment and marks the
fee paid once.  Paying a code again is answered with the first confirmation.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import contracts
from central_hall.errors import HallError
from central_hall.signing import HallSigner
from central_hall.storage import HallDatabase, lock_sequence, utc_now

_CURSOR = re.compile(r"^p(\d+)$")


def _luhn_ok(code: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(code[:19])):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return str((10 - total % 10) % 10) == code[19]


def confirm_payment(db: HallDatabase, signer: HallSigner, code: str, amount: str,
                    channel: str = "网上缴费", at: dt.datetime | None = None) -> dict:
    """Record the platform's signed confirmation of ``code`` (once)."""
    if not re.fullmatch(r"\d{20}", code) or not _luhn_ok(code):
        raise HallError(422, "invalid_payment_code", f"缴款码应为 20 位数字且校验位正确：{code}")
    if not re.fullmatch(r"\d+\.\d{2}", amount):
        raise HallError(422, "invalid_amount", f"金额应为元、两位小数，如 10.00：{amount}")
    paid_at = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")

    def work(conn):
        held = conn.execute("SELECT record_json FROM payments WHERE payment_code = ?",
                            (code,)).fetchone()
        if held is not None:
            return json.loads(held["record_json"])
        lock_sequence(conn, "payments")  # stations pull confirmations by this cursor
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM payments").fetchone()[0]
        record = {"confirmation_id": f"FS{paid_at[:10].replace('-', '')}{seq:08d}",
                  "payment_code": code, "amount": amount, "paid_at": paid_at,
                  "channel": channel}
        record["signature"] = signer.sign(record)
        problems = contracts.violations("payment_confirmations",
                                        {"cursor": "p0", "payments": [record]})
        if problems:
            raise HallError(422, "invalid_payment", f"{problems[0][0]}: {problems[0][1]}")
        conn.execute("INSERT INTO payments (confirmation_id, payment_code, station, "
                     "record_json, received_at) VALUES (?, ?, ?, ?, ?)",
                     (record["confirmation_id"], code, code[:9],
                      json.dumps(record, ensure_ascii=False), utc_now()))
        return record

    return db.in_shared_transaction(work)


def confirmations_since(db: HallDatabase, station: str | None, since: str | None,
                        limit: int) -> dict:
    match = _CURSOR.match(since or "")
    after = int(match.group(1)) if match else 0
    with db.reading() as conn:
        if station is None:
            rows = conn.execute("SELECT seq, record_json FROM payments WHERE seq > ? "
                                "ORDER BY seq LIMIT ?", (after, limit)).fetchall()
        else:
            rows = conn.execute("SELECT seq, record_json FROM payments WHERE station = ? "
                                "AND seq > ? ORDER BY seq LIMIT ?",
                                (station, after, limit)).fetchall()
    last = rows[-1]["seq"] if rows else after
    return {"cursor": f"p{last}", "payments": [json.loads(row["record_json"]) for row in rows]}
