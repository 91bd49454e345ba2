"""Table model of catalog search hits (``app.catalog.search.SearchHit``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from app.catalog.item_key import ItemKey, handle_item_label
from ui.row_list_model import RowListModel

COLUMN_NAME = 0
COLUMN_CATALOG_CODE = 1
COLUMN_DEPT = 2
COLUMN_MATCH = 3
COLUMN_COUNT = 4

TASK_CODE_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # app.catalog.item_key.ItemKey
DISPLAY = Qt.ItemDataRole.DisplayRole

_HEADERS = {
    COLUMN_NAME: QT_TRANSLATE_NOOP("CatalogHitsModel", "Item"),
    COLUMN_CATALOG_CODE: QT_TRANSLATE_NOOP("CatalogHitsModel", "Catalog code"),
    COLUMN_DEPT: QT_TRANSLATE_NOOP("CatalogHitsModel", "Department"),
    COLUMN_MATCH: QT_TRANSLATE_NOOP("CatalogHitsModel", "Match"),
}

# How the hit matched (SearchHit.match_kind) in words the clerk understands.
_MATCH_KINDS = {
    "code": QT_TRANSLATE_NOOP("CatalogHitsModel", "code"),
    "code_prefix": QT_TRANSLATE_NOOP("CatalogHitsModel", "code prefix"),
    "name_prefix": QT_TRANSLATE_NOOP("CatalogHitsModel", "name"),
    "pinyin_prefix": QT_TRANSLATE_NOOP("CatalogHitsModel", "pinyin"),
    "pinyin_substring": QT_TRANSLATE_NOOP("CatalogHitsModel", "pinyin"),
    "substring": QT_TRANSLATE_NOOP("CatalogHitsModel", "name"),
    "code_part": QT_TRANSLATE_NOOP("CatalogHitsModel", "part of a code"),
    "synonym": QT_TRANSLATE_NOOP("CatalogHitsModel", "common word"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogHitsModel", text)


def describe_match(kind: str) -> str:
    return _tr(_MATCH_KINDS.get(kind, kind))


def hit_label(hit) -> str:
    """An item's name; a 业务办理项 as "item › 办理项", listed with its siblings."""
    if hit.handle_item_code is None:
        return hit.name
    label = handle_item_label(hit.name, hit.handle_item_name) or hit.handle_item_code
    return f"{hit.name} › {label}"


class CatalogHitsModel(RowListModel):
    column_count = COLUMN_COUNT

    def set_hits(self, hits: Sequence) -> None:
        self.set_rows(hits)

    def hit_at(self, row: int):
        return self.row_at(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = DISPLAY) -> Any:
        hit = self.row_for(index)
        if hit is None:
            return None
        if role == TASK_CODE_ROLE:
            return hit.task_code
        if role == ITEM_KEY_ROLE:
            return ItemKey(hit.task_code, hit.handle_item_code)
        if role == Qt.ItemDataRole.ToolTipRole:
            codes = [hit.task_code, hit.handle_item_code] if hit.handle_item_code else \
                [hit.task_code]
            return "\n".join([hit.display_name, *codes])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == COLUMN_NAME:
            return hit_label(hit)
        if column == COLUMN_CATALOG_CODE:
            return hit.catalog_code
        if column == COLUMN_DEPT:
            return hit.dept_name
        if column == COLUMN_MATCH:
            return describe_match(hit.match_kind)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(_HEADERS.get(section, ""))
        return None
