"""受理 area: find the item in the catalog, then take in the application.

Unfinished drafts (a crash, a power cut) are offered in a bar at the top as
soon as the area is built; resuming one never needs the network.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.intake import IntakeService
from ui.background import run_in_background
from ui.catalog.browser import CatalogBrowser
from ui.intake.drafts_dialog import DraftsDialog
from ui.intake.intake_view import IntakeView
from ui.workstation import Workstation


class IntakeArea(QWidget):
    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.service = IntakeService(workstation.store, workstation.settings)
        self.drafts: list = []

        self.browser = CatalogBrowser(workstation)
        self.intake = IntakeView(workstation, self.service)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.intake)

        self.drafts_bar = QWidget()
        self.drafts_bar.setObjectName("draftsBar")
        self.drafts_bar.setStyleSheet("#draftsBar { background: #fff4d6; }")
        self.drafts_label = QLabel()
        self.resume_button = QPushButton(self.tr("Resume… (Ctrl+R)"))
        self.resume_button.setObjectName("resumeDrafts")
        self.resume_button.setShortcut("Ctrl+R")
        self.resume_button.clicked.connect(self.choose_draft)
        bar = QHBoxLayout(self.drafts_bar)
        bar.addWidget(self.drafts_label, 1)
        bar.addWidget(self.resume_button)
        self.drafts_bar.hide()
        self.message = QLabel()
        self.message.setObjectName("intakeAreaMessage")
        self.message.setStyleSheet("color: #b00020")
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.drafts_bar)
        layout.addWidget(self.message)
        layout.addWidget(self.stack, 1)

        self.browser.intake_requested.connect(self.start_intake)
        self.intake.closed.connect(self.back_to_search)
        workstation.continue_case_requested.connect(self.continue_case)
        # After the window is up: start-up never waits for this.
        QTimer.singleShot(0, self.look_for_drafts)

    # -- actions the main window dispatches -------------------------------------
    def focus_search(self) -> None:
        if self.stack.currentWidget() is self.intake and self.intake.draft is not None:
            self.intake.autosave_now()  # leaving mid-intake keeps the draft
        self.stack.setCurrentWidget(self.browser)
        self.browser.focus_search()

    def new_intake(self) -> None:
        if self.stack.currentWidget() is self.browser and self.browser.detail.task_code:
            self.browser.request_intake()
        else:
            self.focus_search()

    def shutdown(self) -> None:
        self.intake.shutdown()

    # -- starting an intake ----------------------------------------------------------
    def start_intake(self, task_code: str) -> None:
        self._show_message("")
        run_in_background(
            lambda: self.service.new_draft(task_code), self._open_draft, self._refused
        )

    def continue_case(self, case_number: str) -> None:
        """补正: the applicant is back; the same case continues under its number."""
        self._show_message("")
        run_in_background(
            lambda: self.service.continue_case(case_number), self._open_draft, self._refused
        )

    def _open_draft(self, draft) -> None:
        self.stack.setCurrentWidget(self.intake)
        self.intake.start(draft)

    def _refused(self, exc: BaseException) -> None:
        self._show_message(str(exc))

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def back_to_search(self) -> None:
        self.stack.setCurrentWidget(self.browser)
        self.browser.focus_search()
        self.look_for_drafts()

    # -- unfinished drafts -------------------------------------------------------------
    def look_for_drafts(self) -> None:
        run_in_background(self.service.open_drafts, self._drafts_found, lambda _exc: None)

    def _drafts_found(self, drafts: list) -> None:
        current = self.intake.draft.uuid if self.intake.draft else None
        self.drafts = [d for d in drafts if d.uuid != current]
        self.drafts_label.setText(
            self.tr("%n unfinished intake(s) can be resumed.", "", len(self.drafts))
        )
        self.drafts_bar.setVisible(bool(self.drafts))

    def choose_draft(self) -> DraftsDialog | None:
        if not self.drafts:
            return None
        dialog = DraftsDialog(self.drafts, self)
        dialog.finished.connect(lambda _code: self._drafts_chosen(dialog))
        dialog.open()
        return dialog

    def _drafts_chosen(self, dialog: DraftsDialog) -> None:
        for draft in dialog.discarded:
            run_in_background(lambda d=draft: self.service.discard(d))
        self.drafts = [d for d in self.drafts if d not in dialog.discarded]
        if dialog.result() and dialog.chosen is not None:
            self.drafts.remove(dialog.chosen)
            self._open_draft(dialog.chosen)
        self._drafts_found(self.drafts)
        if self.stack.currentWidget() is self.browser:
            self.browser.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
