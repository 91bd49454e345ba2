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

from peewee import fn

from app.reports.summary import (
    EVENT_COLUMNS,
    LEVELS,
    REPORT_DEADLINE,
    UNFINISHED_STATES,
    Summary,
    period_bounds,
)
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


def _key(row: dict, dimension: str) -> tuple:
    return tuple((row[f"k{n}"] or None) if column is Case.handle_item_code else row[f"k{n}"]
                 for n, column in enumerate(_KEY_COLUMNS[dimension]))


def _keyed(dimension: str) -> list:
    return [column.alias(f"k{n}") for n, column in enumerate(_KEY_COLUMNS[dimension])]


def _group(dimension: str) -> list:
    return list(_KEY_COLUMNS[dimension])


def _scoped(query, station: str | None):
    return query.where(Case.station == station) if station else query


def breakdown(period: str, day: dt.date, by: str, station: str | None = None,
              today: dt.date | None = None, zone: ZoneInfo | None = None) -> list[GroupLine]:
    """The period's summary per group of ``by``, busiest first (most received)."""
    if by not in DIMENSIONS:
        raise ValueError(f"unknown breakdown {by!r}; use one of {', '.join(DIMENSIONS)}")
    start, end = period_bounds(period, day)
    since, until = day_bounds_utc(start, end, zone)
    today = today or station_today(zone)
    as_of = min(end, today)

    figures: dict[tuple, dict] = {}

    def add(key: tuple, name: str, amount: int) -> None:
        line = figures.setdefault(key, {})
        line[name] = line.get(name, 0) + amount

    events = (CaseEvent.select(*_keyed(by), CaseEvent.kind, fn.COUNT(CaseEvent.id).alias("n"))
              .join(Case)
              .where((CaseEvent.at >= since) & (CaseEvent.at < until))
              .group_by(*_group(by), CaseEvent.kind))
    for row in _scoped(events, station).dicts():
        for column, kinds in EVENT_COLUMNS.items():
            if row["kind"] in kinds:
                add(_key(row, by), column, row["n"])

    channels = (Case.select(*_keyed(by), Case.channel, fn.COUNT(Case.id).alias("n"))
                .where((Case.received_at >= since) & (Case.received_at < until))
                .group_by(*_group(by), Case.channel))
    for row in _scoped(channels, station).dicts():
        key = _key(row, by)
        add(key, "received_cases", row["n"])
        channel = row["channel"]
        add(key, {"window": "window_cases", "online": "online_cases"}.get(
            channel, "other_channel_cases"), row["n"])

    first_entry_id = (OutboxEntry.select(fn.MIN(OutboxEntry.id))
                      .where(OutboxEntry.case == Case.id))
    reporting = (Case.select(*_keyed(by), OutboxEntry.enqueued_at, OutboxEntry.acknowledged_at)
                 .join(OutboxEntry, on=(OutboxEntry.id == first_entry_id))
                 .where((Case.received_at >= since) & (Case.received_at < until)
                        & OutboxEntry.acknowledged_at.is_null(False)))
    for row in _scoped(reporting, station).dicts():
        key = _key(row, by)
        add(key, "reported", 1)
        add(key, "reported_on_time",
            int(row["acknowledged_at"] - row["enqueued_at"] <= REPORT_DEADLINE))

    overdue = (Case.select(*_keyed(by), fn.COUNT(Case.id).alias("n"))
               .where(Case.state.in_(UNFINISHED_STATES) & Case.deadline.is_null(False)
                      & (Case.deadline < as_of))
               .group_by(*_group(by)))
    for row in _scoped(overdue, station).dicts():
        add(_key(row, by), "overdue", row["n"])

    ratings = (Evaluation.select(*_keyed(by), Evaluation.level,
                                 fn.COUNT(Evaluation.id).alias("n"))
               .join(Case, on=(Evaluation.case == Case.id))
               .where((Evaluation.at >= since) & (Evaluation.at < until))
               .group_by(*_group(by), Evaluation.level))
    for row in _scoped(ratings, station).dicts():
        key = _key(row, by)
        add(key, "evaluations", row["n"])
        if row["level"] in LEVELS:
            add(key, f"level:{row['level']}", row["n"])

    _rectifications(by, since, until, station, today, add)
    _fees(by, since, until, station, add)

    names = _labels(by, list(figures))
    lines = [GroupLine(by, key, names.get(key, ""), _summary(period, start, end, line))
             for key, line in figures.items() if any(line.values())]
    lines.sort(key=lambda line: (-line.summary.received, -line.summary.accepted,
                                 [part or "" for part in line.key]))
    return lines


