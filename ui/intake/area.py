"""受理 area: find the item in the catalog, then take in the application.

Unfinished drafts (a crash, a power cut) are offered in a bar at the top once
the catalog is searchable; resuming one never needs the network.  The intake
screen and its service (scanning, PDF, e-certificate libraries) are imported
when first needed, so start-up pays only for the catalog browser.
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

from ui.background import SLOW, run_in_background
from ui.catalog.browser import CatalogBrowser
from ui.workstation import Workstation


class IntakeArea(QWidget):
    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self._service = None
        self._intake = None
        self._warmed = False
        self.drafts: list = []

        self.browser = CatalogBrowser(workstation)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.browser)

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
        workstation.continue_case_requested.connect(self.continue_case)
        # Once the window is usable (index loaded): start-up never waits for this.
        if workstation.catalog_index is not None:
            QTimer.singleShot(0, self.look_for_drafts)
        else:
            workstation.catalog_index_ready.connect(self._first_index)
            workstation.catalog_index_failed.connect(self._first_index)

    def _first_index(self, *_args) -> None:
        self.workstation.catalog_index_ready.disconnect(self._first_index)
        self.workstation.catalog_index_failed.disconnect(self._first_index)
        self.look_for_drafts()

    @property
    def service(self):
        """The ``app.intake.IntakeService`` of this station (imported on first use)."""
        if self._service is None:
            from app.intake import IntakeService

            self._service = IntakeService(self.workstation.store, self.workstation.settings)
        return self._service

    @property
    def intake(self):
        """The intake screen (``IntakeView``), built the first time it is needed.
        Each ``start()`` gives it fresh pages: no applicant's data reaches the next."""
        if self._intake is None:
            from ui.intake.intake_view import IntakeView

            self._intake = IntakeView(self.workstation, self.service)
            self._intake.closed.connect(self.back_to_search)
            self.stack.addWidget(self._intake)
        return self._intake

    # -- actions the main window dispatches -------------------------------------
    def focus_search(self) -> None:
        if self._intake is not None and self.stack.currentWidget() is self._intake:
            self._intake.autosave_now()  # leaving mid-intake keeps the draft
        self.stack.setCurrentWidget(self.browser)
        self.browser.focus_search()

    def focus_work(self) -> None:
        """Back in this area (Alt+1, after unlocking): the intake in progress keeps
        its step and the cursor goes to it; otherwise to the search box."""
        if self._intake is not None and self.stack.currentWidget() is self._intake:
            self._intake.focus_current_step()
        else:
            self.browser.focus_search()

    def new_intake(self) -> None:
        if self.stack.currentWidget() is self.browser and self.browser.detail.item_key:
            self.browser.request_intake()
        else:
            self.focus_search()

    def shutdown(self) -> None:
        if self._intake is not None:
            self._intake.shutdown()

    # -- starting an intake ----------------------------------------------------------
    def start_intake(self, item_key) -> None:
        """``item_key``: the ItemKey of the item or 办理项 (a bare task_code also works
        for an item without 办理项)."""
        self._show_message("")
        service = self.service
        run_in_background(lambda: service.new_draft(item_key), self._open_draft, self._refused)

    def continue_case(self, case_number: str) -> None:
        """补正: the applicant is back; the same case continues under its number."""
        self._show_message("")
        service = self.service
        run_in_background(
            lambda: service.continue_case(case_number), self._open_draft, self._refused
        )

    def _open_draft(self, draft) -> None:
        self.drafts_bar.hide()  # one application at a time
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
        store, settings = self.workstation.store, self.workstation.settings

        def find():
            from app.intake import IntakeService

            return IntakeService(store, settings).open_drafts()

        def warm_up():
            # The intake screen's imports (scanning, PDF libraries), off the GUI
            # thread so that the first Ctrl+N does not stall the window, and on
            # the slow lane: nobody waits for them, an item guide opened now does.
            import ui.intake.intake_view  # noqa: F401

        # Offered in a bar when found; nobody waits for it (the slow lane).
        run_in_background(find, self._drafts_found, lambda _exc: None, lane=SLOW)
        if not self._warmed:
            self._warmed = True
            run_in_background(warm_up, None, lambda _exc: None, lane=SLOW)

    def _drafts_found(self, drafts: list) -> None:
        draft = self._intake.draft if self._intake is not None else None
        current = draft.uuid if draft else None
        self.drafts = [d for d in drafts if d.uuid != current]
        self.drafts_label.setText(
            self.tr("%n unfinished intake(s) can be resumed.", "", len(self.drafts))
        )
        self.drafts_bar.setVisible(bool(self.drafts) and self.stack.currentWidget() is self.browser)

    def choose_draft(self):
        if not self.drafts:
            return None
        from ui.intake.drafts_dialog import DraftsDialog

        dialog = DraftsDialog(self.drafts, self)
        dialog.finished.connect(lambda _code: self._drafts_chosen(dialog))
        dialog.open()
        return dialog

    def _drafts_chosen(self, dialog) -> None:
        for draft in dialog.discarded:
            run_in_background(lambda d=draft: self.service.discard(d))
        self.drafts = [d for d in self.drafts if d not in dialog.discarded]
        if dialog.result() and dialog.chosen is not None:
            self.drafts.remove(dialog.chosen)
            self._open_draft(dialog.chosen)
        self._drafts_found(self.drafts)
        if self.stack.currentWidget() is self.browser:
            self.browser.search_box.setFocus(Qt.FocusReason.OtherFocusReason)
