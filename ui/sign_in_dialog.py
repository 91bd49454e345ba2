"""The sign-in dialog: at start, after an idle lock, and to switch clerk.

It only collects the account and password and shows what the sign-in
service answered; signing in itself runs off the GUI thread
(``ui.staff_session.StaffSession.sign_in``).  A refused sign-in keeps the
account typed and clears only the password.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

START, UNLOCK, SWITCH = "start", "unlock", "switch"


class SignInDialog(QDialog):
    signed_in = Signal(object)  # app.staff.StaffIdentity

    def __init__(self, staff_session, mode: str = START, account: str = "",
                 password: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.staff_session = staff_session
        self.mode = mode
        self.setWindowTitle(self.tr("Staff sign-in"))
        self.setModal(True)
        self.setMinimumWidth(380)

        headings = {
            START: self.tr("Sign in with your staff account to start work."),
            UNLOCK: self.tr("The window was locked after being idle. Sign in again to go on; "
                            "another clerk signing in takes over the window."),
            SWITCH: self.tr("Switch clerk: the next clerk signs in. Work in progress stays "
                            "open."),
        }
        self.heading = QLabel(headings[mode], self)
        self.heading.setWordWrap(True)
        self.account_edit = QLineEdit(account, self)
        self.account_edit.setObjectName("account")
        self.password_edit = QLineEdit(password, self)
        self.password_edit.setObjectName("password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")

        form = QFormLayout()
        form.addRow(self.tr("User name"), self.account_edit)
        form.addRow(self.tr("Password"), self.password_edit)

        buttons = QDialogButtonBox(self)
        self.sign_in_button = buttons.addButton(self.tr("Sign in"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        if mode == SWITCH:
            cancel = buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
            cancel.clicked.connect(self.reject)
        self.sign_in_button.clicked.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.password_edit if account else self.account_edit).setFocus()

    def submit(self) -> None:
        account = self.account_edit.text().strip()
        password = self.password_edit.text()
        if not account or not password:
            self.show_problem(self.tr("Enter your user name and password."))
            return
        self._busy(True)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Signing in…"))
        self.staff_session.sign_in(account, password, self._succeeded, self._failed)

    def _succeeded(self, identity) -> None:
        self._busy(False)
        self.password_edit.clear()
        self.signed_in.emit(identity)
        self.accept()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self.password_edit.clear()
        self.password_edit.setFocus()
        self.show_problem(message)

    def show_problem(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020")
        self.message.setText(message)

    def _busy(self, busy: bool) -> None:
        for widget in (self.sign_in_button, self.account_edit, self.password_edit):
            widget.setEnabled(not busy)

    def keyPressEvent(self, event) -> None:
        # At start and after a lock there is nothing behind the dialog to go back
        # to: Escape does nothing (closing it closes the window, see GuiSession).
        if event.key() == Qt.Key.Key_Escape and self.mode != SWITCH:
            return
        super().keyPressEvent(event)
