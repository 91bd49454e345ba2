"""Cases at this station as a table: the query (run in the background) and
the Qt model (named columns, tested without a window)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ui.case_states import state_name
from ui.row_list_model import RowListModel

COLUMN_NUMBER = 0
COLUMN_ITEM = 1
COLUMN_APPLICANT = 2
COLUMN_ID = 3
COLUMN_STATE = 4
COLUMN_RECEIVED = 5
COLUMN_DEADLINE = 6
COLUMN_COUNT = 7

DISPLAY = Qt.ItemDataRole.DisplayRole
SEARCH_LIMIT = 500

_HEADERS = {
    COLUMN_NUMBER: QT_TRANSLATE_NOOP("CasesModel", "Case number"),
    COLUMN_ITEM: QT_TRANSLATE_NOOP("CasesModel", "Item"),
    COLUMN_APPLICANT: QT_TRANSLATE_NOOP("CasesModel", "Applicant"),
    COLUMN_ID: QT_TRANSLATE_NOOP("CasesModel", "ID number"),
    COLUMN_STATE: QT_TRANSLATE_NOOP("CasesModel", "State"),
    COLUMN_RECEIVED: QT_TRANSLATE_NOOP("CasesModel", "Received"),
    COLUMN_DEADLINE: QT_TRANSLATE_NOOP("CasesModel", "Promised date"),
}


def find_cases(station: str, day: dt.date, query: str = "") -> list:
    """Cases of ``station`` received on ``day`` (newest first); with a query,
    matches by number, applicant name or full ID number on any day.

    Rows are ``app.cases.CaseSummary`` (ID numbers already masked).  Runs off
    the GUI thread.
    """
    from app.cases import cases_on_day, search_cases

    if query.strip():
        return search_cases(query, station=station, limit=SEARCH_LIMIT)
    return list(reversed(cases_on_day(day, station=station)))


class CasesTableModel(RowListModel):
    column_count = COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        row = self.row_for(index)
        if row is None or role != DISPLAY:
            return None
        column = index.column()
        if column == COLUMN_NUMBER:
            return row.number
        if column == COLUMN_ITEM:
            return row.item_name
        if column == COLUMN_APPLICANT:
            return row.applicant_name
        if column == COLUMN_ID:
            return row.id_masked
        if column == COLUMN_STATE:
            return state_name(row.state)
        if column == COLUMN_RECEIVED:
            return f"{row.received_at:%Y-%m-%d %H:%M}"
        if column == COLUMN_DEADLINE:
            return describe_deadline(row.deadline, row.deadline_uncertain)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and section in _HEADERS:
            return QCoreApplication.translate("CasesModel", _HEADERS[section])
        return None


def describe_deadline(deadline: dt.date | None, uncertain: bool) -> str:
    if deadline is None:
        return "—"
    text = f"{deadline:%Y-%m-%d}"
    if uncertain:
        text += QCoreApplication.translate("CasesModel", " (calendar not confirmed)")
    return text
