"""Cases at this station as a table: the query (run in the background) and
the Qt model (named columns, tested without a window)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from ui.case_states import state_name

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


@dataclass(frozen=True)
class CaseRow:
    number: str
    item_name: str
    applicant_name: str
    id_masked: str
    state: str
    received_at: dt.datetime
    deadline: dt.date | None
    deadline_uncertain: bool


def find_cases(station: str, day: dt.date, query: str = "") -> list[CaseRow]:
    """Cases of ``station`` received on ``day``; with a query, any day.

    The query matches a case number (or its part), the applicant's name (or
    part), or the applicant's full ID number.  Runs off the GUI thread.
    """
    from peewee import JOIN

    from app.identity import mask_id
    from local_store.models import Applicant, Case

    cases = Case.select(Case, Applicant).join(
        Applicant, join_type=JOIN.LEFT_OUTER, on=(Case.applicant == Applicant.id)
    )
    query = query.strip()
    if query:
        matches = (Case.number.contains(query.upper())) | (Applicant.name.contains(query))
        matches |= Applicant.id_number == query.upper()
        cases = cases.where((Case.station == station) & matches)
    else:
        start = dt.datetime.combine(day, dt.time.min)
        cases = cases.where(
            (Case.station == station)
            & (Case.received_at >= start)
            & (Case.received_at < start + dt.timedelta(days=1))
        )
    rows = []
    for case in cases.order_by(Case.received_at.desc()).limit(SEARCH_LIMIT):
        snapshot = case.applicant_snapshot or {}
        id_number = snapshot.get("id_number") or (
            case.applicant.id_number if case.applicant else ""
        )
        rows.append(
            CaseRow(
                number=case.number,
                item_name=case.item_name,
                applicant_name=snapshot.get("name")
                or (case.applicant.name if case.applicant else ""),
                id_masked=mask_id(id_number) if id_number else "",
                state=case.state,
                received_at=case.received_at,
                deadline=case.deadline,
                deadline_uncertain=case.deadline_uncertain,
            )
        )
    return rows


class CasesTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[CaseRow] = []

    def set_rows(self, rows: list[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
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
