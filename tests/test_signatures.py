"""Signed-PDF verification with real pyHanko signatures and a test trust root."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from app.signatures import SignatureStatus, load_trust_roots, verify_pdf
from tests.support.signing import self_signed, sign_pdf

SIGNER = "厦门市海沧区市场监督管理局"


@pytest.fixture(scope="module")
def seal():
    """The issuing office's e-seal certificate (self-signed, as a test root)."""
    return self_signed(SIGNER)


def _licence_pdf() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pageCompression=0)  # text findable in the bytes
    sheet.drawString(100, 700, "Business licence 91350200MA2XXXXXX")
    sheet.save()
    return buffer.getvalue()


def _der(certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)


def test_signed_by_a_trusted_root_is_valid_with_signer_and_time(seal):
    signed = sign_pdf(_licence_pdf(), seal)
    verdict = verify_pdf(signed, trust_roots=[_der(seal[1])])
    assert verdict.status is SignatureStatus.VALID
    assert verdict.signer == SIGNER
    assert verdict.signed_at is not None
    assert abs(verdict.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert verdict.label == "签名有效"


def test_signer_outside_the_trust_roots_is_unknown(seal):
    signed = sign_pdf(_licence_pdf(), seal)
    _other_key, other_root = self_signed("另一个签发机构")
    verdict = verify_pdf(signed, trust_roots=[_der(other_root)])
    assert verdict.status is SignatureStatus.UNKNOWN
    assert verdict.signer == SIGNER
    assert "不在受信任的根证书中" in verdict.message
    assert verify_pdf(signed).status is SignatureStatus.UNKNOWN  # no roots configured


def test_a_byte_changed_after_signing_is_invalid(seal):
    signed = bytearray(sign_pdf(_licence_pdf(), seal))
    position = signed.index(b"91350200MA2XXXXXX")
    signed[position] = ord("8")  # the licence number, inside the signed range
    verdict = verify_pdf(bytes(signed), trust_roots=[_der(seal[1])])
    assert verdict.status is SignatureStatus.INVALID
    assert "改动" in verdict.message


def test_a_damaged_signature_value_is_invalid(seal):
    signed = bytearray(sign_pdf(_licence_pdf(), seal))
    contents = signed.index(b"/Contents <") + len(b"/Contents <")
    end = signed.index(b">", contents)
    # The CMS blob is zero-padded; its last bytes are the signature value itself.
    used = len(bytes(signed[contents:end]).rstrip(b"0"))
    target = contents + used - 10
    signed[target] = ord("0") if signed[target] != ord("0") else ord("1")
    verdict = verify_pdf(bytes(signed), trust_roots=[_der(seal[1])])
    assert verdict.status is SignatureStatus.INVALID


def test_unsigned_and_unreadable_files():
    assert verify_pdf(_licence_pdf()).status is SignatureStatus.UNSIGNED
    broken = verify_pdf(b"%PDF-1.7\nnot a real pdf")
    assert broken.status is SignatureStatus.INVALID
    assert "无法读取" in broken.message


def test_trust_roots_load_from_a_pem_bundle(tmp_path, seal):
    _other_key, other_root = self_signed("根证书二")
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(b"".join(c.public_bytes(serialization.Encoding.PEM)
                                for c in (seal[1], other_root)))
    roots = load_trust_roots(bundle)
    assert [root.subject.native["common_name"] for root in roots] == [SIGNER, "根证书二"]
    signed = sign_pdf(_licence_pdf(), seal)
    assert verify_pdf(signed, trust_roots=roots).status is SignatureStatus.VALID
