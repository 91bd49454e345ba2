"""Every indicator of the period's summary, broken down by department, item, station
or clerk — the supervisor's console and ``onewindow report … --by``.

Each group's line is a full ``Summary`` computed by the same rules as the station
summary (``app.reports.summary``): events from the case history, channels and
reporting per case received in the period, overdue as it stands, 好差评 given and
fees confirmed/paid in the period.  A case belongs to the group of its own
attributes: its department, its item key (task_code, handle_item_code), the
station that took it in, and the clerk who took it in (``Case.clerk``), so the
lines of any breakdown add up to the station's summary, indicator by indicator.

The queries are grouped in SQL (one pass per indicator, not one per group), so a
month of a large year costs the same few index range scans as the summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from peewee import SQL, NodeList, fn

from app.reports.summary import (
    EVENT_COLUMNS,
    LEVELS,
    Summary,
    overdue_as_of,
    period_bounds,
)
from app.reports.timeliness import on_time_sql
from local_store.instants import day_bounds_utc, station_today
from local_store.models import Case, CaseEvent, CaseFee, Evaluation, OutboxEntry, Rectification

DEPARTMENT, ITEM, STATION, CLERK = "department", "item", "station", "clerk"
DIMENSIONS = (DEPARTMENT, ITEM, STATION, CLERK)
DIMENSION_NAMES = {DEPARTMENT: "部门", ITEM: "事项（办理项）", STATION: "工位", CLERK: "窗口人员"}

# The Case columns that make a group's key, per dimension.
_KEY_COLUMNS = {
    DEPARTMENT: (Case.dept_code,),
    ITEM: (Case.task_code, Case.handle_item_code),
    STATION: (Case.station,),
    CLERK: (Case.clerk,),
}


@dataclass(frozen=True)
class GroupLine:
    """One line of a breakdown: who or what, and its full summary."""

    dimension: str
    key: tuple  # the group's key columns (see _KEY_COLUMNS); handle_item_code None if none
    label: str  # how the group reads: department or item name, station code, clerk
    summary: Summary

    @property
    def key_text(self) -> str:
        return "/".join(part for part in self.key if part) or "—"

    def as_dict(self) -> dict:
        data = self.summary.as_dict()
        for redundant in ("period", "start", "end"):
            data.pop(redundant)
        return {"dimension": self.dimension, "key": list(self.key), "label": self.label,
                **data}


# Every Case column a key is made of; a dimension's key is some of them (by index).
_ALL_KEY_COLUMNS = (Case.dept_code, Case.task_code, Case.handle_item_code, Case.station,
                    Case.clerk)
_KEY_INDEXES = {DEPARTMENT: (0,), ITEM: (1, 2), STATION: (3,), CLERK: (4,)}
_HANDLE_ITEM = 2
# The names a group reads as, carried by the cases themselves.
_NAME_COLUMNS = {DEPARTMENT: (Case.dept_name,), ITEM: (Case.item_name, Case.handle_item_name)}


class _Columns:
    """The key columns of the requested dimensions, selected and grouped once, so one
    pass over the period's rows serves every dimension (rolled up in Python)."""

    def __init__(self, dimensions):
        self.dimensions = tuple(dimensions)
        self.indexes = sorted({i for d in self.dimensions for i in _KEY_INDEXES[d]})
        self.names = [(d, n, column) for d in self.dimensions
                      for n, column in enumerate(_NAME_COLUMNS.get(d, ()))]

    def selected(self) -> list:
        return ([_ALL_KEY_COLUMNS[i].alias(f"g{i}") for i in self.indexes]
                + [fn.MAX(column).alias(f"name_{d}_{n}") for d, n, column in self.names])

    def grouped(self) -> list:
        return [_ALL_KEY_COLUMNS[i] for i in self.indexes]

    def grouped_unordered(self) -> list:
        """The same groups as ``grouped``, as ``+column``: no index can hand the rows
        over in group order, so the planner never walks a whole key index (the item
        key has one) to save sorting a few dozen groups.  For the overdue count, the
        one pass not bounded by the period: with a busy year's statistics SQLite
        3.40 walked all 300k cases through (task_code, handle_item_code), 480 ms,
        where seeking the overdue index takes 7 ms (test_report_breakdown_plan).
        Not for every pass: a group key SQLite cannot match to its selected column
        costs the period's passes ~30 % more (bench_console)."""
        return [NodeList((SQL("+"), _ALL_KEY_COLUMNS[i]), glue="") for i in self.indexes]

    def keys(self, row: dict) -> dict[str, tuple]:
        return {d: tuple((row[f"g{i}"] or None) if i == _HANDLE_ITEM else row[f"g{i}"]
                         for i in _KEY_INDEXES[d]) for d in self.dimensions}


