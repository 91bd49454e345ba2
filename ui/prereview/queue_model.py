"""The pre-review queue as a table (named columns, tested without a window).

Rows are ``app.prereview.QueueRow``; the due column counts down in working
days, due-today rows are amber and overdue rows red.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ui.row_list_model import RowListModel

# What the clerk scans first comes first: how urgent, what, who.
COLUMN_DUE = 0
COLUMN_ITEM = 1
COLUMN_APPLICANT = 2
COLUMN_STATE = 3
COLUMN_ROUND = 4
COLUMN_ID = 5
COLUMN_SUBMITTED = 6
COLUMN_COUNT = 7

DISPLAY = Qt.ItemDataRole.DisplayRole
OVERDUE_COLOUR = QColor("#fde0e0")
DUE_TODAY_COLOUR = QColor("#fff1c7")

_HEADERS = {
    COLUMN_DUE: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Due"),
    COLUMN_ID: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Application"),
    COLUMN_ITEM: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Item"),
    COLUMN_APPLICANT: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Applicant"),
    COLUMN_SUBMITTED: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Submitted"),
    COLUMN_STATE: QT_TRANSLATE_NOOP("PrereviewQueueModel", "State"),
    COLUMN_ROUND: QT_TRANSLATE_NOOP("PrereviewQueueModel", "Round"),
}


translate = QCoreApplication.translate


def countdown_text(row) -> str:
    """``2026-11-24 · 1 working day left`` / ``due today`` / ``overdue by 2 working days``."""
    date = row.due_date.isoformat() + ("?" if row.due_uncertain else "")
    if row.urgency == "decided":
        return date
    if row.urgency == "overdue":
        days = max(1, -row.working_days_left)
        return f"{date} · " + translate("PrereviewQueueModel", "overdue by %n working day(s)",
                                        None, days)
    if row.urgency == "due_today":
        return f"{date} · " + translate("PrereviewQueueModel", "due today")
    return f"{date} · " + translate("PrereviewQueueModel", "%n working day(s) left", None,
                                    row.working_days_left)


class PrereviewQueueModel(RowListModel):
    column_count = COLUMN_COUNT

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        row = self.row_for(index)
        if row is None:
            return None
        column = index.column()
        if role == DISPLAY:
            if column == COLUMN_DUE:
                return countdown_text(row)
            if column == COLUMN_ID:
                return row.hall_id
            if column == COLUMN_ITEM:
                return row.item_name
            if column == COLUMN_APPLICANT:
                return f"{row.applicant_name} {row.applicant_id_masked}"
            if column == COLUMN_SUBMITTED:
                return row.submitted_at.strftime("%Y-%m-%d %H:%M")
            if column == COLUMN_STATE:
                missing = (" · " + translate("PrereviewQueueModel",
                                             "%n file(s) not downloaded", None,
                                             row.files_missing)
                           if row.files_missing else "")
                return row.state_label + missing
            if column == COLUMN_ROUND:
                return str(row.round)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.urgency == "overdue":
                return QBrush(OVERDUE_COLOUR)
            if row.urgency == "due_today":
                return QBrush(DUE_TODAY_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == COLUMN_DUE and row.urgency in (
                "overdue", "due_today"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and row.due_uncertain:
            return translate("PrereviewQueueModel",
                             "No holiday data for that year yet: counted Monday to Friday")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return translate("PrereviewQueueModel", _HEADERS[section])
        return None
