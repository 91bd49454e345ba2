"""The decision step says what is missing before the commit; 容缺 is bounded
and its undertaking is offered for printing (issue 17, items 6 and 7)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from tests.support.intake import VALID_AGENT_ID, VALID_USCC
from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for, type_into_focus

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

CTRL = Qt.KeyboardModifier.ControlModifier


def test_missing_materials_are_said_at_the_decision_step(demo_catalog, main_window, qtbot,
                                                          artifacts):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials, nothing handed in
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision
    panel = view.decision_panel
    # Nothing can be accepted: the one-time notice is offered, not 受理.
    assert panel.action() == "notify" and not panel.decision_warning.isVisible()
    qtbot.keyClick(focused(), Qt.Key.Key_1, CTRL)  # the clerk insists on 受理
    assert panel.action() == "accept"
    assert panel.decision_warning.isVisible()
    assert "不能受理" in panel.decision_warning.text()
    assert "经营者身份证明" in panel.decision_warning.text()
    main_window.grab().save(str(artifacts / "decision_missing_said_before_commit.png"))
    # Going back and forth keeps the clerk's own choice.
    qtbot.keyClick(focused(), Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert panel.action() == "accept"


def test_deficiency_promise_is_bounded_and_its_undertaking_offered(
    demo_catalog, main_window, qtbot, artifacts
):
    from app.deadlines import WorkCalendar, deficiency_window

    area = open_intake_for(qtbot, main_window, "spjy", "食品经营许可（新办）")
    view = area.intake
    form = view.applicant_form
    form.kind_box.setCurrentIndex(form.kind_box.findData("organisation"))
    form.name.setFocus()
    type_into_focus(qtbot, "厦门海沧示例餐饮有限公司")
    form.uscc.number.setFocus()
    type_into_focus(qtbot, VALID_USCC)
    form.legal_rep_name.setFocus()
    type_into_focus(qtbot, "李四")
    form.legal_rep_id.number.setFocus()
    type_into_focus(qtbot, VALID_AGENT_ID)
    form.phone.setFocus()
    type_into_focus(qtbot, "13800138000")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    page = view.materials_page
    needed = [row for row, e in enumerate(page.model.entries()) if e.needed]
    for row in needed[:-1]:
        page.table.selectRow(row)
        qtbot.keyClick(page.table, Qt.Key.Key_1)  # original
    page.table.selectRow(needed[-1])
    qtbot.keyClick(page.table, Qt.Key.Key_7)  # 容缺: to follow
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision

    panel = view.decision_panel
    assert panel.action() == "accept" and panel.deficiency_box.isVisible()
    assert not panel.decision_warning.isVisible()
    qtbot.waitUntil(lambda: panel.deadline is not None, timeout=10_000)
    item = view.draft.item
    window = deficiency_window(dt.date.today(), item["promise_limit"], WorkCalendar.load())
    assert panel.promised_date.maximumDate().toPython() == window.latest
    assert panel.promised_date.date().toPython() == window.default
    assert window.default.weekday() < 5 or window.default == window.latest
    # 2028 cannot be typed in: the date box stops at the case's deadline.
    panel.promised_date.setDate(dt.date(2028, 1, 3))
    assert panel.promised_date.date().toPython() == window.latest
    main_window.grab().save(str(artifacts / "decision_deficiency_bounded.png"))

    with qtbot.waitSignal(view.committed, timeout=15_000) as committed:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert committed.args[0].has_deficiencies
    buttons = view.result_page.documents.buttons
    assert set(buttons) == {"acceptance", "receipt", "deficiency"}
    assert "Ctrl+Alt+P" in buttons["deficiency"].text()
