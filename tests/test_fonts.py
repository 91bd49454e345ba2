"""Font discovery, per-character fallback, and Chinese line breaking."""

from __future__ import annotations

import logging
import subprocess

import pytest
from reportlab.lib.units import mm

from printing.fonts import EXTENSION_B_PROBE, FONTS, MAIN_FONT, FontError, FontSet, font_report
from printing.frame import para
from printing.styles import CHINESE_CANNOT_START


def test_font_report_names_main_and_extension_b_fonts():
    report = font_report()
    assert report["ok"], report
    assert report["main"] and report["extension_b"]
    assert "生僻字后备字体" in report["detail"]


def test_runs_switch_font_only_for_characters_the_main_font_lacks():
    runs = FONTS.runs(f"王{EXTENSION_B_PROBE}明·ABC")
    assert [text for _, text in runs] == ["王", EXTENSION_B_PROBE, "明·ABC"]
    assert runs[0][0] == runs[2][0] == MAIN_FONT and runs[1][0] != MAIN_FONT


def test_character_no_font_has_is_logged_not_fatal(caplog):
    nobody_has = "\U0010fffd"  # private use, plane 16
    with caplog.at_level(logging.WARNING, logger="printing.fonts"):
        assert FONTS.font_for(nobody_has) == MAIN_FONT
    assert "U+10FFFD" in caplog.text


def test_no_cjk_font_installed_is_a_clear_error(tmp_path, monkeypatch):
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig><cachedir>'
                     f"{tmp_path}/cache</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    with pytest.raises(FontError, match="fonts-wqy-zenhei"):
        FontSet().ensure_main()


def _line_starts(paragraph) -> list[str]:
    starts = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):  # one-font paragraph: (extra space, [text])
            text = "".join(line[1])
        else:  # mixed fonts: frags
            text = "".join(getattr(frag, "text", "") for frag in line.words)
        starts.append(text[:1])
    return starts


@pytest.mark.parametrize("prefix", ["", f"王{EXTENSION_B_PROBE}明"])
def test_chinese_punctuation_never_starts_a_line(prefix):
    text = (prefix + "一、于2026年11月30日前补齐上列全部容缺材料，补齐前不领取办理结果；"
            "二、逾期未补齐的，同意撤回。")
    for width in range(100, 170, 3):
        paragraph = para(text, "body")
        paragraph.wrap(width * mm, 1000)
        starts = _line_starts(paragraph)
        assert len(starts) > 1
        assert not [s for s in starts[1:] if s in CHINESE_CANNOT_START], (width, starts)


def test_without_fontconfig_known_font_files_are_used(monkeypatch):
    """Windows has no fc-list: well-known files in the system font folders serve."""
    monkeypatch.setenv("PATH", "/nonexistent")
    fonts = FontSet(main_name="NoFontconfigCJK", fallback_prefix="NoFontconfigFallback")
    assert fonts.ensure_main() == "NoFontconfigCJK"
    assert fonts.main_file.path.endswith(".ttc") or fonts.main_file.path.endswith(".ttf")
    assert fonts.font_for(EXTENSION_B_PROBE).startswith("NoFontconfigFallback")


def test_sliced_glyf_table_embeds_exactly_reportlabs_glyphs(tmp_path):
    """The glyf shortcut must not change a single pixel of what is printed."""
    from PIL import Image, ImageChops
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    FONTS.ensure_main()
    main = FONTS.main_file
    untouched = TTFont("UntouchedCheck", main.path, subfontIndex=main.index)
    pdfmetrics.registerFont(untouched)
    # 300 distinct ideographs: more than one 256-glyph subset.
    text = "".join(chr(0x4E00 + n) for n in range(300) if FONTS.covers(chr(0x4E00 + n)))
    images = []
    for font_name in (MAIN_FONT, "UntouchedCheck"):
        path = tmp_path / f"{font_name}.pdf"
        page = canvas.Canvas(str(path))
        page.setFont(font_name, 14)
        for row in range(0, len(text), 30):
            page.drawString(40, 800 - row * 0.8, text[row:row + 30])
        page.save()
        subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(path),
                        str(tmp_path / font_name)], check=True)
        images.append(Image.open(tmp_path / f"{font_name}.png").convert("L"))
    assert ImageChops.difference(*images).getbbox() is None
    assert images[0].getextrema()[0] < 100  # something dark was drawn at all
