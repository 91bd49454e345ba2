"""网上预审 figures per department for the daily, weekly and monthly summaries.

For the period: decisions taken (pre-reviewed), of which passed, returned and
rejected; how many were taken within two working days of their round's
submission (and the rate); and, as of the period's last day (today at most),
the applications still waiting past their due date.

A decision is judged against its own round: round 1 from the first
submission, the current round from the resubmission.  A middle round (returned
twice) no longer has its submission time at the station; its decisions count
as pre-reviewed but stay out of the timeliness rate rather than being guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from zoneinfo import ZoneInfo

from app.deadlines import WorkCalendar
from app.prereview import PENDING, pre_review_due
from app.reports.summary import period_bounds
from local_store.instants import day_bounds_utc, station_today, to_station
from local_store.models import PrereviewApplication, PrereviewDecision


@dataclass(frozen=True)
class DeptPrereview:
    dept_name: str
    pre_reviewed: int
    passed: int
    returned: int
    rejected: int
    timed: int  # decisions whose round's due date is known
    within_two_working_days: int
    overdue_now: int

    @property
    def on_time_rate(self) -> float | None:
        return self.within_two_working_days / self.timed if self.timed else None

    def as_dict(self) -> dict:
        return {**asdict(self), "on_time_rate": self.on_time_rate}


def prereview_breakdown(period: str, day: dt.date, zone: ZoneInfo | None = None,
                        today: dt.date | None = None, last_day: dt.date | None = None
                        ) -> list[DeptPrereview]:
    """One line per department (by name), plus a 合计 line when there are several."""
    start, end = period_bounds(period, day, last_day)
    since, until = day_bounds_utc(start, end, zone)
    as_of = min(end, today or station_today(zone))
    calendar = WorkCalendar.load()
    figures: dict[str, dict[str, int]] = {}

    def line(dept: str) -> dict[str, int]:
        return figures.setdefault(dept or "（未注明部门）", dict.fromkeys(
            ("pre_reviewed", "passed", "returned", "rejected", "timed",
             "within_two_working_days", "overdue_now"), 0))

    decisions = (PrereviewDecision
                 .select(PrereviewDecision, PrereviewApplication)
                 .join(PrereviewApplication)
                 .where((PrereviewDecision.decided_at >= since)
                        & (PrereviewDecision.decided_at < until)))
    for decision in decisions:
        application = decision.application
        counts = line(decision.dept_name or application.dept_name)
        counts["pre_reviewed"] += 1
        counts[{"pass": "passed", "return": "returned", "reject": "rejected"}[
            decision.decision]] += 1
        if decision.round == application.round:
            submitted = application.round_submitted_at
        elif decision.round == 1:
            submitted = application.submitted_at
        else:
            continue
        due, _uncertain = pre_review_due(submitted, zone or ZoneInfo("Asia/Shanghai"),
                                         calendar)
        counts["timed"] += 1
        if to_station(decision.decided_at, zone).date() <= due:
            counts["within_two_working_days"] += 1
    waiting = (PrereviewApplication
               .select(PrereviewApplication.dept_name)
               .where((PrereviewApplication.state == PENDING)
                      & (PrereviewApplication.due_date < as_of)))
    for application in waiting:
        line(application.dept_name)["overdue_now"] += 1
    lines = [DeptPrereview(dept, **counts) for dept, counts in sorted(figures.items())]
    if len(lines) > 1:
        total = {key: sum(getattr(item, key) for item in lines)
                 for key in figures[next(iter(figures))]}
        lines.append(DeptPrereview("合计", **total))
    return lines


def supervisor_prereview_breakdown(identity, period: str, day: dt.date,
                                   zone: ZoneInfo | None = None,
                                   last_day: dt.date | None = None) -> list[DeptPrereview]:
    """For supervisors and administrators only, as every summary."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看统计报表")
    return prereview_breakdown(period, day, zone=zone, last_day=last_day)
