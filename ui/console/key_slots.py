"""The console's "Key slots" tab: the administrator's care of the station's key
slots (``app.staff.key_slots``) — whose password opens the station's data here,
revoking a staff member's slot (after a confirmation), and reissuing the recovery
key (after the password is typed again; the new key is shown once).

The role is enforced by those services: anyone else who opens the tab gets the
service's refusal on screen, and a button pressed anyway is refused there too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.background import SLOW, run_in_background
from ui.console.area import ERROR_STYLE, identity_of
from ui.console.tabs import ConsoleTab, fill, table


def _moment(moment, zone) -> str:
    """An aware time in the station's zone, to the minute ("—" when none)."""
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


class KeySlotsTab(ConsoleTab):
    """The staff accounts that have (or had) a key slot here, and the recovery key."""

    revoked = Signal()  # a revocation finished (done, or refused with a message)
    reissued = Signal()  # a reissue finished (key shown, or refused)

    def __init__(self, console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.message.setObjectName("keySlotsMessage")
        self.overview = None
        self.note = ""  # what was just done, shown with the next list
        self.table = table("keySlots", [self.tr("Account"), self.tr("Name"), self.tr("Role"),
                                        self.tr("Key slot"), self.tr("Confirmed by the hall"),
                                        self.tr("Last sign-in")], 3)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.recovery = QLabel()
        self.recovery.setObjectName("keySlotsRecovery")
        self.revoke_button = self._button("keySlotsRevoke", self.tr("Revoke the selected slot…"),
                                          self.ask_to_revoke)
        self.revoke_button.setEnabled(False)
        self.reissue_button = self._button("keySlotsReissue",
                                           self.tr("Issue a new recovery key…"),
                                           self.ask_to_reissue)
        explanation = QLabel(self.tr(
            "A staff member's password opens this station's data only through their key "
            "slot. Revoke the slot of someone who left: their password no longer opens "
            "anything here, and they can only come back if the hall still accepts them."))
        explanation.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.recovery, 1)
        buttons.addWidget(self.reissue_button)
        buttons.addWidget(self.revoke_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    @staticmethod
    def _button(name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- reading --------------------------------------------------------------------
    def read_function(self):
        workstation = self.console.workstation
        identity, store = identity_of(workstation), workstation.store

        def read():
            from app.staff.key_slots import key_slot_overview

            return key_slot_overview(store, identity)

        return read

    def clear(self) -> None:
        self.overview = None
        self.table.setRowCount(0)
        self.recovery.clear()
        self.revoke_button.setEnabled(False)

    def _role_name(self, role: str) -> str:
        return {"clerk": self.tr("clerk"), "supervisor": self.tr("supervisor"),
                "administrator": self.tr("administrator")}.get(role, role)

    def show_result(self, overview) -> None:
        self.overview = overview
        zone = self.console.workstation.settings.zone
        rows, marked = [], []
        for entry in overview.staff:
            if entry.has_slot:
                state = self.tr("opens the station")
            else:
                state = (self.tr("revoked %1 by %2").replace("%1", _moment(entry.revoked_at, zone))
                         .replace("%2", self._revoker(entry.revoked_by)))
            rows.append([entry.account, entry.display_name, self._role_name(entry.role), state,
                         _moment(entry.hall_verified_at, zone),
                         _moment(entry.last_sign_in_at, zone)])
            marked.append(set() if entry.has_slot else {3})
        fill(self.table, rows, marked)
        self.message.setStyleSheet("")
        counted = self.tr("%n account(s) can open this station with their password", "",
                          len(overview.with_slots))
        self.message.setText(f"{self.note}；{counted}" if self.note else counted)
        self.note = ""
        self.recovery.setText(
            self.tr("Recovery key issued %1").replace(
                "%1", _moment(overview.recovery_issued_at, zone))
            if overview.recovery_issued_at else self.tr("This station has no recovery key"))
        self._selection_changed()
        self.loaded.emit()

    def _revoker(self, who: str | None) -> str:
        return self.tr("the hall") if who == "hall" else (who or "—")

    def selected_account(self):
        rows = self.table.selectionModel().selectedRows() if self.overview else []
        return self.overview.staff[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        entry = self.selected_account()
        self.revoke_button.setEnabled(entry is not None and entry.has_slot)

    # -- revoking -------------------------------------------------------------------
    def ask_to_revoke(self) -> QMessageBox | None:
        entry = self.selected_account()
        if entry is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Revoke key slot"), self.tr(
            "Revoke the key slot of %1 at this station? Their password will no longer open "
            "this station's data, offline or online, and their open sessions end. They can "
            "only come back if the hall still accepts the account.")
            .replace("%1", entry.account if entry.display_name == entry.account
                     else f"{entry.display_name}（{entry.account}）"),
            QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("keySlotsConfirmRevoke")
        confirm = box.addButton(self.tr("Revoke"), QMessageBox.ButtonRole.DestructiveRole)
        confirm.setObjectName("keySlotsConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        confirm.clicked.connect(lambda: self.revoke(entry.account))
        box.open()
        return box

    def revoke(self, account: str) -> None:
        workstation = self.console.workstation
        identity, store, settings = identity_of(workstation), workstation.store, \
            workstation.settings

        def work():
            from app.staff.key_slots import revoke_staff_slot

            return revoke_staff_slot(store, settings, identity, account)

        def done(entry) -> None:
            self.note = self.tr("The key slot of %1 was revoked").replace("%1", entry.account)
            self.refresh()
            self.revoked.emit()

        def refused(exc: BaseException) -> None:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(exc) or type(exc).__name__)
            self.revoked.emit()

        run_in_background(work, done, refused)

    # -- the recovery key -----------------------------------------------------------
    def ask_to_reissue(self) -> RecoveryKeyDialog:
        identity = identity_of(self.console.workstation)
        dialog = RecoveryKeyDialog(identity.account if identity else "", self)
        dialog.password_entered.connect(lambda password: self.reissue(password, dialog))
        dialog.open()
        return dialog

    def reissue(self, password: str, dialog: RecoveryKeyDialog) -> None:
        workstation = self.console.workstation
        identity, store, settings = identity_of(workstation), workstation.store, \
            workstation.settings
        hall_url = workstation.hall_url or None
        dialog.busy(True)

        def work():
            from app.staff.key_slots import reissue_recovery_key

            return reissue_recovery_key(store, settings, identity, password, hall_url=hall_url)

        def done(code: str) -> None:
            dialog.show_new_key(code)
            self.refresh()
            self.reissued.emit()

        def refused(exc: BaseException) -> None:
            dialog.busy(False)
            dialog.show_refusal(str(exc) or type(exc).__name__)
            self.reissued.emit()

        # The password may have to be checked by the hall: the slow lane.
        run_in_background(work, done, refused, lane=SLOW)


class RecoveryKeyDialog(QDialog):
    """Asks the administrator's password again, then shows the new recovery key once."""

    password_entered = Signal(str)

    def __init__(self, account: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("New recovery key"))
        self.setModal(True)
        self.setMinimumWidth(460)
        self.heading = QLabel(self.tr(
            "Issuing a new recovery key as %1: the old key stops working at once. Type your "
            "password again to confirm it is you.").replace("%1", account))
        self.heading.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("recoveryKeyPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.refusal = QLabel()
        self.refusal.setObjectName("recoveryKeyRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.code = QLabel()
        self.code.setObjectName("recoveryKeyCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(mono.pointSizeF() * 1.3)
        self.code.setFont(mono)
        self.code.hide()
        self.form = QWidget()
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(self.tr("Issue new key"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("recoveryKeyConfirm")
        self.buttons.accepted.connect(self._entered)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.form)
        layout.addWidget(self.refusal)
        layout.addWidget(self.code)
        layout.addWidget(self.buttons)

    def _entered(self) -> None:
        self.refusal.clear()
        self.password_entered.emit(self.password.text())

    def busy(self, busy: bool) -> None:
        self.confirm.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def show_refusal(self, text: str) -> None:
        """The service's answer; the password is cleared for another try."""
        self.refusal.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.adjustSize()

    def show_new_key(self, code: str) -> None:
        """The new key, shown only now; the dialog can only be closed from here."""
        self.password.clear()
        self.form.hide()
        self.refusal.clear()
        self.heading.setText(self.tr(
            "The new recovery key is shown only now: write it down or print it and keep it "
            "safe, away from this PC. The old key no longer opens the station."))
        # Two lines of four groups, never cut: the whole key has to be copied down, and
        # on one line at this size its last groups ran past the dialog's edge.
        groups = code.split("-")
        lines = ["-".join(groups[:len(groups) // 2]), "-".join(groups[len(groups) // 2:])]
        self.code.setText("\n".join(lines))
        metrics = self.code.fontMetrics()
        self.code.setMinimumWidth(max(metrics.horizontalAdvance(line) for line in lines) + 16)
        self.code.show()
        self.buttons.clear()
        close = self.buttons.addButton(self.tr("I have written it down"),
                                       QDialogButtonBox.ButtonRole.AcceptRole)
        close.setObjectName("recoveryKeyDone")
        self.buttons.accepted.disconnect()
        self.buttons.accepted.connect(self.accept)
        # The layout takes the key's width now, not at its next event: adjustSize()
        # alone kept the old width and cut the last two groups off the key.
        self.layout().activate()
        self.adjustSize()
