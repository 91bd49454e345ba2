"""Times carry their zone: stored in UTC, shown, printed and counted in the
station's zone (Asia/Shanghai) whatever the computer's zone is, sent with an
offset.  Cases are taken in through the real IntakeService; the hall is the
real reference hall over HTTP; the receipt comes from the real CLI."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
from zoneinfo import ZoneInfo

import pytest
import requests

from app.cases import case_detail, cases_on_day
from app.intake import Decision, IntakeService
from app.reports.summary import DAILY, MONTHLY, WEEKLY, summarise
from app.settings import Settings, SettingsError, load_settings, save_settings
from local_store.instants import (
    NoOffset,
    from_wire,
    set_station_zone,
    station_zone,
    to_wire,
)
from local_store.models import Case, CaseEvent, OutboxEntry
from sync.lanes import LaneTimings, SyncLanes
from sync.manifest import build_manifest
from tests.support.hall import admin_token
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    fill_person,
    receive_all_originals,
)
from tests.support.sync_trials import drain, sign_in_token

BEIJING = ZoneInfo("Asia/Shanghai")
OFFSET = re.compile(r"[+-]\d\d:\d\d$")


@pytest.fixture
def os_zone():
    """Switch this process's operating-system zone (TZ + tzset), restored after."""
    saved = os.environ.get("TZ")

    def use(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield use
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()
    set_station_zone("Asia/Shanghai")


def take_in(store, settings, when: dt.datetime, item_code: str, action: str = "accept"):
    service = IntakeService(store, settings, clock=lambda: when)
    draft = service.new_draft(item_code)
    fill_person(draft)
    receive_all_originals(draft)
    return service.commit(draft, Decision(action))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_clock_on_a_utc_computer_is_not_beijing_time(os_zone):
    # Guards the tests below: with TZ=UTC the OS really answers in UTC.
    os_zone("UTC")
    assert time.localtime().tm_gmtoff == 0
    assert dt.datetime.now().astimezone().utcoffset() == dt.timedelta(0)


@pytest.mark.parametrize("computer_zone", ["UTC", "America/Los_Angeles"])
def test_case_number_and_deadline_follow_the_station_day(
    os_zone, computer_zone, store, intake_catalog, intake_settings
):
    os_zone(computer_zone)
    # Thursday 26 Nov 23:30 UTC is Friday 27 Nov 07:30 in Beijing.
    result = take_in(store, intake_settings, dt.datetime(2026, 11, 26, 23, 30, tzinfo=dt.UTC),
                     intake_catalog[INDIVIDUAL_BUSINESS])
    assert result.case_number[9:17] == "20261127"
    # One working day from Friday 27 Nov is Monday 30 Nov (from Thursday it would be Friday).
    assert result.deadline == dt.date(2026, 11, 30)
    case = Case.get(Case.uuid == result.uuid)
    assert case.received_at == dt.datetime(2026, 11, 26, 23, 30)  # stored: naive UTC
    assert case_detail(result.case_number)["received_at"] == "2026-11-27T07:30:00+08:00"


def test_a_naive_clock_reading_is_station_wall_time(os_zone, store, intake_catalog,
                                                    intake_settings):
    os_zone("UTC")
    result = take_in(store, intake_settings, dt.datetime(2026, 11, 27, 7, 30),
                     intake_catalog[SENIOR_CARD], "conclude")
    case = Case.get(Case.uuid == result.uuid)
    assert case.received_at == dt.datetime(2026, 11, 26, 23, 30)
    assert case.concluded_at == case.received_at and result.deadline == dt.date(2026, 11, 27)


def test_receipt_printed_on_a_utc_computer_shows_beijing_time(
    store, home, intake_catalog, intake_settings, tmp_path, signed_in_cli
):
    settings = load_settings(home)  # the station signed in and enrolled, in Beijing
    settings.time_zone = "Asia/Shanghai"
    save_settings(settings, home)
    # 07:30 in Beijing: still the evening before in UTC.
    taken = dt.datetime(2026, 11, 27, 7, 30, tzinfo=BEIJING)
    result = take_in(store, intake_settings, taken.astimezone(dt.UTC),
                     intake_catalog[INDIVIDUAL_BUSINESS])
    pdf = tmp_path / "receipt.pdf"
    env = {**os.environ, "TZ": "UTC", "ONEWINDOW_HOME": str(home)}
    before = dt.datetime.now(BEIJING).replace(second=0, microsecond=0)
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "print", "receipt", result.case_number,
         "--out", str(pdf)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    after = dt.datetime.now(BEIJING)
    assert done.returncode == 0, done.stderr
    text = squeeze(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout)
    assert "本中心已于2026年11月27日07:30收到" in text, text
    assert "2026年11月26日" not in text  # the UTC day must not leak onto paper
    printed = re.search(r"打印时间：(\d{4})年(\d{1,2})月(\d{1,2})日(\d\d):(\d\d)", text)
    assert printed, text
    at = dt.datetime(*map(int, printed.groups()), tzinfo=BEIJING)
    assert before <= at <= after  # Beijing time, not the computer's UTC


def test_daily_weekly_and_monthly_summaries_split_at_beijing_midnight(
    os_zone, store, intake_catalog, intake_settings
):
    os_zone("UTC")
    item = intake_catalog[INDIVIDUAL_BUSINESS]
    moments = [
        dt.datetime(2026, 11, 29, 23, 30, tzinfo=BEIJING),  # Sunday, last day of a week
        dt.datetime(2026, 11, 30, 0, 30, tzinfo=BEIJING),  # Monday, new week
        dt.datetime(2026, 11, 30, 23, 30, tzinfo=BEIJING),  # last day of November
        dt.datetime(2026, 12, 1, 0, 30, tzinfo=BEIJING),  # 1 December
    ]
    for moment in moments:
        take_in(store, intake_settings, moment, item)  # an aware clock, any zone

    def counted(period, day):
        summary = summarise(period, day)
        assert summary.received == summary.accepted
        return summary.received

    # In UTC all four fall between 29 Nov 15:30 and 30 Nov 16:30: naive-UTC
    # day bounds would count three on 30 Nov and one on 29 Nov.
    assert [counted(DAILY, dt.date(2026, 11, d)) for d in (29, 30)] == [1, 2]
    assert counted(DAILY, dt.date(2026, 12, 1)) == 1
    assert counted(WEEKLY, dt.date(2026, 11, 29)) == 1
    assert counted(WEEKLY, dt.date(2026, 11, 30)) == 3
    assert counted(MONTHLY, dt.date(2026, 11, 1)) == 3
    assert counted(MONTHLY, dt.date(2026, 12, 1)) == 1
    late, early = cases_on_day(dt.date(2026, 11, 30))
    assert (late.received_at.hour, late.received_at.minute) == (0, 30)
    assert (early.received_at.hour, early.received_at.minute) == (23, 30)
    assert late.received_at.utcoffset() == dt.timedelta(hours=8)


def test_timeline_of_intake_and_hall_updates_is_in_order(
    os_zone, store, intake_catalog, intake_settings, hall, qapp
):
    # On a computer set to Beijing time the intake used to write local wall
    # time and the hall's updates UTC: eight hours out of order.
    os_zone("Asia/Shanghai")
    service = IntakeService(store, intake_settings)  # the real clock
    draft = service.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    result = service.commit(draft, Decision("accept"))

    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    try:
        drain(lanes, deadline_s=60)
        reply = requests.post(f"{hall.api}/admin/cases/{result.uuid}/status",
                              json={"status": "in_process", "detail": "科室审查中"},
                              headers={"Authorization": f"Bearer {admin_token(hall)}"},
                              timeout=10)
        assert reply.status_code == 200, reply.text
        assert OFFSET.search(reply.json()["update"]["at"])  # the hall answers with an offset
        lanes.lanes["status"].run_once()
    finally:
        lanes.stop()

    events = case_detail(result.case_number)["events"]
    assert [(e["kind"], (e["detail"] or {}).get("status")) for e in events] == [
        ("received", None), ("accepted", None),
        ("hall_status", "received"), ("hall_status", "in_process"),
    ]
    times = [dt.datetime.fromisoformat(e["at"]) for e in events]
    assert all(e["at"].endswith("+08:00") for e in events)
    assert times == sorted(times)
    assert times[-1] - times[0] < dt.timedelta(minutes=5)
    # The case window lists the same history, in that order, on Beijing's clock.
    from ui.case_detail import case_detail_html

    html = case_detail_html(case_detail(result.case_number))
    shown = re.findall(r"<li>(\d{4}-\d\d-\d\d \d\d:\d\d) ", html)
    assert shown == [f"{t:%Y-%m-%d %H:%M}" for t in times]
    first = dt.datetime.strptime(shown[0], "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)
    assert abs(dt.datetime.now(BEIJING) - first) < dt.timedelta(minutes=5)  # not UTC's clock
    # Stored in UTC, one column, one zone.
    stored = [e.at for e in CaseEvent.select().where(CaseEvent.case == Case.get(
        Case.uuid == result.uuid).id).order_by(CaseEvent.at)]
    assert abs(stored[0] - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)


def test_manifest_times_carry_the_station_offset(os_zone, store, intake_catalog,
                                                 intake_settings):
    os_zone("UTC")
    result = take_in(store, intake_settings, dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC),
                     intake_catalog[INDIVIDUAL_BUSINESS])
    manifest = OutboxEntry.get().manifest
    assert manifest["apply_time"] == "2026-11-20T09:00:00+08:00"
    assert manifest["accept_time"] == manifest["decided_at"] == "2026-11-20T09:00:00+08:00"
    assert manifest["promised_date"] == "2026-11-23"  # a date, not an instant
    assert manifest["number"] == result.case_number


def test_the_hall_refuses_a_manifest_time_without_an_offset(store, intake_catalog,
                                                            intake_settings, hall):
    result = take_in(store, intake_settings, dt.datetime(2026, 11, 20, 9, 0, tzinfo=BEIJING),
                     intake_catalog[INDIVIDUAL_BUSINESS])
    manifest = build_manifest(Case.get(Case.uuid == result.uuid), "accept")
    manifest["apply_time"] = "2026-11-20T09:00:00"  # a wall clock: which zone?
    token = sign_in_token(hall)
    verify = str(hall.ca_cert_path) if hall.ca_cert_path else True
    reply = requests.put(f"{hall.api}/cases/{result.uuid}", json=manifest, timeout=10,
                         verify=verify, headers={"Authorization": f"Bearer {token.access_token}",
                                                 "Idempotency-Key": "no-offset-1"})
    assert reply.status_code == 422 and "apply_time" in reply.text


def test_wire_format_round_trip_and_refusal():
    stored = dt.datetime(2026, 11, 20, 1, 0)
    assert to_wire(stored) == "2026-11-20T09:00:00+08:00"
    assert from_wire("2026-11-20T09:00:00+08:00") == stored
    assert from_wire("2026-11-20T01:00:00Z") == stored
    with pytest.raises(NoOffset):
        from_wire("2026-11-20T09:00:00")


def test_station_zone_setting_is_checked_and_applied(tmp_path):
    save_settings(Settings(time_zone="Asia/Urumqi"), tmp_path)
    try:
        assert load_settings(tmp_path).time_zone == "Asia/Urumqi"
        assert station_zone() == ZoneInfo("Asia/Urumqi")
    finally:
        set_station_zone("Asia/Shanghai")
    save_settings(Settings(time_zone="Beijing"), tmp_path)
    with pytest.raises(SettingsError, match="时区"):
        load_settings(tmp_path)
    assert station_zone() == BEIJING
