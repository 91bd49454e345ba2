"""A flat table model over a Python list of row objects.

Every list in the workstation (catalog hits, cases, certificates, catalog
quality issues) is one of these: subclasses set ``column_count`` and
implement ``data``/``headerData``; replacing the rows resets the view.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex


class RowListModel(QAbstractTableModel):
    column_count = 0

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: Iterable) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        """The row object at ``row``, or None outside the list."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_for(self, index: QModelIndex | QPersistentModelIndex):
        return self.row_at(index.row()) if index.isValid() else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self.column_count
