"""Look-ups against the real reference hall over loopback: every status,
tampering, someone else's certificate, purpose required on both sides, the
audit on both sides, the case cache, the certificate file, the CLI."""

from __future__ import annotations

import json
import subprocess

import pytest
import requests

from app.certificates import CertificateService, PurposeRequired, pin_hall_public_key
from app.certificates.verification import verify_certificate
from app.settings import Settings, save_settings
from local_store.models import CertificateCache, CertificateLookup
from sync.credentials import sign_in
from tests.certificates.conftest import ORGANISATION, OTHER, PERSON, library_for_tests
from tests.support.certificates import TEST_PUBLIC_KEY, write_library
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER, admin_token
from tests.support.staff import login_at


def by_id(result):
    return {cert.id: cert for cert in result.certs}


def test_each_status_verified_and_usable_only_when_valid_and_own(cert_service):
    result = cert_service.lookup(PERSON, "person", "办理最低生活保障审批")
    assert not result.offline and result.message == ""
    certs = by_id(result)
    assert set(certs) == {"p-id", "p-hukou", "p-marriage", "o-property"}
    assert all(cert.verified for cert in certs.values())  # genuine, signed by the hall
    assert (certs["p-id"].status, certs["p-id"].usable) == ("valid", True)
    assert (certs["p-hukou"].status, certs["p-hukou"].usable) == ("revoked", False)
    assert (certs["p-marriage"].status, certs["p-marriage"].usable) == ("expired", False)
    # 李四's certificate listed under 张三: valid and genuine, but not his.
    other = certs["o-property"]
    assert other.status == "valid" and not other.holder_matches and not other.usable
    assert other.holder_id == OTHER
    assert [cert.id for cert in result.usable] == ["p-id"]


def test_type_filter_and_organisation_holder(cert_service):
    result = cert_service.lookup(ORGANISATION, "organisation", "办理食品经营许可（新办）",
                                 cert_type="CT003")
    assert [(c.type_code, c.usable) for c in result.certs] == [("CT003", True)]


def test_metadata_altered_after_signing_fails_verification(cert_service):
    raw = cert_service.client.lookup(PERSON, "person", "核验签名", "CT001")
    key = cert_service.settings.hall_public_key
    assert verify_certificate(raw[0], key, PERSON, "person").usable
    for field, value in [("valid_until", "2099-12-31"), ("holder_name", "张三丰"),
                         ("status", "expired"), ("number", "FORGED-1")]:
        altered = {**raw[0], field: value}
        cert = verify_certificate(altered, key, PERSON, "person")
        assert cert.signature_problem == "证照签名验证失败（信息可能被篡改）", field
        assert not cert.usable


def test_wrong_check_character_is_refused(cert_service):
    raw = cert_service.client.lookup(PERSON, "person", "核验标识", "CT001")[0]
    check = raw["identifier"][-1]
    forged = {**raw, "identifier": raw["identifier"][:-1] + ("A" if check != "A" else "B")}
    cert = verify_certificate(forged, cert_service.settings.hall_public_key, PERSON, "person")
    assert cert.identifier_problem == "证照标识校验位错误"
    assert not cert.verified and not cert.usable


def test_certificates_from_a_hall_with_another_key_are_not_trusted(store, cert_settings,
                                                                   signed_in):
    cert_settings.hall_public_key = TEST_PUBLIC_KEY  # pinned key of some other hall
    service = CertificateService(store, cert_settings)
    result = service.lookup(PERSON, "person", "办理临时救助")
    assert result.certs and not any(cert.verified for cert in result.certs)
    assert result.usable == []
    service.close()


def test_purpose_required_by_client_and_hall(cert_service, cert_hall, signed_in):
    with pytest.raises(PurposeRequired):
        cert_service.lookup(PERSON, "person", "  ")
    # The hall refuses too, for clients that do not check.
    reply = requests.get(f"{cert_hall.api}/certificates", params={"holder": PERSON},
                         headers={"Authorization": f"Bearer {signed_in.access_token}"},
                         timeout=5)
    assert reply.status_code == 400 and reply.json()["error"] == "purpose_required"
    assert CertificateLookup.select().count() == 0


