"""A summary as it leaves the station — PDF (with the console's two charts), Excel
or JSON — as one use case for the command line (``onewindow report``) and the
console's export buttons alike: the figures are read once
(``supervisor_summary_report``, supervisors only), rendered by one function per
format, and every file written is audited (who, which period, which format).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.reports.breakdown import DIMENSION_NAMES, GroupLine, daily_trend, supervisor_breakdown
from app.reports.console import ConsoleFigures, console_figures
from app.reports.prereview import supervisor_prereview_breakdown
from app.reports.presentation import (
    ITEM_HEADER,
    PREREVIEW_HEADER,
    breakdown_sections,
    formatted_rows,
    item_rows,
    period_text,
    prereview_rows,
    title,
)
from app.reports.summary import (
    ItemFigures,
    Summary,
    supervisor_item_breakdown,
    supervisor_summary,
)
from local_store.instants import station_now

PDF, XLSX = "pdf", "xlsx"
FORMATS = (PDF, XLSX)


@dataclass(frozen=True)
class SummaryReport:
    summary: Summary
    items: list[ItemFigures]
    prereview: list  # app.reports.prereview.DeptPrereview
    by: str | None
    groups: list[GroupLine] | None  # the breakdown by ``by``
    charts: ConsoleFigures  # trend (received per day) and received per department
    trend: list[dict]  # every decision column per day (app.reports.breakdown.daily_trend)

    def as_json(self) -> dict:
        return {**self.summary.as_dict(),
                "by_item": [figures.as_dict() for figures in self.items],
                "prereview": [line.as_dict() for line in self.prereview],
                "trend": self.trend,
                "received_by_department": [{"department": name, "received": value}
                                           for name, value in self.charts.departments],
                **({"by": self.by, "breakdown": [line.as_dict() for line in self.groups]}
                   if self.groups is not None else {})}


def supervisor_summary_report(identity, period: str, day: dt.date, *, by: str | None = None,
                              station: str | None = None, zone=None,
                              last_day: dt.date | None = None) -> SummaryReport:
    """Everything a summary document shows, for supervisors and administrators only."""
    summary = supervisor_summary(identity, period, day, station=station, zone=zone,
                                 last_day=last_day)
    items = supervisor_item_breakdown(identity, period, day, station=station, zone=zone,
                                      last_day=last_day)
    # The station's own pre-review queue (applications routed to it).
    prereview = supervisor_prereview_breakdown(identity, period, day, zone=zone,
                                               last_day=last_day)
    groups = supervisor_breakdown(identity, period, day, by, station=station, zone=zone,
                                  last_day=last_day) if by else None
    charts = console_figures(identity, period, day, "department", station=station, zone=zone,
                             last_day=last_day)
    trend = daily_trend(charts.start, charts.end, station=station, zone=zone)
    return SummaryReport(summary, items, prereview, by, groups, charts, trend)


def pdf_bytes(report: SummaryReport, settings) -> bytes:
    from printing.summary_report import render_summary

    return render_summary(
        title(report.summary, settings.centre_name), period_text(report.summary),
        formatted_rows(report.summary), settings.clerk_name, station_now(settings.zone),
        item_table=[ITEM_HEADER, *item_rows(report.items)],
        prereview_table=[PREREVIEW_HEADER, *prereview_rows(report.prereview)],
        group_sections=breakdown_sections(report.groups) if report.groups else None,
        group_title=f"按{DIMENSION_NAMES[report.by]}统计" if report.by else "",
        trend=report.charts.trend, departments=report.charts.departments)


def xlsx_bytes(report: SummaryReport, settings) -> bytes:
    from app.reports.excel import summary_workbook

    return summary_workbook([report.summary], settings.centre_name, report.items,
                            report.prereview, breakdown=report.groups, trend=report.trend)


RENDERERS = {PDF: pdf_bytes, XLSX: xlsx_bytes}


def audit_export(store, identity, report: SummaryReport, kind: str, day: dt.date,
                 all_stations: bool = False) -> None:
    """Figures leaving the station: who, what, which period (the day asked for)."""
    from app.staff import audit

    summary = report.summary
    detail = {"format": kind, "all_stations": all_stations}
    if summary.period == "custom":
        detail["end"] = summary.end.isoformat()
    audit.append(store, identity.station, identity.account, audit.EXPORT,
                 f"report/{summary.period}/{day.isoformat()}", audit.OK, detail)


def export_summary_file(store, settings, identity, period: str, day: dt.date, kind: str,
                        path: Path, *, by: str | None = None, station: str | None = None,
                        last_day: dt.date | None = None) -> Path:
    """The console's export: read, audit, render and write one file."""
    if kind not in RENDERERS:
        raise ValueError(f"unknown format {kind!r}; use one of {', '.join(FORMATS)}")
    report = supervisor_summary_report(identity, period, day, by=by, station=station,
                                       zone=settings.zone, last_day=last_day)
    audit_export(store, identity, report, kind, day, all_stations=station is None)
    path = Path(path)
    path.write_bytes(RENDERERS[kind](report, settings))
    return path
