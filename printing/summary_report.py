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
                   printed_by: str, printed_at: dt.datetime) -> bytes:
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
        Spacer(1, 8 * mm),
        para(f"制表：{printed_by}　　制表时间：{chinese_datetime(printed_at)}", "small_right"),
    ]
    doc.build(story)
    return buffer.getvalue()
