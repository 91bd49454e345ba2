"""The e-certificate library (电子证照库): loading, look-up, audit.

The library file lists holders and certificates (see
``data/demo_certificates.json``).  Loading checks every 证照标识 check
character (ISO 7064 MOD 37,36) and refuses the file otherwise.  A
certificate's status is worked out at look-up time — revoked if the library
says so, expired once ``valid_until`` has passed (China time) — and the
metadata is signed as the client will see it.  Every look-up and file fetch
is audited with station, user, holder and purpose (用证事由).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from stdnum.iso7064 import mod_37_36

from central_hall.auth import Session
from central_hall.errors import HallError
from central_hall.signing import HallSigner
from central_hall.storage import HallDatabase, utc_now

LIBRARY_FORMAT = "onewindow-certificates/1"
IDENTIFIER_PREFIX = "1.2.156.3005.2"
HOLDER_TYPES = ("person", "organisation")
CHINA_TIME = timezone(timedelta(hours=8))
_CERT_FIELDS = ("id", "identifier", "type_code", "number", "holder_id", "issuer",
                "issuer_code", "issue_date", "valid_from")


class LibraryError(ValueError):
    pass


def identifier_check_ok(identifier: str) -> bool:
    *parts, check = identifier.split(".")
    try:
        return mod_37_36.calc_check_digit("".join(parts)) == check
    except Exception:  # stdnum raises for characters outside its alphabet
        return False


def _check_date(value, where: str) -> None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise LibraryError(f"{where}: not a date (YYYY-MM-DD): {value!r}") from exc


def validate_library(document) -> tuple[dict, dict, list[dict]]:
    """(type names, holders by id, certificates) or LibraryError naming the entry."""
    if not isinstance(document, dict) or document.get("format") != LIBRARY_FORMAT:
        raise LibraryError(f"format must be {LIBRARY_FORMAT!r}")
    types = document.get("cert_types") or {}
    holders: dict[str, dict] = {}
    for index, holder in enumerate(document.get("holders") or []):
        where = f"holders[{index}]"
        if holder.get("holder_type") not in HOLDER_TYPES:
            raise LibraryError(f"{where}.holder_type must be person or organisation")
        if not holder.get("holder_id") or not holder.get("name"):
            raise LibraryError(f"{where}: holder_id and name are required")
        holders[holder["holder_id"].upper()] = holder
    certificates = document.get("certificates") or []
    seen: set[str] = set()
    for index, cert in enumerate(certificates):
        where = f"certificates[{index}] ({cert.get('id')})"
        for field in _CERT_FIELDS:
            if not isinstance(cert.get(field), str) or not cert[field].strip():
                raise LibraryError(f"{where}.{field} is required")
        if cert["id"] in seen:
            raise LibraryError(f"{where}.id repeated")
        seen.add(cert["id"])
        if cert["type_code"] not in types:
            raise LibraryError(f"{where}.type_code unknown: {cert['type_code']}")
        if cert["holder_id"].upper() not in holders:
            raise LibraryError(f"{where}.holder_id is not a listed holder")
        expected = f"{IDENTIFIER_PREFIX}.{cert['type_code']}.{cert['issuer_code']}."
        if not cert["identifier"].startswith(expected):
            raise LibraryError(f"{where}.identifier must start with {expected}")
        if not identifier_check_ok(cert["identifier"]):
            raise LibraryError(f"{where}.identifier has a wrong check character")
        for field in ("issue_date", "valid_from"):
            _check_date(cert[field], f"{where}.{field}")
        if cert.get("valid_until") is not None:
            _check_date(cert["valid_until"], f"{where}.valid_until")
        for other in cert.get("also_listed_for") or []:
            if other.upper() not in holders:
                raise LibraryError(f"{where}.also_listed_for: {other} is not a listed holder")
    return types, holders, certificates


def load_library(db: HallDatabase, path: Path) -> int:
    """Replace the hall's library with the file's; returns the certificate count."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        types, holders, certificates = validate_library(document)
    except (OSError, ValueError) as exc:
        raise SystemExit(f"certificate library {path} refused: {exc}") from exc
    with db.transaction() as conn:
        conn.execute("DELETE FROM certificate_listings")
        conn.execute("DELETE FROM certificates")
        for cert in certificates:
            holder = holders[cert["holder_id"].upper()]
            record = {**cert, "type_name": types[cert["type_code"]],
                      "holder_name": holder["name"], "holder_type": holder["holder_type"]}
            conn.execute(
                "INSERT INTO certificates (id, identifier, holder_id, holder_type, type_code, "
                "record_json) VALUES (?, ?, ?, ?, ?, ?)",
                (cert["id"], cert["identifier"], cert["holder_id"].upper(),
                 holder["holder_type"], cert["type_code"], json.dumps(record, ensure_ascii=False)),
            )
            listed = {cert["holder_id"].upper()} | {
                h.upper() for h in cert.get("also_listed_for") or []}
            conn.executemany(
                "INSERT INTO certificate_listings (holder, certificate_id) VALUES (?, ?)",
                [(holder_id, cert["id"]) for holder_id in sorted(listed)],
            )
    return len(certificates)