def test_every_lookup_is_audited_locally_masked_and_by_the_hall(cert_service, cert_hall,
                                                                 signed_in):
    purpose = "办理残疾人证新办（审计测试）"
    cert_service.lookup(PERSON, "person", purpose, case_uuid="case-audit")
    row = CertificateLookup.get(CertificateLookup.purpose == purpose)
    assert row.holder_masked == "350205**********39" and PERSON not in row.holder_masked
    assert (row.outcome, row.result_count, row.case_uuid, row.clerk, row.holder_type) == (
        "ok", 4, "case-audit", "王窗口", "person")
    hall_audit = requests.get(
        f"{cert_hall.api}/admin/certificates/audit",
        headers={"Authorization": f"Bearer {admin_token(cert_hall)}"}, timeout=5,
    ).json()["entries"]
    entry = next(e for e in hall_audit if e["purpose"] == purpose)
    assert (entry["holder"], entry["station"], entry["user"], entry["result_count"]) == (
        PERSON, DEMO_STATION, DEMO_USER, 4)


def test_results_cached_for_the_case_and_served_when_the_hall_is_gone(
        store, cert_service, cert_settings, signed_in, closed_port_url):
    online = cert_service.lookup(PERSON, "person", "办理临时救助", case_uuid="case-7")
    assert CertificateCache.select().where(CertificateCache.case_uuid == "case-7").count() == 1
    assert cert_service.lookup(PERSON, "person", "办理临时救助") is not None  # no case: no cache
    assert CertificateCache.select().count() == 1

    # A look-up of one type refreshes that type and keeps the rest of the case's cache.
    cert_service.lookup(PERSON, "person", "办理临时救助", cert_type="CT001", case_uuid="case-7")
    assert len(CertificateCache.get(CertificateCache.case_uuid == "case-7").payload) == 4

    cert_settings.hall_url = closed_port_url
    offline_service = CertificateService(store, cert_settings, token_source=lambda _: "t")
    offline = offline_service.lookup(PERSON, "person", "办理临时救助", case_uuid="case-7")
    assert offline.offline and offline.cached_at is not None
    assert sorted(by_id(offline)) == sorted(by_id(online))
    assert [c.id for c in offline.usable] == ["p-id"]
    only_ids = offline_service.lookup(PERSON, "person", "办理临时救助", cert_type="CT001",
                                      case_uuid="case-7")
    assert [c.id for c in only_ids.certs] == ["p-id"]
    offline_service.close()


def test_not_signed_in_says_so_and_intake_goes_on(store, cert_settings, memory_keyring):
    service = CertificateService(store, cert_settings)
    result = service.lookup(PERSON, "person", "办理临时救助")
    assert result.certs == [] and not result.offline
    assert "登录" in result.message and "纸质" in result.message
    assert CertificateLookup.get().outcome == "error"
    service.close()


def test_certificate_file_goes_to_the_blob_store(store, cert_service, tmp_path):
    cert = by_id(cert_service.lookup(PERSON, "person", "办理临时救助"))["p-id"]
    digest, size = cert_service.store_file(cert, "办理临时救助")
    assert store.blobs.has(digest) and store.blobs.size(digest) == size
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(store.blobs.read(digest))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert cert.number in text.replace(" ", "")


