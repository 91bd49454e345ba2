"""Each intake step at 1366×768 (the commonest office screen) and 1920×1080
(issue 17, item 8): buttons and status bar on screen, every material row of
the checklist visible.  Screenshots go to tests/artifacts/ to be looked at.

A maximised window on a 1366×768 screen has about 1366×700 for itself once a
taskbar and the title bar are taken: that is the size used here.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]

CTRL = Qt.KeyboardModifier.ControlModifier
SIZES = {"1366x768": (1366, 700), "1920x1080": (1920, 1010)}


def inside_window(window, widget) -> bool:
    """The widget is shown and wholly within the window's client area."""
    if not widget.isVisible():
        return False
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (top_left.x() >= 0 and top_left.y() >= 0
            and top_left.x() + widget.width() <= window.width()
            and top_left.y() + widget.height() <= window.height())


@pytest.mark.parametrize("size", list(SIZES))
def test_every_intake_step_fits(size, demo_catalog, main_window, qtbot, artifacts):
    main_window.resize(*SIZES[size])
    qtbot.waitUntil(lambda: main_window.width() == SIZES[size][0])
    area = open_intake_for(qtbot, main_window, "spjy", "食品经营许可（新办）")
    view = area.intake

    def shot(step: str) -> None:
        qtbot.wait(50)  # let the layout settle before painting (no event to wait on)
        main_window.grab().save(str(artifacts / f"window_{size}_{step}.png"))
        assert inside_window(main_window, main_window.statusBar())
        if view.next_button.isVisible():
            assert inside_window(main_window, view.next_button)

    fill_person(qtbot, view, "张三", "350205199001011232")
    shot("1_applicant")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    page = view.materials_page
    assert view.pages.currentWidget() is page
    shot("2_materials")
    table = page.table
    rows = page.model.rowCount()
    assert rows == 7
    last = table.visualRect(page.model.index(rows - 1, 0))
    assert last.bottom() <= table.viewport().height(), "checklist rows hidden below the fold"
    qtbot.keyClick(focused(), Qt.Key.Key_Return, CTRL)
    assert view.pages.currentWidget() is view.decision_panel
    shot("3_decision")
    with qtbot.waitSignal(view.committed, timeout=15_000):
        view.next_step()  # 补正 is preselected: everything is missing
    shot("4_result")


def test_window_opens_within_a_small_screen(workstation, qtbot, monkeypatch):
    """On a screen smaller than the default size the window is maximised, so the
    status bar and the bottom buttons are never off screen."""
    from PySide6.QtCore import QRect

    from ui.main_window import MainWindow

    window = MainWindow(workstation)
    qtbot.addWidget(window)
    screen = window.screen()
    small = QRect(0, 0, 1366, 728)  # 1366×768 less a 40 px taskbar
    monkeypatch.setattr(type(screen), "availableGeometry", lambda _self: small)
    window.show_fitted()
    qtbot.waitExposed(window)
    assert window.isMaximized()
    assert window.width() <= small.width() and window.height() <= small.height()
    window.close()
