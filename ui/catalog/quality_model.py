"""Catalog quality issues (``app.catalog.quality.QualityIssue``) as a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.catalog.item_key import ItemKey
from ui.row_list_model import RowListModel

COLUMN_NAME = 0
COLUMN_DEPT = 1
COLUMN_PROBLEM_COUNT = 2
COLUMN_PROBLEMS = 3
COLUMN_COUNT = 4

DISPLAY = Qt.ItemDataRole.DisplayRole
TASK_CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # app.catalog.item_key.ItemKey

_HEADERS = {
    COLUMN_NAME: QT_TRANSLATE_NOOP("QualityModel", "Item"),
    COLUMN_DEPT: QT_TRANSLATE_NOOP("QualityModel", "Department"),
    COLUMN_PROBLEM_COUNT: QT_TRANSLATE_NOOP("QualityModel", "Problems"),
    COLUMN_PROBLEMS: QT_TRANSLATE_NOOP("QualityModel", "What is missing"),
}


class QualityIssuesModel(RowListModel):
    column_count = COLUMN_COUNT

    def set_issues(self, issues: list) -> None:
        self.set_rows(issues)

    def issue_at(self, row: int):
        return self.row_at(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        issue = self.row_for(index)
        if issue is None:
            return None
        if role == TASK_CODE_ROLE:
            return issue.task_code
        if role == ITEM_KEY_ROLE:
            return ItemKey(issue.task_code, issue.handle_item_code)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(issue.problems)
        if role != DISPLAY:
            return None
        return {
            COLUMN_NAME: issue.name,
            COLUMN_DEPT: issue.dept_name,
            COLUMN_PROBLEM_COUNT: str(len(issue.problems)),
            COLUMN_PROBLEMS: "；".join(issue.problems),
        }.get(index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY and section in _HEADERS:
            return QCoreApplication.translate("QualityModel", _HEADERS[section])
        return None