def _key(row: dict, dimension: str) -> tuple:
    """A single dimension's key from a row selected as ``k0``, ``k1`` … (drill-down)."""
    return tuple((row[f"k{n}"] or None) if column is Case.handle_item_code else row[f"k{n}"]
                 for n, column in enumerate(_KEY_COLUMNS[dimension]))


def _scoped(query, station: str | None):
    return query.where(Case.station == station) if station else query


def breakdown(period: str, day: dt.date, by: str, station: str | None = None,
              today: dt.date | None = None, zone: ZoneInfo | None = None,
              last_day: dt.date | None = None) -> list[GroupLine]:
    """The period's summary per group of ``by``, busiest first (most received)."""
    return breakdowns(period, day, (by,), station=station, today=today, zone=zone,
                      last_day=last_day)[by]


def breakdowns(period: str, day: dt.date, dimensions=DIMENSIONS, station: str | None = None,
               today: dt.date | None = None, zone: ZoneInfo | None = None,
               last_day: dt.date | None = None) -> dict[str, list[GroupLine]]:
    """``breakdown`` for several dimensions at once, at the cost of one: each
    indicator is read in one grouped pass and rolled up per dimension."""
    for by in dimensions:
        if by not in DIMENSIONS:
            raise ValueError(f"unknown breakdown {by!r}; use one of {', '.join(DIMENSIONS)}")
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    today = today or station_today(zone)
    as_of = min(end, today)
    columns = _Columns(dimensions)
    figures: dict[str, dict[tuple, dict]] = {d: {} for d in columns.dimensions}
    labels: dict[str, dict[tuple, str]] = {d: {} for d in columns.dimensions}

    def add(row: dict, name: str, amount: int) -> None:
        for dimension, key in columns.keys(row).items():
            line = figures[dimension].setdefault(key, {})
            line[name] = line.get(name, 0) + amount
            if dimension in _NAME_COLUMNS and key not in labels[dimension]:
                names = [row.get(f"name_{dimension}_{n}")
                         for n in range(len(_NAME_COLUMNS[dimension]))]
                # An item reads as its 办理项's own name when it has one.
                name_text = next((text for text in reversed(names) if text), "")
                if name_text:
                    labels[dimension][key] = name_text

    events = (CaseEvent.select(*columns.selected(), CaseEvent.kind,
                               fn.COUNT(CaseEvent.id).alias("n"))
              .join(Case)
              .where((CaseEvent.at >= since) & (CaseEvent.at < until))
              .group_by(*columns.grouped(), CaseEvent.kind))
    for row in _scoped(events, station).dicts():
        for column, kinds in EVENT_COLUMNS.items():
            if row["kind"] in kinds:
                add(row, column, row["n"])

    channels = (Case.select(*columns.selected(), Case.channel, fn.COUNT(Case.id).alias("n"))
                .where((Case.received_at >= since) & (Case.received_at < until))
                .group_by(*columns.grouped(), Case.channel))
    for row in _scoped(channels, station).dicts():
        add(row, "received_cases", row["n"])
        add(row, {"window": "window_cases", "online": "online_cases"}.get(
            row["channel"], "other_channel_cases"), row["n"])

    first_entry_id = (OutboxEntry.select(fn.MIN(OutboxEntry.id))
                      .where(OutboxEntry.case == Case.id))
    on_time = on_time_sql()  # the one 及时率 rule (app.reports.timeliness)
    reporting = (Case.select(*columns.selected(), fn.COUNT(Case.id).alias("n"),
                             fn.SUM(on_time.cast("INTEGER")).alias("on_time"))
                 .join(OutboxEntry, on=(OutboxEntry.id == first_entry_id))
                 .where((Case.received_at >= since) & (Case.received_at < until)
                        & OutboxEntry.acknowledged_at.is_null(False))
                 .group_by(*columns.grouped()))
    for row in _scoped(reporting, station).dicts():
        add(row, "reported", row["n"])
        add(row, "reported_on_time", row["on_time"] or 0)

    overdue = (Case.select(*columns.selected(), fn.COUNT(Case.id).alias("n"))
               .where(overdue_as_of(as_of))
               .group_by(*columns.grouped_unordered()))
    for row in _scoped(overdue, station).dicts():
        add(row, "overdue", row["n"])

    ratings = (Evaluation.select(*columns.selected(), Evaluation.level,
                                 fn.COUNT(Evaluation.id).alias("n"))
               .join(Case, on=(Evaluation.case == Case.id))
               .where((Evaluation.at >= since) & (Evaluation.at < until))
               .group_by(*columns.grouped(), Evaluation.level))
    for row in _scoped(ratings, station).dicts():
        add(row, "evaluations", row["n"])
        if row["level"] in LEVELS:
            add(row, f"level:{row['level']}", row["n"])

    _rectifications(columns, since, until, station, today, add)
    _fees(columns, since, until, station, add)

    result = {}
    for dimension in columns.dimensions:
        lines = [GroupLine(dimension, key, _label(dimension, key, labels[dimension]),
                           _summary(period, start, end, line))
                 for key, line in figures[dimension].items() if any(line.values())]
        lines.sort(key=lambda line: (-line.summary.received, -line.summary.accepted,
                                     [part or "" for part in line.key]))
        result[dimension] = lines
    return result


