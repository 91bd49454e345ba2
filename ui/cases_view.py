"""办件 area: today's cases at this station, search, open a case."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.composition import station_today
from ui.background import run_in_background
from ui.case_detail import CaseDetailDialog
from ui.case_states import fit_case_number_column
from ui.cases_model import COLUMN_ITEM, COLUMN_NUMBER, CasesTableModel, find_cases
from ui.workstation import Workstation

# Typing pauses this long before the query runs: one query per word, not per key.
SEARCH_DEBOUNCE_MS = 200


class CasesView(QWidget):
    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self._query_serial = 0
        self._dirty = True

        self.search_box = QLineEdit()
        self.search_box.setObjectName("caseSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(self.tr("Case number, applicant name or ID number"))
        self.search_box.installEventFilter(self)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._debounce.start)

        self.summary = QLabel()
        self.summary.setObjectName("casesSummary")
        self.model = CasesTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("casesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_ITEM, QHeaderView.ResizeMode.Stretch)
        fit_case_number_column(self.table, COLUMN_NUMBER)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.installEventFilter(self)
        self.open_button = QPushButton(self.tr("Open case (Enter)"))
        self.open_button.clicked.connect(lambda: self.open_row(self._current_row()))

        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        workstation.cases_changed.connect(self._mark_dirty)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def _mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def refresh(self) -> None:
        self._dirty = False
        self._query_serial += 1
        serial = self._query_serial
        query = self.search_box.text()
        settings = self.workstation.settings
        from app.numbering import station_key

        station = station_key(settings.region_code, settings.station_code)
        today = station_today(settings.zone)  # the station's day, not the OS zone's
        run_in_background(
            lambda: find_cases(station, today, query),
            lambda rows: self._show_rows(serial, query, rows),
            self._failed,
        )

    def _show_rows(self, serial: int, query: str, rows) -> None:
        if serial != self._query_serial:
            return  # a newer query is on its way
        self.model.set_rows(rows)
        if query.strip():
            self.summary.setText(self.tr("%n case(s) match", "", len(rows)))
        else:
            self.summary.setText(self.tr("%n case(s) taken in today", "", len(rows)))
        if rows:
            self.table.selectRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(self.tr("The cases could not be read: %1").replace("%1", str(exc)))

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else 0

    def open_row(self, row: int) -> CaseDetailDialog | None:
        case = self.model.row_at(row)
        if case is None:
            return None
        dialog = CaseDetailDialog(self.workstation, case.number, self)
        dialog.open()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box and key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(0, self._current_row() + step), self.model.rowCount() - 1)
                self.table.selectRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if watched is self.search_box and self._debounce.isActive():
                    self._debounce.stop()
                    self.refresh()
                    return True
                self.open_row(self._current_row())
                return True
        return super().eventFilter(watched, event)
