"""``onewindow scan`` and ``onewindow signature`` through the real CLI entry point."""

from __future__ import annotations

import io
import json
import subprocess

from cryptography.hazmat.primitives import serialization
from PIL import Image
from reportlab.pdfgen import canvas

from app.cli import main
from app.settings import Settings, save_settings
from tests.support.signing import self_signed, sign_pdf


def _page_count(pdf_path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True,
                          check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_devices_lists_the_sane_test_device(home, sane_test_device, capsys):
    assert main(["scan", "devices", "--json"]) == 0
    assert sane_test_device in [d["name"] for d in json.loads(capsys.readouterr().out)]


def test_feeder_batch_to_pdf(home, sane_test_device, tmp_path, capsys):
    out = tmp_path / "material.pdf"
    code = main(["scan", "pdf", str(out), "--device", sane_test_device, "--adf", "--dpi", "50",
                 "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["pages"] == 10 and result["over_limit"] is None
    assert _page_count(out) == 10


def test_files_to_pdf_and_the_size_limit(home, tmp_path, capsys):
    save_settings(Settings(material_size_limit_mb=0.001), home)
    Image.effect_noise((400, 560), 60).save(tmp_path / "noisy.png")
    out = tmp_path / "material.pdf"
    assert main(["scan", "pdf", str(out), "--file", str(tmp_path / "noisy.png")]) == 1
    printed = capsys.readouterr().out
    assert "1 页" in printed and "超过上限" in printed
    assert _page_count(out) == 1  # written anyway: the clerk decides what to drop


def test_a_bad_file_is_refused_with_its_reason(home, tmp_path, capsys):
    (tmp_path / "fake.pdf").write_bytes(b"<html>session expired</html>")
    assert main(["scan", "pdf", str(tmp_path / "x.pdf"), "--file",
                 str(tmp_path / "fake.pdf")]) == 1
    error = capsys.readouterr().err
    assert "fake.pdf" in error and "网页 (HTML)" in error
    assert not (tmp_path / "x.pdf").exists()


def test_signature_verify_with_configured_roots(home, tmp_path, capsys):
    seal = self_signed("某某区行政审批局")
    roots = tmp_path / "roots.pem"
    roots.write_bytes(seal[1].public_bytes(serialization.Encoding.PEM))
    save_settings(Settings(signature_trust_roots=str(roots)), home)
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.drawString(100, 700, "permit")
    sheet.save()
    (tmp_path / "permit.pdf").write_bytes(sign_pdf(buffer.getvalue(), seal))

    assert main(["signature", "verify", str(tmp_path / "permit.pdf"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "valid"
    assert result["signatures"][0]["signer"] == "某某区行政审批局"

    assert main(["signature", "verify", str(tmp_path / "missing.pdf")]) == 1
    assert "无法读取" in capsys.readouterr().err