def china_today() -> date:
    return datetime.now(CHINA_TIME).date()


def status_of(record: dict, today: date) -> str:
    if record.get("revoked"):
        return "revoked"
    until = record.get("valid_until")
    if until and date.fromisoformat(until) < today:
        return "expired"
    return "valid"


def published_metadata(record: dict, signer: HallSigner, today: date) -> dict:
    """The CERT object of the contract, signed."""
    metadata = {
        "id": record["id"],
        "identifier": record["identifier"],
        "type_code": record["type_code"],
        "type_name": record["type_name"],
        "name": record["name"],
        "number": record["number"],
        "holder_name": record["holder_name"],
        "holder_id": record["holder_id"],
        "holder_type": record["holder_type"],
        "issuer": record["issuer"],
        "issuer_code": record["issuer_code"],
        "issue_date": record["issue_date"],
        "valid_from": record["valid_from"],
        "valid_until": record.get("valid_until"),
        "status": status_of(record, today),
    }
    metadata["signature"] = signer.sign(metadata)
    return metadata


def _require_purpose(purpose: str | None) -> str:
    if not purpose or not purpose.strip():
        raise HallError(400, "purpose_required", "用证事由 (purpose) is required")
    return purpose.strip()


def _audit(conn, session: Session, action: str, purpose: str, result_count: int, *,
           holder=None, holder_type=None, type_code=None, certificate_id=None) -> None:
    conn.execute(
        "INSERT INTO certificate_audit (at, station, user, action, holder, holder_type, "
        "type_code, certificate_id, purpose, result_count) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (utc_now(), session.station, session.user, action, holder, holder_type, type_code,
         certificate_id, purpose, result_count),
    )


def lookup(db: HallDatabase, signer: HallSigner, session: Session, holder: str | None,
           holder_type: str | None, type_code: str | None, purpose: str | None) -> list[dict]:
    purpose = _require_purpose(purpose)
    holder = (holder or "").strip().upper()
    if not holder:
        raise HallError(400, "holder_required", "holder (ID number or USCC) is required")
    if holder_type and holder_type not in HOLDER_TYPES:
        raise HallError(400, "invalid_holder_type", "holder_type must be person or organisation")
    query = ("SELECT c.record_json FROM certificate_listings l JOIN certificates c "
             "ON c.id = l.certificate_id WHERE l.holder = ?")
    params: list = [holder]
    if holder_type:
        query += " AND c.holder_type = ?"
        params.append(holder_type)
    if type_code:
        query += " AND c.type_code = ?"
        params.append(type_code.strip().upper())
    query += " ORDER BY c.type_code, c.id"
    with db.transaction() as conn:
        records = [json.loads(r["record_json"]) for r in conn.execute(query, params)]
        _audit(conn, session, "lookup", purpose, len(records), holder=holder,
               holder_type=holder_type, type_code=type_code)
    today = china_today()
    return [published_metadata(record, signer, today) for record in records]


def certificate_with_details(db: HallDatabase, signer: HallSigner, session: Session,
                             certificate_id: str, purpose: str | None) -> tuple[dict, dict]:
    """The signed metadata and the display details of one certificate (audited)."""
    purpose = (purpose or "").strip() or "查看证照文件"
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT record_json FROM certificates WHERE id = ?", (certificate_id,)
        ).fetchone()
        _audit(conn, session, "file", purpose, 1 if row else 0, certificate_id=certificate_id)
    if row is None:
        raise HallError(404, "certificate_unknown", f"no certificate {certificate_id}")
    record = json.loads(row["record_json"])
    return published_metadata(record, signer, china_today()), record.get("details") or {}


def audit_entries(db: HallDatabase, limit: int) -> list[dict]:
    with db.reading() as conn:
        rows = conn.execute(
            "SELECT * FROM certificate_audit ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
    return [dict(row) for row in rows]