def _rectifications(by, since, until, station, today, add) -> None:
    from app.evaluation import is_overdue

    items = (Rectification.select(Rectification, *_keyed(by))
             .join(Evaluation).join(Case, on=(Evaluation.case == Case.id))
             .where((Evaluation.at >= since) & (Evaluation.at < until)))
    for item in _scoped(items, station).objects():
        key = _key(_row_of(item, by), by)
        add(key, "bad_closed" if item.state == "closed" else "bad_open", 1)
        add(key, "bad_overdue", int(is_overdue(item, today)))


def _row_of(model_row, by: str) -> dict:
    return {f"k{n}": getattr(model_row, f"k{n}") for n in range(len(_KEY_COLUMNS[by]))}


def _fees(by, since, until, station, add) -> None:
    for moment, count_name, sum_name in ((CaseFee.confirmed_at, "fees_due", "fees_due_fen"),
                                         (CaseFee.paid_at, "fees_paid", "fees_paid_fen")):
        query = (CaseFee.select(*_keyed(by), fn.COUNT(CaseFee.id).alias("n"),
                                fn.COALESCE(fn.SUM(CaseFee.amount_fen), 0).alias("fen"))
                 .join(Case).where((moment >= since) & (moment < until))
                 .group_by(*_group(by)))
        for row in _scoped(query, station).dicts():
            add(_key(row, by), count_name, row["n"])
            add(_key(row, by), sum_name, row["fen"])


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


def _labels(by: str, keys: list[tuple]) -> dict[tuple, str]:
    """How each group reads: the department's or item's name as the cases carry it."""
    if by == STATION:
        return {key: key[0] for key in keys}
    if by == CLERK:
        return {key: key[0] for key in keys}
    if by == DEPARTMENT:
        query = (Case.select(Case.dept_code.alias("k0"), fn.MAX(Case.dept_name).alias("name"))
                 .where(Case.dept_code.in_([key[0] for key in keys]))
                 .group_by(Case.dept_code))
        return {(row["k0"],): row["name"] or row["k0"] or "（未注明部门）"
                for row in query.dicts()}
    query = (Case.select(Case.task_code.alias("k0"), Case.handle_item_code.alias("k1"),
                         fn.MAX(Case.item_name).alias("item_name"),
                         fn.MAX(Case.handle_item_name).alias("handle_item_name"))
             .where(Case.task_code.in_([key[0] for key in keys]))
             .group_by(Case.task_code, Case.handle_item_code))
    return {_key(row, ITEM): row["handle_item_name"] or row["item_name"] or ""
            for row in query.dicts()}


def supervisor_breakdown(identity, period: str, day: dt.date, by: str,
                         station: str | None = None, today: dt.date | None = None,
                         zone: ZoneInfo | None = None) -> list[GroupLine]:
    """``breakdown`` as a use case: supervisors and administrators only, refused here
    (not by hiding a button), whoever calls — window, command line or script."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return breakdown(period, day, by, station=station, today=today, zone=zone)


# Indicators whose cases a supervisor can list (the console's drill-down), with the
# rule that picks them: event kinds in the period, or a property of the cases received.
DRILLABLE = ("received", "accepted", "accepted_with_deficiencies", "completion_notices",
             "rejected", "concluded", "window_cases", "online_cases", "overdue", "reported",
             "unreported")


def cases_behind(period: str, day: dt.date, by: str, key: tuple, indicator: str,
                 station: str | None = None, today: dt.date | None = None,
                 zone: ZoneInfo | None = None, limit: int = 1000) -> list[dict]:
    """The cases counted in one cell of a breakdown (number, item, state, clerk,
    received), by the same rule that counted them; at most ``limit``."""
    if indicator not in DRILLABLE:
        raise ValueError(f"{indicator} 不能列出办件")
    start, end = period_bounds(period, day)
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
        query = query.where(Case.state.in_(UNFINISHED_STATES) & Case.deadline.is_null(False)
                            & (Case.deadline < min(end, today)))
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
