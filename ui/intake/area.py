"""受理 area: the catalog browser, and the intake screen once an item is chosen."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QWidget

from ui.catalog.browser import CatalogBrowser
from ui.workstation import Workstation


class IntakeArea(QStackedWidget):
    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.browser = CatalogBrowser(workstation)
        self.addWidget(self.browser)

    def focus_search(self) -> None:
        self.setCurrentWidget(self.browser)
        self.browser.focus_search()

    def new_intake(self) -> None:
        self.setCurrentWidget(self.browser)
        if self.browser.detail.task_code:
            self.browser.request_intake()
        else:
            self.browser.focus_search()
