"""The seed's report calendar (task 21) on the working-day calendar: 周报 by the
week's last working day up to Friday, 月报 by the month's last working day (a 调休
Saturday included); the console's reminder names the reports due and not sent."""

from __future__ import annotations

import datetime as dt

import pytest

from app.deadlines import WorkCalendar
from app.reports.console import console_reminders, monthly_due, reports_due, weekly_due
from app.reports.period_reports import queue_period_report
from app.settings import Settings
from app.staff import PermissionRefused, StaffIdentity

STATION = "350205001"
D = dt.date


@pytest.mark.parametrize("day,due", [
    (D(2026, 11, 23), D(2026, 11, 27)),  # an ordinary week: Friday
    (D(2026, 9, 28), D(2026, 9, 30)),  # National Day on Thursday: the Wednesday
    (D(2026, 10, 4), D(2026, 9, 30)),  # Sunday belongs to the same week
    (D(2026, 10, 5), D(2026, 10, 9)),  # back on Thursday 8th; the 调休 Saturday is not Friday
    (D(2026, 4, 27), D(2026, 4, 30)),  # Labour Day on Friday: the Thursday
])
def test_the_weekly_report_is_due_on_the_weeks_last_working_day_to_friday(store, day, due):
    assert weekly_due(day, WorkCalendar.load()) == due


@pytest.mark.parametrize("day,due", [
    (D(2026, 10, 15), D(2026, 10, 30)),  # the 31st is a Saturday
    (D(2026, 2, 1), D(2026, 2, 28)),  # a 调休 Saturday is a working day
    (D(2026, 12, 1), D(2026, 12, 31)),
])
def test_the_monthly_report_is_due_on_the_months_last_working_day(store, day, due):
    assert monthly_due(day, WorkCalendar.load()) == due


def test_an_administrators_override_moves_the_due_day(store):
    from local_store.models import CalendarOverride

    store.writer.call(lambda: CalendarOverride.create(day=D(2026, 11, 27), is_workday=False,
                                                      note="临时停工"))
    assert weekly_due(D(2026, 11, 25), WorkCalendar.load()) == D(2026, 11, 26)


def test_reminders_name_what_is_due_and_not_sent(store):
    supervisor = StaffIdentity("supervisor", "科长", "supervisor", STATION)
    friday = D(2026, 11, 27)
    due = reports_due(STATION, friday)
    assert [(d.kind, d.start, d.due, d.overdue) for d in due] == [  # by due day
        ("monthly", D(2026, 10, 1), D(2026, 10, 30), True),
        ("weekly", D(2026, 11, 16), D(2026, 11, 20), True),
        ("weekly", D(2026, 11, 23), friday, False),
    ]
    assert reports_due(STATION, D(2026, 11, 26)) == due[:2]  # this week's not yet due
    queue_period_report(store, Settings(), supervisor, "weekly", friday, today=friday)
    assert [d.start for d in reports_due(STATION, friday)] == [D(2026, 10, 1), D(2026, 11, 16)]
    reminders = console_reminders(supervisor, STATION, today=friday)
    assert reminders.unsigned_days == [] and len(reminders.reports) == 2
    with pytest.raises(PermissionRefused):
        console_reminders(StaffIdentity("clerk01", "", "clerk", STATION), STATION, today=friday)

