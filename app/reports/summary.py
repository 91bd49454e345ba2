"""The numbers a supervisor signs off: what was taken in, decided, and reported.

Counts come from the append-only case history (``CaseEvent``), so a case that
was accepted and concluded on the same day counts once in each column, as the
window's paper ledger would.  Reporting to the hall (上报) is judged per case
received in the period: reported = the hall acknowledged its first manifest;
on time = within the plan's 12 hours of the decision it reports
(``app.reports.timeliness``, the one rule every report uses).

Times are stored in UTC (``local_store.instants``); a day is a day of the
station's zone, so a decision at 23:30 and one at 00:30 Beijing time fall on
the days the clerk saw on the wall clock, whatever the computer's zone is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from peewee import fn

from app.reports.timeliness import on_time_sql
from local_store.instants import day_bounds_utc, station_today
from local_store.models import (
    Case,
    CaseEvent,
    CaseFee,
    Evaluation,
    OutboxEntry,
    Rectification,
)

DAILY, WEEKLY, MONTHLY = "daily", "weekly", "monthly"
PERIODS = (DAILY, WEEKLY, MONTHLY)
# A range the supervisor picks (two dates); not a period of the report calendar.
CUSTOM = "custom"
# The longest custom range: a year and a day (a leap year's trend, one bar a day).
LONGEST_CUSTOM_DAYS = 366
UNFINISHED_STATES = ("accepted", "in_process")
# What the hall reports of a case still being worked on (sync.status); "" = nothing
# yet.  A case the department concluded at the hall (已办结, 结果可领取, 已送达)
# stays "accepted" here and is not overdue any more.
HALL_UNFINISHED_STATUSES = ("", "received", "pre_review_passed", "pre_review_returned",
                            "in_process")
# 好差评 (GB/T 39046 A.8 meanings): 好评 = the first three levels, 差评 the last two.
LEVELS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
GOOD_RATINGS = LEVELS[:3]
BAD_RATINGS = LEVELS[3:]

# Event kinds written by app.intake, grouped into the summary's columns.  The
# intake writes "concluded" only for a 即办件 settled on the spot, which is
# accepted and concluded in one step, so it counts in both columns.
EVENT_COLUMNS = {
    "received": ("received",),
    "accepted": ("accepted", "accepted_with_deficiencies", "concluded"),
    "accepted_with_deficiencies": ("accepted_with_deficiencies",),
    "completion_notices": ("notified",),
    "rejected": ("rejected",),
    "concluded": ("concluded",),
}


@dataclass(frozen=True)
class Summary:
    period: str
    start: dt.date
    end: dt.date  # inclusive, as printed
    received: int
    accepted: int
    accepted_with_deficiencies: int
    completion_notices: int
    rejected: int
    concluded: int
    window_cases: int
    online_cases: int
    other_channel_cases: int
    overdue: int
    reported: int
    reported_on_time: int
    unreported: int
    # 好差评 given in the period, by level (LEVELS order), and the rectification of
    # its bad ratings as it stands now.  ``evaluations == 0`` means nothing was
    # collected: the indicators are then not known, and must not read as zero.
    evaluations: int
    rating_counts: tuple[int, ...]
    bad_open: int
    bad_closed: int
    bad_overdue: int
    # 收费: notices whose amount was confirmed in the period (due) and payments the
    # platform confirmed in the period (paid), counted and summed in fen.
    fees_due: int = 0
    fees_due_fen: int = 0
    fees_paid: int = 0
    fees_paid_fen: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        """好评率: 非常满意, 满意 and 基本满意 among all ratings; None when none collected."""
        good = sum(self.rating_counts[:len(GOOD_RATINGS)])
        return good / self.evaluations if self.evaluations else None

    @property
    def bad_evaluations(self) -> int | None:
        return sum(self.rating_counts[len(GOOD_RATINGS):]) if self.evaluations else None

    @property
    def report_rate(self) -> float | None:
        return self.reported / self.received if self.received else None

    @property
    def timeliness_rate(self) -> float | None:
        return self.reported_on_time / self.received if self.received else None

    def as_dict(self) -> dict:
        data = asdict(self)
        data["start"], data["end"] = self.start.isoformat(), self.end.isoformat()
        data["report_rate"] = self.report_rate
        data["timeliness_rate"] = self.timeliness_rate
        data["rating_counts"] = dict(zip(LEVELS, self.rating_counts, strict=True))
        data["satisfaction_rate"] = self.satisfaction_rate
        data["bad_evaluations"] = self.bad_evaluations
        return data


class BadRange(ValueError):
    """A custom range that cannot be counted (message in Chinese)."""


def custom_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """A supervisor's own range, checked: both dates, in order, at most a year."""
    if start is None or end is None:
        raise BadRange("请选择自定义期间的开始日期和结束日期")
    if end < start:
        raise BadRange(f"结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}，"
                       "请重新选择")
    if (end - start).days + 1 > LONGEST_CUSTOM_DAYS:
        raise BadRange(f"自定义期间最长 {LONGEST_CUSTOM_DAYS} 天，请缩短")
    return start, end


