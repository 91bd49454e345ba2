"""Longer translations must not clip: every screen under a stretching pseudo-locale."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from app.settings import Settings
from ui.main_window import MainWindow
from ui.workstation import Workstation

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]


def clipped(root: QWidget) -> list[str]:
    """Visible one-line labels and buttons narrower than their text needs."""
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if not widget.text() or (isinstance(widget, QLabel) and widget.wordWrap()):
            continue  # icon-only buttons (the line edits' clear button), wrapping labels
        if widget.width() < widget.sizeHint().width():
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {widget.text()[:40]!r}")
    return found


def test_no_screen_clips_stretched_strings(store, demo_catalog, pseudo_locale, qtbot, artifacts):
    workstation = Workstation(store, Settings())
    window = MainWindow(workstation)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
        workstation.load_catalog_index()
    area = window.areas["intake"]
    area.browser.search_box.setText("gtgsh")
    area.browser.open_row(0)
    qtbot.waitUntil(lambda: area.browser.start_button.isEnabled())
    area.browser.request_intake()
    qtbot.waitUntil(lambda: area.stack.currentWidget() is area.intake)
    view = area.intake
    problems = {}
    for name, step in (("catalog", None), ("applicant", 0), ("materials", 1), ("decision", 2)):
        if step is None:
            area.stack.setCurrentWidget(area.browser)
        else:
            area.stack.setCurrentWidget(view)
            view._go(step)
        try:  # layouts settle within a few event-loop turns
            qtbot.waitUntil(lambda: not clipped(window), timeout=2_000)
        except AssertionError:
            problems[name] = clipped(window)
        window.grab().save(str(artifacts / f"pseudo_{name}.png"))
    assert not problems, problems
    # The hit list keeps room for item names whatever the other columns say.
    table = area.browser.table
    assert table.columnWidth(0) >= 150, table.columnWidth(0)
