"""End of day (日结): each station's reconciliation of a station day, and the
supervisor's sign-off of it.

For the cases of one station and one day (of the station's zone):

* taken in — cases received that day;
* decided — cases with a decision that day (accepted, 容缺, 补正 notice, rejected,
  concluded);
* printed — of those, cases with a document issued (a print log that did not fail);
* queued / acknowledged / parked — of those, where the case's latest manifest
  stands in the queue to the hall (queued covers queued, uploading and sent).

Differences are the cases that do not reconcile, each named: taken in but not
decided, decided but nothing printed (or the print failed), decided but never
queued, parked by the hall, still on its way.  The sign-off stores the figures as
they were when signed (``DaySignoff``) and is written to the audit trail; a past
day with decisions and no sign-off is listed as unsigned, so the next morning's
status shows it.  The signed day is queued for the hall too (kind ``day_signoff``,
``app.reports.period_reports``) in the sign-off's unit of work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from zoneinfo import ZoneInfo

from peewee import fn

from local_store.instants import day_bounds_utc, station_date, station_today, utcnow
from local_store.models import Case, CaseEvent, DaySignoff, OutboxEntry, PrintLog

DECISION_KINDS = ("accepted", "accepted_with_deficiencies", "notified", "rejected", "concluded")
IN_TRANSIT = ("queued", "uploading", "sent")
# How far back the next morning looks for a day left unsigned.
UNSIGNED_LOOKBACK_DAYS = 31


class SignoffRefused(Exception):
    """The day cannot be signed (message in Chinese)."""


@dataclass
class StationDay:
    station: str
    day: dt.date
    taken_in: int = 0
    decided: int = 0
    printed: int = 0
    queued: int = 0
    acknowledged: int = 0
    parked: int = 0
    differences: list[dict] = field(default_factory=list)  # case_number, problem
    signed_by: str | None = None
    signed_at: dt.datetime | None = None
    signed_figures: dict | None = None

    @property
    def figures(self) -> dict:
        return {name: getattr(self, name) for name in
                ("taken_in", "decided", "printed", "queued", "acknowledged", "parked")}

    @property
    def changed_since_signed(self) -> bool:
        return self.signed_figures is not None and self.signed_figures != self.figures

    @property
    def unreconciled(self) -> list[str]:
        """The figures that do not reconcile — what the console highlights: taken in
        but not decided (or the reverse), decided but not printed or not yet
        acknowledged, anything queued or parked, and any figure that moved after
        the sign-off."""
        names = set()
        if self.taken_in != self.decided:
            names |= {"taken_in", "decided"}
        if self.printed < self.decided:
            names.add("printed")
        if self.acknowledged < self.decided:
            names.add("acknowledged")
        names |= {name for name in ("queued", "parked") if getattr(self, name)}
        if self.changed_since_signed:
            names |= {name for name, value in self.figures.items()
                      if self.signed_figures.get(name) != value}
        return [name for name in self.figures if name in names]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        data["signed_at"] = self.signed_at.isoformat() + "Z" if self.signed_at else None
        data["signed"] = self.signed_by is not None
        data["changed_since_signed"] = self.changed_since_signed
        data["unreconciled"] = self.unreconciled
        return data


def reconcile(day: dt.date, station: str | None = None, zone: ZoneInfo | None = None
              ) -> list[StationDay]:
    """The day's reconciliation per station (only ``station`` when given)."""
    since, until = day_bounds_utc(day, day, zone)
    lines: dict[str, StationDay] = {}

    def line_of(code: str) -> StationDay:
        return lines.setdefault(code, StationDay(code, day))

    received = Case.select(Case.id, Case.number, Case.station).where(
        (Case.received_at >= since) & (Case.received_at < until))
    decided_ids = (CaseEvent.select(CaseEvent.case).where(
        (CaseEvent.at >= since) & (CaseEvent.at < until)
        & CaseEvent.kind.in_(DECISION_KINDS)).distinct())
    decided = Case.select(Case.id, Case.number, Case.station).where(Case.id.in_(decided_ids))
    if station:
        received, decided = (query.where(Case.station == station)
                             for query in (received, decided))
    decided = list(decided.order_by(Case.number))
    decided_set = {case.id for case in decided}
    for case in received.order_by(Case.number):
        line = line_of(case.station)
        line.taken_in += 1
        if case.id not in decided_set:
            line.differences.append({"case_number": case.number, "problem": "已收件，当日未作决定"})

    ids = [case.id for case in decided]
    prints: dict[int, set[str]] = {}
    latest_entry: dict[int, OutboxEntry] = {}
    for chunk in range(0, len(ids), 500):
        part = ids[chunk:chunk + 500]
        for row in (PrintLog.select(PrintLog.case, PrintLog.outcome)
                    .where(PrintLog.case.in_(part))):
            prints.setdefault(row.case_id, set()).add(row.outcome)
        latest = (OutboxEntry.select(fn.MAX(OutboxEntry.id))
                  .where(OutboxEntry.case.in_(part)).group_by(OutboxEntry.case))
        for entry in OutboxEntry.select().where(OutboxEntry.id.in_(latest)):
            latest_entry[entry.case_id] = entry

    for case in decided:
        line = line_of(case.station)
        line.decided += 1
        outcomes = prints.get(case.id, set())
        if outcomes - {"failed"}:
            line.printed += 1
        elif outcomes:
            line.differences.append({"case_number": case.number, "problem": "文书打印失败"})
        else:
            line.differences.append({"case_number": case.number, "problem": "已决定，未出具文书"})
        entry = latest_entry.get(case.id)
        if entry is None:
            line.differences.append({"case_number": case.number, "problem": "已决定，未入上报队列"})
        elif entry.state == "acknowledged":
            line.acknowledged += 1
        elif entry.state == "parked":
            line.parked += 1
            line.differences.append({"case_number": case.number,
                                     "problem": f"上报被搁置：{entry.last_error or '原因未记录'}"})
        elif entry.state in IN_TRANSIT:
            line.queued += 1
            line.differences.append({"case_number": case.number,
                                     "problem": "上报中，办事大厅尚未确认"})

    signed = DaySignoff.select().where(DaySignoff.day == day)
    if station:
        signed = signed.where(DaySignoff.station == station)
    for row in signed:
        line = line_of(row.station)
        line.signed_by, line.signed_at, line.signed_figures = (row.signed_by, row.signed_at,
                                                               row.figures)
    return sorted(lines.values(), key=lambda line: line.station)


