"""周报/月报 and signed days reach the real hall over HTTP (issue 16): the supervisor
sends the week's report, the day's sign-off queues its own, the report lane
delivers both once, and the hall keeps them per station as sent.  A clerk is
refused at the service; a report of another station is refused by the hall and
parked with its reason.  Cases come from IntakeService (``create_case``)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
import requests

from app.reports.end_of_day import sign_day
from app.reports.period_reports import ReportRefused, queue_period_report
from app.reports.summary import DAILY, WEEKLY, summarise
from app.settings import Settings
from app.staff import PermissionRefused, StaffIdentity
from local_store.instants import station_today
from local_store.models import PeriodReport
from sync.lanes import LaneTimings, SyncLanes
from tests.support.producers import create_case
from tests.support.sync_trials import sign_in_token

STATION = "350205001"
SUPERVISOR = StaffIdentity("supervisor", "科长", "supervisor", STATION)
CLERK = StaffIdentity("clerk01", "王窗口", "clerk", STATION)


def hall_reports(hall) -> list[tuple[str, str, str, dict]]:
    conn = sqlite3.connect(f"{(hall.data_dir / 'hall.sqlite3').resolve().as_uri()}?mode=ro",
                           uri=True)
    try:
        return [(station, kind, start, json.loads(record)) for station, kind, start, record in
                conn.execute("SELECT station, kind, period_start, record_json "
                             "FROM period_reports ORDER BY seq")]
    finally:
        conn.close()


def report_lane(store, hall):
    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05))
    return lanes, lanes.lanes["reports"], token


def test_the_weekly_report_and_a_signed_day_reach_the_hall_once(store, hall):
    settings = Settings()
    today = station_today(settings.zone)
    numbers = [create_case(store).number, create_case(store, event="reject").number]
    report = queue_period_report(store, settings, SUPERVISOR, WEEKLY, today)
    signed = sign_day(store, SUPERVISOR, today, STATION, zone=settings.zone, today=today)
    week = summarise(WEEKLY, today, station=STATION, zone=settings.zone)
    assert report.body["figures"]["received"] == week.received >= len(numbers)

    lanes, lane, token = report_lane(store, hall)
    lane.run_once()
    assert {row.kind: row.sync_state for row in PeriodReport.select()} == {
        WEEKLY: "acknowledged", "day_signoff": "acknowledged"}
    # Sent again (its answer lost): the hall keeps it once.
    PeriodReport.update(sync_state="queued").execute()
    lane.run_once()
    lanes.stop()
    kept = hall_reports(hall)
    assert [(station, kind) for station, kind, _, _ in kept] == [
        (STATION, WEEKLY), (STATION, "day_signoff")]
    weekly, day = kept[0][3], kept[1][3]
    assert weekly == PeriodReport.get(PeriodReport.kind == WEEKLY).body
    assert weekly["figures"]["rejected"] == week.rejected
    assert day["signoff"]["reconciliation"] == signed.figures
    assert day["figures"]["received"] == summarise(DAILY, today, station=STATION).received

    # The station (or a district supervisor) reads the latest of each back.
    reply = requests.get(f"{hall.api}/reports", params={"kind": WEEKLY}, timeout=10,
                         headers={"Authorization": f"Bearer {token.access_token}"})
    assert reply.status_code == 200
    assert [item["uuid"] for item in reply.json()["reports"]] == [weekly["uuid"]]
    # The same uuid with other figures is refused; an unknown kind too.
    changed = {**weekly, "figures": {**weekly["figures"], "received": 999}}
    reply = requests.post(f"{hall.api}/reports", json=changed, timeout=10,
                          headers={"Authorization": f"Bearer {token.access_token}"})
    assert reply.status_code == 422 and "idempotency_key_reused" in reply.text
    reply = requests.get(f"{hall.api}/reports", params={"kind": "yearly"}, timeout=10,
                         headers={"Authorization": f"Bearer {token.access_token}"})
    assert reply.status_code == 422


def test_refusals_at_the_service_and_at_the_hall(store, hall):
    settings = Settings()
    today = station_today(settings.zone)
    create_case(store)
    with pytest.raises(PermissionRefused, match="无权报送周报/月报"):
        queue_period_report(store, settings, CLERK, WEEKLY, today)
    with pytest.raises(ReportRefused, match="只能报送周报或月报"):
        queue_period_report(store, settings, SUPERVISOR, DAILY, today)
    with pytest.raises(ReportRefused, match="尚未开始"):
        queue_period_report(store, settings, SUPERVISOR, WEEKLY, today + dt.timedelta(days=8))
    assert PeriodReport.select().count() == 0

    # A station configured as 002 while its token is 001's: the hall refuses, for good.
    other = Settings(station_code="002")
    queue_period_report(store, other, SUPERVISOR, WEEKLY, today)
    lanes, lane, _ = report_lane(store, hall)
    lane.run_once()
    lanes.stop()
    parked = PeriodReport.get()
    assert parked.sync_state == "parked" and "350205002" in parked.last_error
    assert hall_reports(hall) == []
    # The console names it, with the hall's reason, and counts the week as not sent.
    from app.reports.console import console_reminders, report_sent

    (refused,) = console_reminders(SUPERVISOR, "350205002", today=today).refused
    assert (refused.kind, refused.start) == (WEEKLY, parked.period_start)
    assert "350205002" in refused.reason
    assert not report_sent(WEEKLY, "350205002", parked.period_start)
