"""Promised deadlines (承诺办结时限) in working or natural days.

Working days come from ``chinesecalendar`` (statutory holidays and 调休
weekend workdays).  The package only knows years up to its release, so an
administrator can enter single days (``CalendarOverride``) and declare a year
complete (``CoveredYear``).  A deadline whose counting touches a day that
neither source covers is computed on Mon–Fri and flagged ``uncertain`` with a
reason — never silently.

Counting follows 《民法典》 §201–203 and 《行政许可法》 §82: the day of
acceptance is not counted; in natural days, a period ending on a rest day ends
on the next working day instead.  特别程序 (hearing, inspection, expert
review) stops the clock: days inside a pause are not counted at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

import chinese_calendar

from local_store.models import CalendarOverride, CoveredYear

WORKING_DAY = "working_day"
NATURAL_DAY = "natural_day"
UNIT_NAMES = {WORKING_DAY: "工作日", NATURAL_DAY: "自然日"}


class DeadlineError(ValueError):
    """The item's limit cannot be used (message in Chinese)."""


@dataclass(frozen=True)
class Deadline:
    date: dt.date
    uncertain: bool = False
    reason: str = ""


@dataclass
class WorkCalendar:
    """chinesecalendar plus the administrator's override table."""

    overrides: dict[dt.date, bool] = field(default_factory=dict)
    covered_years: set[int] = field(default_factory=set)

    @classmethod
    def load(cls) -> WorkCalendar:
        """Read the admin tables from the bound case database."""
        return cls(
            overrides={row.day: row.is_workday for row in CalendarOverride.select()},
            covered_years={row.year for row in CoveredYear.select()},
        )

    def is_workday(self, day: dt.date) -> tuple[bool, bool]:
        """``(is_workday, known)``; unknown days fall back to Mon–Fri."""
        if day in self.overrides:
            return self.overrides[day], True
        try:
            return chinese_calendar.is_workday(day), True
        except NotImplementedError:
            pass
        # Beyond the package's data: the admin may have entered every holiday
        # and 调休 day of the year as overrides and declared it covered.
        return day.weekday() < 5, day.year in self.covered_years


def _parse_limit(limit: dict | None) -> tuple[int, str]:
    if not limit:
        return 0, WORKING_DAY
    try:
        value = int(limit.get("value", 0))
    except (TypeError, ValueError) as exc:
        raise DeadlineError(f"事项承诺时限数值无效：{limit.get('value')!r}") from exc
    unit = limit.get("unit") or WORKING_DAY
    if unit not in UNIT_NAMES:
        raise DeadlineError(f"事项承诺时限单位无效：{unit!r}（应为工作日或自然日）")
    if value < 0:
        raise DeadlineError(f"事项承诺时限不能为负数：{value}")
    return value, unit


def _in_pause(day: dt.date, pauses: Iterable[tuple[dt.date, dt.date]]) -> bool:
    return any(start <= day <= end for start, end in pauses)


def promise_deadline(
    start: dt.date,
    limit: dict | None,
    overrides: WorkCalendar | None = None,
    pauses: Iterable[tuple[dt.date, dt.date]] = (),
) -> Deadline:
    """The last day of ``limit`` counted from ``start`` (acceptance day).

    ``pauses`` are inclusive (first, last) date ranges of 特别程序.  A limit of
    0 (即办件) ends on ``start`` itself.
    """
    calendar = overrides or WorkCalendar()
    pauses = list(pauses)
    value, unit = _parse_limit(limit)
    unknown_years: set[int] = set()

    def workday(day: dt.date) -> bool:
        is_work, known = calendar.is_workday(day)
        if not known:
            unknown_years.add(day.year)
        return is_work

    day = start
    remaining = value
    while remaining > 0:
        day += dt.timedelta(days=1)
        if _in_pause(day, pauses):
            continue
        if unit == NATURAL_DAY or workday(day):
            remaining -= 1
    if unit == NATURAL_DAY and value > 0:
        while not workday(day):
            day += dt.timedelta(days=1)

    if not unknown_years:
        return Deadline(day)
    years = "、".join(str(year) for year in sorted(unknown_years))
    return Deadline(
        day,
        uncertain=True,
        reason=(
            f"{years} 年的节假日安排尚无数据，期限暂按周一至周五计算，请管理员录入该年节假日后复核"
        ),
    )


# 容缺受理: how many working days the applicant is offered by default to bring
# what is missing.  Local rules (e.g. 厦门市容缺受理办法) allow "within the
# promised period"; three working days leaves the office time to review the
# materials before the case's own deadline.
DEFICIENCY_DEFAULT_WORKING_DAYS = 3


@dataclass(frozen=True)
class DeficiencyWindow:
    """When a 容缺 applicant may promise to bring the missing materials."""

    default: dt.date  # a working day, offered first
    latest: dt.date  # the case's promised deadline: it cannot conclude without them
    deadline: Deadline


def deficiency_window(
    accepted: dt.date, limit: dict | None, calendar: WorkCalendar | None = None
) -> DeficiencyWindow:
    """Bounds for the 容缺 promise date of a case accepted on ``accepted``.

    The promise cannot fall after the case's own deadline (the office could not
    conclude in time), nor before the acceptance day.  The default is the
    working day ``DEFICIENCY_DEFAULT_WORKING_DAYS`` after acceptance, or the
    deadline itself when that comes sooner — never a weekend or holiday.
    """
    calendar = calendar or WorkCalendar()
    deadline = promise_deadline(accepted, limit, calendar)
    default = promise_deadline(
        accepted, {"value": DEFICIENCY_DEFAULT_WORKING_DAYS, "unit": WORKING_DAY}, calendar
    ).date
    return DeficiencyWindow(default=min(default, deadline.date), latest=deadline.date,
                            deadline=deadline)


def set_calendar_day(day: dt.date, is_workday: bool, note: str = "") -> None:
    """Admin: mark one day as workday/holiday (call inside a writer unit)."""
    CalendarOverride.insert(day=day, is_workday=is_workday, note=note).on_conflict(
        conflict_target=[CalendarOverride.day],
        update={CalendarOverride.is_workday: is_workday, CalendarOverride.note: note},
    ).execute()


def cover_year(year: int, note: str = "") -> None:
    """Admin: declare every holiday/调休 day of ``year`` entered (writer unit)."""
    CoveredYear.insert(year=year, note=note).on_conflict_ignore().execute()


def change_calendar(store, identity, day: dt.date | None = None, is_workday: bool = True,
                    note: str = "", cover: int | None = None) -> None:
    """The administrator's use case: one day set, or a year declared covered.

    Refused to anyone but an administrator (``app.staff``); the change and its
    audit row commit together.
    """
    from app.staff import ADMINISTRATORS, audit, require_role

    require_role(identity, ADMINISTRATORS, "维护工作日日历")

    def unit() -> None:
        if cover is not None:
            cover_year(cover, note)
            target, detail = str(cover), {"covered_year": cover, "note": note}
        else:
            set_calendar_day(day, is_workday, note)
            target = day.isoformat()
            detail = {"day": target, "workday": is_workday, "note": note}
        audit.append_in_unit(identity.station, identity.account, audit.SETTINGS_CHANGE,
                             f"calendar/{target}", audit.OK, detail)

    store.writer.call(unit)
