"""Supervisor summaries over cases taken in through the real intake service."""

import datetime as dt

import pytest

from app.intake import IntakeService
from app.intake.validation import Decision
from app.reports.summary import DAILY, MONTHLY, WEEKLY, period_bounds, summarise
from app.reports.timeliness import decision_instant
from local_store.models import AuditEvent, Case, OutboxEntry
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    fill_person,
    receive_all_originals,
)

MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def take_in(store, catalog, settings, when, item, action, complete=True, **decision):
    service = IntakeService(store, settings, clock=lambda: when)
    draft = service.new_draft(catalog[item])
    fill_person(draft)
    if complete:
        receive_all_originals(draft)
    return service.commit(draft, Decision(action=action, **decision))


@pytest.fixture
def week_of_cases(store, intake_catalog, intake_settings):
    def day(n, hour=10):
        return MONDAY + dt.timedelta(days=n, hours=hour - 9)

    take_in(store, intake_catalog, intake_settings, day(0), INDIVIDUAL_BUSINESS, "accept")
    take_in(store, intake_catalog, intake_settings, day(0), SENIOR_CARD, "conclude")
    take_in(store, intake_catalog, intake_settings, day(0), FOOD_LICENCE, "notify",
            complete=False)
    take_in(store, intake_catalog, intake_settings, day(2), INDIVIDUAL_BUSINESS, "reject",
            reason="不属于本机关职权范围", basis="《中华人民共和国行政许可法》第三十二条")
    take_in(store, intake_catalog, intake_settings, day(2), INDIVIDUAL_BUSINESS, "accept")
    return intake_settings


def test_daily_summary_counts_each_decision(week_of_cases):
    monday = summarise(DAILY, MONDAY.date(), today=MONDAY.date())
    assert (monday.received, monday.accepted, monday.concluded,
            monday.completion_notices, monday.rejected) == (3, 2, 1, 1, 0)
    # 即办件 concluded on the spot counts as accepted and concluded.
    wednesday = summarise(DAILY, MONDAY.date() + dt.timedelta(days=2))
    assert (wednesday.received, wednesday.accepted, wednesday.rejected) == (2, 1, 1)
    tuesday = summarise(DAILY, MONDAY.date() + dt.timedelta(days=1))
    assert tuesday.received == 0 and tuesday.report_rate is None


