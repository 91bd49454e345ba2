"""The material checklist of a draft as a table (tested without a window).

Rows are the draft's ``MaterialEntry`` objects themselves: editing a row
edits the draft, so autosave always sees what the clerk sees.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.intake.draft import (
    CONDITIONAL,
    DEFICIENCY,
    REQUIRED,
    MaterialEntry,
)

COLUMN_NUMBER = 0
COLUMN_NAME = 1
COLUMN_REQUIREMENT = 2
COLUMN_RECEIVED = 3
COLUMN_COUNTS = 4
COLUMN_PAGES = 5
COLUMN_STATUS = 6
COLUMN_COUNT = 7

DISPLAY = Qt.ItemDataRole.DisplayRole
translate = QCoreApplication.translate

_HEADERS = {
    COLUMN_NUMBER: "#",
    COLUMN_NAME: QT_TRANSLATE_NOOP("ChecklistModel", "Material"),
    COLUMN_REQUIREMENT: QT_TRANSLATE_NOOP("ChecklistModel", "Requirement"),
    COLUMN_RECEIVED: QT_TRANSLATE_NOOP("ChecklistModel", "Received as"),
    COLUMN_COUNTS: QT_TRANSLATE_NOOP("ChecklistModel", "Originals / copies"),
    COLUMN_PAGES: QT_TRANSLATE_NOOP("ChecklistModel", "Pages / file"),
    COLUMN_STATUS: QT_TRANSLATE_NOOP("ChecklistModel", "Status"),
}

# Received forms in the order the clerk picks them (keys 1–8 in the checklist).
RECEIVED_FORM_CHOICES = (
    ("original", QT_TRANSLATE_NOOP("ChecklistModel", "original")),
    ("copy", QT_TRANSLATE_NOOP("ChecklistModel", "copy")),
    ("scanned", QT_TRANSLATE_NOOP("ChecklistModel", "scanned")),
    ("electronic", QT_TRANSLATE_NOOP("ChecklistModel", "electronic file")),
    ("ecert", QT_TRANSLATE_NOOP("ChecklistModel", "e-certificate")),
    ("missing", QT_TRANSLATE_NOOP("ChecklistModel", "not handed in")),
    ("deficiency", QT_TRANSLATE_NOOP("ChecklistModel", "deficiency (to follow)")),
    ("not_applicable", QT_TRANSLATE_NOOP("ChecklistModel", "does not apply")),
)
_FORM_NAMES = dict(RECEIVED_FORM_CHOICES)

_GREEN, _RED, _AMBER, _GREY = "#1a7f37", "#b00020", "#b35900", "#777777"


def received_form_name(form: str) -> str:
    source = _FORM_NAMES.get(form)
    return translate("ChecklistModel", source) if source else form


def requirement_text(entry: MaterialEntry) -> str:
    if entry.requirement == REQUIRED:
        return translate("ChecklistModel", "required")
    if entry.requirement == CONDITIONAL:
        text = translate("ChecklistModel", "if: %1").replace("%1", entry.condition or "?")
        if entry.condition_applies:
            text += translate("ChecklistModel", " (applies)")
        return text
    return translate("ChecklistModel", "optional")


def status_of(entry: MaterialEntry) -> tuple[str, str]:
    """(words, colour) saying where this material stands."""
    if entry.satisfied:
        return translate("ChecklistModel", "received"), _GREEN
    if entry.received_form == DEFICIENCY:
        return translate("ChecklistModel", "to follow"), _AMBER
    if entry.needed:
        return translate("ChecklistModel", "missing"), _RED
    return translate("ChecklistModel", "not needed"), _GREY


def missing_materials(entries: list[MaterialEntry]) -> list[MaterialEntry]:
    """Needed for this application and neither received nor deferred (容缺)."""
    return [entry for entry in entries if entry.absent]


class ChecklistModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list[MaterialEntry] = []

    def set_materials(self, entries: list[MaterialEntry]) -> None:
        self.beginResetModel()
        self._entries = entries  # the draft's own list: edits go straight into it
        self.endResetModel()

    def entry_at(self, row: int) -> MaterialEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[MaterialEntry]:
        return self._entries

    def refresh_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, COLUMN_COUNT - 1))

    def set_received_form(self, row: int, form: str) -> None:
        """Record how a material came in; counts follow the catalog's defaults."""
        entry = self.entry_at(row)
        if entry is None:
            return
        entry.receive_as(form)  # the rule is the draft's (app.intake.draft)
        self.refresh_row(row)

    def set_counts(self, row: int, originals: int, copies: int) -> None:
        entry = self.entry_at(row)
        if entry is None:
            return
        entry.originals, entry.copies = max(0, originals), max(0, copies)
        self.refresh_row(row)

    def set_condition_applies(self, row: int, applies: bool) -> None:
        entry = self.entry_at(row)
        if entry is None:
            return
        entry.apply_condition(applies)
        self.refresh_row(row)

    def counts(self) -> dict[str, int]:
        needed = [e for e in self._entries if e.needed]
        return {
            "needed": len(needed),
            "received": sum(1 for e in needed if e.satisfied),
            "missing": len(missing_materials(self._entries)),
        }

    # -- Qt model interface ---------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else COLUMN_COUNT

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        entry = self.entry_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == COLUMN_STATUS:
            return QColor(status_of(entry)[1])
        if role == Qt.ItemDataRole.ToolTipRole and column == COLUMN_NAME and entry.note:
            return entry.note
        if role != DISPLAY:
            return None
        if column == COLUMN_NUMBER:
            return str(index.row() + 1)
        if column == COLUMN_NAME:
            return entry.name
        if column == COLUMN_REQUIREMENT:
            return requirement_text(entry)
        if column == COLUMN_RECEIVED:
            return received_form_name(entry.received_form)
        if column == COLUMN_COUNTS:
            return f"{entry.originals} / {entry.copies}"
        if column == COLUMN_PAGES:
            return self._pages_text(entry)
        if column == COLUMN_STATUS:
            return status_of(entry)[0]
        return None

    @staticmethod
    def _pages_text(entry: MaterialEntry) -> str:
        parts = []
        if entry.pages:
            parts.append(translate("ChecklistModel", "%n page(s)", None, len(entry.pages)))
        if entry.file_name:
            parts.append(entry.file_name)
        if entry.cert_ref:
            parts.append(str(entry.cert_ref.get("name") or entry.cert_ref.get("id") or ""))
        return " · ".join(p for p in parts if p)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and section in _HEADERS:
            return translate("ChecklistModel", _HEADERS[section])
        return None
