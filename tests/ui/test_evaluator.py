"""The counter's evaluator: after a decision the applicant rates it on the evaluator
(one screen here: a dialog turned toward the applicant); a bad rating asks for the
reason first, nothing entered is lost, and the rating is recorded once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.staff import StaffIdentity
from local_store.models import Evaluation, Rectification
from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

CTRL = Qt.KeyboardModifier.ControlModifier


def signed_in(workstation):
    from ui.staff_session import StaffSession

    session = StaffSession(workstation)
    session.identity = StaffIdentity(account="clerk01", display_name="王窗口", role="clerk",
                                     station="350205001")
    workstation.staff_session = session


def test_the_applicant_rates_the_decision_on_the_evaluator(
        demo_catalog, main_window, workstation, qtbot, artifacts):
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → materials
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # → decision (补正 offered)
    qtbot.waitUntil(lambda: view.decision_panel.deadline is not None)
    with qtbot.waitSignal(view.committed, timeout=15_000):
        qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)  # commit the completion notice
    signed_in(workstation)  # the clerk at this window (sign-in itself: test_sign_in_window)
    page = view.result_page
    qtbot.waitUntil(page.isVisible)

    qtbot.keyClick(focused(), Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: page.evaluator is not None)
    dialog = page.evaluator
    qtbot.waitExposed(dialog)
    assert dialog.isModal()  # one screen: a dialog the clerk turns to the applicant
    assert [b.text().split("\n")[0] for b in dialog.level_buttons.values()] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    dialog.level_buttons[4].click()
    dialog.submit.click()  # no reason yet: refused on screen, nothing recorded
    assert "原因" in dialog.message.text() and Evaluation.select().count() == 0
    dialog.comment.setPlainText("一次性告知不清楚，跑了两趟")
    assert dialog.message.text() == ""  # the reminder goes once the reason is written
    dialog.grab().save(str(artifacts / "evaluator_dialog.png"))
    with qtbot.waitSignal(dialog.rated, timeout=10_000) as recorded:
        dialog.submit.click()
    assert recorded.args[0].level == "不满意" and "感谢" in dialog.message.text()
    [rating] = Evaluation.select()
    assert (rating.case.number, rating.level, rating.channel, rating.clerk, rating.comment) == (
        page.result.case_number, "不满意", "window", "clerk01", "一次性告知不清楚，跑了两趟")
    assert Rectification.select().count() == 1
    qtbot.waitUntil(lambda: not page.evaluate_button.isEnabled())
    dialog.grab().save(str(artifacts / "evaluator_dialog_thanks.png"))
    dialog.close()
