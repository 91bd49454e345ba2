"""Every indicator broken down by department, item, station and clerk (issue 16, part 1).

Cases are taken in through the real IntakeService by two clerks at two stations,
around midnight Beijing time and over the National Day holiday (1–7 Oct 2026), so
the day a decision counts on is the day on the station's wall clock, not UTC's.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess

import pytest

from app.intake import IntakeService
from app.intake.validation import Decision
from app.reports.breakdown import DIMENSIONS, breakdown, breakdowns, supervisor_breakdown
from app.reports.summary import DAILY, MONTHLY, WEEKLY, summarise
from app.reports.timeliness import decision_instant
from app.settings import Settings
from app.staff import PermissionRefused, StaffIdentity
from local_store.models import OutboxEntry
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    fill_person,
    receive_all_originals,
)

MARKET = "11350205003037124P"  # 市场监督管理局: 个体工商户, 食品经营许可
CIVIL = "113502050030434798"  # 民政局: 老年人优待证
WANG = Settings(clerk_name="王窗口", station_code="001")
LI = Settings(clerk_name="李窗口", station_code="002")


def take_in(store, catalog, settings, wall_time, item, action, complete=True, **decision):
    service = IntakeService(store, settings, clock=lambda: wall_time)
    draft = service.new_draft(catalog[item])
    fill_person(draft)
    if complete:
        receive_all_originals(draft)
    return service.commit(draft, Decision(action=action, **decision))


REJECTION = {"reason": "不属于本机关职权范围", "basis": "《中华人民共和国行政许可法》第三十二条"}


@pytest.fixture
def holiday_cases(store, intake_catalog):
    """Seven decisions, 30 Sep – 8 Oct 2026, station wall time (Asia/Shanghai)."""
    at = dt.datetime
    cases = [
        # 23:50 on 30 Sep Beijing is 15:50 UTC; 00:10 on 1 Oct is still 30 Sep in UTC.
        take_in(store, intake_catalog, WANG, at(2026, 9, 30, 23, 50), INDIVIDUAL_BUSINESS,
                "accept"),
        take_in(store, intake_catalog, WANG, at(2026, 10, 1, 0, 10), FOOD_LICENCE, "accept"),
        take_in(store, intake_catalog, WANG, at(2026, 10, 1, 0, 5), SENIOR_CARD, "conclude"),
        take_in(store, intake_catalog, LI, at(2026, 10, 3, 10, 0), FOOD_LICENCE, "notify",
                complete=False),
        take_in(store, intake_catalog, LI, at(2026, 10, 7, 23, 59), INDIVIDUAL_BUSINESS,
                "reject", **REJECTION),
        take_in(store, intake_catalog, LI, at(2026, 10, 8, 0, 0, 30), SENIOR_CARD, "conclude"),
        take_in(store, intake_catalog, WANG, at(2026, 10, 8, 7, 59), INDIVIDUAL_BUSINESS,
                "accept"),
    ]
    entries = {entry.case.number: entry for entry in OutboxEntry.select()}

    def acknowledge(entry, after):
        entry.state = "acknowledged"
        entry.acknowledged_at = decision_instant(entry) + after
        entry.save()

    # The hall acknowledges the first on time (2 hours after the decision), the
    # second 13 hours late, not the rest.
    store.writer.call(acknowledge, entries[cases[0].case_number], dt.timedelta(hours=2))
    store.writer.call(acknowledge, entries[cases[1].case_number], dt.timedelta(hours=13))
    return cases


def figures(line, *names):
    return tuple(getattr(line.summary, name) for name in names)


def by_label(lines):
    return {line.label: line for line in lines}


NUMBERS = ("received", "accepted", "accepted_with_deficiencies", "completion_notices",
           "rejected", "concluded", "window_cases", "online_cases", "other_channel_cases",
           "overdue", "reported", "reported_on_time", "unreported", "evaluations",
           "bad_open", "bad_closed", "bad_overdue", "fees_due", "fees_due_fen", "fees_paid",
           "fees_paid_fen")


def test_days_are_beijing_days_per_clerk(holiday_cases):
    national_day = by_label(breakdown(DAILY, dt.date(2026, 10, 1), "clerk",
                                      today=dt.date(2026, 10, 1)))
    assert list(national_day) == ["王窗口"]
    assert figures(national_day["王窗口"], "received", "accepted", "concluded") == (2, 2, 1)
    eve = by_label(breakdown(DAILY, dt.date(2026, 9, 30), "clerk"))
    assert figures(eve["王窗口"], "received", "accepted", "reported", "reported_on_time"
                   ) == (1, 1, 1, 1)
    last_holiday = by_label(breakdown(DAILY, dt.date(2026, 10, 7), "clerk"))
    assert list(last_holiday) == ["李窗口"]
    assert figures(last_holiday["李窗口"], "received", "rejected") == (1, 1)
    back_at_work = by_label(breakdown(DAILY, dt.date(2026, 10, 8), "clerk"))
    assert figures(back_at_work["李窗口"], "received", "concluded") == (1, 1)
    assert figures(back_at_work["王窗口"], "received", "accepted") == (1, 1)


def test_each_breakdown_exact_per_group(holiday_cases, intake_catalog):
    week = breakdown(WEEKLY, dt.date(2026, 10, 1), "station")  # Mon 28 Sep – Sun 4 Oct
    stations = {line.key[0][-3:]: line for line in week}
    assert figures(stations["001"], "received", "accepted", "concluded", "reported",
                   "reported_on_time", "unreported") == (3, 3, 1, 2, 1, 1)
    assert figures(stations["002"], "received", "completion_notices", "accepted") == (1, 1, 0)
    assert stations["001"].summary.report_rate == pytest.approx(2 / 3)
    assert stations["001"].summary.timeliness_rate == pytest.approx(1 / 3)

    october = {line.key[0]: line for line in breakdown(MONTHLY, dt.date(2026, 10, 15),
                                                       "department")}
    assert set(october) == {MARKET, CIVIL}
    assert october[MARKET].label == "厦门市海沧区市场监督管理局"
    assert figures(october[MARKET], "received", "accepted", "completion_notices", "rejected",
                   "reported") == (4, 2, 1, 1, 1)
    assert figures(october[CIVIL], "received", "accepted", "concluded") == (2, 2, 2)

    items = {line.key: line for line in breakdown(MONTHLY, dt.date(2026, 10, 15), "item")}
    food = intake_catalog[FOOD_LICENCE]
    food_line = items[(food.task_code, food.handle_item_code)]
    assert food_line.label == FOOD_LICENCE
    assert figures(food_line, "received", "accepted", "completion_notices") == (2, 1, 1)
    senior = items[(intake_catalog[SENIOR_CARD], None)]
    assert figures(senior, "received", "concluded") == (2, 2)


@pytest.mark.parametrize("period,day", [(DAILY, dt.date(2026, 10, 1)),
                                        (WEEKLY, dt.date(2026, 10, 5)),
                                        (MONTHLY, dt.date(2026, 9, 30)),
                                        (MONTHLY, dt.date(2026, 10, 31))])
def test_every_breakdown_adds_up_to_the_summary(holiday_cases, period, day):
    whole = summarise(period, day, today=dt.date(2026, 12, 1))
    for dimension in DIMENSIONS:
        lines = breakdown(period, day, dimension, today=dt.date(2026, 12, 1))
        for name in NUMBERS:
            assert sum(getattr(line.summary, name) for line in lines) == getattr(whole, name), (
                dimension, name)
        assert [sum(column) for column in zip(*(line.summary.rating_counts for line in lines),
                                              strict=True)] in ([], list(whole.rating_counts))
    assert breakdown(period, day, "station", station="999999999") == []
    # All four at once (the console's one pass) give the same lines.
    together = breakdowns(period, day, today=dt.date(2026, 12, 1))
    for dimension in DIMENSIONS:
        assert together[dimension] == breakdown(period, day, dimension,
                                                today=dt.date(2026, 12, 1))


def test_a_clerk_is_refused_the_breakdown(holiday_cases):
    clerk = StaffIdentity("clerk01", "王窗口", "clerk", "350205001")
    with pytest.raises(PermissionRefused, match="无权查看统计报表"):
        supervisor_breakdown(clerk, DAILY, dt.date(2026, 10, 1), "clerk")
    supervisor = StaffIdentity("supervisor", "科长", "supervisor", "350205001")
    assert supervisor_breakdown(supervisor, DAILY, dt.date(2026, 10, 1), "clerk")
    with pytest.raises(ValueError):
        breakdown(DAILY, dt.date(2026, 10, 1), "weather")


def test_cli_json_xlsx_and_pdf_agree(holiday_cases, store, tmp_path, cli_login, capsys,
                                     artifacts):
    from openpyxl import load_workbook

    from app.cli import main

    store.close()  # the CLI opens the station's store itself
    assert cli_login("supervisor") == 0
    assert "科室负责人" in capsys.readouterr().out  # the hall names the role in its token
    pdf, xlsx = tmp_path / "october.pdf", tmp_path / "october.xlsx"
    argv = ["report", "monthly", "--date", "2026-10-15", "--all-stations", "--by", "department"]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "department"
    lines = {line["key"][0]: line for line in data["breakdown"]}
    assert lines[MARKET]["received"] == 4 and lines[CIVIL]["concluded"] == 2
    assert main([*argv, "--xlsx", str(xlsx), "--pdf", str(pdf)]) == 0

    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["分组统计"]
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["部门", "编码"]
    rows = {row[1].value: dict(zip(header, [cell.value for cell in row], strict=True))
            for row in sheet.iter_rows(min_row=2)}
    for code, line in lines.items():
        assert rows[code]["部门"] == line["label"]
        assert rows[code]["收件数"] == line["received"]
        assert rows[code]["受理数（含即办）"] == line["accepted"]
        assert rows[code]["一次性告知（补正）"] == line["completion_notices"]
        assert rows[code]["不予受理"] == line["rejected"]
        assert rows[code]["已上报办事大厅"] == line["reported"]
        assert rows[code]["上报率"] == pytest.approx(line["report_rate"])

    (artifacts / "report_october.pdf").write_bytes(pdf.read_bytes())  # to look at
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "按部门统计" in text
    for code, line in lines.items():
        section = text.split(f"{line['label']}（{code}）", 1)[1]
        received = next(row for row in section.splitlines() if "收件数" in row)
        assert received.split()[-1] == str(line["received"])
        rejected = next(row for row in section.splitlines() if "不予受理" in row)
        assert rejected.split()[-1] == str(line["rejected"])

    # The charts: the trend day by day in JSON and in the sheet 每日趋势; on paper the
    # trend's highest day in its title and each department's bar with its number.
    trend = {point["day"]: point["received"] for point in data["trend"]}
    assert len(trend) == 31 and trend["2026-10-01"] == 2 and sum(trend.values()) == 6
    sheet = load_workbook(io.BytesIO(xlsx.read_bytes()))["每日趋势"]
    assert {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)} == trend
    assert f"每日收件（最高 {max(trend.values())} 件）" in text
    chart = text.split("各部门收件", 1)[1]
    received = {item["department"]: item["received"] for item in data["received_by_department"]}
    assert received == {line["label"]: line["received"] for line in lines.values()}
    for name, value in received.items():
        row = next(row for row in chart.splitlines() if name in row)
        assert row.split()[-1] == str(value), row

    # The week's 周报 queued for the hall from the command line, as sent.
    from app.reports.summary import summarise as whole_station
    from local_store.models import PeriodReport

    assert main(["report", "weekly", "--date", "2026-10-01", "--send", "--json"]) == 0
    assert "已加入报送办事大厅的队列" in capsys.readouterr().err
    report = PeriodReport.get()
    assert (report.kind, report.period_start.isoformat()) == ("weekly", "2026-09-28")
    assert report.body["figures"]["received"] == whole_station(
        WEEKLY, dt.date(2026, 10, 1), station=report.station).received


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_the_cases_behind_each_number_are_the_ones_counted(holiday_cases, dimension):
    from app.reports.breakdown import DRILLABLE, cases_behind

    for line in breakdown(MONTHLY, dt.date(2026, 10, 1), dimension, today=dt.date(2026, 12, 1)):
        for indicator in DRILLABLE:
            cases = cases_behind(MONTHLY, dt.date(2026, 10, 1), dimension, line.key, indicator,
                                 today=dt.date(2026, 12, 1))
            assert len(cases) == getattr(line.summary, indicator), (line.key, indicator)
    with pytest.raises(ValueError):
        cases_behind(MONTHLY, dt.date(2026, 10, 1), dimension, ("x",), "fees_due")


def test_daily_trend_is_the_daily_summaries(holiday_cases):
    from zoneinfo import ZoneInfo

    from app.reports.breakdown import TREND_COLUMNS, daily_trend

    start, end = dt.date(2026, 9, 28), dt.date(2026, 10, 9)
    trend = daily_trend(start, end)
    assert [line["day"] for line in trend][:2] == ["2026-09-28", "2026-09-29"]
    for line in trend:
        day = summarise(DAILY, dt.date.fromisoformat(line["day"]))
        assert [line[column] for column in TREND_COLUMNS] == [
            getattr(day, column) for column in TREND_COLUMNS], line["day"]
    assert sum(line["received"] for line in trend) == 7
    assert next(line for line in trend if line["day"] == "2026-10-01")["received"] == 2
    # A zone off the whole hour falls back to one summary per day, still exact.
    kathmandu = ZoneInfo("Asia/Kathmandu")
    for line in daily_trend(start, end, zone=kathmandu):
        day = summarise(DAILY, dt.date.fromisoformat(line["day"]), zone=kathmandu)
        assert line["received"] == day.received


def test_a_custom_range_counts_as_the_period_it_spans(holiday_cases):
    from app.reports.summary import CUSTOM, BadRange, checked_span

    week = breakdowns(WEEKLY, dt.date(2026, 10, 1), today=dt.date(2026, 12, 1))
    same = breakdowns(CUSTOM, dt.date(2026, 9, 28), today=dt.date(2026, 12, 1),
                      last_day=dt.date(2026, 10, 4))
    for dimension in DIMENSIONS:
        assert [(line.key, line.summary.received, line.summary.reported_on_time)
                for line in same[dimension]] == [
            (line.key, line.summary.received, line.summary.reported_on_time)
            for line in week[dimension]]
    holiday = summarise(CUSTOM, dt.date(2026, 10, 1), last_day=dt.date(2026, 10, 7))
    assert (holiday.start, holiday.end, holiday.received) == (
        dt.date(2026, 10, 1), dt.date(2026, 10, 7), 4)
    with pytest.raises(BadRange, match="早于开始日期"):
        checked_span(CUSTOM, dt.date(2026, 10, 7), dt.date(2026, 10, 1))
    with pytest.raises(BadRange, match="请选择自定义期间的开始日期和结束日期"):
        checked_span(CUSTOM, None, dt.date(2026, 10, 1))
    with pytest.raises(BadRange, match="最长 366 天"):
        checked_span(CUSTOM, dt.date(2025, 1, 1), dt.date(2026, 1, 2))
    assert checked_span(MONTHLY, dt.date(2026, 10, 9)) == (MONTHLY, dt.date(2026, 10, 9), None)
