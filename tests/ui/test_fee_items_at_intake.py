"""The catalog's fee items are shown (read-only) at the decision step (issue 15)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

CTRL = Qt.KeyboardModifier.ControlModifier


def test_fee_items_are_shown_at_the_decision_step(demo_catalog, main_window, qtbot, artifacts):
    area = open_intake_for(qtbot, main_window, "hwgg", "户外广告设施设置许可")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision
    label = view.decision_panel.fee_label
    qtbot.waitUntil(label.isVisible)
    assert "城市道路（公共场地）占用费（按标准计收" in label.text()
    assert "缴款通知书" in label.text()
    main_window.grab().save(str(artifacts / "decision_fee_items.png"))


def test_a_free_item_says_so(demo_catalog, main_window, qtbot):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    label = view.decision_panel.fee_label
    qtbot.waitUntil(label.isVisible)
    assert label.text() == "收费：不收费"
