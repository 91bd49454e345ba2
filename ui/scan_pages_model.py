"""The thumbnail strip's model: one row per page of a material, in order.

Previews arrive from the background as upright ``QImage``s keyed by what
they show (blob digest and PDF page); the model turns them by each page's
rotation when asked, so rotating or reordering never waits for a preview.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QPixmap, QTransform

from app.scanning.pages import PDF, Page

PAGE_ROLE = Qt.ItemDataRole.UserRole + 1


def preview_key(page: Page) -> tuple[str, int]:
    return page.digest, page.pdf_index


class PageThumbnailsModel(QAbstractListModel):
    def __init__(self, parent=None, icon_px: int = 120):
        super().__init__(parent)
        self.icon_px = icon_px
        self._pages: list[Page] = []
        self._previews: dict[tuple[str, int], QImage] = {}
        self._pixmaps: dict[tuple[str, int, int], QPixmap] = {}
        self._blank: QPixmap | None = None

    # -- contents ------------------------------------------------------------------
    def set_pages(self, pages: list[Page]) -> None:
        """Show ``pages``; a page added at the end (a scan arriving) or an edit that
        keeps the count updates the view in place instead of rebuilding it."""
        pages = list(pages)
        old = self._pages
        if len(pages) == len(old) + 1 and pages[:-1] == old:
            self.beginInsertRows(QModelIndex(), len(old), len(old))
            self._pages = pages
            self.endInsertRows()
        elif len(pages) == len(old) and pages:
            self._pages = pages
            self.dataChanged.emit(self.index(0), self.index(len(pages) - 1))
        else:
            self.beginResetModel()
            self._pages = pages
            self.endResetModel()

    def pages(self) -> list[Page]:
        return list(self._pages)

    def missing_previews(self) -> list[Page]:
        seen: set[tuple[str, int]] = set()
        missing = []
        for page in self._pages:
            key = preview_key(page)
            if key not in self._previews and key not in seen:
                seen.add(key)
                missing.append(page)
        return missing

    def add_previews(self, previews: dict[tuple[str, int], QImage]) -> None:
        self._previews.update(previews)
        if self._pages:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._pages) - 1), [Qt.ItemDataRole.DecorationRole]
            )

    # -- Qt model ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._pages)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._pages):
            return None
        page = self._pages[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("Page %1").replace("%1", str(index.row() + 1))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._pixmap(page)
        if role == Qt.ItemDataRole.ToolTipRole:
            origin = self.tr("from a PDF file") if page.kind == PDF else self.tr("scanned image")
            turned = (
                self.tr(", turned %1°").replace("%1", str(page.rotation)) if page.rotation else ""
            )
            return f"{origin}{turned}"
        if role == PAGE_ROLE:
            return page
        return None

    def _pixmap(self, page: Page) -> QPixmap:
        key = (*preview_key(page), page.rotation)
        if key in self._pixmaps:
            return self._pixmaps[key]
        preview = self._previews.get(preview_key(page))
        if preview is None:  # still being drawn: a blank sheet of the right shape
            if self._blank is None:
                self._blank = QPixmap(round(self.icon_px * 0.707), self.icon_px)
                self._blank.fill(QColor("#eeeeee"))
            return self._blank
        if page.rotation:
            preview = preview.transformed(QTransform().rotate(page.rotation))
        pixmap = QPixmap.fromImage(preview)
        self._pixmaps[key] = pixmap
        return pixmap
