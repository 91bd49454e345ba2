"""Verification of library certificates without a hall: identifier check
character, SM2 signature over canonical JSON, status from dates, holder."""

from __future__ import annotations

import datetime as dt

import pytest

from app.certificates.verification import (
    STATUS_EXPIRED,
    STATUS_NOT_YET_VALID,
    STATUS_REVOKED,
    STATUS_VALID,
    check_identifier,
    check_signature,
    verify_certificate,
)
from tests.support.certificates import (
    TEST_PUBLIC_KEY,
    make_certificate,
    make_identifier,
    public_key_of,
    sign_certificate,
)

HOLDER = "350205199001011237"
TODAY = dt.date(2026, 11, 27)
ISSUER = "11350205MB0123456X"


def test_genuine_valid_certificate_is_usable():
    cert = verify_certificate(make_certificate(HOLDER), TEST_PUBLIC_KEY, HOLDER, "person", TODAY)
    assert cert.verified and cert.status == STATUS_VALID and cert.holder_matches
    assert cert.usable and cert.problems() == []


def test_identifier_with_wrong_check_character_is_refused():
    identifier = make_identifier("CT001", "11350205MB0123456X", "A1B2")
    assert check_identifier(identifier, "CT001", "11350205MB0123456X") is None
    good = identifier[-1]
    wrong = "0" if good != "0" else "1"
    assert check_identifier(identifier[:-1] + wrong) == "证照标识校验位错误"
    # Even when the hall signed the wrong identifier, the certificate is not usable.
    raw = make_certificate(HOLDER, sign=False)
    raw["identifier"] = raw["identifier"][:-1] + ("0" if raw["identifier"][-1] != "0" else "1")
    cert = verify_certificate(sign_certificate(raw), TEST_PUBLIC_KEY, HOLDER, "person", TODAY)
    assert cert.signature_problem is None
    assert cert.identifier_problem == "证照标识校验位错误"
    assert not cert.verified and not cert.usable


@pytest.mark.parametrize(
    ("identifier", "problem"),
    [
        ("", "证照标识格式不对"),
        ("1.2.156.3005.2.CT001.X", "证照标识格式不对"),
        (make_identifier("CT002", ISSUER, "77"), "证照标识中的证照类型与证照信息不符"),
        (make_identifier("CT001", "9" * 17 + "X", "77"), "证照标识中的发证机关与证照信息不符"),
    ],
)
def test_malformed_or_mismatched_identifier(identifier, problem):
    assert check_identifier(identifier, "CT001", "11350205MB0123456X") == problem


def test_metadata_altered_after_signing_fails_verification():
    raw = make_certificate(HOLDER)
    assert check_signature(raw, TEST_PUBLIC_KEY) is None
    for field, value in [("valid_until", "2099-12-31"), ("status", "expired"),
                         ("holder_name", "林小梅 "), ("number", "NO-FORGED")]:
        altered = {**raw, field: value}
        if altered == raw:
            continue
        assert check_signature(altered, TEST_PUBLIC_KEY) == "证照签名验证失败（信息可能被篡改）"
        assert not verify_certificate(altered, TEST_PUBLIC_KEY, HOLDER, "person", TODAY).usable


def test_signature_from_another_key_or_missing_key_is_not_trusted():
    raw = make_certificate(HOLDER)
    other_key = public_key_of("1" * 64)
    assert check_signature(raw, other_key) is not None
    assert check_signature(raw, "") == "未配置网上办事大厅公钥，无法验签"
    assert check_signature({**raw, "signature": "zz"}, TEST_PUBLIC_KEY) == "证照签名缺失或格式不对"
    assert check_signature({**raw, "signature": "0" * 128}, TEST_PUBLIC_KEY) is not None


def test_public_key_with_point_prefix_is_accepted():
    raw = make_certificate(HOLDER)
    assert check_signature(raw, "04" + TEST_PUBLIC_KEY) is None


@pytest.mark.parametrize(
    ("hall_status", "valid_from", "valid_until", "expected"),
    [
        ("valid", "2020-01-01", "2040-01-01", STATUS_VALID),
        ("valid", "2020-01-01", None, STATUS_VALID),  # long-term
        ("expired", "2010-01-01", "2020-01-01", STATUS_EXPIRED),
        # The hall still says valid, but the date has passed since.
        ("valid", "2010-01-01", "2026-11-26", STATUS_EXPIRED),
        ("valid", "2010-01-01", "2026-11-27", STATUS_VALID),  # last day still valid
        ("revoked", "2020-01-01", "2040-01-01", STATUS_REVOKED),
        ("valid", "2027-01-01", "2040-01-01", STATUS_NOT_YET_VALID),
        ("suspended?", "2020-01-01", "2040-01-01", STATUS_REVOKED),
    ],
)
def test_status_from_hall_and_dates(hall_status, valid_from, valid_until, expected):
    raw = make_certificate(HOLDER, status=hall_status, valid_from=valid_from,
                           valid_until=valid_until)
    cert = verify_certificate(raw, TEST_PUBLIC_KEY, HOLDER, "person", TODAY)
    assert cert.verified
    assert cert.status == expected
    assert cert.usable is (expected == STATUS_VALID)


def test_someone_elses_certificate_is_not_usable():
    raw = make_certificate("350205198501014321")
    cert = verify_certificate(raw, TEST_PUBLIC_KEY, HOLDER, "person", TODAY)
    assert cert.verified and cert.status == STATUS_VALID
    assert not cert.holder_matches and not cert.usable
    assert "证照持有人不是本申请人" in cert.problems()


def test_holder_match_ignores_case_and_width():
    raw = make_certificate("35020519880715107X")
    full_width = "３５０２０５１９８８０７１５１０７x"
    cert = verify_certificate(raw, TEST_PUBLIC_KEY, full_width, "person", TODAY)
    assert cert.holder_matches


def test_reference_records_what_satisfied_the_material():
    raw = make_certificate(HOLDER)
    cert = verify_certificate(raw, TEST_PUBLIC_KEY, HOLDER, "person", TODAY,
                              now=dt.datetime(2026, 11, 27, 9, 30))
    assert cert.reference() == {
        "certificate_id": raw["id"],
        "identifier": raw["identifier"],
        "type": "CT001",
        "type_name": "居民身份证",
        "name": "居民身份证",
        "issuer": raw["issuer"],
        "number": raw["number"],
        "verified_at": "2026-11-27T09:30:00",
    }
    assert cert.validity_text == "2020-01-01 至 2040-01-01"
