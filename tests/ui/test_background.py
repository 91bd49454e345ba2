"""run_in_background: results reach the GUI thread, and never a deleted widget."""

import threading

import shiboken6
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QWidget

from ui.background import run_in_background, wait_for_background


class Receiver(QWidget):
    def __init__(self):
        super().__init__()
        self.results = []
        self.threads = []

    def done(self, value):
        self.setWindowTitle(str(value))  # raises if the C++ widget is gone
        self.results.append(value)
        self.threads.append(QThread.currentThread())


def test_result_arrives_on_the_gui_thread(qtbot):
    receiver = Receiver()
    qtbot.addWidget(receiver)
    worker_thread = []
    run_in_background(lambda: worker_thread.append(threading.get_ident()) or 42, receiver.done)
    qtbot.waitUntil(lambda: receiver.results == [42])
    assert receiver.threads == [QApplication.instance().thread()]
    assert worker_thread[0] != threading.get_ident()


def test_errors_go_to_the_error_callback(qtbot):
    errors = []
    run_in_background(lambda: 1 / 0, lambda _: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)


def test_a_widget_deleted_mid_task_is_not_called(qtbot):
    receiver = Receiver()
    release = threading.Event()
    finished = []
    run_in_background(lambda: release.wait(10) and "late", receiver.done)
    run_in_background(lambda: release.wait(10), finished.append)  # marks the end
    receiver.deleteLater()
    qtbot.waitUntil(lambda: not _alive(receiver))
    release.set()
    assert wait_for_background(10_000)
    qtbot.waitUntil(lambda: finished == [True])  # both callbacks delivered by now


def _alive(widget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_the_synchronous_pool_runs_work_at_once_on_the_gui_thread(qtbot, synchronous_pool):
    """For tests where timing is not the subject: no thread, no waiting; the guard
    against a deleted receiver still holds."""
    receiver = Receiver()
    worker_thread = []
    run_in_background(lambda: worker_thread.append(threading.get_ident()) or 7, receiver.done)
    assert receiver.results == [7] and worker_thread == [threading.get_ident()]
    errors = []
    run_in_background(lambda: 1 / 0, lambda _: None, errors.append)
    assert isinstance(errors[0], ZeroDivisionError)
    gone = Receiver()
    shiboken6.delete(gone)
    run_in_background(lambda: "late", gone.done)  # skipped, not a crash
    receiver.deleteLater()
    assert wait_for_background(1_000)


def test_one_widget_alive_guard_in_the_gui():
    """Issue 19: one test of "is the widget still there" (ui.background.is_alive,
    used by Liveness and run_in_background), not a flag or an isValid per widget."""
    import re
    from pathlib import Path

    ui_root = Path(__file__).resolve().parents[2] / "ui"
    offenders = []
    for path in sorted(ui_root.rglob("*.py")):
        if path.name == "background.py" and path.parent == ui_root:
            continue
        text = path.read_text(encoding="utf-8")
        if "shiboken6" in text or re.search(r"self\._alive\s*=", text):
            offenders.append(str(path.relative_to(ui_root.parent)))
    assert not offenders, "keep widget-alive checks in ui.background: " + ", ".join(offenders)