def _label(dimension: str, key: tuple, names: dict[tuple, str]) -> str:
    if dimension == DEPARTMENT:
        return names.get(key) or key[0] or "（未注明部门）"
    if dimension == ITEM:
        return names.get(key) or "/".join(part for part in key if part)
    return key[0]


def _rectifications(columns, since, until, station, today, add) -> None:
    from app.evaluation import is_overdue

    items = (Rectification.select(Rectification, *columns.selected()[:len(columns.indexes)])
             .join(Evaluation).join(Case, on=(Evaluation.case == Case.id))
             .where((Evaluation.at >= since) & (Evaluation.at < until)))
    for item in _scoped(items, station).objects():
        row = {f"g{i}": getattr(item, f"g{i}") for i in columns.indexes}
        add(row, "bad_closed" if item.state == "closed" else "bad_open", 1)
        add(row, "bad_overdue", int(is_overdue(item, today)))


def _fees(columns, since, until, station, add) -> None:
    """Fees confirmed or paid in the period: the fee rows first (few, found by their
    time), then their cases' keys — never a pass over every case."""
    for moment, count_name, sum_name in ((CaseFee.confirmed_at, "fees_due", "fees_due_fen"),
                                         (CaseFee.paid_at, "fees_paid", "fees_paid_fen")):
        fees = list(CaseFee.select(CaseFee.case, CaseFee.amount_fen)
                    .where((moment >= since) & (moment < until)).tuples())
        case_ids = sorted({case_id for case_id, _ in fees})
        keys: dict[int, dict] = {}
        for chunk in range(0, len(case_ids), 500):
            query = (Case.select(Case.id, *columns.selected()[:len(columns.indexes)])
                     .where(Case.id.in_(case_ids[chunk:chunk + 500])))
            for row in _scoped(query, station).dicts():
                keys[row["id"]] = row
        for case_id, amount in fees:
            if case_id in keys:
                add(keys[case_id], count_name, 1)
                add(keys[case_id], sum_name, amount)


def _summary(period: str, start: dt.date, end: dt.date, line: dict) -> Summary:
    received_cases = line.get("received_cases", 0)
    reported = line.get("reported", 0)
    return Summary(
        period=period, start=start, end=end,
        **{column: line.get(column, 0) for column in EVENT_COLUMNS},
        window_cases=line.get("window_cases", 0),
        online_cases=line.get("online_cases", 0),
        other_channel_cases=line.get("other_channel_cases", 0),
        overdue=line.get("overdue", 0),
        reported=reported,
        reported_on_time=line.get("reported_on_time", 0),
        unreported=received_cases - reported,
        evaluations=line.get("evaluations", 0),
        rating_counts=tuple(line.get(f"level:{level}", 0) for level in LEVELS),
        bad_open=line.get("bad_open", 0),
        bad_closed=line.get("bad_closed", 0),
        bad_overdue=line.get("bad_overdue", 0),
        fees_due=line.get("fees_due", 0),
        fees_due_fen=line.get("fees_due_fen", 0),
        fees_paid=line.get("fees_paid", 0),
        fees_paid_fen=line.get("fees_paid_fen", 0),
    )


