"""The console's further tabs (issue 16): a custom range checked before anything is
read; catalog readiness, reporting quality and the end of day on screen, each as
its service computes it; the sign-off asks the supervisor's password again and
the sign-in service checks it; a clerk is refused by the service, not the button."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate

from app.embedded_hall import DEMO_PASSWORD, DEMO_SUPERVISOR
from app.reports.catalog_readiness import catalog_readiness
from app.reports.reporting_quality import reporting_quality
from app.reports.summary import CUSTOM, MONTHLY
from app.settings import Settings
from app.staff import StaffIdentity
from local_store.models import DaySignoff, PeriodReport
from tests.test_end_of_day import monday  # noqa: F401 - fixture
from tests.test_report_breakdown import MARKET, holiday_cases  # noqa: F401 - fixture
from tests.ui.test_console_area import CLERK, SUPERVISOR, open_console
from ui.console.area import NO_DATE

pytestmark = pytest.mark.gui


def choose(combo, key) -> None:
    combo.setCurrentIndex([combo.itemData(i) for i in range(combo.count())].index(key))


def refresh_and_wait(console, qtbot, signal=None):
    with qtbot.waitSignal(signal or console.loaded, timeout=10_000):
        console.refresh()


def show_tab(console, qtbot, tab):
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        console.tabs.setCurrentWidget(tab)


def test_a_custom_range_is_checked_and_counted(holiday_cases, main_window, qtbot,  # noqa: F811
                                               artifacts):
    console = open_console(main_window, qtbot, SUPERVISOR, dimension="department")
    main_window.resize(1366, 768)
    choose(console.period, CUSTOM)
    assert console.last_date.isVisible()
    console.date.setDate(QDate(2026, 10, 3))
    console.last_date.setDate(QDate(2026, 9, 30))
    refresh_and_wait(console, qtbot)
    assert "早于开始日期" in console.message.text() and "b00020" in console.message.styleSheet()
    main_window.grab().save(str(artifacts / "console_custom_reversed.png"))
    # Nothing entered is lost: the two dates stay as picked, to be corrected; no
    # figures of the earlier range stay under them.
    assert console.date.date() == QDate(2026, 10, 3)
    assert console.table.rowCount() == 0 and console.trend.points == []
    console.date.setDate(NO_DATE)  # the picker's blank
    refresh_and_wait(console, qtbot)
    assert "请选择自定义期间的开始日期和结束日期" in console.message.text()

    console.date.setDate(QDate(2026, 9, 30))
    console.last_date.setDate(QDate(2026, 10, 3))
    refresh_and_wait(console, qtbot)
    assert "2026-09-30 至 2026-10-03" in console.message.text()
    assert [day for day, _ in console.trend.points] == [
        "2026-09-30", "2026-10-01", "2026-10-02", "2026-10-03"]
    main_window.grab().save(str(artifacts / "console_custom_range.png"))
    received = {console.table.item(row, 1).text(): int(console.table.item(row, 2).text())
                for row in range(console.table.rowCount())}
    assert received[MARKET] == 3  # 30 Sep 23:50, 1 Oct 00:10, 3 Oct (Beijing days)
    assert dict(console.departments.bars) == {
        console.table.item(row, 0).text(): int(console.table.item(row, 2).text())
        for row in range(console.table.rowCount())}


def test_readiness_and_quality_tabs_show_what_the_services_compute(
        holiday_cases, main_window, qtbot, artifacts, store):  # noqa: F811
    console = open_console(main_window, qtbot, SUPERVISOR, dimension="department")
    main_window.resize(1366, 768)
    show_tab(console, qtbot, console.readiness)
    expected = catalog_readiness(store)
    shown = console.readiness.table
    assert shown.rowCount() == len(expected) > 0
    for row, line in enumerate(expected):
        assert shown.item(row, 0).text().startswith(line.dept_name)
        assert shown.item(row, 1).text() == str(line.items)
        assert shown.item(row, 12).text() == str(len(line.items_missing_fields))
    with qtbot.waitSignal(console.readiness.loaded, timeout=10_000):
        console.readiness.refresh()
    shown.selectRow(0)
    assert console.readiness.items.rowCount() == len(expected[0].items_missing_fields)
    main_window.grab().save(str(artifacts / "console_readiness.png"))

    show_tab(console, qtbot, console.quality)
    lines = {line.dept_code: line for line in reporting_quality(MONTHLY, dt.date(2026, 10, 1))}
    table = console.quality.table
    names = [table.item(row, 0).text() for row in range(table.rowCount())]
    market_row = names.index(lines[MARKET].dept_name)
    assert table.item(market_row, 1).text() == str(lines[MARKET].cases)
    assert table.item(market_row, 2).text() == f"{lines[MARKET].report_rate:.1%}"
    table.selectRow(market_row)
    misses = console.quality.misses
    assert misses.rowCount() == len(lines[MARKET].misses)
    assert {misses.item(row, 2).text() for row in range(misses.rowCount())} == {
        miss.why for miss in lines[MARKET].misses}
    main_window.grab().save(str(artifacts / "console_quality.png"))
    dialog = console.quality._open_case(0, 0)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    assert misses.item(0, 0).text() in dialog.browser.toPlainText()
    dialog.close()


@pytest.fixture
def supervisor_known(store, shared_hall, memory_keyring):
    """The supervisor signed in once through the hall, as at the window's start: the
    station keeps the password's hash to check it again offline."""
    from app.staff.signin import SignInService

    SignInService(store, Settings(), hall_url=shared_hall.url).sign_in(DEMO_SUPERVISOR,
                                                                      DEMO_PASSWORD)
    return StaffIdentity(DEMO_SUPERVISOR, "科长", "supervisor", "350205001")


