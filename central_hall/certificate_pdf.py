"""The certificate file: a one-page PDF of the certificate's data.

Text is set in reportlab's built-in ``STSong-Light`` CID font, which needs no
font file.  It only covers the Basic Multilingual Plane, so characters beyond
it (CJK Extension B names such as 王𠇔), and the middle dot it lacks, are set
in a TrueType font that fontconfig reports as covering them; with none
installed, the code point is printed (``[U+201D4]``) rather than a wrong or
blank glyph.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen import canvas

BASE_FONT = "STSong-Light"
# STSong-Light's GB CMap has no glyph for the middle dot of minority names
# (阿依古丽·买买提); it is set in the fallback font like non-BMP characters.
BASE_FONT_GAPS = frozenset("\u00b7")
STATUS_NAMES = {"valid": "有效", "expired": "已过期", "revoked": "已注销"}


@cache
def _base_font() -> str:
    pdfmetrics.registerFont(UnicodeCIDFont(BASE_FONT))
    return BASE_FONT


@cache
def _font_for(char: str) -> str | None:
    """A registered TrueType font covering ``char``, if fontconfig knows one."""
    if shutil.which("fc-list") is None:
        return None
    listing = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "file"],
        capture_output=True, text=True, timeout=20, check=False,
    ).stdout
    for line in sorted(listing.splitlines()):
        path = line.split(":")[0].strip()
        if not path.lower().endswith(".ttf"):
            continue  # reportlab embeds TrueType outlines only
        name = f"HallFallback-{Path(path).stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, path))
        except TTFError:
            continue
        return name
    return None


def _runs(text: str) -> list[tuple[str, str]]:
    """Split text into (font, text) runs; characters the base font lacks get a fallback."""
    runs: list[tuple[str, str]] = []
    for char in text:
        if ord(char) <= 0xFFFF and char not in BASE_FONT_GAPS:
            font, piece = _base_font(), char
        else:
            fallback = _font_for(char)
            font, piece = (fallback, char) if fallback else (_base_font(), f"[U+{ord(char):X}]")
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + piece)
        else:
            runs.append((font, piece))
    return runs


def _draw(pdf: canvas.Canvas, x: float, y: float, text: str, size: float) -> None:
    for font, piece in _runs(text):
        pdf.setFont(font, size)
        pdf.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, size)


def render_certificate(cert: dict, details: dict) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{cert['type_name']} {cert['number']}")
    pdf.setAuthor(cert["issuer"])
    width, height = A4
    pdf.setLineWidth(1.5)
    pdf.rect(18 * mm, 18 * mm, width - 36 * mm, height - 36 * mm)
    _draw(pdf, 30 * mm, height - 40 * mm, cert["name"], 22)
    _draw(pdf, 30 * mm, height - 50 * mm, f"电子证照 · {STATUS_NAMES[cert['status']]}", 12)
    rows = [
        ("持证主体", cert["holder_name"]),
        ("主体证件号码", cert["holder_id"]),
        ("证照编号", cert["number"]),
        *((str(k), str(v)) for k, v in details.items()),
        ("发证机关", cert["issuer"]),
        ("发证日期", cert["issue_date"]),
        ("有效期", f"{cert['valid_from']} 至 {cert['valid_until'] or '长期'}"),
        ("证照标识", cert["identifier"]),
    ]
    y = height - 70 * mm
    for label, value in rows:
        _draw(pdf, 30 * mm, y, label, 11)
        _draw(pdf, 70 * mm, y, value, 11)
        y -= 9 * mm
    _draw(pdf, 30 * mm, 40 * mm, "本文件由网上办事大厅（参考实现）生成，SM2 签名：", 9)
    signature = cert["signature"]
    _draw(pdf, 30 * mm, 34 * mm, signature[:64], 8)
    _draw(pdf, 30 * mm, 29 * mm, signature[64:], 8)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
