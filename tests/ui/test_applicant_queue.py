"""A queue of applicants at one window: nobody's data reaches the next (issue 17, 1–2).

The clerk serves applicants in a row through the real main window: a
rejection, an acceptance, a completion notice (补正) for someone who came
with an agent, a person without one, and an organisation whose draft is
discarded.  Each new intake must start from a clean slate: no decision,
reason, legal basis, agent or ID of an earlier applicant anywhere on screen
or in the case that is committed.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMessageBox, QPlainTextEdit

from local_store.models import Case
from tests.support.intake import VALID_AGENT_ID, VALID_PERSON_ID, VALID_USCC
from tests.ui.test_intake_keyboard import focused, open_intake_for, type_into_focus

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
ITEM = "个体工商户设立登记"
FOOD = "食品经营许可（新办）"
SECOND_PERSON = "350205199001011232"
THIRD_PERSON = "110101199003074477"
REJECT_REASON = "经营场所位于食品安全禁止区域"
REJECT_BASIS = "《食品安全法》第三十五条"


def assert_clean_slate(view) -> None:
    """Every input of the intake screen is as a new applicant needs it."""
    form = view.applicant_form
    typed = {edit.objectName() or repr(edit): edit.text()
             for edit in form.findChildren(QLineEdit) if edit.text()}
    assert typed == {}, f"text left from an earlier applicant: {typed}"
    ticked = [box.text() for box in form.findChildren(QCheckBox) if box.isChecked()]
    assert ticked == [], f"boxes left ticked: {ticked}"
    assert form.kind() == "person"
    assert form.agent() is None and not form.agent_box.isVisible()
    assert form._known_applicant_id is None and not form.prefill_note.isVisible()
    for field in (form.person_id, form.uscc, form.legal_rep_id, form.agent_id):
        assert not field.message.isVisible()
    panel = view.decision_panel
    assert panel.action() == "accept"
    assert panel.decision()["reason"] == "" and panel.decision()["basis"] == ""
    assert not panel.reason_message.isVisible()
    written = [e.toPlainText() for e in view.findChildren(QPlainTextEdit) if e.toPlainText()]
    assert written == []
    assert not view.problems.isVisible()
    assert view.pages.currentWidget() is form and focused() is form.name
    entries = view.materials_page.model.entries()
    assert entries and all(e.received_form in ("missing", "not_applicable") for e in entries)


SEEN_PAGES: list = []


def next_applicant(qtbot, main_window, item: str = ITEM):
    area = open_intake_for(qtbot, main_window, "gtgsh" if item == ITEM else "spjy", item)
    view = area.intake
    assert_clean_slate(view)
    # Built for this applicant: no page of an earlier one is reused.
    pages = (view.applicant_form, view.materials_page, view.decision_panel)
    assert not any(page is seen for page in pages for seen in SEEN_PAGES)
    SEEN_PAGES.extend(pages)
    return view


def fill_person(qtbot, view, name: str, id_number: str, phone: str = "13800138000") -> None:
    form = view.applicant_form
    type_into_focus(qtbot, name)
    form.person_id.number.setFocus()
    type_into_focus(qtbot, id_number)
    form.phone.setFocus()
    type_into_focus(qtbot, phone)


def to_decision(qtbot, view, receive_all: bool) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    page = view.materials_page
    assert view.pages.currentWidget() is page
    if receive_all:
        for row, entry in enumerate(page.model.entries()):
            if entry.needed:
                page.table.selectRow(row)
                qtbot.keyClick(page.table, Qt.Key.Key_1)  # original
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision
    # once the pages were looked for on disk, off the GUI thread
    qtbot.waitUntil(lambda: view.pages.currentWidget() is view.decision_panel)


def commit(qtbot, view):
    with qtbot.waitSignal(view.committed, timeout=15_000) as committed:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    result = committed.args[0]
    qtbot.keyClick(focused(), Qt.Key.Key_Return)  # next applicant: back to the search box
    return Case.get(Case.number == result.case_number)


def test_a_queue_of_applicants_each_starts_from_a_clean_slate(
    demo_catalog, main_window, qtbot, artifacts, monkeypatch
):
    # 1. Rejected, with a reason and a legal basis.
    view = next_applicant(qtbot, main_window)
    fill_person(qtbot, view, "甲某", VALID_PERSON_ID)
    to_decision(qtbot, view, receive_all=False)
    qtbot.keyClick(focused(), Qt.Key.Key_3, CTRL)
    view.decision_panel.reason.setFocus()
    type_into_focus(qtbot, REJECT_REASON)
    view.decision_panel.basis.setFocus()
    type_into_focus(qtbot, REJECT_BASIS)
    first = commit(qtbot, view)
    assert first.state == "rejected"

    # 2. Complete and accepted: Ctrl+Enter on the decision step accepts.
    view = next_applicant(qtbot, main_window)
    fill_person(qtbot, view, "乙某", SECOND_PERSON)
    to_decision(qtbot, view, receive_all=True)
    main_window.grab().save(str(artifacts / "queue_2_decision_after_a_rejection.png"))
    second = commit(qtbot, view)
    assert second.state == "accepted"
    assert REJECT_REASON not in str(second.__data__) and REJECT_BASIS not in str(second.__data__)

    # 3. Completion notice (补正) for a person who came with an agent.
    view = next_applicant(qtbot, main_window)
    form = view.applicant_form
    fill_person(qtbot, view, "丙某", THIRD_PERSON)
    form.has_agent.setChecked(True)
    form.agent_name.setFocus()
    type_into_focus(qtbot, "代办人丁某")
    form.agent_id.number.setFocus()
    type_into_focus(qtbot, VALID_AGENT_ID)
    form.agent_phone.setFocus()
    type_into_focus(qtbot, "13900139000")
    to_decision(qtbot, view, receive_all=False)
    qtbot.keyClick(focused(), Qt.Key.Key_2, CTRL)
    third = commit(qtbot, view)
    assert third.state == "needs_completion"
    assert third.agent["id_number"] == VALID_AGENT_ID

    # 4. A person without an agent: the last agent's data is nowhere, even when
    #    the box is ticked and unticked again.
    view = next_applicant(qtbot, main_window)
    form = view.applicant_form
    form.has_agent.setChecked(True)
    assert (form.agent_name.text(), form.agent_id.value(), form.agent_phone.text()) == ("", "", "")
    main_window.grab().save(str(artifacts / "queue_4_agent_ticked_is_empty.png"))
    form.has_agent.setChecked(False)
    form.name.setFocus()
    fill_person(qtbot, view, "戊某", VALID_PERSON_ID)
    to_decision(qtbot, view, receive_all=True)
    fourth = commit(qtbot, view)
    assert fourth.state == "accepted" and fourth.agent is None
    assert "代办人丁某" not in str(fourth.__data__)

    # 5. An organisation's draft is discarded; the next organisation's USCC
    #    field is empty, so what is typed is not appended to the old code.
    view = next_applicant(qtbot, main_window, FOOD)
    form = view.applicant_form
    form.kind_box.setCurrentIndex(form.kind_box.findData("organisation"))
    form.uscc.number.setFocus()
    type_into_focus(qtbot, VALID_USCC)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    view.discard_button.click()
    area = main_window.areas["intake"]
    qtbot.waitUntil(lambda: area.stack.currentWidget() is area.browser)
    view = next_applicant(qtbot, main_window, FOOD)
    form = view.applicant_form
    form.kind_box.setCurrentIndex(form.kind_box.findData("organisation"))
    assert form.uscc.value() == ""
