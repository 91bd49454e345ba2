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

from app.composition import station_today
from app.intake.validation import (
    DEFICIENT_BLOCKS_CONCLUSION,
    MISSING_BLOCKS_DECISION,
    NOTHING_TO_NOTIFY,
    material_conflict,
    may_conclude_on_the_spot,
)
from ui.background import run_in_background

ACCEPT = "accept"
NOTIFY = "notify"
REJECT = "reject"
CONCLUDE = "conclude"


def preview_deadline(limit: dict | None, today: dt.date):
    """The promised date if accepted today, and the bounds of a 容缺 promise
    (``app.deadlines.DeficiencyWindow``); runs off the GUI thread."""
    from app.deadlines import WorkCalendar, deficiency_window

    return deficiency_window(today, limit, WorkCalendar.load())


class DecisionPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._item: dict = {}
        self._missing: list[str] = []
        self._deficient: list[str] = []
        self.deadline = None  # app.deadlines.Deadline once computed
        self._deadline_serial = 0
        # The clerk picked a decision (click or Ctrl+1…4) or a promise date in
        # this intake: from then on the panel never changes it on its own.
        self._decision_chosen = False
        self._promise_chosen = False

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
        self.group.buttonClicked.connect(self._clerk_chose)

        self.deadline_label = QLabel()
        self.deadline_label.setObjectName("deadlinePreview")
        self.deadline_label.setWordWrap(True)
        # The catalog's fee items, read-only (app.fees words them).
        self.fee_label = QLabel()
        self.fee_label.setObjectName("feeItems")
        self.fee_label.setWordWrap(True)
        self.fee_label.hide()
        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingList")
        self.missing_label.setWordWrap(True)
        self.missing_label.setTextFormat(Qt.TextFormat.RichText)
        # Said before the commit: this decision cannot be taken with what is missing.
        self.decision_warning = QLabel()
        self.decision_warning.setObjectName("decisionWarning")
        self.decision_warning.setWordWrap(True)
        self.decision_warning.setStyleSheet("color: #b00020; font-weight: bold")
        self.decision_warning.hide()

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
        self.promised_date.setMaximumWidth(self.promised_date.fontMetrics().horizontalAdvance(
            "0000-00-00") + 60)  # a date, not a line across the screen
        # Bounded once the case's deadline is known (``_show_deadline``).
        # "Today" is the station's day, whatever the computer's zone is.
        today = QDate(station_today())
        self.promised_date.setMinimumDate(today)
        self.promised_date.setDate(today)
        self.promise_hint = QLabel()
        self.promise_hint.setObjectName("promiseHint")
        self.promise_hint.setWordWrap(True)
        self.promise_hint.setStyleSheet("color: #666")
        self.deficiency_box = QGroupBox(self.tr("Accept with deficiencies"))
        deficiency_layout = QFormLayout(self.deficiency_box)
        deficiency_layout.addRow(self.tr("Applicant will bring them by"), self.promised_date)
        deficiency_layout.addRow(self.promise_hint)
        self.promised_date.dateChanged.connect(self.changed)
        self.promised_date.editingFinished.connect(self._promise_edited)
        self.reason.textChanged.connect(self.changed)
        self.basis.textChanged.connect(self.changed)

        choices = QGroupBox(self.tr("Decision"))
        choice_layout = QVBoxLayout(choices)
        for button in self.group.buttons():
            choice_layout.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(choices)
        layout.addWidget(self.decision_warning)
        layout.addWidget(self.deadline_label)
        layout.addWidget(self.fee_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.deficiency_box)
        layout.addWidget(self.reject_box)
        layout.addWidget(self.reason_message)
        layout.addStretch(1)
        self.accept_button.setChecked(True)

    # -- inputs ------------------------------------------------------------
    def set_item(self, item: dict) -> None:
        self._item = item
        self.conclude_button.setVisible(may_conclude_on_the_spot(item.get("project_type")))
        from app.fees import fee_summary

        self.fee_label.setText(fee_summary(item))
        self.fee_label.setVisible(bool(self.fee_label.text()))
        self._refresh_deadline()

    def set_missing(self, names: list[str], deficient: list[str] | None = None) -> None:
        """Needed materials not handed in (a notice lists them all at once), and
        those among them marked 容缺 (to follow).

        Until the clerk chooses, the decision follows the materials: with a
        required material neither handed in nor marked 容缺 the application
        cannot be accepted, so 补正 (one-time notice) is offered instead."""
        self._missing = list(names)
        self._deficient = list(deficient or [])
        if not self._decision_chosen:
            button = self.notify_button if self._absent() else self.accept_button
            button.setChecked(True)
        self._action_changed()

    def _absent(self) -> list[str]:
        """Missing and not promised for later (容缺): these block an acceptance."""
        return [name for name in self._missing if name not in self._deficient]

    def _clerk_chose(self, _button) -> None:
        self._decision_chosen = True

    def _promise_edited(self) -> None:
        self._promise_chosen = True

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
        self._warn_about_decision(action)
        if self._missing:
            items = "".join(f"<li>{name}</li>" for name in self._missing)
            title = self.tr("Missing materials (%n):", "", len(self._missing))
            self.missing_label.setText(f"<b>{title}</b><ol>{items}</ol>")
            self.missing_label.setStyleSheet("color: #b35900")
        else:
            self.missing_label.setText(self.tr("All required materials are here."))
            self.missing_label.setStyleSheet("color: #1a7f37")
        self.changed.emit()

    def _warn_about_decision(self, action: str) -> None:
        """Say now what the commit would refuse (the rule is app.intake.validation's)."""
        absent = self._absent()
        names = "、".join(f"「{name}」" for name in absent)
        conflict = material_conflict(action, absent=absent, deficient=self._deficient)
        warning = ""
        if conflict == MISSING_BLOCKS_DECISION:
            warning = self.tr(
                "Required materials are missing: %1. This application cannot be accepted;"
                " choose the completion notice (Ctrl+2)."
            ).replace("%1", names)
        elif conflict == DEFICIENT_BLOCKS_CONCLUSION:
            warning = self.tr("Materials marked to follow: the case cannot be concluded now.")
        elif conflict == NOTHING_TO_NOTIFY:
            warning = self.tr("All required materials are here: no completion notice is needed.")
        self.decision_warning.setText(f"⚠ {warning}" if warning else "")
        self.decision_warning.setVisible(bool(warning))

    def _refresh_deadline(self) -> None:
        self._deadline_serial += 1
        serial = self._deadline_serial
        limit = self._item.get("promise_limit")
        self.deadline_label.setText(self.tr("Computing the promised date…"))
        run_in_background(
            lambda: preview_deadline(limit, station_today()),
            lambda deadline: self._show_deadline(serial, deadline),
            lambda exc: self.deadline_label.setText(str(exc)),
        )

    def _show_deadline(self, serial: int, window) -> None:
        """``window`` is an ``app.deadlines.DeficiencyWindow``."""
        if serial != self._deadline_serial:
            return
        deadline = window.deadline
        self.deadline = deadline
        latest, default = QDate(window.latest), QDate(window.default)
        self.promised_date.setMaximumDate(latest)
        if not self._promise_chosen:
            self.promised_date.setDate(default)
        self.promise_hint.setText(
            self.tr("At the latest %1, the case's promised date.").replace(
                "%1", f"{window.latest:%Y-%m-%d}"
            )
        )
        text = self.tr("Promised date if accepted today: %1").replace(
            "%1", f"{deadline.date:%Y-%m-%d}"
        )
        if deadline.uncertain:
            warning = self.tr("calendar data does not cover this date; check it")
            text += f" <b style='color:#b00020'>⚠ {warning}</b>"
            if deadline.reason:
                text += f"<br><span style='color:#b00020'>{deadline.reason}</span>"
        self.deadline_label.setText(text)
