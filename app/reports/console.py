"""The supervisor's console as use cases: what each of its tabs reads, in one call
each, role-checked here (a clerk is refused whatever calls), so the widgets only
show what comes back.

* ``console_figures`` — the range's breakdown by the chosen dimension, the daily
  trend over the range and the distribution by department (the charts);
* ``console_reminders`` — 周报/月报 due and not yet sent to the hall (the seed's
  calendar: by the week's last working day up to Friday, by the month's last
  working day, from the working-day calendar), and station days left unsigned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from app.deadlines import WorkCalendar
from app.reports.breakdown import DEPARTMENT, GroupLine, breakdowns, daily_trend
from app.reports.summary import MONTHLY, WEEKLY, period_bounds
from local_store.instants import station_today
from local_store.models import PeriodReport

REPORT_KINDS = (WEEKLY, MONTHLY)


@dataclass(frozen=True)
class ConsoleFigures:
    start: dt.date
    end: dt.date
    lines: list[GroupLine]  # by the chosen dimension
    trend: list[tuple[str, int]]  # (YYYY-MM-DD, received) per day of the range
    departments: list[tuple[str, int]]  # (department, received), busiest first


def console_figures(identity, period: str, day: dt.date, by: str, station: str | None = None,
                    zone: ZoneInfo | None = None, last_day: dt.date | None = None,
                    today: dt.date | None = None) -> ConsoleFigures:
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    start, end = period_bounds(period, day, last_day)
    dimensions = (by,) if by == DEPARTMENT else (by, DEPARTMENT)
    groups = breakdowns(period, day, dimensions, station=station, today=today, zone=zone,
                        last_day=last_day)
    trend = [(point["day"], point["received"])
             for point in daily_trend(start, end, station=station, zone=zone)]
    departments = [(line.label, line.summary.received) for line in groups[DEPARTMENT]
                   if line.summary.received]
    return ConsoleFigures(start, end, groups[by], trend, departments)


# -- the report calendar ---------------------------------------------------------
def weekly_due(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """When the week's 周报 is due: its last working day up to Friday (Friday in a
    normal week; the Wednesday before National Day); a week without one (all
    holiday) hands it in on the first working day after."""
    monday = day - dt.timedelta(days=day.weekday())
    for offset in range(4, -1, -1):
        candidate = monday + dt.timedelta(days=offset)
        if calendar.is_workday(candidate)[0]:
            return candidate
    candidate = monday + dt.timedelta(days=7)
    while not calendar.is_workday(candidate)[0]:
        candidate += dt.timedelta(days=1)
    return candidate


def monthly_due(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """When the month's 月报 is due: the month's last working day."""
    _, last = period_bounds(MONTHLY, day)
    candidate = last
    while candidate.day > 1 and not calendar.is_workday(candidate)[0]:
        candidate -= dt.timedelta(days=1)
    return candidate


@dataclass(frozen=True)
class ReportDue:
    kind: str  # weekly | monthly
    start: dt.date
    end: dt.date
    due: dt.date
    overdue: bool  # the due day has passed


def reports_due(station: str, today: dt.date, calendar: WorkCalendar | None = None
                ) -> list[ReportDue]:
    """This and the previous week's and month's reports whose due day has come and
    that were not yet sent to the hall (any version of them)."""
    calendar = calendar or WorkCalendar.load()
    due_on = {WEEKLY: weekly_due, MONTHLY: monthly_due}
    found = []
    for kind in REPORT_KINDS:
        start, _ = period_bounds(kind, today)
        previous = start - dt.timedelta(days=1)
        for day in (previous, today):
            first, last = period_bounds(kind, day)
            due = due_on[kind](day, calendar)
            if due > today or report_sent(kind, station, first):
                continue
            found.append(ReportDue(kind, first, last, due, overdue=due < today))
    return sorted(found, key=lambda item: (item.due, item.kind))


def report_sent(kind: str, station: str, start: dt.date) -> bool:
    """Sent, or on its way: a report the hall refused (parked) does not count."""
    return PeriodReport.select().where((PeriodReport.kind == kind)
                                       & (PeriodReport.station == station)
                                       & (PeriodReport.period_start == start)
                                       & (PeriodReport.sync_state != "parked")).exists()


@dataclass(frozen=True)
class RefusedReport:
    kind: str  # weekly | monthly | day_signoff
    start: dt.date
    end: dt.date
    reason: str


def refused_reports(station: str) -> list[RefusedReport]:
    """Reports the hall refused for good (parked), each with the hall's reason."""
    rows = (PeriodReport.select().where((PeriodReport.station == station)
                                        & (PeriodReport.sync_state == "parked"))
            .order_by(PeriodReport.id))
    return [RefusedReport(row.kind, row.period_start, row.period_end, row.last_error)
            for row in rows]


@dataclass(frozen=True)
class ConsoleReminders:
    reports: list[ReportDue]
    unsigned_days: list[dt.date]  # station days before today with decisions, unsigned
    refused: list[RefusedReport] = ()  # sent, but refused by the hall: a person must look


def console_reminders(identity, station: str, zone: ZoneInfo | None = None,
                      today: dt.date | None = None) -> ConsoleReminders:
    from app.reports.end_of_day import unsigned_days
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    today = today or station_today(zone)
    return ConsoleReminders(reports_due(station, today), unsigned_days(station, today, zone),
                            refused_reports(station))
