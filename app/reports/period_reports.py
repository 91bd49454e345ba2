"""周报/月报 and day sign-offs sent to the hall (plan task 21, issue 16).

A supervisor sends the week's or month's summary from the console (or
``onewindow report weekly|monthly --send``); ``queue_period_report`` freezes the
figures as sent — the station's summary and the same figures per department —
in a ``PeriodReport`` row, and the sync lane (``sync.period_reports``) delivers
it (``POST /reports``, contract ``period_report``).  A day's sign-off
(``app.reports.end_of_day.sign_day``) queues its own ``day_signoff`` report in
the sign-off's unit of work, so the hall learns of every signed day.
"""

from __future__ import annotations

import datetime as dt

import contracts
from app.reports.breakdown import breakdown
from app.reports.summary import MONTHLY, WEEKLY, Summary, period_bounds, summarise
from local_store.instants import station_today, to_wire, utcnow
from local_store.models import PeriodReport

REPORT_PERIODS = (WEEKLY, MONTHLY)
DAY_SIGNOFF = "day_signoff"
FIGURE_KEYS = ("received", "accepted", "accepted_with_deficiencies", "completion_notices",
               "rejected", "concluded", "window_cases", "online_cases", "other_channel_cases",
               "overdue", "reported", "reported_on_time", "unreported", "evaluations",
               "report_rate", "timeliness_rate", "satisfaction_rate")


class ReportRefused(Exception):
    """The report cannot be sent (message in Chinese)."""


def figures_of(summary: Summary) -> dict:
    values = summary.as_dict()
    return {key: values[key] for key in FIGURE_KEYS}


def report_body(kind: str, station: str, start: dt.date, end: dt.date, account: str,
                period: str, day: dt.date, zone=None, today: dt.date | None = None,
                signoff: dict | None = None) -> dict:
    """The body the contract ``period_report`` states, from the station's own cases."""
    whole = summarise(period, day, station=station, today=today, zone=zone)
    departments = breakdown(period, day, "department", station=station, today=today,
                            zone=zone)
    body = {
        "uuid": _new_uuid(), "kind": kind, "station": station,
        "period_start": start.isoformat(), "period_end": end.isoformat(),
        "generated_at": to_wire(utcnow(), zone), "generated_by": account,
        "figures": figures_of(whole),
        "departments": [{"dept_code": line.key[0] or "", "dept_name": line.label,
                         "figures": figures_of(line.summary)} for line in departments],
    }
    if signoff is not None:
        body["signoff"] = signoff
    contracts.check("period_report", body)  # the hall checks the same file
    return body


def _new_uuid() -> str:
    import uuid

    return str(uuid.uuid4())


def store_report(body: dict) -> PeriodReport:
    """Queue ``body`` for the hall (inside a writer unit)."""
    return PeriodReport.create(
        uuid=body["uuid"], kind=body["kind"], station=body["station"],
        period_start=dt.date.fromisoformat(body["period_start"]),
        period_end=dt.date.fromisoformat(body["period_end"]), body=body,
        created_by=body["generated_by"])


def queue_period_report(store, settings, identity, period: str, day: dt.date,
                        today: dt.date | None = None) -> PeriodReport:
    """The supervisor sends this station's 周报 or 月报 for the period containing
    ``day``.  Refused for a clerk (at this service), for a day/custom range, and for
    a period that has not begun."""
    from app.numbering import station_key
    from app.staff import SUPERVISORS, audit, require_role

    require_role(identity, SUPERVISORS, "报送周报/月报")
    if period not in REPORT_PERIODS:
        raise ReportRefused("只能报送周报或月报：请选择“周”或“月”")
    zone = settings.zone
    today = today or station_today(zone)
    start, end = period_bounds(period, day)
    if start > today:
        raise ReportRefused(f"{start.isoformat()} 起的期间尚未开始，不能报送")
    station = station_key(settings.region_code, settings.station_code)
    body = report_body(period, station, start, end, identity.account, period, day, zone=zone,
                       today=today)

    def unit():
        row = store_report(body)
        return row, audit.append_in_unit(station, identity.account, audit.EXPORT,
                                         f"report/{period}/{start.isoformat()}", audit.OK,
                                         {"format": "hall", "uuid": body["uuid"]})

    row, audited = store.writer.call(unit)
    audit.write_head(store.home, audited.id, audited.row_hash)
    return row


def signoff_body(station: str, day: dt.date, account: str, signed_at: dt.datetime,
                 reconciliation: dict, differences: int, zone=None,
                 today: dt.date | None = None) -> dict:
    """The day's sign-off as the hall receives it: the day's figures, per department,
    and the reconciliation as signed."""
    from app.reports.summary import DAILY

    return report_body(DAY_SIGNOFF, station, day, day, account, DAILY, day, zone=zone,
                       today=today, signoff={
                           "signed_by": account, "signed_at": to_wire(signed_at, zone),
                           "reconciliation": dict(reconciliation), "differences": differences})
