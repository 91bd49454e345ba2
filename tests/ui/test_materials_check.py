"""The materials step looks for its pages on disk off the GUI thread (issue 19),
and a page gone from the blob store still stops the step, in Chinese, losing nothing."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from tests.support.intake import page_png, scan_pages
from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for

# The real pool: which thread does the looking is the subject here.
pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_page_missing_on_disk_stops_the_step_and_nothing_is_lost(
    demo_catalog, main_window, workstation, qtbot
):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    page = view.materials_page
    assert view.pages.currentWidget() is page
    needed = [row for row, entry in enumerate(page.model.entries()) if entry.needed]
    for row in needed[1:]:
        page.table.selectRow(row)
        qtbot.keyClick(page.table, Qt.Key.Key_1)  # original
    scanned = page.model.entries()[needed[0]]
    scan_pages(workstation.store, scanned, 1)
    page.model.refresh_row(needed[0])
    digest = scanned.pages[0]["digest"]
    workstation.store.blobs.path(digest).unlink()  # the file went (a disk fault, a clean-up)

    checked_on: list[int] = []
    check = view.service.check_materials

    def observed(materials):
        checked_on.append(threading.get_ident())
        return check(materials)

    view.service.check_materials = observed
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "在本机存储中找不到" in page.material_message.text())
    assert checked_on and checked_on[0] != threading.get_ident()  # not the GUI thread
    assert view.pages.currentWidget() is page and view.next_button.isEnabled()
    assert scanned.received_form == "scanned" and scanned.pages[0]["digest"] == digest

    assert workstation.store.blobs.put_bytes(page_png(1)) == digest  # scanned again
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.decision_panel)
