"""The catalog browser driven by keyboard, as a clerk would (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.gui

GTGSH_NAME = "个体工商户设立登记"


def test_keyboard_search_opens_item_detail(demo_catalog, main_window, qtbot, artifacts):
    workstation = main_window.workstation
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    area = main_window.areas["intake"]
    browser = area.browser

    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is browser.search_box

    qtbot.keyClicks(browser.search_box, "gtgsh")
    qtbot.waitUntil(lambda: browser.hits.rowCount() > 0)
    names = [browser.hits.hit_at(row).name for row in range(browser.hits.rowCount())]
    target = names.index(GTGSH_NAME)
    for _ in range(target + 1):
        qtbot.keyClick(browser.search_box, Qt.Key.Key_Down)
    assert browser.current_row() == target

    with qtbot.waitSignal(browser.item_opened, timeout=5_000) as opened:
        qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)
    assert opened.args == ["11350205003037124P4000109001000"]
    text = browser.detail.toPlainText()
    assert GTGSH_NAME in text and "申请材料" in text and "承诺办结时限" in text
    # Enter has moved on to "take in an application for this item".
    assert QApplication.focusWidget() is browser.start_button
    main_window.grab().save(str(artifacts / "catalog_browser_gtgsh.png"))


def test_f3_also_focuses_search_and_no_match_is_said(demo_catalog, main_window, qtbot):
    workstation = main_window.workstation
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    browser = main_window.areas["intake"].browser
    qtbot.keyClick(main_window, Qt.Key.Key_F3)
    assert QApplication.focusWidget() is browser.search_box
    qtbot.keyClicks(browser.search_box, "zzzzqqq")
    assert browser.hits.rowCount() == 0
    assert "没有与“zzzzqqq”匹配的事项" in browser.summary.text()