def test_weekly_and_monthly_add_up(week_of_cases):
    week = summarise(WEEKLY, MONDAY.date() + dt.timedelta(days=4))
    assert (week.start, week.end) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert week.received == 5 and week.window_cases == 5 and week.online_cases == 0
    month = summarise(MONTHLY, MONDAY.date())
    assert (month.start, month.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert month.received == 5


def test_reporting_rate_and_timeliness(store, week_of_cases):
    assert summarise(WEEKLY, MONDAY.date()).unreported == 5
    entries = list(OutboxEntry.select().order_by(OutboxEntry.id))

    def acknowledge(entry, after):
        entry.state = "acknowledged"
        entry.acknowledged_at = decision_instant(entry) + after  # 12 h from the decision
        entry.save()

    store.writer.call(acknowledge, entries[0], dt.timedelta(hours=2))
    store.writer.call(acknowledge, entries[1], dt.timedelta(hours=13))  # late
    week = summarise(WEEKLY, MONDAY.date())
    assert (week.reported, week.reported_on_time, week.unreported) == (2, 1, 3)
    assert week.report_rate == pytest.approx(0.4)
    assert week.timeliness_rate == pytest.approx(0.2)


def test_overdue_counts_unfinished_cases_past_their_deadline(week_of_cases):
    accepted = Case.select().where(Case.state == "accepted").order_by(Case.id)
    first_deadline = accepted[0].deadline
    assert summarise(DAILY, first_deadline).overdue == 0
    later = first_deadline + dt.timedelta(days=10)
    assert summarise(DAILY, later, today=later).overdue == 2


def test_station_filter(week_of_cases):
    assert summarise(WEEKLY, MONDAY.date(), station="999999999").received == 0


def test_unknown_period_is_refused():
    with pytest.raises(ValueError):
        period_bounds("yearly", dt.date.today())


def test_report_cli_refuses_a_clerk(week_of_cases, store, tmp_path, cli_login, capsys):
    from app.cli import main

    store.close()  # the CLI opens the station's store itself
    assert main(["report", "weekly", "--date", "2026-11-25"]) == 1
    assert "未登录" in capsys.readouterr().err
    assert cli_login() == 0
    capsys.readouterr()
    assert main(["report", "weekly", "--date", "2026-11-25", "--pdf", str(tmp_path / "r.pdf")]
                ) == 1
    assert "无权查看统计报表" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_report_cli_exports_pdf_and_excel(week_of_cases, store, tmp_path, cli_login, capsys):
    import subprocess

    from openpyxl import load_workbook

    from app.cli import main

    store.close()  # the CLI opens the station's store itself
    assert cli_login("supervisor") == 0
    assert "科室负责人" in capsys.readouterr().out  # the hall names the role in its token
    pdf, xlsx = tmp_path / "weekly.pdf", tmp_path / "weekly.xlsx"
    assert main(["report", "weekly", "--date", "2026-11-25", "--pdf", str(pdf),
                 "--xlsx", str(xlsx)]) == 0
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "办件统计周报" in text and "2026年11月23日 至 2026年11月29日" in text
    assert "不予受理" in text
    sheet = load_workbook(xlsx).active
    header = [cell.value for cell in sheet[2]]
    row = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert row["收件数"] == 5 and row["不予受理"] == 1
    exports = [(e.account, e.object, e.detail) for e in
               AuditEvent.select().where(AuditEvent.event == "export").order_by(AuditEvent.id)]
    assert [(account, obj) for account, obj, _ in exports] == [
        ("supervisor", "report/weekly/2026-11-25")] * 2
    assert main(["report", "daily", "--date", "2026-11-31"]) == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err


FOOD_CHANGE = "食品经营许可（变更）"


def test_handle_items_of_one_item_are_counted_apart(store, intake_catalog, intake_settings):
    from app.reports.excel import summary_workbook
    from app.reports.presentation import ITEM_HEADER, item_rows
    from app.reports.summary import item_breakdown

    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_LICENCE, "accept")
    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_LICENCE, "accept")
    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_CHANGE, "accept")
    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_CHANGE, "notify",
            complete=False)
    take_in(store, intake_catalog, intake_settings, MONDAY, SENIOR_CARD, "conclude")

    figures = {(f.item_name, f.handle_item_code): f for f in item_breakdown(DAILY, MONDAY.date())}
    new, change = intake_catalog[FOOD_LICENCE], intake_catalog[FOOD_CHANGE]
    assert new.task_code == change.task_code  # one 实施清单 item …
    opened = figures[(FOOD_LICENCE, new.handle_item_code)]
    changed = figures[(FOOD_CHANGE, change.handle_item_code)]
    # … two lines: 新办 and 变更 each with their own decisions.
    assert (opened.received, opened.accepted, opened.completion_notices) == (2, 2, 0)
    assert (changed.received, changed.accepted, changed.completion_notices) == (2, 1, 1)
    senior = figures[(SENIOR_CARD, None)]
    assert (senior.received, senior.accepted, senior.concluded) == (1, 1, 1)
    assert sum(f.received for f in figures.values()) == summarise(DAILY, MONDAY.date()).received
    assert item_breakdown(DAILY, MONDAY.date(), station="999999999") == []

    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(summary_workbook(
        [summarise(DAILY, MONDAY.date())], "海沧区行政服务中心",
        item_breakdown(DAILY, MONDAY.date()))))
    sheet = book["按事项"]
    assert [cell.value for cell in sheet[1]] == ITEM_HEADER
    lines = {row[0].value: [cell.value for cell in row] for row in sheet.iter_rows(min_row=2)}
    assert lines[FOOD_CHANGE][2] == change.handle_item_code and lines[FOOD_CHANGE][3:5] == [2, 1]
    assert item_rows(item_breakdown(DAILY, MONDAY.date()))[0][0] in (FOOD_LICENCE, FOOD_CHANGE)


def test_summary_pdf_lists_the_handle_items_apart(store, intake_catalog, intake_settings):
    import subprocess

    from app.reports.presentation import ITEM_HEADER, formatted_rows, item_rows, period_text
    from app.reports.presentation import title as summary_title
    from app.reports.summary import item_breakdown
    from printing.summary_report import render_summary

    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_LICENCE, "accept")
    take_in(store, intake_catalog, intake_settings, MONDAY, FOOD_CHANGE, "accept")
    summary = summarise(DAILY, MONDAY.date())
    pdf = render_summary(summary_title(summary, "海沧区行政服务中心"), period_text(summary),
                         formatted_rows(summary), "科长", MONDAY,
                         item_table=[ITEM_HEADER, *item_rows(item_breakdown(DAILY, MONDAY.date()))])
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    assert "按事项统计" in text and FOOD_LICENCE in text and FOOD_CHANGE in text