def unsigned_days(station: str, before: dt.date, zone: ZoneInfo | None = None,
                  lookback_days: int = UNSIGNED_LOOKBACK_DAYS) -> list[dt.date]:
    """Station days before ``before`` (within the look-back) with decisions and no
    sign-off: what the next morning's status reminds the supervisor of."""
    first = before - dt.timedelta(days=lookback_days)
    since, until = day_bounds_utc(first, before - dt.timedelta(days=1), zone)
    moments = (CaseEvent.select(CaseEvent.at).join(Case)
               .where((CaseEvent.at >= since) & (CaseEvent.at < until)
                      & CaseEvent.kind.in_(DECISION_KINDS) & (Case.station == station)))
    days = {station_date(row.at, zone) for row in moments}
    signed = {row.day for row in DaySignoff.select(DaySignoff.day).where(
        (DaySignoff.station == station) & (DaySignoff.day >= first) & (DaySignoff.day < before))}
    return sorted(days - signed)


def supervisor_day_status(identity, day: dt.date, station: str | None = None,
                          zone: ZoneInfo | None = None, today: dt.date | None = None) -> dict:
    """``eod status``: the day's reconciliation and the earlier days left unsigned."""
    from app.staff import SUPERVISORS, require_role

    require_role(identity, SUPERVISORS, "查看日结")
    today = today or station_today(zone)
    lines = reconcile(day, station, zone)
    own = station or identity.station
    return {"date": day.isoformat(), "stations": [line.as_dict() for line in lines],
            "unsigned_days": [d.isoformat() for d in unsigned_days(own, min(today, day)
                                                                  + dt.timedelta(days=1), zone)
                              if d != day]}


def _require_supervisor(store, identity, day: dt.date, station: str) -> None:
    """Supervisors and administrators only; a refusal is audited."""
    from app.staff import SUPERVISORS, PermissionRefused, audit, require_role

    try:
        require_role(identity, SUPERVISORS, "日结签核")
    except PermissionRefused:
        if identity is not None:
            audit.append(store, identity.station, identity.account, audit.PERMISSION_REFUSED,
                         f"eod/{station}/{day.isoformat()}", audit.REFUSED, {"action": "eod_sign"})
        raise


def sign_day_reauthenticated(store, settings, identity, password: str, day: dt.date,
                             station: str, *, zone: ZoneInfo | None = None,
                             today: dt.date | None = None, hall_url: str | None = None,
                             verify_with_hall=None) -> StationDay:
    """The console's sign-off (MOSIP's end-of-day approval): the supervisor types
    the password again and the sign-in service verifies it — against the station's
    hash, or the hall when that is due, a wrong one counting towards the lock as any
    sign-in — before the day is signed as the account just confirmed.  A clerk is
    refused (and audited) before any password is looked at."""
    from app.staff.signin import SignInService

    _require_supervisor(store, identity, day, station)
    confirmed = SignInService(store, settings, hall_url=hall_url,
                              verify_with_hall=verify_with_hall).sign_in(identity.account,
                                                                         password)
    return sign_day(store, confirmed, day, station, zone=zone, today=today)


def sign_day(store, identity, day: dt.date, station: str, zone: ZoneInfo | None = None,
             today: dt.date | None = None) -> StationDay:
    """The supervisor signs the station's day: stored with its figures and audited in
    one unit of work.  Refused (in Chinese) for a clerk — audited as refused — for a
    day still to come, and for a day already signed."""
    from app.staff import audit

    _require_supervisor(store, identity, day, station)
    today = today or station_today(zone)
    if day > today:
        raise SignoffRefused(f"{day.isoformat()} 尚未到来，不能日结签核")
    lines = reconcile(day, station, zone)
    line = lines[0] if lines else StationDay(station, day)
    if line.signed_by is not None:
        raise SignoffRefused(f"工位 {station} 的 {day.isoformat()} 已由 {line.signed_by} 签核")

    from app.reports.period_reports import signoff_body, store_report

    signed_at = utcnow()
    # The hall learns of the signed day: its report is queued in the same unit.
    report = signoff_body(station, day, identity.account, signed_at, line.figures,
                          len(line.differences), zone=zone, today=today)

    def store_signoff():
        DaySignoff.create(station=station, day=day, signed_by=identity.account,
                          signed_at=signed_at, figures=line.figures)
        store_report(report)
        return audit.append_in_unit(station, identity.account, audit.EOD_SIGN,
                                    f"eod/{station}/{day.isoformat()}", audit.OK,
                                    {**line.figures, "differences": len(line.differences)})

    row = store.writer.call(store_signoff)
    audit.write_head(store.home, row.id, row.row_hash)
    return reconcile(day, station, zone)[0]