def checked_span(period: str, day: dt.date | None, last_day: dt.date | None = None
                 ) -> tuple[str, dt.date, dt.date | None]:
    """A range as a person picked it — (period, day, last day), the last only for
    ``CUSTOM`` — checked before anything is counted: ``BadRange`` says what to fix."""
    if period == CUSTOM:
        start, end = custom_range(day, last_day)
        return period, start, end
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    if day is None:
        raise BadRange("请选择日期")
    return period, day, None


def period_bounds(period: str, day: dt.date, last_day: dt.date | None = None
                  ) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the period containing ``day``; for
    ``CUSTOM``, ``day`` to ``last_day`` (checked by ``custom_range``)."""
    if period == CUSTOM:
        return custom_range(day, last_day)
    if period == DAILY:
        return day, day
    if period == WEEKLY:  # Monday to Sunday, as Chinese offices count weeks
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=6)
    if period == MONTHLY:
        start = day.replace(day=1)
        following = (start + dt.timedelta(days=32)).replace(day=1)
        return start, following - dt.timedelta(days=1)
    raise ValueError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")


def summarise(period: str, day: dt.date, station: str | None = None,
              today: dt.date | None = None, zone: ZoneInfo | None = None,
              last_day: dt.date | None = None) -> Summary:
    """The period's numbers; days (and ``today``) are days of ``zone``, the station's."""
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    today = today or station_today(zone)

    events = _event_counts(since, until, station)
    columns = {name: sum(events.get(kind, 0) for kind in kinds)
               for name, kinds in EVENT_COLUMNS.items()}
    channels = _channel_counts(since, until, station)
    reported, on_time = _reporting(since, until, station)
    received_cases = sum(channels.values())
    return Summary(
        period=period,
        start=start,
        end=end,
        window_cases=channels.get("window", 0),
        online_cases=channels.get("online", 0),
        other_channel_cases=received_cases - channels.get("window", 0)
        - channels.get("online", 0),
        overdue=_overdue(min(end, today), station),
        reported=reported,
        reported_on_time=on_time,
        unreported=received_cases - reported,
        **_evaluations(since, until, station, today),
        **_fees(since, until, station),
        **columns,
    )


def _scoped(query, station: str | None):
    return query.where(Case.station == station) if station else query


def _event_counts(since, until, station) -> dict[str, int]:
    query = (CaseEvent.select(CaseEvent.kind, fn.COUNT(CaseEvent.id).alias("n"))
             .join(Case)
             .where((CaseEvent.at >= since) & (CaseEvent.at < until))
             .group_by(CaseEvent.kind))
    return {row.kind: row.n for row in _scoped(query, station)}


def _channel_counts(since, until, station) -> dict[str, int]:
    query = (Case.select(Case.channel, fn.COUNT(Case.id).alias("n"))
             .where((Case.received_at >= since) & (Case.received_at < until))
             .group_by(Case.channel))
    return {row.channel: row.n for row in _scoped(query, station)}


def _reporting(since, until, station) -> tuple[int, int]:
    """Cases received in the period whose first manifest the hall acknowledged."""
    first_entry_id = (OutboxEntry.select(fn.MIN(OutboxEntry.id))
                      .where(OutboxEntry.case == Case.id))  # correlated: one index probe
    query = (Case.select(fn.COUNT(Case.id), fn.SUM(on_time_sql().cast("INTEGER")))
             .join(OutboxEntry, on=(OutboxEntry.id == first_entry_id))
             .where((Case.received_at >= since) & (Case.received_at < until)
                    & OutboxEntry.acknowledged_at.is_null(False)))
    reported, on_time = _scoped(query, station).scalar(as_tuple=True)
    return reported or 0, on_time or 0


def _overdue(as_of: dt.date, station) -> int:
    """Cases still unfinished now whose promised date had passed by ``as_of``."""
    query = Case.select(fn.COUNT(Case.id)).where(overdue_as_of(as_of))
    return _scoped(query, station).scalar() or 0


def overdue_as_of(as_of: dt.date):
    """Unfinished here and at the hall, and its promised date passed before ``as_of``.

    The hall status is named by its unfinished values (not "not concluded") so that
    the index (state, hall_status, deadline) answers it with a few seeks instead of
    walking every old case the hall concluded (migration 0016)."""
    return (Case.state.in_(UNFINISHED_STATES)
            & Case.hall_status.in_(HALL_UNFINISHED_STATUSES)
            & Case.deadline.is_null(False) & (Case.deadline < as_of))


def _evaluations(since, until, station, today: dt.date) -> dict:
    """Ratings given in the period by level, and their bad ratings' rectification:
    open, closed, overdue (open past its due day, or closed after it)."""
    from app.evaluation import is_overdue

    query = (Evaluation.select(Evaluation.level, fn.COUNT(Evaluation.id).alias("n"))
             .where((Evaluation.at >= since) & (Evaluation.at < until))
             .group_by(Evaluation.level))
    if station:  # correlated, so the planner stays on the evaluation time index
        query = query.where(fn.EXISTS(Case.select(Case.id).where(
            (Case.id == Evaluation.case) & (Case.station == station))))
    by_level = {row.level: row.n for row in query}
    items = (Rectification.select(Rectification, Evaluation.id).join(Evaluation)
             .where((Evaluation.at >= since) & (Evaluation.at < until)))
    if station:
        items = items.where(fn.EXISTS(Case.select(Case.id).where(
            (Case.id == Evaluation.case) & (Case.station == station))))
    bad_open = bad_closed = bad_overdue = 0
    for item in items:
        if item.state == "closed":
            bad_closed += 1
        else:
            bad_open += 1
        bad_overdue += is_overdue(item, today)
    return {"evaluations": sum(by_level.values()),
            "rating_counts": tuple(by_level.get(level, 0) for level in LEVELS),
            "bad_open": bad_open, "bad_closed": bad_closed, "bad_overdue": bad_overdue}


def _fees(since, until, station) -> dict:
    def counted(moment) -> tuple[int, int]:
        query = (CaseFee.select(fn.COUNT(CaseFee.id), fn.COALESCE(fn.SUM(CaseFee.amount_fen), 0))
                 .where((moment >= since) & (moment < until)))
        if station:
            # Correlated, so the planner reads the fees and not every case of
            # the station (a join scanned all cases: 2 s of a daily summary at
            # 1.5 M cases, tests/bench/bench_scale.py).
            query = query.where(fn.EXISTS(Case.select(Case.id).where(
                (Case.id == CaseFee.case) & (Case.station == station))))
        return tuple(query.scalar(as_tuple=True))

    due, due_fen = counted(CaseFee.confirmed_at)
    paid, paid_fen = counted(CaseFee.paid_at)
    return {"fees_due": due, "fees_due_fen": due_fen, "fees_paid": paid,
            "fees_paid_fen": paid_fen}


def daily_series(start: dt.date, end: dt.date, station: str | None = None,
                 zone: ZoneInfo | None = None) -> list[Summary]:
    """One daily summary per day from ``start`` to ``end`` inclusive."""
    days = (end - start).days + 1
    return [summarise(DAILY, start + dt.timedelta(days=n), station, zone=zone)
            for n in range(days)]


def supervisor_summary(identity, period: str, day: dt.date, station: str | None = None,
                       today: dt.date | None = None, zone: ZoneInfo | None = None,
                       last_day: dt.date | None = None) -> Summary:
    """The summary as a use case: supervisors and administrators only.

    The role is checked here, in the service, so a clerk is refused whether
    the request comes from the window, the command line or a script.
    """
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return summarise(period, day, station=station, today=today, zone=zone,
                     last_day=last_day)


@dataclass(frozen=True)
class ItemFigures:
    """One item's line of the summary, each 业务办理项 on a line of its own."""

    task_code: str
    handle_item_code: str | None
    item_name: str  # the 办理项's own name for a 办理项
    received: int
    accepted: int
    completion_notices: int
    rejected: int
    concluded: int

    def as_dict(self) -> dict:
        return asdict(self)


