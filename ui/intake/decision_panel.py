"""Decision step: accept (受理), completion notice (补正), reject, conclude (即办件).

Accept shows the promised date computed from the item's limit, and says so
when the working-day calendar does not cover that date.  A completion notice
lists every missing material at once.  A rejection needs a reason and its
legal basis; nothing typed is lost when one of them is missing.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background

ACCEPT = "accept"
NOTIFY = "notify"
REJECT = "reject"
CONCLUDE = "conclude"
IMMEDIATE_CASE = "1"


def preview_deadline(limit: dict | None, today: dt.date):
    """The promised date if accepted today (runs off the GUI thread)."""
    from app.deadlines import WorkCalendar, promise_deadline

    return promise_deadline(today, limit, WorkCalendar.load())


class DecisionPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._item: dict = {}
        self._missing: list[str] = []
        self._deficient: list[str] = []
        self.deadline = None  # app.deadlines.Deadline once computed
        self._deadline_serial = 0

        self.accept_button = QRadioButton(self.tr("&Accept"))
        self.accept_button.setObjectName("decisionAccept")
        self.notify_button = QRadioButton(self.tr("&Completion notice (list everything missing)"))
        self.notify_button.setObjectName("decisionNotify")
        self.reject_button = QRadioButton(self.tr("&Reject"))
        self.reject_button.setObjectName("decisionReject")
        self.conclude_button = QRadioButton(self.tr("Accept and c&onclude on the spot"))
        self.conclude_button.setObjectName("decisionConclude")
        self.group = QButtonGroup(self)
        for number, (button, action) in enumerate(
            (
                (self.accept_button, ACCEPT),
                (self.notify_button, NOTIFY),
                (self.reject_button, REJECT),
                (self.conclude_button, CONCLUDE),
            ),
            1,
        ):
            button.setProperty("action", action)
            self.group.addButton(button)
            # Ctrl+1…4 choose the decision from anywhere on this step.
            keys = f"Ctrl+{number}"
            button.setText(f"{button.text()}  ({keys})")
            QShortcut(QKeySequence(keys), self, button.click)
        self.group.buttonToggled.connect(self._action_changed)

        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("deadlinePreview")
        self.deadline_label.setWordWrap(True)
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingList")
        self.missing_label.setWordWrap(True)
        self.missing_label.setTextFormat(Qt.TextFormat.RichText)

        self.reason = QPlainTextEdit()
        self.reason.setObjectName("rejectReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(70)
        self.basis = QLineEdit()
        self.basis.setObjectName("rejectBasis")
        self.reason_message = QLabel()
        self.reason_message.setObjectName("decisionMessage")
        self.reason_message.setWordWrap(True)
        self.reason_message.setStyleSheet("color: #b00020")
        self.reason_message.hide()
        self.reject_box = QGroupBox(self.tr("Reason for rejection"))
        reject_layout = QFormLayout(self.reject_box)
        reject_layout.addRow(self.tr("Reason"), self.reason)
        reject_layout.addRow(self.tr("Legal basis"), self.basis)
        self.promised_date = QDateEdit()
        self.promised_date.setObjectName("promisedDate")
        self.promised_date.setCalendarPopup(True)
        self.promised_date.setDisplayFormat("yyyy-MM-dd")
        self.promised_date.setDate(QDate.currentDate().addDays(7))
        self.deficiency_box = QGroupBox(self.tr("Accept with deficiencies"))
        deficiency_layout = QFormLayout(self.deficiency_box)
        deficiency_layout.addRow(self.tr("Applicant will bring them by"), self.promised_date)
        self.promised_date.dateChanged.connect(self.changed)
        self.reason.textChanged.connect(self.changed)
        self.basis.textChanged.connect(self.changed)

        choices = QGroupBox(self.tr("Decision"))
        choice_layout = QVBoxLayout(choices)
        for button in self.group.buttons():
            choice_layout.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(choices)
        layout.addWidget(self.deadline_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.deficiency_box)
        layout.addWidget(self.reject_box)
        layout.addWidget(self.reason_message)
        layout.addStretch(1)
        self.accept_button.setChecked(True)

    # -- inputs ------------------------------------------------------------
    def set_item(self, item: dict) -> None:
        self._item = item
        immediate = str(item.get("project_type", "")) == IMMEDIATE_CASE
        self.conclude_button.setVisible(immediate)
        self._refresh_deadline()

    def set_missing(self, names: list[str], deficient: list[str] | None = None) -> None:
        """Needed materials not handed in (a notice lists them all at once), and
        those among them marked 容缺 (to follow)."""
        self._missing = list(names)
        self._deficient = list(deficient or [])
        self._action_changed()

    def set_decision(self, decision: dict | None) -> None:
        decision = decision or {}
        action = decision.get("action") or ACCEPT
        for button in self.group.buttons():
            if button.property("action") == action:
                button.setChecked(True)
        self.reason.setPlainText(decision.get("reason", ""))
        self.basis.setText(decision.get("basis", ""))

    # -- outputs -------------------------------------------------------------
    def action(self) -> str:
        checked = self.group.checkedButton()
        return checked.property("action") if checked else ACCEPT

    def decision(self) -> dict:
        deferred = self.action() == ACCEPT and bool(self._deficient)
        return {
            "action": self.action(),
            "reason": self.reason.toPlainText().strip(),
            "basis": self.basis.text().strip(),
            "promised_date": self.promised_date.date().toPython() if deferred else None,
        }

    def show_errors(self, errors) -> None:
        """Show the service's ``decision.*`` errors next to the fields they name."""
        by_field = {e.field: e.message for e in errors}
        messages = [
            by_field[name]
            for name in ("decision.reason", "decision.basis", "decision.promised_date")
            if name in by_field
        ]
        self.reason_message.setText("；".join(messages))
        self.reason_message.setVisible(bool(messages))
        for name, widget in (
            ("decision.reason", self.reason),
            ("decision.basis", self.basis),
            ("decision.promised_date", self.promised_date),
        ):
            if name in by_field:
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def focus_first(self) -> None:
        checked = self.group.checkedButton() or self.accept_button
        checked.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- display -------------------------------------------------------------
    def _action_changed(self, *_args) -> None:
        action = self.action()
        self.reject_box.setVisible(action == REJECT)
        self.deadline_label.setVisible(action == ACCEPT)
        self.deficiency_box.setVisible(action == ACCEPT and bool(self._deficient))
        if self._missing:
            items = "".join(f"<li>{name}</li>" for name in self._missing)
            title = self.tr("Missing materials (%n):", "", len(self._missing))
            self.missing_label.setText(f"<b>{title}</b><ol>{items}</ol>")
            self.missing_label.setStyleSheet("color: #b35900")
        else:
            self.missing_label.setText(self.tr("All required materials are here."))
            self.missing_label.setStyleSheet("color: #1a7f37")
        self.changed.emit()

    def _refresh_deadline(self) -> None:
        self._deadline_serial += 1
        serial = self._deadline_serial
        limit = self._item.get("promise_limit")
        self.deadline_label.setText(self.tr("Computing the promised date…"))
        run_in_background(
            lambda: preview_deadline(limit, dt.date.today()),
            lambda deadline: self._show_deadline(serial, deadline),
            lambda exc: self.deadline_label.setText(str(exc)),
        )

    def _show_deadline(self, serial: int, deadline) -> None:
        if serial != self._deadline_serial:
            return
        self.deadline = deadline
        text = self.tr("Promised date if accepted today: %1").replace(
            "%1", f"{deadline.date:%Y-%m-%d}"
        )
        if deadline.uncertain:
            warning = self.tr("calendar data does not cover this date; check it")
            text += f" <b style='color:#b00020'>⚠ {warning}</b>"
            if deadline.reason:
                text += f"<br><span style='color:#b00020'>{deadline.reason}</span>"
        self.deadline_label.setText(text)
