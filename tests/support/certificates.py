"""Certificates signed like the hall signs them, for tests and the bench.

``sign_certificate`` follows hall_api.md exactly (gmssl ``sign_with_sm3`` over
the canonical JSON without ``signature``); ``library_file`` writes a
certificate library the reference hall loads with ``--certificates``.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from gmssl.sm2 import CryptSM2
from stdnum.iso7064 import mod_37_36

from app.certificates.verification import canonical_json

# A fixed test key pair, so failures are reproducible.
TEST_PRIVATE_KEY = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"


def public_key_of(private_key: str) -> str:
    signer = CryptSM2(private_key=private_key, public_key="")
    return signer._kg(int(private_key, 16), signer.ecc_table["g"])


TEST_PUBLIC_KEY = public_key_of(TEST_PRIVATE_KEY)


def make_identifier(type_code: str, issuer_code: str, serial: str, version: str = "1") -> str:
    body = f"1.2.156.3005.2.{type_code}.{issuer_code}.{serial}.{version}"
    return f"{body}.{mod_37_36.calc_check_digit(body.replace('.', ''))}"


def sign_certificate(cert: dict, private_key: str = TEST_PRIVATE_KEY) -> dict:
    unsigned = {k: v for k, v in cert.items() if k != "signature"}
    signer = CryptSM2(private_key=private_key, public_key=public_key_of(private_key))
    return {**unsigned, "signature": signer.sign_with_sm3(canonical_json(unsigned))}


def make_certificate(
    holder_id: str,
    type_code: str = "CT001",
    type_name: str = "居民身份证",
    holder_name: str = "林小梅",
    holder_type: str = "person",
    status: str = "valid",
    valid_from: str = "2020-01-01",
    valid_until: str | None = "2040-01-01",
    serial: str | None = None,
    issuer_code: str = "11350205MB0123456X",
    sign: bool = True,
) -> dict:
    serial = serial or secrets.token_hex(4).upper()
    cert = {
        "id": f"C-{serial}",
        "identifier": make_identifier(type_code, issuer_code, serial),
        "type_code": type_code,
        "type_name": type_name,
        "name": type_name,
        "number": f"NO{serial}",
        "holder_name": holder_name,
        "holder_id": holder_id,
        "holder_type": holder_type,
        "issuer": "厦门市海沧区测试发证机关",
        "issuer_code": issuer_code,
        "issue_date": valid_from,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "status": status,
    }
    return sign_certificate(cert) if sign else cert


CERT_TYPE_NAMES = {
    "CT001": "居民身份证", "CT002": "户口簿", "CT003": "营业执照", "CT004": "不动产权证书",
    "CT005": "结婚证", "CT006": "建设工程规划许可证", "CT007": "组织机构代码证",
    "CT008": "税务登记证", "CT009": "残疾人证", "CT010": "食品经营许可证",
}


def library_entry(
    cert_id: str,
    holder_id: str,
    type_code: str,
    serial: int,
    valid_until: str | None = "2040-01-01",
    revoked: bool = False,
    also_listed_for: tuple[str, ...] = (),
    valid_from: str = "2020-01-01",
    issuer_code: str = "11350205MB0123456X",
) -> dict:
    """One certificate in the hall's library file format (the hall signs it)."""
    return {
        "id": cert_id,
        "identifier": make_identifier(type_code, issuer_code, f"{serial:08d}", "001"),
        "type_code": type_code,
        "name": CERT_TYPE_NAMES[type_code],
        "number": f"{type_code}-{serial:06d}",
        "holder_id": holder_id,
        "issuer": "厦门市海沧区测试发证机关",
        "issuer_code": issuer_code,
        "issue_date": valid_from,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "revoked": revoked,
        "also_listed_for": list(also_listed_for),
        "details": {"备注": "测试证照"},
    }


def write_library(path: Path, holders: list[tuple[str, str, str]], entries: list[dict]) -> Path:
    """A library file for ``--certificates``; holders are (id, type, name)."""
    document = {
        "format": "onewindow-certificates/1",
        "cert_types": CERT_TYPE_NAMES,
        "holders": [{"holder_id": hid, "holder_type": htype, "name": name}
                    for hid, htype, name in holders],
        "certificates": entries,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
