"""Reporting quality per department (plan task 11): 报送率, 及时率 and 完整率 of the
cases received in a period, and every case that misses one — with why.

* reported (报送): the hall acknowledged the case's first manifest;
* on time (及时): acknowledged within 12 hours of the decision the first manifest
  reports — ``app.reports.timeliness``, the rule the summary counts by too;
* complete (完整): the case's manifest carries every core data item (DESIGN.md
  "Required data for the hall"), judged by the same ``missing_core_fields`` that
  guards the queue.  A case with no manifest at all (data from before the queue
  existed) is incomplete: nothing could be reported for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from app.reports.summary import period_bounds
from app.reports.timeliness import REPORT_DEADLINE, decision_instant, reported_in_time
from local_store.instants import day_bounds_utc, utcnow
from local_store.models import Case, OutboxEntry
from sync.manifest import missing_core_fields

REPORTED, TIMELY, COMPLETE = "reported", "timely", "complete"
INDICATOR_NAMES = {REPORTED: "报送率", TIMELY: "及时率", COMPLETE: "完整率"}


@dataclass(frozen=True)
class Miss:
    case_number: str
    indicator: str  # REPORTED | TIMELY | COMPLETE
    why: str


@dataclass
class DepartmentReporting:
    dept_code: str
    dept_name: str
    cases: int = 0
    reported: int = 0
    on_time: int = 0
    complete: int = 0
    misses: list[Miss] = field(default_factory=list)

    def rate(self, count: int) -> float | None:
        return count / self.cases if self.cases else None

    @property
    def report_rate(self) -> float | None:
        return self.rate(self.reported)

    @property
    def timeliness_rate(self) -> float | None:
        return self.rate(self.on_time)

    @property
    def completeness_rate(self) -> float | None:
        return self.rate(self.complete)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(report_rate=self.report_rate, timeliness_rate=self.timeliness_rate,
                    completeness_rate=self.completeness_rate)
        return data


def _hours(delta: dt.timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f}"


def _not_acknowledged_why(entry: OutboxEntry | None) -> str:
    if entry is None:
        return "未生成上报数据（未入上报队列）"
    if entry.state == "parked":
        return f"上报被搁置，需人工处理：{entry.last_error or '原因未记录'}"
    if entry.state == "sent":
        return "已发送，办事大厅尚未确认接收"
    error = f"，最近一次错误：{entry.last_error}" if entry.last_error else ""
    return f"仍在上报队列中（已尝试 {entry.attempts} 次{error}）"


def reporting_quality(period: str, day: dt.date, station: str | None = None,
                      zone: ZoneInfo | None = None, now: dt.datetime | None = None,
                      last_day: dt.date | None = None) -> list[DepartmentReporting]:
    """Per department, the cases received in the period; ``now`` (stored, UTC) says
    whether an unacknowledged case is already past its 12 hours."""
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    now = now or utcnow()
    cases = (Case.select(Case.id, Case.number, Case.dept_code, Case.dept_name)
             .where((Case.received_at >= since) & (Case.received_at < until))
             .order_by(Case.received_at, Case.id))
    if station:
        cases = cases.where(Case.station == station)
    cases = list(cases)
    first_entries: dict[int, OutboxEntry] = {}
    for chunk in range(0, len(cases), 500):
        ids = [case.id for case in cases[chunk:chunk + 500]]
        for entry in (OutboxEntry.select().where(OutboxEntry.case.in_(ids))
                      .order_by(OutboxEntry.id)):
            first_entries.setdefault(entry.case_id, entry)

    departments: dict[str, DepartmentReporting] = {}
    for case in cases:
        line = departments.get(case.dept_code)
        if line is None:
            line = departments[case.dept_code] = DepartmentReporting(
                case.dept_code, case.dept_name or case.dept_code or "（未注明部门）")
        line.cases += 1
        entry = first_entries.get(case.id)
        if entry is not None and entry.acknowledged_at is not None:
            line.reported += 1
            took = entry.acknowledged_at - decision_instant(entry)
            if reported_in_time(decision_instant(entry), entry.acknowledged_at):
                line.on_time += 1
            else:
                line.misses.append(Miss(case.number, TIMELY,
                                        f"决定后 {_hours(took)} 小时才获大厅确认，超过 12 小时"))
        else:
            why = _not_acknowledged_why(entry)
            line.misses.append(Miss(case.number, REPORTED, why))
            if entry is None or now - decision_instant(entry) > REPORT_DEADLINE:
                line.misses.append(Miss(case.number, TIMELY, f"决定后超过 12 小时未获确认：{why}"))
            else:
                waited = _hours(now - decision_instant(entry))
                line.misses.append(Miss(case.number, TIMELY,
                                        f"尚未获确认（决定后 {waited} 小时，"
                                        f"仍在 12 小时内）：{why}"))
        missing = (missing_core_fields(entry.manifest) if entry is not None
                   else ["上报数据（未生成）"])
        if missing:
            line.misses.append(Miss(case.number, COMPLETE, "缺少：" + "、".join(missing)))
        else:
            line.complete += 1
    return sorted(departments.values(), key=lambda line: (-line.cases, line.dept_code))


def supervisor_reporting_quality(identity, period: str, day: dt.date,
                                 station: str | None = None, zone: ZoneInfo | None = None,
                                 now: dt.datetime | None = None,
                                 last_day: dt.date | None = None) -> list[DepartmentReporting]:
    """``reporting_quality`` for supervisors and administrators only."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看上报质量")
    return reporting_quality(period, day, station=station, zone=zone, now=now,
                             last_day=last_day)
