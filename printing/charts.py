"""The console's two charts for paper (reportlab graphics): the trend over the
range (received per day) and the distribution by department.  Same data and
same reading as on screen (``ui.console.charts``): the trend labelled at its
first, middle and last days, the departments busiest first with their numbers
beside the bars, the rest beyond the eighth summed as one."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from printing.fonts import MAIN_FONT

BAR_COLOUR = colors.HexColor("#2f6fb0")
MOST_DEPARTMENTS = 8
OTHER_DEPARTMENTS = "其他部门"


def trend_drawing(points: list[tuple[str, int]], width: float, height: float = 150) -> Drawing:
    """One bar per day; the highest count in the title, so the paper can be read."""
    drawing = Drawing(width, height)
    highest = max((value for _, value in points), default=0)
    drawing.add(String(0, height - 12, f"每日收件（最高 {highest} 件）", fontName=MAIN_FONT,
                       fontSize=10))
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 20
    chart.width, chart.height = width - 40, height - 45
    chart.data = [[value for _, value in points] or [0]]
    labelled = {0, len(points) - 1, len(points) // 2}
    chart.categoryAxis.categoryNames = [day[5:] if n in labelled else ""
                                        for n, (day, _) in enumerate(points)] or [""]
    chart.categoryAxis.labels.fontName = MAIN_FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.tickDown = 0
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(highest, 1)
    chart.valueAxis.valueStep = max(1, -(-highest // 4))  # whole cases, about four ticks
    chart.valueAxis.labels.fontName = MAIN_FONT
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def top_departments(departments: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if len(departments) <= MOST_DEPARTMENTS:
        return list(departments)
    head = list(departments[:MOST_DEPARTMENTS - 1])
    return [*head, (OTHER_DEPARTMENTS,
                    sum(value for _, value in departments[MOST_DEPARTMENTS - 1:]))]


def department_drawing(departments: list[tuple[str, int]], width: float) -> Drawing:
    """Horizontal bars, busiest at the top, each with its number."""
    bars = top_departments(departments) or [("—", 0)]
    row = 18
    height = 30 + row * len(bars)
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, "各部门收件", fontName=MAIN_FONT, fontSize=10))
    chart = HorizontalBarChart()
    names_width = min(width * 0.45, 11 * max(len(name) for name, _ in bars) + 8)
    chart.x, chart.y = names_width, 5
    chart.width, chart.height = width - names_width - 40, row * len(bars)
    # reportlab draws the first category at the bottom: reverse for busiest on top.
    ordered = list(reversed(bars))
    chart.data = [[value for _, value in ordered]]
    chart.categoryAxis.categoryNames = [name for name, _ in ordered]
    chart.categoryAxis.labels.fontName = MAIN_FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(max(value for _, value in bars), 1)
    chart.valueAxis.visible = False
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = MAIN_FONT
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing
