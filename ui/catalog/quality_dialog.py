"""Catalog quality: items that miss required standard fields (plan tasks 1–2).

The check reads every cached item, so it runs in the background; Enter on a
row opens that item's guide in the catalog browser.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background
from ui.catalog.quality_model import (
    COLUMN_NAME,
    COLUMN_PROBLEMS,
    ITEM_KEY_ROLE,
    QualityIssuesModel,
)
from ui.workstation import Workstation


class CatalogQualityDialog(QDialog):
    # ItemKey of the item (or 办理项) the clerk wants to look at
    item_chosen = Signal(object)
    loaded = Signal()

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Catalog quality"))
        self.resize(1000, 560)
        self.summary = QLabel(self.tr("Checking every item…"))
        self.summary.setObjectName("qualitySummary")
        self.model = QualityIssuesModel(self)
        self.table = QTableView()
        self.table.setObjectName("qualityTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_PROBLEMS, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_NAME, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_NAME, 260)
        self.table.activated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

        def check():
            from app.catalog.quality import check_catalog_quality

            return check_catalog_quality()

        run_in_background(check, self._show, self._failed)

    def _show(self, issues: list) -> None:
        self.model.set_issues(issues)
        self.table.resizeRowsToContents()
        if issues:
            self.summary.setText(
                self.tr(
                    "%n item(s) miss standard fields; fix them at the catalog source.",
                    "",
                    len(issues),
                )
            )
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.summary.setText(self.tr("Every item has all standard fields."))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("The check failed: %1").replace("%1", str(exc)))

    def _activated(self, index) -> None:
        item_key = self.model.data(index, ITEM_KEY_ROLE)
        if item_key:
            self.item_chosen.emit(item_key)
            self.accept()
