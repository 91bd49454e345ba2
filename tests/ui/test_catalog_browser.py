"""The catalog browser driven by keyboard, as a clerk would (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.catalog.item_key import ItemKey
from ui.catalog.quality_dialog import CatalogQualityDialog

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]
CTRL = Qt.KeyboardModifier.ControlModifier

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
    assert opened.args == [ItemKey("11350205003037124P4000109001000")]
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


def test_catalog_quality_dialog_by_shortcut(store, main_window, qtbot, artifacts):
    import copy
    import json
    from pathlib import Path

    from app.catalog.importer import import_catalog_document

    demo = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
    document = json.loads(demo.read_text(encoding="utf-8"))
    for item in document["items"][:2]:
        item["by_law"] = ""
        item["link_way"] = ""
    document["items"][2] = copy.deepcopy(document["items"][2]) | {"process": []}
    import_catalog_document(document, store)

    qtbot.keyClick(main_window, Qt.Key.Key_Q, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = main_window.findChild(CatalogQualityDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3, timeout=10_000)
    assert "3 个事项缺少标准要素" in dialog.summary.text()
    problems = [p for row in range(3) for p in dialog.model.issue_at(row).problems]
    assert problems.count("缺少设定依据") == 2 and "缺少办理环节" in problems
    dialog.grab().save(str(artifacts / "catalog_quality.png"))
    dialog.reject()


def test_a_handle_item_is_chosen_under_its_item_and_taken_in(demo_catalog, main_window, qtbot,
                                                             artifacts):
    """食品经营许可 has four 办理项: the clerk picks 变更 and gets 变更's checklist."""
    workstation = main_window.workstation
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    area = main_window.areas["intake"]
    browser = area.browser
    qtbot.keyClick(main_window, Qt.Key.Key_F, CTRL)
    browser.search_box.setText("食品经营")  # as an input method commits it
    qtbot.waitUntil(lambda: browser.hits.rowCount() == 4)
    main_window.grab().save(str(artifacts / "catalog_browser_handle_items.png"))
    for _ in range(2):  # the second row: 变更
        qtbot.keyClick(browser.search_box, Qt.Key.Key_Down)
    with qtbot.waitSignal(browser.item_opened, timeout=5_000) as opened:
        qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)
    [key] = opened.args
    assert key.handle_item_code.endswith("002")
    assert "食品经营许可（变更）" in browser.detail.toPlainText()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser.start_button)
    qtbot.keyClick(browser.start_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.stack.currentWidget() is area.intake, timeout=5_000)
    draft = area.intake.draft
    assert draft.handle_item_code == key.handle_item_code
    assert draft.display_name == "食品经营许可（变更）"
    assert "M08" in [entry.material_id for entry in draft.materials]  # the licence itself
    assert "M04" not in [entry.material_id for entry in draft.materials]  # 新办's rules