def supervisor_breakdown(identity, period: str, day: dt.date, by: str,
                         station: str | None = None, today: dt.date | None = None,
                         zone: ZoneInfo | None = None, last_day: dt.date | None = None
                         ) -> list[GroupLine]:
    """``breakdown`` as a use case: supervisors and administrators only, refused here
    (not by hiding a button), whoever calls — window, command line or script."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return breakdown(period, day, by, station=station, today=today, zone=zone,
                     last_day=last_day)


# Indicators whose cases a supervisor can list (the console's drill-down), with the
# rule that picks them: event kinds in the period, or a property of the cases received.
DRILLABLE = ("received", "accepted", "accepted_with_deficiencies", "completion_notices",
             "rejected", "concluded", "window_cases", "online_cases", "overdue", "reported",
             "unreported")


def cases_behind(period: str, day: dt.date, by: str, key: tuple, indicator: str,
                 station: str | None = None, today: dt.date | None = None,
                 zone: ZoneInfo | None = None, limit: int = 1000,
                 last_day: dt.date | None = None) -> list[dict]:
    """The cases counted in one cell of a breakdown (number, item, state, clerk,
    received), by the same rule that counted them; at most ``limit``."""
    if indicator not in DRILLABLE:
        raise ValueError(f"{indicator} 不能列出办件")
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    today = today or station_today(zone)
    in_group = [column == value if value is not None else
                (column.is_null() | (column == "")) for column, value in
                zip(_KEY_COLUMNS[by], key, strict=True)]
    query = Case.select(Case.number, Case.item_name, Case.handle_item_name, Case.state,
                        Case.clerk, Case.received_at)
    received = (Case.received_at >= since) & (Case.received_at < until)
    if indicator in EVENT_COLUMNS:
        kinds = EVENT_COLUMNS[indicator]
        query = query.where(Case.id.in_(CaseEvent.select(CaseEvent.case).where(
            (CaseEvent.at >= since) & (CaseEvent.at < until) & CaseEvent.kind.in_(kinds))))
    elif indicator == "window_cases":
        query = query.where(received & (Case.channel == "window"))
    elif indicator == "online_cases":
        query = query.where(received & (Case.channel == "online"))
    elif indicator == "overdue":
        query = query.where(overdue_as_of(min(end, today)))
    else:
        first_entry_id = (OutboxEntry.select(fn.MIN(OutboxEntry.id))
                          .where(OutboxEntry.case == Case.id))
        acknowledged = fn.EXISTS(OutboxEntry.select(OutboxEntry.id).where(
            (OutboxEntry.id == first_entry_id) & OutboxEntry.acknowledged_at.is_null(False)))
        query = query.where(received & (acknowledged if indicator == "reported"
                                        else ~acknowledged))
    for condition in in_group:
        query = query.where(condition)
    rows = _scoped(query, station).order_by(Case.received_at, Case.number).limit(limit)
    return [{"number": row.number, "item": row.handle_item_name or row.item_name,
             "state": row.state, "clerk": row.clerk, "received_at": row.received_at}
            for row in rows]


def supervisor_cases_behind(identity, *args, **kwargs) -> list[dict]:
    """``cases_behind`` for supervisors and administrators only."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return cases_behind(*args, **kwargs)


TREND_COLUMNS = ("received", "accepted", "completion_notices", "rejected", "concluded")


def daily_trend(start: dt.date, end: dt.date, station: str | None = None,
                zone: ZoneInfo | None = None) -> list[dict]:
    """The decision columns of the summary day by day (station days), for the
    console's trend: one pass that counts events per UTC hour, each hour then
    given to the station day it falls in — exact for any zone whose offset is
    whole hours (Asia/Shanghai); otherwise one summary per day."""
    from app.reports.summary import DAILY, summarise
    from local_store.instants import station_date, station_zone

    zone = zone or station_zone()
    since, until = day_bounds_utc(start, end, zone)
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    offsets = {zone.utcoffset(dt.datetime.combine(day, dt.time(12))) for day in days}
    if any(offset.total_seconds() % 3600 for offset in offsets):
        return [{"day": day.isoformat(), **{column: getattr(summarise(DAILY, day, station,
                                                                      zone=zone), column)
                                            for column in TREND_COLUMNS}} for day in days]
    hour = fn.SUBSTR(CaseEvent.at, 1, 13).coerce(False)  # text "YYYY-MM-DD HH", UTC
    query = (CaseEvent.select(hour.alias("hour"), CaseEvent.kind,
                              fn.COUNT(CaseEvent.id).alias("n"))
             .where((CaseEvent.at >= since) & (CaseEvent.at < until))
             .group_by(hour, CaseEvent.kind))
    if station:
        query = query.where(fn.EXISTS(Case.select(Case.id).where(
            (Case.id == CaseEvent.case) & (Case.station == station))))
    trend = {day: dict.fromkeys(TREND_COLUMNS, 0) for day in days}
    for row in query.dicts():
        moment = dt.datetime.strptime(row["hour"], "%Y-%m-%d %H")
        line = trend.get(station_date(moment, zone))
        if line is None:
            continue
        for column in TREND_COLUMNS:
            if row["kind"] in EVENT_COLUMNS[column]:
                line[column] += row["n"]
    return [{"day": day.isoformat(), **line} for day, line in trend.items()]
