"""The thumbnail model, without a view: rows, labels, and previews turned by rotation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from app.scanning.pages import PDF, Page
from ui.scan_pages_model import PAGE_ROLE, PageThumbnailsModel, preview_key

DECORATION = Qt.ItemDataRole.DecorationRole


def _portrait_preview() -> QImage:
    image = QImage(70, 100, QImage.Format.Format_RGB888)
    image.fill(QColor("white"))
    return image


def test_rows_labels_and_tooltips(qapp):
    pages = [Page("a" * 64), Page("b" * 64, PDF, rotation=90, pdf_index=2)]
    model = PageThumbnailsModel(icon_px=100)
    model.set_pages(pages)
    assert model.rowCount() == 2
    assert model.data(model.index(1), PAGE_ROLE) == pages[1]
    assert model.data(model.index(0)) == "Page 1"
    assert model.data(model.index(1), Qt.ItemDataRole.ToolTipRole) == "from a PDF file, turned 90°"
    assert model.data(model.index(0), Qt.ItemDataRole.ToolTipRole) == "scanned image"


def test_previews_are_requested_once_and_turned_with_the_page(qapp):
    upright, turned = Page("c" * 64), Page("c" * 64, rotation=90)
    model = PageThumbnailsModel(icon_px=100)
    model.set_pages([upright, turned])
    assert model.missing_previews() == [upright]  # one preview serves both
    blank = model.data(model.index(0), DECORATION)
    assert blank.height() == 100 and blank.width() < 100  # an empty portrait sheet

    changed = []
    model.dataChanged.connect(lambda *args: changed.append(args))
    model.add_previews({preview_key(upright): _portrait_preview()})
    assert changed and not model.missing_previews()
    assert model.data(model.index(0), DECORATION).size().toTuple() == (70, 100)
    assert model.data(model.index(1), DECORATION).size().toTuple() == (100, 70)


def test_an_arriving_page_is_inserted_not_a_rebuild(qapp):
    model = PageThumbnailsModel()
    model.set_pages([Page("d" * 64)])
    events = []
    model.rowsInserted.connect(lambda *args: events.append("inserted"))
    model.modelReset.connect(lambda: events.append("reset"))
    model.dataChanged.connect(lambda *args: events.append("changed"))
    model.set_pages([Page("d" * 64), Page("e" * 64)])  # a scan arrives
    model.set_pages([Page("e" * 64), Page("d" * 64)])  # reordered
    model.set_pages([Page("e" * 64)])  # deleted
    assert events == ["inserted", "changed", "reset"]
    assert model.rowCount() == 1
