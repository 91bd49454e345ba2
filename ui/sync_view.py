"""The sync area: the outbox queue, retry / park / sync now, and the status-bar widget.

- ``SyncQueueModel``: the queue as a table (named columns, tested without a window);
- ``SyncView``: the area — reads the queue in the background, refreshed by a
  coalescing timer; retry and park go through the writer in the background;
- ``SyncStatusWidget``: queue depth and the oldest unsent case's age for the
  status bar, amber at the warning threshold, red at the alarm;

The sync service's child process is managed by ``ui.sync_service.SyncService``
(re-exported here for the callers that know it by this module).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app import outbox_queue
from app.outbox_queue import describe_lanes
from ui.background import SLOW, Liveness, run_in_background
from ui.case_states import fit_case_number_column
from ui.sync_service import SyncService

log = logging.getLogger(__name__)

__all__ = ["SyncQueueModel", "SyncService", "SyncStatusWidget", "SyncView"]
translate = QCoreApplication.translate

COLUMN_NUMBER = 0
COLUMN_ITEM = 1
COLUMN_EVENT = 2
COLUMN_STATE = 3
COLUMN_AGE = 4
COLUMN_ATTEMPTS = 5
COLUMN_ERROR = 6
COLUMN_COUNT = 7

DISPLAY = Qt.ItemDataRole.DisplayRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1

WARNING_COLOUR = "#b35900"
ALARM_COLOUR = "#c62828"
OK_COLOUR = "#1a7f37"

REFRESH_COALESCE_MS = 250
# The queue changes by events — this window's commits (``cases_changed``) and the
# sync service's lanes (``sync_progressed``, from the child's pipe) — so it is not
# polled.  This slow timer stays for what no event reports: the waiting time and
# its warning/alarm colour grow with the clock (shown to the minute), and another
# process (``onewindow sync retry``, a second window) may change the queue.
AGE_REFRESH_MS = 60_000
# The status bar counts every case: at most one count per second while syncing.
STATUS_COALESCE_MS = 1_000
# Nor does the area re-read its (up to 1,000) rows more than once a second for the
# sync service's progress: it reports every batch, and four re-reads a second of a
# draining queue (each ~15 ms of a pool thread, much of it holding the GIL) doubled
# the window's stall in bench_sync.  This window's own changes still show at once.
PROGRESS_COALESCE_MS = 1_000

_HEADERS = {
    COLUMN_NUMBER: QT_TRANSLATE_NOOP("SyncQueueModel", "Case number"),
    COLUMN_ITEM: QT_TRANSLATE_NOOP("SyncQueueModel", "Item"),
    COLUMN_EVENT: QT_TRANSLATE_NOOP("SyncQueueModel", "Decision"),
    COLUMN_STATE: QT_TRANSLATE_NOOP("SyncQueueModel", "State"),
    COLUMN_AGE: QT_TRANSLATE_NOOP("SyncQueueModel", "Waiting"),
    COLUMN_ATTEMPTS: QT_TRANSLATE_NOOP("SyncQueueModel", "Attempts"),
    COLUMN_ERROR: QT_TRANSLATE_NOOP("SyncQueueModel", "Last error"),
}
_EVENTS = {
    "receive": QT_TRANSLATE_NOOP("SyncQueueModel", "Received"),
    "notify": QT_TRANSLATE_NOOP("SyncQueueModel", "Completion notice"),
    "accept": QT_TRANSLATE_NOOP("SyncQueueModel", "Accepted"),
    "reject": QT_TRANSLATE_NOOP("SyncQueueModel", "Rejected"),
    "conclude": QT_TRANSLATE_NOOP("SyncQueueModel", "Concluded"),
}


def describe_wait(seconds: float | None) -> str:
    """'2 小时 5 分' — how long a case has waited to reach the hall."""
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 1:
        return translate("SyncQueueModel", "under a minute")
    if minutes < 60:
        return translate("SyncQueueModel", "%n min", None, minutes)
    return (
        translate("SyncQueueModel", "%1 h %2 min")
        .replace("%1", str(minutes // 60))
        .replace("%2", str(minutes % 60))
    )


def level_colour(level: str) -> str:
    return {"alarm": ALARM_COLOUR, "warning": WARNING_COLOUR}.get(level, OK_COLOUR)


class SyncQueueModel(QAbstractTableModel):
    """Outbox rows (``sync.summary.QueueRow``) with their age against the thresholds."""

    def __init__(self, warning_hours: float = 8.0, alarm_hours: float = 12.0, parent=None):
        super().__init__(parent)
        self.warning_s = warning_hours * 3600
        self.alarm_s = alarm_hours * 3600
        self._rows: list = []
        self._now = dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def set_rows(self, rows: list, now: dt.datetime | None = None) -> None:
        """Show ``rows`` (oldest first), changing only what changed.

        While the queue drains this runs several times a second: removing the
        acknowledged rows and updating the changed ones (instead of a reset)
        keeps the clerk's selection and repaints only what moved.
        """
        self._now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        wanted = [row.entry_id for row in rows]
        self._remove_rows_not_in(set(wanted))
        kept = [row.entry_id for row in self._rows]
        if kept != wanted[:len(kept)]:  # reordered or inserted in the middle: start over
            self.beginResetModel()
            self._rows = list(rows)
            self.endResetModel()
            return
        changed = [i for i, row in enumerate(rows[:len(kept)]) if row != self._rows[i]]
        self._rows[:len(kept)] = rows[:len(kept)]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0),
                                  self.index(changed[-1], COLUMN_COUNT - 1))
        if self._rows:  # waiting times grow even when nothing else changed
            self.dataChanged.emit(self.index(0, COLUMN_AGE),
                                  self.index(len(self._rows) - 1, COLUMN_AGE))
        if len(rows) > len(kept):
            self.beginInsertRows(QModelIndex(), len(kept), len(rows) - 1)
            self._rows.extend(rows[len(kept):])
            self.endInsertRows()

    def _remove_rows_not_in(self, keep: set) -> None:
        end = len(self._rows) - 1
        while end >= 0:
            if self._rows[end].entry_id in keep:
                end -= 1
                continue
            start = end
            while start > 0 and self._rows[start - 1].entry_id not in keep:
                start -= 1
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._rows[start:end + 1]
            self.endRemoveRows()
            end = start - 1

    def row_at(self, row: int):
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return translate("SyncQueueModel", _HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == DISPLAY:
            return self._display(entry, column)
        if role == TOOLTIP and column == COLUMN_ERROR and entry.last_error:
            return entry.explanation_detail
        if role == FOREGROUND:
            if column == COLUMN_AGE:
                age = entry.age_s(self._now)
                if age >= self.alarm_s:
                    return QColor(ALARM_COLOUR)
                if age >= self.warning_s:
                    return QColor(WARNING_COLOUR)
            if column == COLUMN_STATE and entry.state == "parked":
                return QColor(ALARM_COLOUR)
        if role == ENTRY_ID_ROLE:
            return entry.entry_id
        return None

    def _display(self, entry, column: int) -> Any:
        if column == COLUMN_NUMBER:
            return entry.case_number
        if column == COLUMN_ITEM:
            return entry.item_name
        if column == COLUMN_EVENT:
            source = _EVENTS.get(entry.event)
            return translate("SyncQueueModel", source) if source else entry.event
        if column == COLUMN_STATE:
            return entry.state_label  # the outbox's own Chinese label
        if column == COLUMN_AGE:
            return describe_wait(entry.age_s(self._now))
        if column == COLUMN_ATTEMPTS:
            return entry.attempts
        if column == COLUMN_ERROR:
            return entry.explanation  # for a parked entry: the refused field and what to do
        return None


def describe_summary(summary) -> str:
    """'待上报 3（搁置 1）· 最早等待 2 小时 5 分' for the area and the status bar."""
    if summary is None:
        return ""
    if summary.unsent == 0:
        return translate("SyncView", "All cases reported to the hall")
    text = (
        translate("SyncView", "Unsent: %1 (parked: %2)")
        .replace("%1", str(summary.unsent))
        .replace("%2", str(summary.parked))
    )
    if summary.oldest_unsent_age_s is not None:
        text += " · " + translate("SyncView", "oldest waiting %1").replace(
            "%1", describe_wait(summary.oldest_unsent_age_s)
        )
    return text


class SyncView(QWidget):
    """The "同步" area: the queue with retry, park and sync now."""

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        settings = workstation.settings
        self._thresholds = (settings.unsent_warning_hours, settings.unsent_alarm_hours)
        self.model = SyncQueueModel(*self._thresholds, parent=self)
        self.summary = None
        self._loading = False
        self._stale = False
        self._live = Liveness(self)

        self.table = QTableView(self)
        self.table.setObjectName("syncQueue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(
            COLUMN_ERROR, QHeaderView.ResizeMode.Stretch
        )
        fit_case_number_column(self.table, COLUMN_NUMBER)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("syncSummary")
        self.lanes_label = QLabel(self)
        self.lanes_label.setObjectName("syncLanes")
        self.lanes_label.setWordWrap(True)
        self.retry_button = QPushButton(self.tr("Retry"), self)
        self.retry_button.setObjectName("syncRetry")
        self.park_button = QPushButton(self.tr("Park"), self)
        self.park_button.setObjectName("syncPark")
        self.sync_now_button = QPushButton(self.tr("Sync now"), self)
        self.sync_now_button.setObjectName("syncNow")
        self.retry_button.clicked.connect(self.retry_selected)
        self.park_button.clicked.connect(self.park_selected)
        self.sync_now_button.clicked.connect(workstation.sync_requested)
        self.sync_now_button.clicked.connect(self.mark_dirty)

        buttons = QHBoxLayout()
        buttons.addWidget(self.summary_label, 1)
        for button in (self.retry_button, self.park_button, self.sync_now_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.lanes_label)
        layout.addWidget(self.table)

        # Many events (each upload, each lane change) → one refresh per interval.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_COALESCE_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self.mark_dirty)
        self._age_timer.start()
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_COALESCE_MS)
        self._progress_timer.timeout.connect(self.mark_dirty)
        workstation.cases_changed.connect(self.mark_dirty)
        workstation.sync_progressed.connect(self._progressed)
        # The lanes' states as the service reports them; its state file is read for
        # the first paint only, until the first report.
        self._lanes_heard = False
        workstation.sync_lanes_changed.connect(self._show_lanes)
        self.refresh()

    def mark_dirty(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _progressed(self) -> None:
        if not self._progress_timer.isActive():
            self._progress_timer.start()

    def refresh(self) -> None:
        if not self._live.alive:
            return
        if self._loading:
            self._stale = True
            return
        self._loading = True
        home = None if self._lanes_heard else Path(self.workstation.store.home)
        run_in_background(lambda: outbox_queue.read_queue(*self._thresholds, home), self._loaded,
                          self._failed)

    def _loaded(self, result) -> None:
        rows, summary, lanes = result
        self._loading = False
        if not self._live.alive:
            return
        self.summary = summary
        self.model.set_rows(rows)
        self.summary_label.setText(describe_summary(summary))
        self.summary_label.setStyleSheet(f"color: {level_colour(summary.level)}")
        if lanes is not None and not self._lanes_heard:
            self.lanes_label.setText(describe_lanes(lanes))
        if self._stale:
            self._stale = False
            self.mark_dirty()

    def _show_lanes(self, lanes: dict) -> None:
        self._lanes_heard = True
        self.lanes_label.setText(describe_lanes(lanes))

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        if not self._live.alive:
            return
        self.summary_label.setText(
            self.tr("The queue could not be read: %1").replace("%1", str(exc))
        )

    def selected_entry_ids(self) -> list[int]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.row_at(row).entry_id for row in sorted(rows)]

    def _write(self, unit: Callable[[list[int]], None]) -> None:
        ids = self.selected_entry_ids()
        if not ids:
            return
        writer = self.workstation.store.writer
        run_in_background(lambda: writer.call(unit, ids), lambda _r: self._written(), self._failed)

    def _written(self) -> None:
        if not self._live.alive:
            return
        self.workstation.sync_requested.emit()
        self.mark_dirty()

    def retry_selected(self) -> None:
        self._write(outbox_queue.retry_entries)

    def park_selected(self) -> None:
        clerk = self.workstation.settings.clerk_name
        self._write(lambda ids: outbox_queue.park_entries(ids, clerk))

    def shutdown(self) -> None:
        self._live.end()
        self._age_timer.stop()
        self._refresh_timer.stop()
        self._progress_timer.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)


class SyncStatusWidget(QLabel):
    """Status bar: queue depth and oldest unsent age, coloured at warning and alarm."""

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        settings = workstation.settings
        self._thresholds = (settings.unsent_warning_hours, settings.unsent_alarm_hours)
        self.summary = None
        self._loading = False
        self._stale = False
        self._live = Liveness(self)
        self._timer = QTimer(self)
        self._timer.setInterval(AGE_REFRESH_MS)  # the clock, not the queue (see above)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._coalesce = QTimer(self, singleShot=True, interval=STATUS_COALESCE_MS)
        self._coalesce.timeout.connect(self.refresh)
        workstation.cases_changed.connect(self.refresh)
        workstation.sync_progressed.connect(self.mark_dirty)
        self.refresh()

    def mark_dirty(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def refresh(self) -> None:
        if not self._live.alive:
            return
        if self._loading:
            self._stale = True  # counted again once this count is in
            return
        self._loading = True

        thresholds = self._thresholds
        run_in_background(lambda: outbox_queue.queue_summary(*thresholds), self._show,
                          self._failed, lane=SLOW)  # a status-bar count

    def _show(self, summary) -> None:
        self._loading = False
        if not self._live.alive:
            return
        if self._stale:
            self._stale = False
            self.mark_dirty()
        self.summary = summary
        self.setText(describe_summary(summary))
        # A parked case waits for a person however young it is: never green.
        level = "alarm" if summary.parked else summary.level
        weight = "bold" if level != "ok" else "normal"
        self.setStyleSheet(f"color: {level_colour(level)}; font-weight: {weight}")

    def _failed(self, _exc: BaseException) -> None:
        self._loading = False

    def shutdown(self) -> None:
        self._live.end()
        self._timer.stop()
        self._coalesce.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
