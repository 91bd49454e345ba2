"""网上预审 in the supervisor's summaries: per department, decided each way,
within two working days (rate), overdue now — from decisions taken at the station."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from app.prereview import decide, due_rule
from app.reports.excel import summary_workbook
from app.reports.prereview import prereview_breakdown
from app.reports.summary import DAILY, WEEKLY, summarise
from sync.lanes import LaneTimings, SyncLanes
from tests.support.applications import (
    HEALTH_PERMIT,
    SECOND_PERSON_ID,
    SOLE_TRADER,
    application_record,
    submit,
)
from tests.support.sync_trials import sign_in_token

THIRD_PERSON_ID = "350205198001010016"
FOURTH_PERSON_ID = "350205199003071239"


def at(text: str) -> dt.datetime:
    """A Beijing wall-clock time as the stored naive UTC instant."""
    return dt.datetime.fromisoformat(text + "+08:00").astimezone(dt.UTC).replace(tzinfo=None)


def test_weekly_prereview_figures_per_department(hall, store, intake_catalog, intake_settings,
                                                 tmp_path):
    # Friday 20 Nov 2026, 16:30: all four are due on Tuesday the 24th.
    health_pass, health_late, trader_reject, trader_waiting = submit(hall, tmp_path, [
        application_record("h1", HEALTH_PERMIT, id_number=FOURTH_PERSON_ID),
        application_record("h2", HEALTH_PERMIT, id_number=SECOND_PERSON_ID),
        application_record("t1", SOLE_TRADER, id_number=THIRD_PERSON_ID),
        application_record("t2", SOLE_TRADER, id_number=SECOND_PERSON_ID),
    ], at="2026-11-20T16:30:00+08:00")
    lanes = SyncLanes(store, hall.url, timeout_s=15, timings=LaneTimings(),
                      token_source=lambda: sign_in_token(hall),
                      prereview_due=due_rule(intake_settings))
    lanes.lanes["prereview"].run_once()
    lanes.stop()

    decide(store, intake_settings, health_pass["id"], "pass", now=at("2026-11-23T10:00:00"))
    decide(store, intake_settings, health_late["id"], "return", reason="请补交检测报告",
           missing_ids=["M03"], now=at("2026-11-25T09:00:00"))  # a day late
    decide(store, intake_settings, trader_reject["id"], "reject", reason="经营范围不属于个体工商户",
           basis="《促进个体工商户发展条例》第二条", now=at("2026-11-24T17:59:00"))

    zone = intake_settings.zone
    lines = {line.dept_name: line for line in prereview_breakdown(
        WEEKLY, dt.date(2026, 11, 25), zone=zone, today=dt.date(2026, 11, 25))}
    health = lines["厦门市海沧区卫生健康局"]
    trader = lines["厦门市海沧区市场监督管理局"]
    total = lines["合计"]
    assert (health.pre_reviewed, health.passed, health.returned, health.rejected) == (2, 1, 1, 0)
    assert (health.within_two_working_days, health.on_time_rate) == (1, 0.5)
    assert (trader.pre_reviewed, trader.rejected, trader.within_two_working_days) == (1, 1, 1)
    assert trader.overdue_now == 1 and health.overdue_now == 0  # t2 still waits, due the 24th
    assert (total.pre_reviewed, total.within_two_working_days, total.overdue_now) == (3, 2, 1)

    # A day's summary counts that day's decisions only; on the 24th nothing was overdue yet.
    [day_line] = prereview_breakdown(DAILY, dt.date(2026, 11, 24), zone=zone,
                                     today=dt.date(2026, 11, 24))
    assert (day_line.dept_name, day_line.pre_reviewed, day_line.overdue_now) == (
        "厦门市海沧区市场监督管理局", 1, 0)

    book = load_workbook(io.BytesIO(summary_workbook(
        [summarise(WEEKLY, dt.date(2026, 11, 25), zone=zone)], "海沧区行政服务中心", [],
        list(lines.values()))))
    sheet = book["网上预审"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("部门", "预审", "通过")
    assert ("合计", 3, 1, 1, 1, 2) == rows[-1][:6]