def unsigned_line(console) -> str:
    return next((line for line in console.reminders.text().splitlines()
                 if line.startswith("尚未日结签核")), "")


def test_end_of_day_is_signed_after_the_password_is_typed_again(
        monday, supervisor_known, main_window, qtbot, artifacts):  # noqa: F811
    accepted, notified, rejected = monday
    console = open_console(main_window, qtbot, SUPERVISOR)
    # The next morning: the days with decisions and no sign-off are named at the top.
    qtbot.waitUntil(lambda: unsigned_line(console) == "尚未日结签核的日期：2026-11-21, 2026-11-23",
                    timeout=10_000)
    console.date.setDate(QDate(2026, 11, 23))
    refresh_and_wait(console, qtbot)
    tab = console.end_of_day
    show_tab(console, qtbot, tab)
    assert tab.table.rowCount() == 1
    figures = [tab.table.item(0, column).text() for column in range(1, 7)]
    assert figures == ["3", "3", "1", "1", "1", "1"]
    highlighted = {column for column in range(1, 8)
                   if tab.table.item(0, column).background().color().name() == "#fde2e1"}
    assert highlighted == {3, 4, 5, 6, 7}  # printed, queued, acknowledged, parked; unsigned
    assert {tab.differences.item(row, 2).text() for row in range(tab.differences.rowCount())} \
        == {"已决定，未出具文书", "上报中，办事大厅尚未确认", "文书打印失败",
            "上报被搁置：HTTP 422：字段不合规"}
    assert "2026-11-21" in tab.unsigned.text()
    main_window.resize(1366, 768)
    main_window.grab().save(str(artifacts / "console_end_of_day.png"))

    dialog = tab.ask_to_sign()
    dialog.password.setText("not-the-password")
    with qtbot.waitSignal(tab.signed, timeout=10_000):
        dialog.confirm.click()
    assert "用户名或密码错误" in dialog.refusal.text() and dialog.password.text() == ""
    assert DaySignoff.select().count() == 0
    dialog.grab().save(str(artifacts / "console_reauth_refused.png"))

    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dialog.confirm.click()
    signed = DaySignoff.get()
    assert (signed.station, signed.day, signed.signed_by) == ("350205001", dt.date(2026, 11, 23),
                                                              DEMO_SUPERVISOR)
    assert tab.table.item(0, 7).text() == f"已由 {DEMO_SUPERVISOR} 签核"
    # The signed day is queued for the hall with its reconciliation.
    report = PeriodReport.get(PeriodReport.kind == "day_signoff")
    assert report.body["signoff"]["reconciliation"]["parked"] == 1
    assert report.body["signoff"]["differences"] == 4
    qtbot.waitUntil(lambda: unsigned_line(console) == "尚未日结签核的日期：2026-11-21",
                    timeout=10_000)


def test_a_clerk_is_refused_the_tabs_and_the_sign_off(monday, main_window, qtbot):  # noqa: F811
    console = open_console(main_window, qtbot, CLERK)
    assert not console.reminders.isVisible()
    for tab, refusal in ((console.readiness, "无权查看目录完备情况"),
                         (console.quality, "无权查看上报质量"),
                         (console.end_of_day, "无权查看日结")):
        show_tab(console, qtbot, tab)
        assert refusal in tab.message.text()
    dialog = console.end_of_day.ask_to_sign()
    dialog.password.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(console.end_of_day.signed, timeout=10_000):
        dialog.confirm.click()
    assert "无权日结签核" in dialog.refusal.text()
    assert DaySignoff.select().count() == 0
    dialog.close()


