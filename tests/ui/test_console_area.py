"""The supervisor's console in the window (issue 16, part 5): the breakdown read off
the GUI thread, a number clicked → its cases → a case opened; a clerk sees the
services' refusal, not data."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QDate

from app.staff import StaffIdentity
from tests.test_report_breakdown import holiday_cases  # noqa: F401 - fixture

SUPERVISOR = StaffIdentity("supervisor", "科长", "supervisor", "350205001")
CLERK = StaffIdentity("clerk01", "王窗口", "clerk", "350205001")


def open_console(main_window, qtbot, identity, dimension="clerk"):
    # Who is signed in, as ui.application's StaffSession exposes it to the areas.
    main_window.workstation.staff_session = SimpleNamespace(identity=identity)
    console = main_window.tabs.show_area("console")
    with qtbot.waitSignal(console.loaded, timeout=10_000):  # only the latest read shows
        console.date.setDate(QDate(2026, 10, 1))
        console.dimension.setCurrentIndex(
            [console.dimension.itemData(i) for i in range(console.dimension.count())]
            .index(dimension))
        console.refresh()
    return console


@pytest.mark.gui
def test_breakdown_then_cases_then_a_case(holiday_cases, main_window, qtbot, artifacts):  # noqa: F811
    console = open_console(main_window, qtbot, SUPERVISOR)
    rows = {console.table.item(row, 0).text(): row for row in range(console.table.rowCount())}
    assert set(rows) == {"王窗口", "李窗口"}
    assert console.table.item(rows["王窗口"], 2).text() == "3"  # received in October
    assert "2026-10-01 至 2026-10-31" in console.message.text()
    # The trend: a bar per day of October, the days' received cases.
    trend = dict(console.trend.points)
    assert len(trend) == 31 and trend["2026-10-01"] == 2 and sum(trend.values()) == 6
    main_window.resize(1366, 768)
    main_window.grab().save(str(artifacts / "console_breakdown.png"))

    with qtbot.waitSignal(console.cases_loaded, timeout=10_000):
        console.table.cellClicked.emit(rows["李窗口"], 5)  # 不予受理
    assert console.cases.rowCount() == 1
    number = console.cases.item(0, 0).text()
    assert console.cases.item(0, 2).text() == "不予受理"
    main_window.grab().save(str(artifacts / "console_cases.png"))

    dialog = console._open_case(0, 0)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        pass
    assert number in dialog.browser.toPlainText()
    dialog.close()


@pytest.mark.gui
def test_a_clerk_gets_the_refusal(holiday_cases, main_window, qtbot):  # noqa: F811
    console = open_console(main_window, qtbot, CLERK)
    assert console.table.rowCount() == 0 and console.trend.points == []
    assert "无权查看统计报表" in console.message.text()
