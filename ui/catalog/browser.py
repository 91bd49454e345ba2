"""Catalog browser: search box over ``CatalogIndex``, hit list, item guide.

Searching runs on the GUI thread because one query over 20,000 items takes
at most a few milliseconds (budget 5 ms); loading the index and reading an
item from disk run in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.catalog.item_key import ItemKey
from ui.background import run_in_background
from ui.catalog.hits_model import (
    COLUMN_CATALOG_CODE,
    COLUMN_DEPT,
    COLUMN_MATCH,
    COLUMN_NAME,
    TASK_CODE_ROLE,
    CatalogHitsModel,
)
from ui.catalog.item_detail import ItemDetailView
from ui.workstation import Workstation

SEARCH_LIMIT = 50
LIST_MIN_WIDTH = 480
_NAVIGATION_KEYS = {Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp}
_OPEN_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class CatalogBrowser(QWidget):
    # ItemKey of an item (or 办理项) whose guide is now shown
    item_opened = Signal(object)
    # the clerk wants to take in an application for this item
    intake_requested = Signal(object)

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self._workstation = workstation
        self._detail_request = 0

        self.search_box = QLineEdit()
        self.search_box.setObjectName("catalogSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setPlaceholderText(self.tr("Item name, code or pinyin initials (Ctrl+F)"))
        self.search_box.installEventFilter(self)
        self.search_box.textChanged.connect(self.run_search)

        self.summary = QLabel(self.tr("Loading the catalog…"))
        self.summary.setObjectName("searchSummary")

        self.hits = CatalogHitsModel(self)
        self.table = QTableView()
        self.table.setObjectName("catalogHits")
        self.table.setModel(self.hits)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        # The item name gets what is left; the other columns have fixed starting
        # widths so long department names or translations never squeeze it out.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMN_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((COLUMN_CATALOG_CODE, 110), (COLUMN_DEPT, 130), (COLUMN_MATCH, 60)):
            header.resizeSection(column, width)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._preview_row(current.row())
        )

        self.detail = ItemDetailView()
        self.start_button = QPushButton(self.tr("Take in an application for this item (Ctrl+N)"))
        self.start_button.setObjectName("startIntake")
        self.start_button.setEnabled(False)
        self.start_button.clicked.connect(self.request_intake)
        self.start_button.installEventFilter(self)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_box)
        left_layout.addWidget(self.summary)
        left_layout.addWidget(self.table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        right_layout.addLayout(buttons)
        left.setMinimumWidth(LIST_MIN_WIDTH)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        workstation.catalog_arriving_changed.connect(self._catalog_arriving_changed)
        workstation.catalog_index_ready.connect(self._index_ready)
        workstation.catalog_index_failed.connect(self._index_failed)
        if workstation.catalog_index is not None:
            self._index_ready(workstation.catalog_index)

    # -- searching -------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def run_search(self, text: str | None = None) -> None:
        index = self._workstation.catalog_index
        query = (self.search_box.text() if text is None else text).strip()
        if index is None:
            return  # searched again as soon as the index arrives
        hits = index.search(query, limit=SEARCH_LIMIT) if query else []
        self.hits.set_hits(hits)
        if not len(index):
            # Nothing to search yet: say so, not "no match" as if the words were wrong.
            self.summary.setText(self._no_catalog_summary())
        elif query and not hits:
            self.summary.setText(self.tr("No item matches “%1”.").replace("%1", query))
        elif query:
            self.summary.setText(self.tr("%n item(s) found", "", len(hits)))
        else:
            self.summary.setText(self._idle_summary())
        # No row is current until the clerk presses Down: Enter alone opens the top hit.

    def _idle_summary(self) -> str:
        return self.tr("Type to search the catalog.")

    def _no_catalog_summary(self) -> str:
        if self._workstation.catalog_arriving:
            return self.tr("The catalog is on its way; the search runs as soon as it arrives.")
        return self.tr("This station has no catalog yet (F5 downloads it from the hall).")

    def _catalog_arriving_changed(self, _arriving: bool) -> None:
        if self._workstation.catalog_index is not None:
            self.run_search()

    def _index_ready(self, _index) -> None:
        self.run_search()

    def _index_failed(self, message: str) -> None:
        self.summary.setText(self.tr("The catalog could not be loaded: %1").replace("%1", message))

    # -- opening ---------------------------------------------------------
    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def open_row(self, row: int) -> None:
        """Enter: show the item's full guide and offer to start the intake."""
        hit = self.hits.hit_at(row)
        if hit is None:
            return
        self._load_detail(ItemKey(hit.task_code, hit.handle_item_code), opened=True)

    def open_item(self, key: ItemKey) -> None:
        self._load_detail(key, opened=True)

    def _preview_row(self, row: int) -> None:
        hit = self.hits.hit_at(row)
        if hit is not None:
            self._load_detail(ItemKey(hit.task_code, hit.handle_item_code), opened=False)

    def _load_detail(self, key: ItemKey, opened: bool) -> None:
        self._detail_request += 1
        request = self._detail_request

        def read_item():
            from app.catalog.repository import get_item

            return get_item(key)

        run_in_background(read_item, lambda item: self._show_detail(request, item, opened))

    def _show_detail(self, request: int, item: dict | None, opened: bool) -> None:
        if request != self._detail_request:
            return  # the clerk has moved on; a newer read is on its way
        if item is None:
            self.detail.show_hint()
            self.start_button.setEnabled(False)
            return
        self.detail.show_item(item)
        self.start_button.setEnabled(item.get("state", "active") == "active")
        if opened:
            self.item_opened.emit(ItemKey.of(item))
            if self.start_button.isEnabled():
                self.start_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def request_intake(self) -> None:
        if self.detail.item_key and self.start_button.isEnabled():
            self.intake_requested.emit(self.detail.item_key)

    # -- keyboard ----------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box and key in _NAVIGATION_KEYS:
                # Arrows move through the hits while the clerk keeps typing.
                self._move_selection(key)
                return True
            if key in _OPEN_KEYS and watched is self.start_button:
                self.request_intake()
                return True
            if key in _OPEN_KEYS and watched in (self.search_box, self.table):
                self.open_row(self.current_row() if self.current_row() >= 0 else 0)
                return True
        return super().eventFilter(watched, event)

    def _move_selection(self, key: Qt.Key) -> None:
        rows = self.hits.rowCount()
        if not rows:
            return
        step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10}.get(key, -10)
        row = min(rows - 1, max(0, self.current_row() + step))
        self.table.selectRow(row)
        self.table.scrollTo(self.hits.index(row, COLUMN_NAME))

    def selected_task_code(self) -> str | None:
        return self.hits.data(self.hits.index(self.current_row(), COLUMN_NAME), TASK_CODE_ROLE)
