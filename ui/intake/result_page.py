"""Last step: the committed case — number, promised date, notices to print."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from ui.case_documents import CaseDocumentButtons
from ui.case_states import state_name
from ui.workstation import Workstation


class ResultPage(QWidget):
    # The clerk is done with this case: back to the item search.
    done = Signal()

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.result = None
        self.number_label = QLabel()
        self.number_label.setObjectName("caseNumber")
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.number_label.setStyleSheet("font-size: 22px; font-weight: bold")
        self.state_label = QLabel()
        self.state_label.setObjectName("caseState")
        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("caseDeadline")
        self.deadline_label.setWordWrap(True)
        self.documents = CaseDocumentButtons(workstation)
        self.workstation = workstation
        self.item_name = ""
        self.evaluator = None
        # 好差评: the applicant rates this decision on the evaluator (ui.evaluator).
        self.evaluate_button = QPushButton(self.tr("Ask the applicant to rate (Ctrl+E)"))
        self.evaluate_button.setObjectName("askEvaluation")
        self.evaluate_button.setShortcut(QKeySequence("Ctrl+E"))
        self.evaluate_button.clicked.connect(self.ask_evaluation)
        self.done_button = QPushButton(self.tr("Next applicant (Enter)"))
        self.done_button.setObjectName("intakeDone")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.done)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The case has been saved.")))
        layout.addWidget(self.number_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.deadline_label)
        layout.addSpacing(12)
        layout.addWidget(self.documents)
        layout.addWidget(self.evaluate_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        layout.addWidget(self.done_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_result(self, result, item_name: str = "") -> None:
        """``result`` is an ``app.intake.CommitResult``."""
        self.result = result
        self.item_name = item_name
        self.evaluate_button.setEnabled(True)
        self.number_label.setText(self.tr("Case number: %1").replace("%1", result.case_number))
        self.state_label.setText(self.tr("State: %1").replace("%1", state_name(result.state)))
        if result.deadline is None:
            self.deadline_label.clear()
        else:
            text = self.tr("Promised date: %1").replace("%1", f"{result.deadline:%Y-%m-%d}")
            if result.deadline_uncertain:
                warning = self.tr("calendar data does not cover this date; check it")
                text += f"<br><b style='color:#b00020'>⚠ {warning}</b>"
                if result.deadline_reason:
                    text += f"<br><span style='color:#b00020'>{result.deadline_reason}</span>"
            self.deadline_label.setText(text)
        self.documents.show_case(result.case_number, result.state, result.has_deficiencies)

    def ask_evaluation(self) -> None:
        from ui.evaluator import open_evaluator

        if self.result is None:
            return
        self.evaluator = open_evaluator(self.workstation, self.result.case_number,
                                        self.item_name, self)
        # One rating per decision (一事一评): asked once from here.
        self.evaluator.rated.connect(lambda _rated: self.evaluate_button.setEnabled(False))

    def focus_first(self) -> None:
        self.done_button.setFocus(Qt.FocusReason.OtherFocusReason)
