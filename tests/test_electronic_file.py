"""Attaching an electronic PDF to a material: refused clearly, or stored and verified."""

from __future__ import annotations

import io

import pytest
from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from app.intake.electronic_file import attach_electronic_file
from app.scanning.validation import FileRefused
from app.settings import Settings
from app.signatures import station_trust_roots
from tests.support.signing import self_signed, sign_pdf

LIMIT = 5 * 1024 * 1024


def _pdf() -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(100, 700, "Lease contract")
    sheet.save()
    return buffer.getvalue()


def test_signed_pdf_is_stored_byte_for_byte_and_verified_with_the_station_roots(store, tmp_path):
    seal = self_signed("厦门市海沧区不动产登记中心")
    bundle = tmp_path / "roots.pem"
    bundle.write_bytes(seal[1].public_bytes(serialization.Encoding.PEM))
    signed = sign_pdf(_pdf(), seal)
    path = tmp_path / "租赁合同.pdf"
    path.write_bytes(signed)

    roots = station_trust_roots(Settings(signature_trust_roots=str(bundle)))
    attached = attach_electronic_file(store.blobs, path, LIMIT, roots)
    assert attached.signature_status == "valid"
    assert store.blobs.read(attached.digest) == signed
    # Without the station's roots the same signature's signer is unknown.
    assert attach_electronic_file(store.blobs, path, LIMIT).signature_status == "unknown"


def test_unsigned_pdf_is_attached_without_a_signature_status(store, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(_pdf())
    attached = attach_electronic_file(store.blobs, path, LIMIT)
    assert (attached.signature_status, attached.size) == ("", len(_pdf()))


@pytest.mark.parametrize("name, content, reason", [
    ("empty.pdf", b"", "0 字节"),
    ("page.pdf", b"<!DOCTYPE html><html><body>404</body></html>", "HTML"),
    ("photo.png", None, "PDF"),
])
def test_bad_files_are_refused_with_a_reason(store, tmp_path, name, content, reason):
    from PIL import Image

    path = tmp_path / name
    if content is None:
        Image.new("L", (20, 20), 255).save(path)
    else:
        path.write_bytes(content)
    with pytest.raises(FileRefused) as refusal:
        attach_electronic_file(store.blobs, path, LIMIT)
    assert reason in str(refusal.value)


def test_over_the_material_limit_is_refused(store, tmp_path):
    path = tmp_path / "big.pdf"
    path.write_bytes(_pdf() + b"%" * 2048)
    with pytest.raises(FileRefused, match="过大"):
        attach_electronic_file(store.blobs, path, 1024)
