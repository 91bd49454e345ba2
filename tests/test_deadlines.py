"""Promised deadlines across holidays, 调休, uncovered years and 特别程序."""

import datetime as dt

import chinese_calendar
import pytest

from app.deadlines import (
    DeadlineError,
    WorkCalendar,
    cover_year,
    deficiency_window,
    promise_deadline,
    set_calendar_day,
)

D = dt.date
WORKING = {"value": 5, "unit": "working_day"}


def first_uncovered_year() -> int:
    """2027 with chinesecalendar 1.11; later releases may cover more."""
    year = 2026
    while True:
        try:
            chinese_calendar.is_workday(D(year, 6, 1))
        except NotImplementedError:
            return year
        year += 1


def test_working_days_skip_national_day_and_count_the_tiaoxiu_saturday():
    # Accepted Wed 30 Sep 2026; Oct 1–7 are holidays, Sat Oct 10 is a 调休 workday.
    deadline = promise_deadline(D(2026, 9, 30), WORKING)
    assert deadline == promise_deadline(D(2026, 9, 30), WORKING, WorkCalendar())
    assert deadline.date == D(2026, 10, 13)  # Oct 8, 9, 10(Sat), 12, 13
    assert not deadline.uncertain and deadline.reason == ""


def test_one_working_day_after_the_holiday_lands_on_the_tiaoxiu_saturday():
    assert promise_deadline(D(2026, 9, 30), {"value": 1, "unit": "working_day"}).date == D(
        2026, 10, 8
    )
    assert promise_deadline(D(2026, 10, 9), {"value": 1, "unit": "working_day"}).date == D(
        2026, 10, 10
    )


def test_sunday_tiaoxiu_before_national_day_counts():
    # Sun 20 Sep 2026 is a workday; accepted Fri 18 Sep, 1 working day → Sun 20.
    assert promise_deadline(D(2026, 9, 18), {"value": 1, "unit": "working_day"}).date == D(
        2026, 9, 20
    )


def test_natural_days_ending_in_a_holiday_move_to_the_next_working_day():
    deadline = promise_deadline(D(2026, 9, 28), {"value": 3, "unit": "natural_day"})
    assert deadline.date == D(2026, 10, 8)
    assert promise_deadline(D(2026, 11, 2), {"value": 3, "unit": "natural_day"}).date == D(
        2026, 11, 5
    )


def test_immediate_item_ends_the_same_day():
    assert promise_deadline(D(2026, 10, 3), {"value": 0, "unit": "working_day"}).date == D(
        2026, 10, 3
    )
    assert promise_deadline(D(2026, 10, 3), None).date == D(2026, 10, 3)


def test_special_procedure_pause_extends_the_deadline():
    plain = promise_deadline(D(2026, 11, 2), WORKING)
    assert plain.date == D(2026, 11, 9)
    paused = promise_deadline(D(2026, 11, 2), WORKING, pauses=[(D(2026, 11, 4), D(2026, 11, 5))])
    assert paused.date == D(2026, 11, 11)


def test_deadline_in_an_uncovered_year_is_flagged_not_silently_computed():
    year = first_uncovered_year()
    deadline = promise_deadline(D(year - 1, 12, 28), {"value": 10, "unit": "working_day"})
    assert deadline.uncertain
    assert str(year) in deadline.reason and "节假日" in deadline.reason
    assert deadline.date.year == year


def test_deadline_inside_covered_data_is_not_flagged_even_near_year_end():
    year = first_uncovered_year()
    deadline = promise_deadline(D(year - 1, 12, 1), {"value": 5, "unit": "working_day"})
    assert not deadline.uncertain


def test_admin_override_makes_the_next_year_covered(store):
    year = first_uncovered_year()
    start = D(year - 1, 12, 30)
    limit = {"value": 3, "unit": "working_day"}
    before = promise_deadline(start, limit, WorkCalendar.load())
    assert before.uncertain

    def enter_new_year_holidays():
        for day in (D(year, 1, 1),):
            set_calendar_day(day, False, "元旦")
        cover_year(year, "按国务院办公厅通知录入")

    store.writer.call(enter_new_year_holidays)
    after = promise_deadline(start, limit, WorkCalendar.load())
    assert not after.uncertain
    # Counting from 30 Dec: 31 Dec, then 1 Jan is a holiday, so the next two workdays.
    expected = [d for d in (D(year, 1, n) for n in range(2, 10)) if d.weekday() < 5][1]
    assert after.date == expected


def test_override_wins_over_chinesecalendar(store):
    store.writer.call(set_calendar_day, D(2026, 11, 3), False, "临时闭馆")
    calendar = WorkCalendar.load()
    assert calendar.is_workday(D(2026, 11, 3)) == (False, True)
    assert promise_deadline(D(2026, 11, 2), WORKING, calendar).date == D(2026, 11, 10)
    store.writer.call(set_calendar_day, D(2026, 11, 3), True, "恢复")
    assert WorkCalendar.load().is_workday(D(2026, 11, 3)) == (True, True)


@pytest.mark.parametrize(
    "limit, fragment",
    [({"value": 5, "unit": "month"}, "单位"), ({"value": "五"}, "数值"), ({"value": -1}, "负数")],
)
def test_bad_limits_are_clear_errors(limit, fragment):
    with pytest.raises(DeadlineError) as info:
        promise_deadline(D(2026, 11, 2), limit)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    ("accepted", "limit", "default", "latest"),
    [
        # Friday; 5 working days: due Fri 4 Dec, promise by default on Wed 2 Dec.
        (D(2026, 11, 27), WORKING, D(2026, 12, 2), D(2026, 12, 4)),
        # 1 working day: the deadline (Monday) comes before three working days.
        (D(2026, 11, 27), {"value": 1, "unit": "working_day"}, D(2026, 11, 30), D(2026, 11, 30)),
        # Across National Day: due on the 调休 working Saturday 10 Oct, and so is
        # the promise (three working days would be Monday 12 Oct, too late).
        (D(2026, 9, 30), {"value": 10, "unit": "natural_day"}, D(2026, 10, 10),
         D(2026, 10, 10)),
    ],
)
def test_deficiency_promise_defaults_to_a_working_day_within_the_deadline(
    accepted, limit, default, latest
):
    window = deficiency_window(accepted, limit)
    assert (window.default, window.latest) == (default, latest)
    assert chinese_calendar.is_workday(window.default)
    assert accepted < window.default <= window.latest == window.deadline.date