ITEM_COLUMNS = ("received", "accepted", "completion_notices", "rejected", "concluded")


def item_breakdown(period: str, day: dt.date, station: str | None = None,
                   zone: ZoneInfo | None = None, last_day: dt.date | None = None
                   ) -> list[ItemFigures]:
    """The period's decisions per item key (task_code, handle_item_code), busiest first:
    新办 and 变更 of one item are counted apart, as the departments answer for them.
    Days are days of ``zone``, the station's, as in ``summarise``."""
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    query = (CaseEvent.select(Case.task_code, Case.handle_item_code,
                              fn.MAX(Case.item_name).alias("item_name"),
                              fn.MAX(Case.handle_item_name).alias("handle_item_name"),
                              CaseEvent.kind, fn.COUNT(CaseEvent.id).alias("n"))
             .join(Case)
             .where((CaseEvent.at >= since) & (CaseEvent.at < until))
             .group_by(Case.task_code, Case.handle_item_code, CaseEvent.kind))
    counts: dict[tuple, dict[str, int]] = {}
    names: dict[tuple, str] = {}
    for row in _scoped(query, station).dicts():
        key = (row["task_code"], row["handle_item_code"] or None)
        names[key] = row["handle_item_name"] or row["item_name"] or ""
        counts.setdefault(key, {})[row["kind"]] = row["n"]
    figures = [
        ItemFigures(key[0], key[1], names[key], **{
            column: sum(kinds.get(kind, 0) for kind in EVENT_COLUMNS[column])
            for column in ITEM_COLUMNS})
        for key, kinds in counts.items()
    ]
    figures.sort(key=lambda f: (-f.received, -f.accepted, f.task_code, f.handle_item_code or ""))
    return figures


def supervisor_item_breakdown(identity, period: str, day: dt.date, station: str | None = None,
                              zone: ZoneInfo | None = None, last_day: dt.date | None = None
                              ) -> list[ItemFigures]:
    """``item_breakdown`` for supervisors and administrators only (as the summary)."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return item_breakdown(period, day, station=station, zone=zone, last_day=last_day)
