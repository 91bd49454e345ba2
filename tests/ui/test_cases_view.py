"""办件 area: find today's case by keyboard, open it, continue a 补正 case."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.cases import case_detail
from app.intake import Decision, IntakeService
from tests.support.intake import INDIVIDUAL_BUSINESS, fill_person
from ui.case_detail import CaseDetailDialog, case_detail_html

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = pytest.mark.usefixtures("synchronous_pool")

NOW = dt.datetime.now().replace(microsecond=0)


def _notify_case(store, intake_catalog) -> str:
    """A case sent back for completion: one required material missing."""
    from app.settings import Settings

    service = IntakeService(store, Settings(), clock=lambda: NOW)
    draft = service.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name="欧阳·娜娜")
    draft.materials[0].received_form = "original"
    draft.materials[0].originals = 1
    return service.commit(draft, Decision("notify")).case_number


def test_case_detail_html_lists_materials_and_masks_id(store, intake_catalog, chinese_ui):
    number = _notify_case(store, intake_catalog)
    html = case_detail_html(case_detail(number))
    assert number in html and "欧阳·娜娜" in html and "待补正" in html
    assert "350205**********" in html and "199003" not in html
    assert "个体工商户登记（备案）申请书" in html and "原件" in html
    assert "收件" in html and "一次性告知" in html  # history in words, not codes


def test_an_archived_case_says_so_and_shows_no_person(store, case_producer, hall, chinese_ui):
    from app.retention import ARCHIVED_LABEL, run_retention
    from app.settings import Settings
    from tests.sync.test_retention import send_to_hall

    concluded = case_producer.take_in("conclude", name="司马·归档")
    send_to_hall(store, hall)
    assert "司马·归档" in case_detail_html(case_detail(concluded.number))
    run_retention(store, Settings(retention_days=0))
    html = case_detail_html(case_detail(concluded.number))
    assert ARCHIVED_LABEL in html and concluded.number in html
    assert "司马·归档" not in html and "350205" not in html.split(concluded.number)[1]


@pytest.mark.gui
def test_find_open_and_continue_a_completion_case(
    store, intake_catalog, main_window, qtbot, artifacts
):
    number = _notify_case(store, intake_catalog)
    main_window.workstation.cases_changed.emit()
    cases = main_window.show_area("cases")
    qtbot.waitUntil(lambda: cases.model.rowCount() == 1)
    assert "今日收件 1 件" in cases.summary.text()

    cases.focus_search()
    qtbot.keyClicks(QApplication.focusWidget(), number[-8:])
    qtbot.waitUntil(lambda: "找到 1 件" in cases.summary.text())
    main_window.grab().save(str(artifacts / "cases_list.png"))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main_window.findChild(CaseDetailDialog) is not None)
    dialog = main_window.findChild(CaseDetailDialog)
    qtbot.waitUntil(lambda: dialog.detail is not None, timeout=5_000)
    assert dialog.continue_button.isVisible()
    buttons = dialog.documents.buttons
    assert set(buttons) == {"completion", "receipt"}
    qtbot.waitUntil(lambda: dialog.documents.height() > 10 and buttons["receipt"].height() > 10)
    dialog.grab().save(str(artifacts / "case_detail.png"))

    dialog.continue_button.click()
    area = main_window.areas["intake"]
    qtbot.waitUntil(lambda: area.intake.draft is not None, timeout=5_000)
    assert main_window.tabs.current_area() is area
    assert area.intake.draft.case_number == number
    assert area.intake.applicant_form.name.text() == "欧阳·娜娜"


def test_case_number_column_shows_the_whole_number(workstation, qtbot):
    from ui.cases_model import COLUMN_NUMBER
    from ui.cases_view import CasesView
    from ui.sync_view import COLUMN_NUMBER as SYNC_NUMBER
    from ui.sync_view import SyncView

    number = "350205001202612060000013"
    for view, column in ((CasesView(workstation), COLUMN_NUMBER),
                         (SyncView(workstation), SYNC_NUMBER)):
        qtbot.addWidget(view)
        view.resize(1366, 700)
        needed = view.table.fontMetrics().horizontalAdvance(number)
        assert view.table.columnWidth(column) > needed + 8
        shutdown = getattr(view, "shutdown", None)
        if shutdown:
            shutdown()
