"""Paragraph styles of the documents (sizes follow GB/T 9704 proportions)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from reportlab.lib import textsplit
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph

from printing.fonts import FONTS, MAIN_FONT

OFFICIAL_RED = Color(0.80, 0.0, 0.0)

# reportlab's line-breaking table follows Japanese rules and lets Chinese
# full-width commas, semicolons and closing quotes start a line (GB/T 15834
# forbids it).  Both CJK splitters (one-font and mixed-font paragraphs) read
# their module global at call time.
CHINESE_CANNOT_START = "，；：！？”’》〉」』、。）"
for _splitter in (paragraph, textsplit):
    if not set(CHINESE_CANNOT_START) <= set(_splitter.ALL_CANNOT_START):
        _splitter.ALL_CANNOT_START += CHINESE_CANNOT_START


@cache
def styles(scale: float = 1.0) -> dict[str, ParagraphStyle]:
    """Styles at ``scale`` (1.0 = A4; the 80 mm roll uses smaller type)."""
    FONTS.ensure_main()

    def style(name, size, align=TA_LEFT, leading=1.5, **extra):
        return ParagraphStyle(
            name, fontName=MAIN_FONT, fontSize=size * scale,
            leading=size * scale * leading, alignment=align, wordWrap="CJK", **extra,
        )

    return {
        "masthead": style("masthead", 24, TA_CENTER, 1.3, textColor=OFFICIAL_RED),
        "docnumber": style("docnumber", 11.5, TA_CENTER),
        "title": style("title", 20, TA_CENTER, 1.4, spaceBefore=6 * scale,
                       spaceAfter=10 * scale),
        "salutation": style("salutation", 13, leading=1.7, spaceAfter=2 * scale),
        # 1.6 lines: an acceptance notice with seven materials, a legal
        # representative and an agent still ends on its first sheet.
        "body": style("body", 13, TA_JUSTIFY, 1.6, firstLineIndent=26 * scale),
        "plain": style("plain", 12, leading=1.6),
        "cell": style("cell", 10.5, leading=1.35),
        "cell_centre": style("cell_centre", 10.5, TA_CENTER, 1.35),
        "sign": style("sign", 13, TA_CENTER, 1.7),
        "small": style("small", 9, leading=1.45),
        "small_right": style("small_right", 9, TA_RIGHT, 1.45),
        "small_centre": style("small_centre", 9, TA_CENTER, 1.45),
    }


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: dt.datetime) -> str:
    return f"{chinese_date(moment.date())} {moment:%H:%M}"