def test_cli_lookup_json(home, cert_hall, cert_settings, signed_in, capsys):
    from app.cli import main

    save_settings(cert_settings, home)
    assert main(["cert", "lookup", "--holder", PERSON, "--purpose", "办理临时救助"]) == 1
    assert "未登录" in capsys.readouterr().err  # nobody signed in: no look-up, one line
    assert login_at(cert_hall.url) == 0
    capsys.readouterr()
    assert main(["cert", "lookup", "--holder", PERSON, "--purpose", "办理临时救助",
                 "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["holder"] == "350205**********39" and answer["offline"] is False
    rows = {row["identifier"]: row for row in answer["certificates"]}
    assert len(rows) == 4
    statuses = sorted((row["type"], row["status"], row["verified"], row["usable"])
                      for row in rows.values())
    assert statuses == [("CT001", "valid", True, True), ("CT002", "revoked", True, False),
                        ("CT004", "valid", True, False), ("CT005", "expired", True, False)]
    assert all({"valid_from", "valid_until"} <= set(row) for row in rows.values())

    assert main(["cert", "lookup", "--holder", PERSON, "--type", "CT002",
                 "--purpose", "办理临时救助"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("1.2.156.3005.2.CT002.") and "已注销" in line and "✓ 已验证" in line
    assert "2020-01-01 至 长期" in line


def test_cli_refuses_empty_purpose_and_reports_offline(home, closed_port_url, shared_hall,
                                                       memory_keyring, capsys):
    from app.cli import main

    assert login_at(shared_hall.url) == 0

    assert main(["cert", "lookup", "--holder", PERSON, "--purpose", " "]) == 1
    assert "用证事由" in capsys.readouterr().err
    assert main(["cert", "lookup", "--holder", PERSON, "--type", "CT099",
                 "--purpose", "办理临时救助"]) == 1
    assert "未知证照类型 CT099" in capsys.readouterr().err
    save_settings(Settings(hall_url=closed_port_url, cert_lookup_timeout_s=1.0), home)
    assert main(["cert", "lookup", "--holder", PERSON, "--purpose", "办理临时救助"]) == 3
    assert "纸质" in capsys.readouterr().out


def test_cli_pin_key(home, cert_hall, capsys):
    from app.certificates.hall_key import hall_key_fingerprint
    from app.cli import main
    from app.settings import load_settings

    save_settings(Settings(hall_url=cert_hall.url), home)

    assert main(["cert", "pin-key"]) == 0
    key = load_settings(home).hall_public_key
    assert len(key) == 128 and hall_key_fingerprint(key) in capsys.readouterr().out


def test_demo_hall_applicants(store, hall, memory_keyring):
    """The demo library that ships with the hall verifies end to end."""
    from app.certificates import pin_hall_public_key
    from sync.credentials import sign_in

    sign_in(hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    settings = Settings(hall_url=hall.url)
    pin_hall_public_key(settings, save=False)
    service = CertificateService(store, settings)
    result = service.lookup("91350205MA31ABCD2U", "organisation", "办理食品经营许可（新办）")
    assert result.certs and all(cert.verified for cert in result.certs)
    assert {"CT003", "CT007", "CT008"} <= {cert.type_code for cert in result.usable}
    service.close()


def test_tls_hall_verified_against_the_configured_ca(store, hall_factory, memory_keyring,
                                                     tmp_path):
    library = write_library(tmp_path / "library.json", *library_for_tests())
    hall = hall_factory(certificates=library, tls=True)
    ca = str(hall.ca_cert_path)
    sign_in(hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD, ca_bundle=ca)
    settings = Settings(hall_url=hall.url, ca_bundle=ca)
    pin_hall_public_key(settings, save=False)
    trusting = CertificateService(store, settings)
    assert [c.id for c in trusting.lookup(PERSON, "person", "办理临时救助").usable] == ["p-id"]
    trusting.close()

    # Without the CA the hall's certificate does not verify: nothing it says is used.
    settings.ca_bundle = ""
    doubting = CertificateService(store, settings)
    result = doubting.lookup(PERSON, "person", "办理临时救助")
    assert result.offline and result.certs == [] and "TLS" in result.message
    doubting.close()


def test_local_reference_hall_key_pinned_on_first_use(store, home, cert_hall, signed_in):
    from app.settings import load_settings

    settings = Settings()  # no hall configured: the station started its own demo hall
    service = CertificateService(store, settings, hall_url=cert_hall.url, trust_local_hall=True)
    result = service.lookup(PERSON, "person", "办理临时救助")
    assert [c.id for c in result.usable] == ["p-id"]
    assert len(settings.hall_public_key) == 128
    assert load_settings(home).hall_public_key == settings.hall_public_key  # kept for next time
    service.close()


def test_configured_hall_is_never_trusted_on_first_use(store, cert_hall, signed_in):
    settings = Settings(hall_url=cert_hall.url)  # a real hall: the key comes from enrolment
    service = CertificateService(store, settings)
    result = service.lookup(PERSON, "person", "办理临时救助")
    assert result.certs and result.usable == [] and settings.hall_public_key == ""
    assert all(c.signature_problem == "未配置网上办事大厅公钥，无法验签" for c in result.certs)
    service.close()
