"""Summaries as an Excel workbook (openpyxl), for supervisors' own sheets."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.reports.presentation import (
    ITEM_HEADER,
    PREREVIEW_HEADER,
    ROWS,
    breakdown_cells,
    breakdown_header,
    cell_values,
    item_rows,
    period_text,
    title,
)
from app.reports.summary import ItemFigures, Summary


def summary_workbook(summaries: list[Summary], centre: str,
                     items: list[ItemFigures] | None = None, prereview=None,
                     breakdown=None, trend: list[dict] | None = None) -> bytes:
    """One sheet: a row per period, a column per figure (rates as percentages);
    with ``items``, a second sheet with a row per item (each 办理项 apart); with
    ``breakdown`` (``app.reports.breakdown.GroupLine``s), a sheet 分组统计 with a row
    per group and the same columns as the first sheet; with ``trend``
    (``app.reports.breakdown.daily_trend``), a sheet 每日趋势 with a row per day."""
    book = Workbook()
    sheet = book.active
    sheet.title = "办件统计"
    sheet.append([title(summaries[0], centre) if summaries else centre])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["统计期间"] + [label for _, label in ROWS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for summary in summaries:
        sheet.append([period_text(summary)] + cell_values(summary))
        for (key, _), cell in zip(ROWS, sheet[sheet.max_row][1:], strict=True):
            if key.endswith("_rate"):
                cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 30
    sheet.freeze_panes = "B3"
    if items is not None:
        by_item = book.create_sheet("按事项")
        by_item.append(ITEM_HEADER)
        for cell in by_item[1]:
            cell.font = Font(bold=True)
        for row in item_rows(items):
            by_item.append(row[:3] + [int(value) for value in row[3:]])
        by_item.column_dimensions["A"].width = 36
        by_item.column_dimensions["B"].width = 34
        by_item.column_dimensions["C"].width = 38
        by_item.freeze_panes = "A2"
    if prereview is not None:
        sheet = book.create_sheet("网上预审")
        sheet.append(PREREVIEW_HEADER)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in prereview:
            sheet.append([line.dept_name, line.pre_reviewed, line.passed, line.returned,
                          line.rejected, line.within_two_working_days, line.on_time_rate,
                          line.overdue_now])
            sheet.cell(sheet.max_row, 7).number_format = "0.0%"
        sheet.column_dimensions["A"].width = 30
        sheet.freeze_panes = "A2"
    if breakdown is not None:
        _breakdown_sheet(book, breakdown)
    if trend is not None:
        _trend_sheet(book, trend)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TREND_HEADER = {"received": "收件", "accepted": "受理（含即办）",
                "completion_notices": "一次性告知", "rejected": "不予受理", "concluded": "当场办结"}


def _trend_sheet(book, trend: list[dict]) -> None:
    sheet = book.create_sheet("每日趋势")
    sheet.append(["日期", *TREND_HEADER.values()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for point in trend:
        sheet.append([point["day"], *(point[key] for key in TREND_HEADER)])
    sheet.column_dimensions["A"].width = 14
    sheet.freeze_panes = "A2"


def _breakdown_sheet(book, lines) -> None:
    sheet = book.create_sheet("分组统计")
    dimension = lines[0].dimension if lines else "department"
    sheet.append(breakdown_header(dimension))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in breakdown_cells(lines):
        sheet.append(row)
        for (key, _), cell in zip(ROWS, sheet[sheet.max_row][2:], strict=True):
            if key.endswith("_rate"):
                cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "C2"
