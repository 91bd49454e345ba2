"""Scanning fixtures: the SANE `test` device and scan-like page images.

The SANE `test` backend keeps option values across opens within a process,
so the fixture sets the ones tests rely on and restores the fault option
afterwards, whatever the test did.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

SANE_TEST_DEVICE = "test:0"
CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
A4_MM = (210, 297)


def set_test_backend(**values) -> None:
    from app.scanning import sane_scanner

    sane = sane_scanner._sane()
    with sane_scanner._sane_lock:
        device = sane.open(SANE_TEST_DEVICE)
        try:
            for name, value in values.items():
                setattr(device, name, value)
        finally:
            device.close()


@pytest.fixture
def sane_test_device() -> str:
    """``test:0`` drawing a colour pattern (visible in thumbnails), no faults set."""
    set_test_backend(test_picture="Color pattern", read_return_value="Default")
    yield SANE_TEST_DEVICE
    set_test_backend(read_return_value="Default")


@functools.cache
def _paper(width: int, height: int) -> Image.Image:
    # Paper at about 235 with scanner noise (sigma 5), as a 200-dpi office scanner
    # gives.  Cached: making the grain is most of the cost of a test page.
    return Image.effect_noise((width, height), 5).point(lambda value: value + 107)


def document_page(number: int = 1, dpi: int = 200, colour: bool = False) -> Image.Image:
    """An A4 page that compresses like a real scan: paper grain, text, a table, a stamp."""
    width = round(A4_MM[0] / 25.4 * dpi)
    height = round(A4_MM[1] / 25.4 * dpi)
    grain = _paper(width, height)
    page = grain.convert("RGB") if colour else grain.copy()
    draw = ImageDraw.Draw(page)
    ink = (20, 20, 30) if colour else 25
    points = dpi / 72
    title = ImageFont.truetype(str(CJK_FONT), round(16 * points))  # 三号
    body = ImageFont.truetype(str(CJK_FONT), round(10.5 * points))  # 五号, body text
    margin = dpi
    draw.text((margin, margin), f"营业执照申请书 第 {number} 页", font=title, fill=ink)
    line = "申请人承诺所填写的内容真实有效，所提交的材料与原件一致，如有不实愿承担法律责任。"
    y = margin + dpi // 2
    while y < height * 0.6:
        draw.text((margin, y), line, font=body, fill=ink)
        y += round(10.5 * points * 1.6)
    for row in range(8):
        top = round(height * 0.62) + row * dpi // 5
        draw.rectangle((margin, top, width - margin, top + dpi // 5), outline=ink, width=2)
    seal = (200, 30, 30) if colour else 90
    centre = (width - 2 * margin, height - 2 * margin)
    draw.ellipse((centre[0] - dpi // 2, centre[1] - dpi // 2,
                  centre[0] + dpi // 2, centre[1] + dpi // 2), outline=seal, width=6)
    page.info["dpi"] = (dpi, dpi)
    return page


@pytest.fixture
def make_document_page():
    return document_page
