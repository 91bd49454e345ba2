"""Reporting quality per department (issue 16, part 3): 报送率, 及时率, 完整率 and the
cases that miss each, with why — over cases taken in through IntakeService."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app.reports.reporting_quality import (
    COMPLETE,
    REPORTED,
    TIMELY,
    decision_instant,
    reporting_quality,
    supervisor_reporting_quality,
)
from app.reports.summary import MONTHLY, WEEKLY, summarise
from app.staff import PermissionRefused, StaffIdentity
from local_store.instants import as_stored, from_station_wall, zone_named
from local_store.models import OutboxEntry
from sync import outbox
from tests.support.intake import FOOD_LICENCE, INDIVIDUAL_BUSINESS, SENIOR_CARD
from tests.test_report_breakdown import CIVIL, MARKET, WANG, take_in

MONDAY = dt.datetime(2026, 11, 23, 9, 0)


@pytest.fixture
def reported_week(store, intake_catalog):
    """Six cases: acknowledged in 2 h, in 13 h, parked, sent, still queued, and one
    whose queue entry is gone (data from before the queue existed)."""
    numbers = [take_in(store, intake_catalog, WANG, MONDAY + dt.timedelta(hours=n), item,
                       "conclude" if item == SENIOR_CARD else "accept").case_number
               for n, item in enumerate([INDIVIDUAL_BUSINESS, FOOD_LICENCE, INDIVIDUAL_BUSINESS,
                                         SENIOR_CARD, SENIOR_CARD, FOOD_LICENCE])]
    entries = {entry.case.number: entry for entry in OutboxEntry.select()}

    def acknowledge(entry, after):
        entry.state = "acknowledged"
        entry.acknowledged_at = decision_instant(entry) + after
        entry.save()

    store.writer.call(acknowledge, entries[numbers[0]], dt.timedelta(hours=2))
    store.writer.call(acknowledge, entries[numbers[1]], dt.timedelta(hours=13))
    store.writer.call(outbox.park, entries[numbers[2]].id, "HTTP 422：manifest 字段不合规")
    store.writer.call(outbox.mark_sent, entries[numbers[3]].id)
    store.writer.call(outbox.schedule_retry, entries[numbers[4]].id, "连接超时", 60)
    store.writer.call(lambda: entries[numbers[5]].delete_instance())
    return numbers


def test_rates_and_misses_per_department(reported_week):
    now = as_stored(from_station_wall(MONDAY + dt.timedelta(days=3), zone_named("Asia/Shanghai")))
    lines = {line.dept_code: line for line in reporting_quality(WEEKLY, MONDAY.date(), now=now)}
    market, civil = lines[MARKET], lines[CIVIL]
    assert (market.cases, market.reported, market.on_time, market.complete) == (4, 2, 1, 3)
    assert market.report_rate == pytest.approx(0.5)
    assert market.timeliness_rate == pytest.approx(0.25)
    assert market.completeness_rate == pytest.approx(0.75)
    assert (civil.cases, civil.reported, civil.on_time, civil.complete) == (2, 0, 0, 2)

    why = {(miss.case_number, miss.indicator): miss.why for line in lines.values()
           for miss in line.misses}
    first, late, parked, sent, queued, gone = reported_week
    assert not any(number == first for number, _ in why)
    assert why[(late, TIMELY)] == "决定后 13.0 小时才获大厅确认，超过 12 小时"
    assert (late, REPORTED) not in why
    assert "搁置" in why[(parked, REPORTED)] and "HTTP 422" in why[(parked, REPORTED)]
    assert why[(sent, REPORTED)] == "已发送，办事大厅尚未确认接收"
    assert "连接超时" in why[(queued, REPORTED)] and "超过 12 小时" in why[(queued, TIMELY)]
    assert why[(gone, REPORTED)] == "未生成上报数据（未入上报队列）"
    assert why[(gone, COMPLETE)].startswith("缺少：")
    assert [miss.indicator for miss in civil.misses].count(COMPLETE) == 0

    # The same cases, reported as the summary counts them.
    week = summarise(WEEKLY, MONDAY.date())
    assert week.reported == sum(line.reported for line in lines.values())


def test_within_twelve_hours_is_not_yet_late(reported_week):
    soon = as_stored(from_station_wall(MONDAY + dt.timedelta(hours=6), zone_named("Asia/Shanghai")))
    lines = reporting_quality(MONTHLY, MONDAY.date(), now=soon)
    why = {(miss.case_number, miss.indicator): miss.why for line in lines for miss in line.misses}
    assert "仍在 12 小时内" in why[(reported_week[3], TIMELY)]


def test_clerk_refused_and_cli(reported_week, store, cli_login, capsys):
    from app.cli import main

    clerk = StaffIdentity("clerk01", "王窗口", "clerk", "350205001")
    with pytest.raises(PermissionRefused, match="无权查看上报质量"):
        supervisor_reporting_quality(clerk, WEEKLY, MONDAY.date())
    store.close()
    assert cli_login("supervisor") == 0
    capsys.readouterr()
    assert main(["report", "quality", "--span", "weekly", "--date", "2026-11-25",
                 "--all-stations", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    lines = {line["dept_code"]: line for line in data["departments"]}
    assert lines[MARKET]["cases"] == 4 and lines[MARKET]["reported"] == 2
    assert main(["report", "quality", "--span", "weekly", "--date", "2026-11-25",
                 "--all-stations"]) == 0
    assert "未生成上报数据" in capsys.readouterr().out
