"""目录 → 导入目录文件…: a catalog export from a USB stick for a station the hall
cannot reach — the same import as ``onewindow catalog import``, off the GUI thread.

A full snapshot that would delete more than a fifth of the catalog is most likely
the wrong file (one department's export, a test file); it is imported only after
the clerk confirms (the CLI asks for ``--allow-shrink``).  A refused file changes
nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ui.background import run_in_background
from ui.workstation import Workstation

log = logging.getLogger(__name__)


class CatalogFileImport(QObject):
    # ok, the message for the clerk (the import's summary, or why nothing changed)
    finished = Signal(bool, str)
    # the confirmation is open (tests answer it; the clerk clicks)
    confirmation_shown = Signal(object)

    def __init__(self, workstation: Workstation, parent_widget: QWidget | None = None):
        super().__init__(parent_widget)
        self.workstation = workstation
        self.parent_widget = parent_widget
        self.confirmation: QMessageBox | None = None

    def choose_and_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.parent_widget, self.tr("Import catalog file"), "",
            self.tr("Catalog files (*.json);;All files (*)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, allow_shrink: bool = False) -> None:
        def work():
            from app.catalog.importer import import_catalog_file

            return import_catalog_file(path, allow_shrink=allow_shrink)

        run_in_background(work, self._imported,
                          lambda exc: self._refused(path, exc))

    def _imported(self, report) -> None:
        self.workstation.notify_catalog_changed()

        def tidy():
            from app.catalog.importer import tidy_catalog_cache

            tidy_catalog_cache()

        run_in_background(tidy, None, lambda exc: log.warning("catalog tidy failed: %s", exc))
        self.finished.emit(True, report.summary())

    def _refused(self, path: Path, exc: BaseException) -> None:
        from app.catalog.format import CatalogImportError
        from app.catalog.importer import CatalogShrinkRefused

        if isinstance(exc, CatalogShrinkRefused):
            self._confirm_shrink(path, exc)
            return
        if not isinstance(exc, CatalogImportError):
            log.error("catalog file import failed", exc_info=exc)
        self.finished.emit(False, str(exc))

    def _confirm_shrink(self, path: Path, refusal) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Import catalog file"),
                          refusal.question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.parent_widget)
        box.setDefaultButton(QMessageBox.StandardButton.No)  # Enter keeps the catalog

        def answered(_result: int) -> None:
            self.confirmation = None
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.import_file(path, allow_shrink=True)
            else:
                self.finished.emit(False, self.tr("Not imported; the catalog is unchanged."))

        box.finished.connect(answered)
        self.confirmation = box
        box.open()
        self.confirmation_shown.emit(box)
