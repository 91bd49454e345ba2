"""The counter's evaluator (评价器): the applicant rates the service just given.

With a second screen (the applicant-facing display at the counter) the evaluator
opens there as a window of its own, filling that screen; on a single screen it is
a dialog the clerk turns toward the applicant.  Five large buttons carry the
GB/T 39046 A.8 levels (their names come from the code table, ``app.evaluation``);
不满意 and 非常不满意 ask for the reason before they are recorded.  The rating is
recorded off the GUI thread under the signed-in clerk, channel ``window``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background
from ui.workstation import Workstation

LEVEL_COLOURS = {1: "#1b5e20", 2: "#2e7d32", 3: "#827717", 4: "#e65100", 5: "#b71c1c"}


class EvaluatorDialog(QDialog):
    """One rating of one case; ``rated`` carries the ``app.evaluation.Rated``."""

    rated = Signal(object)

    def __init__(self, workstation: Workstation, case_number: str, item_name: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        from app.evaluation import BAD_LEVEL_CODES, level_meanings

        self.workstation = workstation
        self.case_number = case_number
        self._bad_levels = BAD_LEVEL_CODES
        self.chosen: int | None = None
        self.setWindowTitle(self.tr("Service evaluation"))
        title = QLabel(self.tr("Please rate the service you have just received"))
        title.setStyleSheet("font-size: 24px; font-weight: bold")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subject = QLabel(self.tr("Case %1: %2").replace("%1", case_number).replace(
            "%2", item_name))
        subject.setAlignment(Qt.AlignmentFlag.AlignCenter)
        subject.setWordWrap(True)
        row = QHBoxLayout()
        self.level_buttons: dict[int, QPushButton] = {}
        for code, meaning in sorted(level_meanings().items()):
            button = QPushButton(f"{meaning}\n({code})")
            button.setObjectName(f"level{code}")
            button.setCheckable(True)
            button.setMinimumSize(140, 96)
            button.setStyleSheet(
                f"QPushButton {{ font-size: 20px; color: {LEVEL_COLOURS[code]}; }}"
                f"QPushButton:checked {{ background: {LEVEL_COLOURS[code]}; color: white; }}")
            button.clicked.connect(lambda _checked, c=code: self._choose(c))
            # The number keys on the clerk's keyboard choose too (1 非常满意 … 5).
            button.setShortcut(str(code))
            row.addWidget(button)
            self.level_buttons[code] = button
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("evaluationComment")
        self.comment.setPlaceholderText(
            self.tr("Your comments (required for 'dissatisfied' and 'very dissatisfied')"))
        self.comment.setMaximumHeight(110)
        self.comment.textChanged.connect(self._comment_changed)
        self.message = QLabel()
        self.message.setObjectName("evaluationMessage")
        self.message.setWordWrap(True)
        self.submit = QPushButton(self.tr("Submit rating"))
        self.submit.setObjectName("submitEvaluation")
        self.submit.setEnabled(False)
        self.submit.setMinimumHeight(48)
        self.submit.clicked.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(subject)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.comment)
        layout.addWidget(self.message)
        layout.addWidget(self.submit)

    def _choose(self, code: int) -> None:
        self.chosen = code
        for other, button in self.level_buttons.items():
            button.setChecked(other == code)
        self.submit.setEnabled(True)
        self.message.clear()
        if code in self._bad_levels:
            self.message.setText(self.tr("Please tell us what went wrong; we will follow it up."))
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)

    def _comment_changed(self) -> None:
        # The reason asked for is being written: the reminder has done its job.
        if self.comment.toPlainText().strip() and self.submit.isEnabled():
            self.message.clear()

    def _submit(self) -> None:
        from app.evaluation import evaluate

        comment = self.comment.toPlainText().strip()
        if self.chosen in self._bad_levels and not comment:
            self.message.setStyleSheet("color: #b00020")
            self.message.setText(self.tr("Please write the reason before submitting."))
            self.comment.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        session = self.workstation.staff_session
        identity = session.identity if session is not None else None
        if identity is None:
            self.message.setText(self.tr("Nobody is signed in at this window."))
            return
        self.submit.setEnabled(False)
        level, ws = self.chosen, self.workstation
        run_in_background(
            lambda: evaluate(ws.store, ws.settings, identity, self.case_number, level,
                             "window", comment),
            self._recorded, self._failed)

    def _recorded(self, rated) -> None:
        self.message.setStyleSheet("color: #1b5e20; font-size: 18px")
        self.message.setText(self.tr("Thank you for your rating: %1").replace("%1", rated.level))
        for button in self.level_buttons.values():
            button.setEnabled(False)
        self.comment.setReadOnly(True)
        self.rated.emit(rated)

    def _failed(self, exc: BaseException) -> None:
        # The rating and the comment stay on screen: nothing the applicant entered is lost.
        self.message.setStyleSheet("color: #b00020")
        self.message.setText(str(exc))
        self.submit.setEnabled(True)


def open_evaluator(workstation: Workstation, case_number: str, item_name: str,
                   parent: QWidget | None = None) -> EvaluatorDialog:
    """Show the evaluator to the applicant: full screen on a second screen when there
    is one (a window of its own, the clerk's screen stays usable), else a modal
    dialog on the clerk's screen."""
    screens = QGuiApplication.screens()
    if len(screens) > 1:
        dialog = EvaluatorDialog(workstation, case_number, item_name)
        dialog.setWindowFlag(Qt.WindowType.Window)
        dialog.setScreen(screens[1])
        dialog.setGeometry(screens[1].availableGeometry())
        dialog.setModal(False)
        dialog.show()
    else:
        dialog = EvaluatorDialog(workstation, case_number, item_name, parent)
        dialog.setModal(True)
        dialog.open()
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog
