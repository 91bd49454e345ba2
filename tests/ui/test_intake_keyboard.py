"""A whole intake by keyboard: item, applicant, materials, decision (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app.numbering import verify_case_number
from local_store.models import Case, CaseMaterial

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

APPLICANT_ID = "350205199001011232"
CTRL = Qt.KeyboardModifier.ControlModifier


def focused():
    return QApplication.focusWidget()


def type_into_focus(qtbot, text: str) -> None:
    if text.isascii():
        qtbot.keyClicks(focused(), text)
        return
    # Chinese arrives the way an input method delivers it: one committed string.
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(focused(), event)


def open_intake_for(qtbot, main_window, query: str, name: str):
    """Ctrl+F, type, Down to the item, Enter (guide), Enter (start the intake)."""
    workstation = main_window.workstation
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    area = main_window.areas["intake"]
    qtbot.keyClick(main_window, Qt.Key.Key_F, CTRL)
    type_into_focus(qtbot, query)
    names = [area.browser.hits.hit_at(r).display_name
             for r in range(area.browser.hits.rowCount())]
    for _ in range(names.index(name) + 1):
        qtbot.keyClick(focused(), Qt.Key.Key_Down)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is area.browser.start_button)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.stack.currentWidget() is area.intake)
    return area


@pytest.fixture
def workstation(store, qapp, sane_test_device):
    """Scans come from the SANE test device, at a low resolution to stay quick."""
    from app.settings import Settings
    from ui.workstation import Workstation

    return Workstation(store, Settings(scan_dpi=75, scan_device=sane_test_device))


def test_whole_intake_by_keyboard(demo_catalog, main_window, qtbot, artifacts, store):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    form = view.applicant_form
    assert focused() is form.name

    # Applicant: name, Enter to the next field, the ID number, then phone.
    type_into_focus(qtbot, "欧阳·娜娜")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)  # document type (resident ID by default)
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is form.person_id.number
    type_into_focus(qtbot, APPLICANT_ID)
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert focused() is form.phone
    type_into_focus(qtbot, "13800138000")
    main_window.grab().save(str(artifacts / "intake_1_applicant.png"))
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)

    # Materials: number keys pick how each one was received.
    page = view.materials_page
    assert view.pages.currentWidget() is page
    assert focused() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_1)  # application form: original, next row
    qtbot.keyClick(page.table, Qt.Key.Key_2)  # ID card: copy, next row
    assert page.current_row() == 2
    # Premises proof: scanned, three sheets on the flatbed, F9 right from the checklist.
    scans = page.scan_panel
    for sheets in (1, 2, 3):
        assert focused() is page.table
        qtbot.keyClick(focused(), Qt.Key.Key_F9)
        qtbot.waitUntil(
            lambda n=sheets: len(scans.page_set) == n and not scans._busy, timeout=20_000
        )
    entry = page.model.entry_at(2)
    assert entry.received_form == "scanned" and len(entry.pages) == 3
    assert page.model.counts()["missing"] == 0
    qtbot.waitUntil(lambda: not scans.model.missing_previews(), timeout=20_000)
    main_window.grab().save(str(artifacts / "intake_2_materials.png"))
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)

    # Decision: accept is preselected; the promised date is shown before committing.
    panel = view.decision_panel
    assert view.pages.currentWidget() is panel
    qtbot.waitUntil(lambda: panel.deadline is not None)
    assert "今日受理的承诺办结日期" in panel.deadline_label.text()
    main_window.grab().save(str(artifacts / "intake_3_decision.png"))
    with qtbot.waitSignal(view.committed, timeout=15_000) as committed:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    result = committed.args[0]
    buttons = view.result_page.documents.buttons
    assert set(buttons) == {"acceptance", "receipt"}
    qtbot.waitUntil(lambda: buttons["receipt"].isVisible() and buttons["receipt"].height() > 10)
    main_window.grab().save(str(artifacts / "intake_4_done.png"))

    assert verify_case_number(result.case_number)
    assert result.deadline is not None
    assert result.case_number in view.result_page.number_label.text()
    case = Case.get(Case.number == result.case_number)
    assert case.state == "accepted" and case.deadline == result.deadline
    assert case.applicant_snapshot["name"] == "欧阳·娜娜"
    materials = list(CaseMaterial.select().where(CaseMaterial.case == case))
    received = sorted(m.received_form for m in materials if m.received_form != "not_applicable")
    assert received == ["copy", "original", "scanned"]
    scanned = next(m for m in materials if m.received_form == "scanned")
    assert scanned.page_count == 3
    assert store.blobs.read(scanned.blob_digest).startswith(b"%PDF")

    # Enter: next applicant, back in the search box.
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused() is area.browser.search_box)


def test_validation_error_keeps_everything_entered(demo_catalog, main_window, qtbot, artifacts):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    form = area.intake.applicant_form
    type_into_focus(qtbot, "张三")
    form.person_id.number.setFocus()
    type_into_focus(qtbot, "350205199001011231")  # wrong check digit
    form.phone.setFocus()
    type_into_focus(qtbot, "13800138000")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)

    assert area.intake.pages.currentWidget() is form
    assert focused() is form.person_id.number
    assert "校验位" in form.person_id.message.text() and form.person_id.message.isVisible()
    assert form.name.text() == "张三" and form.phone.text() == "13800138000"
    assert form.person_id.value() == "350205199001011231"
    main_window.grab().save(str(artifacts / "intake_error_kept.png"))


def test_typing_is_autosaved_and_offered_again_after_a_restart(
    demo_catalog, main_window, qtbot, workstation
):
    from ui.intake.area import IntakeArea

    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    type_into_focus(qtbot, "王𠇔·小明")  # a character outside the BMP and a middle dot
    qtbot.waitUntil(lambda: "草稿已保存" in area.intake.save_state.text(), timeout=5_000)

    # "Restart": a new intake area on the same store finds the draft and offers it.
    restarted = IntakeArea(workstation)
    qtbot.addWidget(restarted)
    restarted.show()
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    qtbot.waitUntil(lambda: restarted.drafts_bar.isVisible(), timeout=5_000)
    assert "1 份未完成的受理" in restarted.drafts_label.text()
    dialog = restarted.choose_draft()
    assert "个体工商户设立登记 — 王𠇔·小明" in dialog.list.currentItem().text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: restarted.stack.currentWidget() is restarted.intake)
    assert restarted.intake.applicant_form.name.text() == "王𠇔·小明"


def test_rejection_needs_reason_and_basis_and_keeps_what_was_typed(
    demo_catalog, main_window, qtbot, artifacts
):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    type_into_focus(qtbot, "张三")
    view.applicant_form.person_id.number.setFocus()
    type_into_focus(qtbot, APPLICANT_ID)
    view.applicant_form.phone.setFocus()
    type_into_focus(qtbot, "13800138000")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials (all missing)
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision
    panel = view.decision_panel
    assert view.pages.currentWidget() is panel
    assert "缺少的材料（3 项）" in panel.missing_label.text()

    qtbot.keyClick(focused(), Qt.Key.Key_3, CTRL)
    assert panel.action() == "reject"
    panel.reason.setFocus()
    type_into_focus(qtbot, "申请人不具备经营能力")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # commit without a legal basis
    qtbot.waitUntil(lambda: panel.reason_message.isVisible(), timeout=10_000)
    assert "不予受理须填写法律依据" in panel.reason_message.text()
    assert panel.reason.toPlainText() == "申请人不具备经营能力"
    assert focused() is panel.basis
    main_window.grab().save(str(artifacts / "intake_reject_needs_basis.png"))

    type_into_focus(qtbot, "《促进个体工商户发展条例》第十条")
    with qtbot.waitSignal(view.committed, timeout=15_000) as committed:
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert committed.args[0].state == "rejected"
    assert set(view.result_page.documents.buttons) == {"rejection", "receipt"}


def test_returning_applicant_is_prefilled_from_the_id_number(
    demo_catalog, main_window, qtbot, store
):
    from app.intake import Decision, IntakeService
    from app.settings import Settings
    from tests.support.intake import fill_person, receive_all_originals

    service = IntakeService(store, Settings())
    earlier = service.new_draft("11350205003037124P4000109001000")
    fill_person(earlier, name="欧阳·娜娜", id_number=APPLICANT_ID)
    earlier.applicant.address = "厦门市海沧区海沧街道1号"
    receive_all_originals(earlier)
    service.commit(earlier, Decision("accept"))

    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    form = area.intake.applicant_form
    form.person_id.number.setFocus()
    type_into_focus(qtbot, APPLICANT_ID)  # 18 characters: checked and looked up at once
    qtbot.waitUntil(lambda: form.name.text() == "欧阳·娜娜", timeout=5_000)
    assert form.address.text() == "厦门市海沧区海沧街道1号"
    assert form.prefill_note.isVisible() and "以往办件记录" in form.prefill_note.text()


def test_f7_opens_the_certificate_look_up_for_this_applicant(demo_catalog, main_window, qtbot):
    from ui.cert_lookup import CertificateLookupDialog

    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    form = area.intake.applicant_form
    type_into_focus(qtbot, "张三")
    form.person_id.number.setFocus()
    type_into_focus(qtbot, APPLICANT_ID)
    qtbot.keyClick(focused(), Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: area.intake.findChild(CertificateLookupDialog) is not None)
    dialog = area.intake.findChild(CertificateLookupDialog)
    assert dialog.panel.holder_edit.text() == APPLICANT_ID
    # No hall configured: the look-up ends at once on its offline path.
    qtbot.waitUntil(lambda: dialog.panel.lookup_button.isEnabled(), timeout=15_000)
    dialog.close()