def test_the_weekly_report_is_sent_from_the_console_and_its_reminder_goes(
        holiday_cases, main_window, qtbot, artifacts):  # noqa: F811
    from app.deadlines import WorkCalendar
    from app.reports.console import weekly_due
    from app.reports.summary import WEEKLY, period_bounds
    from local_store.instants import station_today

    today = station_today()
    start, end = period_bounds(WEEKLY, today)
    line = f"{start.isoformat()} 至 {end.isoformat()} 的周报"
    console = open_console(main_window, qtbot, SUPERVISOR)
    if weekly_due(today, WorkCalendar.load()) <= today:  # this week's is due (or late)
        qtbot.waitUntil(lambda: line in console.reminders.text(), timeout=10_000)
    choose(console.period, "daily")
    assert not console.send_button.isEnabled()  # only a week or a month is sent
    choose(console.period, WEEKLY)
    console.date.setDate(QDate(today.year, today.month, today.day))
    with qtbot.waitSignal(console.loaded, timeout=10_000):  # the week's figures follow
        console.send_button.click()
    assert "已加入报送办事大厅的队列" in console.message.text()
    assert f"{start.isoformat()} 至 {end.isoformat()}：" in console.message.text()
    report = PeriodReport.get(PeriodReport.kind == WEEKLY)
    assert (report.period_start, report.period_end, report.sync_state) == (start, end, "queued")
    qtbot.waitUntil(lambda: line not in console.reminders.text(), timeout=10_000)
    main_window.resize(1366, 768)
    main_window.grab().save(str(artifacts / "console_report_sent.png"))


def test_a_clerk_cannot_send_a_report(holiday_cases, main_window, qtbot):  # noqa: F811
    console = open_console(main_window, qtbot, CLERK)
    choose(console.period, "weekly")
    with qtbot.waitSignal(console.report_sent, timeout=10_000):
        console.send_button.click()
    assert "无权报送周报/月报" in console.message.text()
    assert PeriodReport.select().count() == 0


def test_the_consoles_range_is_exported_with_its_charts(holiday_cases, main_window, qtbot,  # noqa: F811
                                                         tmp_path):
    import subprocess

    from openpyxl import load_workbook

    console = open_console(main_window, qtbot, SUPERVISOR, dimension="department")
    choose(console.period, CUSTOM)
    console.date.setDate(QDate(2026, 9, 30))
    console.last_date.setDate(QDate(2026, 10, 3))
    refresh_and_wait(console, qtbot)
    for kind in ("pdf", "xlsx"):
        with qtbot.waitSignal(console.exported, timeout=20_000):
            console.export(kind, tmp_path / f"range.{kind}")
        assert "range." + kind in console.message.text()
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "range.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "2026年09月30日 至 2026年10月03日" in text
    assert f"每日收件（最高 {max(v for _, v in console.trend.points)} 件）" in text
    chart = text.split("各部门收件", 1)[1]
    for name, value in console.departments.bars:
        assert next(row for row in chart.splitlines() if name in row).split()[-1] == str(value)
    trend = load_workbook(tmp_path / "range.xlsx")["每日趋势"]
    assert [(row[0].value, row[1].value) for row in trend.iter_rows(min_row=2)] == \
        console.trend.points


def test_a_clerks_export_is_refused(holiday_cases, main_window, qtbot, tmp_path):  # noqa: F811
    console = open_console(main_window, qtbot, CLERK)
    with qtbot.waitSignal(console.exported, timeout=10_000):
        console.export("pdf", tmp_path / "no.pdf")
    assert "无权查看统计报表" in console.message.text() and not (tmp_path / "no.pdf").exists()


def test_no_console_tab_clips_stretched_strings(holiday_cases, store, pseudo_locale,  # noqa: F811
                                                qtbot, artifacts):
    from types import SimpleNamespace

    from tests.ui.test_pseudo_locale import clipped
    from ui.main_window import MainWindow
    from ui.workstation import Workstation

    workstation = Workstation(store, Settings())
    workstation.staff_session = SimpleNamespace(identity=SUPERVISOR)
    window = MainWindow(workstation)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    console = window.tabs.show_area("console")
    with qtbot.waitSignal(console.loaded, timeout=10_000):
        console.refresh()
    problems = {}
    for tab in (None, console.readiness, console.quality, console.end_of_day):
        if tab is not None:
            show_tab(console, qtbot, tab)
        try:
            qtbot.waitUntil(lambda: not clipped(window), timeout=2_000)
        except AssertionError:
            problems[console.tabs.currentIndex()] = clipped(window)
    window.grab().save(str(artifacts / "console_pseudo.png"))
    window.close()
    assert not problems, problems
