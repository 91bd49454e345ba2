"""A supervisor's summary as an A4 PDF: a title, the period and a two-column table.

The caller (``app.reports``) supplies labels and formatted values, so this
module knows nothing of cases; it shares fonts and styles with the notices.
"""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from printing.fonts import MAIN_FONT
from printing.frame import para
from printing.render import one_at_a_time
from printing.styles import chinese_datetime


@one_at_a_time  # reportlab's font subsetting state is not thread-safe
def render_summary(title: str, period: str, rows: list[tuple[str, str]],
                   printed_by: str, printed_at: dt.datetime,
                   item_table: list[list[str]] | None = None,
                   prereview_table: list[list[str]] | None = None,
                   group_sections: list[tuple[str, list[tuple[str, str]]]] | None = None,
                   group_title: str = "", trend: list[tuple[str, int]] | None = None,
                   departments: list[tuple[str, int]] | None = None) -> bytes:
    """``item_table``: header and rows of an optional second table (figures per item);
    ``prereview_table``: 网上预审 per department (header and rows), when there is any;
    ``group_sections``: (heading, label/value rows) per group of a breakdown, each as
    the station's own table, under ``group_title``; ``trend`` (day, received) and
    ``departments`` (name, received): the console's two charts, after the figures."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="OneWindow",
                            leftMargin=26 * mm, rightMargin=24 * mm,
                            topMargin=28 * mm, bottomMargin=20 * mm)
    width = A4[0] - 50 * mm
    table = Table([[para(label, "cell"), para(value, "cell_centre")] for label, value in rows],
                  colWidths=[width * 0.6, width * 0.4])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    story = [
        para(title, "title"),
        para(f"统计期间：{period}", "plain"),
        Spacer(1, 4 * mm),
        table,
        *(_charts(trend, departments, width) if trend is not None or departments else []),
        *(_item_table(item_table, width) if item_table and len(item_table) > 1 else []),
        *(_prereview_table(prereview_table, width)
          if prereview_table and len(prereview_table) > 1 else []),
        *(_group_sections(group_title, group_sections, width) if group_sections else []),
        Spacer(1, 8 * mm),
        para(f"制表：{printed_by}　　制表时间：{chinese_datetime(printed_at)}", "small_right"),
    ]
    doc.build(story)
    return buffer.getvalue()


def _charts(trend, departments, width: float) -> list:
    from printing.charts import department_drawing, trend_drawing

    story = []
    if trend is not None:
        story += [Spacer(1, 6 * mm), trend_drawing(trend, width)]
    if departments:
        story += [Spacer(1, 4 * mm), department_drawing(departments, width)]
    return story


def _prereview_table(rows: list[list[str]], width: float) -> list:
    numbers = len(rows[0]) - 1
    table = Table([[para(str(value), "cell") for value in row] for row in rows],
                  colWidths=[width - numbers * 15 * mm] + [15 * mm] * numbers, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return [Spacer(1, 6 * mm), para("网上预审（按部门）", "plain"), Spacer(1, 2 * mm), table]


def _item_table(rows: list[list[str]], width: float) -> list:
    numbers = len(rows[0]) - 3
    name_width = width - 2 * 0.0 - numbers * 13 * mm
    table = Table([[para(str(value), "cell") for value in row] for row in
                   ([rows[0][:1] + rows[0][3:]] + [row[:1] + row[3:] for row in rows[1:]])],
                  colWidths=[name_width] + [13 * mm] * numbers, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return [Spacer(1, 6 * mm), para("按事项统计", "plain"), Spacer(1, 2 * mm), table]


def _group_sections(group_title: str, sections, width: float) -> list:
    story = [Spacer(1, 6 * mm), para(group_title, "plain")]
    for heading, rows in sections:
        table = Table([[para(label, "cell"), para(value, "cell_centre")]
                       for label, value in rows], colWidths=[width * 0.6, width * 0.4])
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), MAIN_FONT),
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story += [Spacer(1, 3 * mm), para(heading, "plain"), Spacer(1, 1 * mm), table]
    return story
