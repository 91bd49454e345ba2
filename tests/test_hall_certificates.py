"""Reference hall: the e-certificate library — statuses, SM2 signatures checked
with the published public key, audit with purpose, certificate PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from gmssl import sm2
from stdnum.cn import uscc
from stdnum.iso7064 import mod_37_36

import contracts
from app.identity import RESIDENT_ID_TYPE, USCC_ID_TYPE, check_id
from tests.support.hall import DEMO_SUPERVISOR, demo_certificates_file, hall_rows, start_hall
from tests.support.hall_client import RawHall

LIBRARY = demo_certificates_file()
ZHANG_SAN = "350205199001011232"
LI_SI = "350205198505152018"
WANG = "350205197808080037"
AYI = "650102199203150421"
ORG = "91350205MA31ABCD2U"
PURPOSE = "个体工商户设立登记 受理核验"


@pytest.fixture(scope="module")
def cert_hall(tmp_path_factory):
    handle = start_hall(tmp_path_factory.mktemp("certs") / "hall", certificates=LIBRARY)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def client(cert_hall):
    return RawHall(cert_hall)


@pytest.fixture(scope="module")
def public_key(cert_hall, client):
    return client.request("GET", "/certificates/public-key").json()["public_key"]


def lookup(client, holder, **params):
    params = {"holder": holder, "purpose": PURPOSE, **params}
    reply = client.request("GET", "/certificates", params=params)
    if reply.status_code == 200:  # every reply the hall gives is the contract's shape
        contracts.check("certificates", reply.json())
    return reply


def verifies(public_key: str, cert: dict) -> bool:
    unsigned = {k: v for k, v in cert.items() if k != "signature"}
    payload = json.dumps(unsigned, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sm2.CryptSM2(private_key=None, public_key=public_key).verify_with_sm3(
        cert["signature"], payload.encode("utf-8"))


def test_demo_identity_numbers_and_identifiers_have_right_check_characters():
    library = json.loads(LIBRARY.read_text(encoding="utf-8"))
    for holder in library["holders"]:
        number = holder["holder_id"]
        # The workstation's own check: stdnum's ric.calc_check_digit wants all 18
        # characters (it drops the last), so fed 17 it vouched for wrong numbers.
        id_type = RESIDENT_ID_TYPE if holder["holder_type"] == "person" else USCC_ID_TYPE
        assert check_id(id_type, number).ok, holder["name"]
    for cert in library["certificates"]:
        *parts, check = cert["identifier"].split(".")
        assert mod_37_36.calc_check_digit("".join(parts)) == check, cert["id"]
        assert uscc.calc_check_digit(cert["issuer_code"][:17]) == cert["issuer_code"][17]


def test_public_key_needs_no_token(cert_hall):
    import requests

    body = requests.get(f"{cert_hall.api}/certificates/public-key", timeout=10).json()
    assert body["algorithm"] == "SM2" and len(body["public_key"]) == 128


def test_zhang_san_valid_id_and_hukou_expired_marriage(client, public_key):
    reply = lookup(client, ZHANG_SAN, holder_type="person")
    assert reply.status_code == 200
    certs = {c["type_code"]: c for c in reply.json()["certificates"]}
    assert set(certs) == {"CT001", "CT002", "CT004", "CT005"}
    assert certs["CT001"]["status"] == "valid" and certs["CT001"]["type_name"] == "居民身份证"
    assert certs["CT002"]["status"] == "valid" and certs["CT002"]["valid_until"] is None
    assert certs["CT005"]["status"] == "expired"
    assert all(c["holder_name"] == "张三" and c["holder_id"] == ZHANG_SAN for c in certs.values())
    assert all(verifies(public_key, c) for c in certs.values())


def test_revoked_certificate_and_a_certificate_of_someone_else(client, public_key):
    certs = lookup(client, LI_SI).json()["certificates"]
    by_type = {c["type_code"]: c for c in certs}
    assert by_type["CT002"]["status"] == "revoked"
    assert by_type["CT001"]["status"] == "valid"
    # Filed under 李四, but held by 张三: the client must not use it for 李四.
    assert by_type["CT004"]["holder_id"] == ZHANG_SAN
    assert all(verifies(public_key, c) for c in certs)


def test_organisation_holds_its_licences(client, public_key):
    certs = lookup(client, ORG.lower(), holder_type="organisation").json()["certificates"]
    statuses = {c["type_code"]: c["status"] for c in certs}
    for code in ("CT003", "CT004", "CT007", "CT008"):
        assert statuses[code] == "valid"
    only = lookup(client, ORG, type="CT003").json()["certificates"]
    assert [c["type_code"] for c in only] == ["CT003"]
    assert only[0]["holder_type"] == "organisation"


def test_rare_character_and_middle_dot_names_come_back_intact(client, public_key):
    wang = lookup(client, WANG).json()["certificates"]
    assert wang and all(c["holder_name"] == "王\U000201d4" for c in wang)
    ayi = lookup(client, AYI).json()["certificates"]
    assert ayi[0]["holder_name"] == "阿依古丽·买买提"
    assert verifies(public_key, wang[0]) and verifies(public_key, ayi[0])


def test_tampered_metadata_fails_verification(client, public_key):
    cert = lookup(client, ZHANG_SAN, type="CT005").json()["certificates"][0]
    assert verifies(public_key, cert)
    assert not verifies(public_key, dict(cert, status="valid"))
    assert not verifies(public_key, dict(cert, valid_until="2099-12-31"))


def test_unknown_holder_finds_nothing(client):
    assert lookup(client, "110101199003070019").json() == {"certificates": []}


def test_purpose_and_holder_are_required_and_auth_too(client, cert_hall):
    import requests

    empty = client.request("GET", "/certificates", params={"holder": ZHANG_SAN, "purpose": " "})
    assert empty.status_code == 400 and empty.json()["error"] == "purpose_required"
    missing = client.request("GET", "/certificates", params={"holder": ZHANG_SAN})
    assert missing.json()["error"] == "purpose_required"
    no_holder = client.request("GET", "/certificates", params={"purpose": PURPOSE})
    assert no_holder.json()["error"] == "holder_required"
    anonymous = requests.get(f"{cert_hall.api}/certificates",
                             params={"holder": ZHANG_SAN, "purpose": PURPOSE}, timeout=10)
    assert anonymous.status_code == 401


def test_every_lookup_is_audited_with_its_purpose(client, cert_hall):
    lookup(client, AYI, purpose="就业创业证申领")
    # The audit is read by the district's supervisors, not by clerks.
    assert client.request("GET", "/admin/certificates/audit").status_code == 403
    supervisor = RawHall(cert_hall, user=DEMO_SUPERVISOR)
    newest = supervisor.request("GET", "/admin/certificates/audit", params={"limit": 1}).json()
    entry = newest["entries"][0]
    assert entry["holder"] == AYI and entry["purpose"] == "就业创业证申领"
    assert entry["station"] == "350205001" and entry["user"] == "clerk01"
    assert entry["action"] == "lookup" and entry["result_count"] == 1
    rows = hall_rows(cert_hall, "SELECT purpose FROM certificate_audit WHERE holder = ?",
                     (AYI,))
    assert ("就业创业证申领",) in rows


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_certificate_file_is_a_pdf_with_the_data(client, cert_hall, tmp_path, artifacts):
    cert = lookup(client, WANG, type="CT001").json()["certificates"][0]
    reply = client.request("GET", f"/certificates/{cert['id']}/file",
                           params={"purpose": "查看"})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/pdf"
    pdf = artifacts / "hall_certificate_wang.pdf"
    pdf.write_bytes(reply.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "居民身份证" in text and cert["identifier"] in text and WANG in text
    assert "王" in text
    unknown = client.request("GET", "/certificates/no-such-cert/file")
    assert unknown.status_code == 404
    supervisor = RawHall(cert_hall, user=DEMO_SUPERVISOR)
    audit = supervisor.request("GET", "/admin/certificates/audit", params={"limit": 2}).json()
    assert {"file"} <= {e["action"] for e in audit["entries"]}


def test_key_pair_is_made_once_and_private_key_stays_private(cert_hall, public_key):
    private = Path(cert_hall.data_dir) / "sm2_private_key.hex"
    assert private.stat().st_mode & 0o077 == 0
    assert (Path(cert_hall.data_dir) / "sm2_public_key.hex").read_text().strip() == public_key


def test_library_with_a_wrong_check_character_is_refused(tmp_path):
    from central_hall.certificates import load_library
    from central_hall.storage import HallDatabase

    library = json.loads(LIBRARY.read_text(encoding="utf-8"))
    identifier = library["certificates"][0]["identifier"]
    wrong = "0" if identifier[-1] != "0" else "1"
    library["certificates"][0]["identifier"] = identifier[:-1] + wrong
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(library, ensure_ascii=False), encoding="utf-8")
    db = HallDatabase.open(tmp_path / "hall")
    with pytest.raises(SystemExit, match=r"certificates\[0\] \(zs-id\).identifier has a wrong"):
        load_library(db, bad)
    db.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_middle_dot_name_prints_with_its_dot(client, artifacts):
    cert = lookup(client, AYI, type="CT001").json()["certificates"][0]
    pdf = artifacts / "hall_certificate_ayi.pdf"
    pdf.write_bytes(client.request("GET", f"/certificates/{cert['id']}/file").content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "阿依古丽·买买提" in text
