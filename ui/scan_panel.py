"""Scan panel: a material's pages as a thumbnail strip, with scan, import and edit actions.

Everything that touches pixels or the disk — scanning, storing pages,
previews, assembling the PDF to show its size, polling the watched folder —
runs through ``run_in_background``.  Pages reach the panel one by one as
they are stored, so the draft holds every page scanned before a scanner
fails or the station loses power.  Editing (move, rotate, delete) only
changes the page list and is instant.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.scanning.file_import import IMPORT_PATTERNS, FileImporter
from app.scanning.interface import ColourMode, Scanner, ScannerError, ScanOptions, ScanSource
from app.scanning.pages import (
    Page,
    PageSet,
    assemble_pdf,
    check_size,
    format_limit,
    store_page,
)
from app.scanning.thumbnails import thumbnail
from app.scanning.watched_folder import WatchedFolder
from app.settings import Settings
from ui.background import Liveness, run_in_background
from ui.scan_pages_model import PAGE_ROLE, PageThumbnailsModel, preview_key

if TYPE_CHECKING:
    from app.composition import BlobStore

log = logging.getLogger(__name__)

ICON_PX = 120
# The strip's height while a material has no pages yet: still there to take
# focus and shortcuts, without taking the checklist's room.
EMPTY_STRIP_PX = 36
SIZE_REFRESH_DELAY_MS = 300  # coalesce quick edits into one PDF assembly
# The watched folder is polled, not watched by QFileSystemWatcher: it is often a
# scanner's network share (no change notifications over SMB), and a file counts as
# complete only once its size held for a while (app.scanning.watched_folder), which
# needs a second look later whatever the notifications say.
WATCH_POLL_MS = 2000
MB = 1024 * 1024


class _PageRelay(QObject):
    """Carries each stored page from a worker to the GUI thread (queued signal)."""

    stored = Signal(object, object)  # Page, the _Batch it belongs to


@dataclass(frozen=True)
class _Batch:
    """Where a batch's pages go: the page set shown when it started, even if the
    clerk has moved on to another material meanwhile."""

    target: PageSet
    owner: object
    replacing: Page | None = None  # a rescan replaces this page


class ScanPanel(QWidget):
    # The material's pages as ``Page.to_json()`` dicts, after every change.
    pagesChanged = Signal(list)
    # Bytes of the assembled PDF for the current pages (0 when there are none).
    pdfSizeChanged = Signal(int)
    # A message for the clerk (errors from scanners and files), already shown here.
    problem = Signal(str)
    # Pages that landed for a material no longer shown (``owner`` as given to
    # set_pages, then its pages as dicts): the batch started before the switch.
    pagesChangedFor = Signal(object, list)
    # A scan, import or folder collection started (True) or ended (False).
    busyChanged = Signal(bool)

    def __init__(
        self,
        blobs: BlobStore,
        settings: Settings,
        scanner: Scanner | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.blobs = blobs
        self.settings = settings
        self.scanner = scanner if scanner is not None else _default_scanner()
        self.importer = FileImporter(settings.import_file_limit_mb)
        self.size_limit_bytes = settings.material_size_limit_bytes
        self.device: str = settings.scan_device
        self.watched = (
            WatchedFolder(Path(settings.watch_folder), self.importer)
            if settings.watch_folder
            else None
        )
        self.page_set = PageSet()
        self.owner: object = None
        self.pdf_size: int | None = None
        self._busy = False
        self._assembling = False
        self._assembly_stale = False
        self._size_version = 0
        self._previews_pending: set[tuple[str, int]] = set()
        self._relay = _PageRelay(self)
        self._relay.stored.connect(self._page_stored)

        self.model = PageThumbnailsModel(self, ICON_PX)
        self.strip = self._make_strip()
        self.source_box = QComboBox()
        self.source_box.setObjectName("scanSource")
        self.source_box.addItem(self.tr("Flatbed"), ScanSource.FLATBED)
        self.source_box.addItem(self.tr("Document feeder"), ScanSource.ADF)
        self.colour_box = QCheckBox(self.tr("Colour"))
        self.colour_box.setObjectName("scanColour")
        self.colour_box.setChecked(settings.scan_colour)
        self.colour_box.toggled.connect(lambda _on: self._schedule_size_refresh())
        self.summary = QLabel()
        self.summary.setObjectName("scanSummary")
        self._live = Liveness(self, self.summary, self.model)
        self.message = QLabel()
        self.message.setObjectName("scanMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self.scan_action = self._action(self.tr("Scan"), "F9", self.scan, "scanAction")
        self.import_action = self._action(
            self.tr("Import files…"), "Ctrl+O", self.choose_files, "importAction"
        )
        self.left_action = self._action(
            self.tr("Move left"), "Ctrl+Left", lambda: self.move_selected(-1), "moveLeftAction"
        )
        self.right_action = self._action(
            self.tr("Move right"), "Ctrl+Right", lambda: self.move_selected(1), "moveRightAction"
        )
        self.rotate_action = self._action(
            self.tr("Rotate"), "Ctrl+R", self.rotate_selected, "rotateAction"
        )
        self.delete_action = self._action(
            self.tr("Delete page"),
            QKeySequence.StandardKey.Delete,
            self.delete_selected,
            "deleteAction",
        )
        self.rescan_action = self._action(
            self.tr("Rescan page"), "Ctrl+F9", self.rescan_selected, "rescanAction"
        )

        buttons = QHBoxLayout()
        buttons.addWidget(self.source_box)
        buttons.addWidget(self.colour_box)
        for action in (
            self.scan_action,
            self.import_action,
            self.left_action,
            self.right_action,
            self.rotate_action,
            self.delete_action,
            self.rescan_action,
        ):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.strip)
        layout.addWidget(self.message)

        self.setAcceptDrops(True)
        self._size_timer = QTimer(self, singleShot=True, interval=SIZE_REFRESH_DELAY_MS)
        self._size_timer.timeout.connect(self._refresh_size)
        self._watch_timer = QTimer(self, interval=WATCH_POLL_MS)
        self._watch_timer.timeout.connect(self.collect_watched_folder)
        self._update_actions()
        self._update_summary()

    # -- the page list ---------------------------------------------------------------
    def set_pages(self, pages: Iterable[dict], owner: object = None) -> None:
        """Show a material's pages (from its draft); emits nothing.

        ``owner`` (the material, say) comes back with ``pagesChangedFor`` when a
        batch started for it lands after another material is shown.
        """
        self.page_set = PageSet.from_json(pages)
        self.owner = owner
        self.pdf_size = None
        self._show_pages(select=0, notify=False)

    def pages(self) -> list[dict]:
        return self.page_set.to_json()

    def selected_row(self) -> int | None:
        rows = self.strip.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.strip.setCurrentIndex(self.model.index(row))

    def move_selected(self, step: int) -> None:
        row = self.selected_row()
        if row is None or not 0 <= row + step < len(self.page_set):
            return
        self.page_set.move(row, row + step)
        self._show_pages(select=row + step)

    def rotate_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.page_set.rotate(row)
            self._show_pages(select=row)

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.page_set.delete(row)
            self._show_pages(select=min(row, len(self.page_set) - 1))

    # -- getting pages in -------------------------------------------------------------
    def options(self) -> ScanOptions:
        return ScanOptions(
            source=ScanSource(self.source_box.currentData()),
            dpi=self.settings.scan_dpi,
            colour=ColourMode.COLOUR if self.colour_box.isChecked() else ColourMode.GREY,
        )

    def scan(self) -> None:
        """Scan from the configured device; pages appear as they are stored."""
        options = self.options()  # read the widgets here, not on the worker
        self._start(lambda batch: self._scan_pages(options, batch))

    def rescan_selected(self) -> None:
        """Scan one sheet on the flatbed to replace the selected page."""
        row = self.selected_row()
        if row is None:
            return
        options = ScanOptions(ScanSource.FLATBED, self.settings.scan_dpi, self.options().colour)
        self._start(lambda batch: self._scan_pages(options, batch), replacing=self.page_set[row])

    def choose_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            self.tr("Import scanned files"),
            "",
            self.tr("Scans and PDF files (%1)").replace("%1", IMPORT_PATTERNS),
        )
        if paths:
            self.import_files([Path(path) for path in paths])

    def import_files(self, paths: list[Path]) -> None:
        self._start(lambda batch: self._import_pages(paths, batch))

    def collect_watched_folder(self) -> None:
        """Take complete files from the network scanners' share (polled while shown)."""
        if self.watched is None or self._busy:
            return
        self._start(self._watched_pages, quiet=True)

    def _start(
        self,
        work: Callable[[_Batch], list[str]],
        replacing: Page | None = None,
        quiet: bool = False,
    ) -> None:
        if self._busy:
            return
        self._set_busy(True)
        if not quiet:
            self._show_message("")
        batch = _Batch(self.page_set, self.owner, replacing)
        run_in_background(lambda: work(batch), self._live.guard(self._work_done),
                          self._live.guard(self._work_failed))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()
        self.busyChanged.emit(busy)

    # Workers: run on a pool thread; hand each stored page over at once.
    def _scan_pages(self, options: ScanOptions, batch: _Batch) -> list[str]:
        device = self.device or self._discover_device()
        job = self.scanner.scan(device, options)
        for page in job:
            self._relay.stored.emit(store_page(self.blobs, page), batch)
            if batch.replacing is not None:  # a rescan takes one sheet
                close = getattr(job, "close", None)
                if close is not None:
                    close()
                break
        return []

    def _discover_device(self) -> str:
        devices = self.scanner.list_devices()
        if not devices:
            raise ScannerError("未发现扫描仪：请检查连接与电源，或改用导入文件、共享文件夹")
        self.device = devices[0].name
        return self.device

    def _import_pages(self, paths: list[Path], batch: _Batch) -> list[str]:
        problems = []
        for path in paths:
            try:
                pages = self.importer.read(path)
            except ScannerError as refusal:
                problems.append(str(refusal))
                continue
            for page in pages:
                self._relay.stored.emit(store_page(self.blobs, page), batch)
        return problems

    def _watched_pages(self, batch: _Batch) -> list[str]:
        before = len(self.watched.refusals)
        try:
            for page in self.watched.scan():
                self._relay.stored.emit(store_page(self.blobs, page), batch)
        except ScannerError as problem:
            return [str(problem)]
        return [str(refusal) for refusal in self.watched.refusals[before:]]

    def _page_stored(self, page: Page, batch: _Batch) -> None:
        target = batch.target
        row = None
        if batch.replacing is not None and batch.replacing in target.pages:
            row = target.pages.index(batch.replacing)
            target.replace(row, page)
        else:  # a new page, or the page to replace was deleted meanwhile: keep the sheet
            target.append(page)
            row = len(target) - 1
        if target is self.page_set:
            self._show_pages(select=row)
        else:  # the clerk moved to another material while this batch ran
            self.pagesChangedFor.emit(batch.owner, target.to_json())

    def _work_done(self, problems: list[str]) -> None:
        self._set_busy(False)
        if problems:
            self._show_message("\n".join(problems))

    def _work_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ScannerError):
            self._show_message(str(exc))
        else:
            log.error("scan panel work failed", exc_info=exc)
            self._show_message(self.tr("Scanning failed: %1").replace("%1", repr(exc)))

    # -- drag and drop ---------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # -- watched folder runs only while the clerk can see the panel -------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.watched is not None:
            self._watch_timer.start()

    def hideEvent(self, event) -> None:
        self._watch_timer.stop()
        super().hideEvent(event)

    # -- display -----------------------------------------------------------------------
    def _show_pages(self, select: int | None = None, notify: bool = True) -> None:
        self.model.set_pages(self.page_set.pages)
        self._fit_strip()
        if select is not None and select >= 0:
            self.select_row(select)
        self._request_previews()
        self._update_actions()
        self._update_summary()
        self._schedule_size_refresh()
        if notify:
            self.pagesChanged.emit(self.page_set.to_json())

    def _fit_strip(self) -> None:
        """Thumbnail height only while there are pages: an empty strip of 170 px
        pushed the checklist's last rows off a 1366×768 screen."""
        has_pages = self.model.rowCount() > 0
        self.strip.setFixedHeight(ICON_PX + 48 if has_pages else EMPTY_STRIP_PX)

    def _request_previews(self) -> None:
        wanted = [
            page
            for page in self.model.missing_previews()
            if preview_key(page) not in self._previews_pending
        ]
        if not wanted:
            return
        self._previews_pending.update(preview_key(page) for page in wanted)
        blobs = self.blobs

        def draw() -> dict:
            return {
                preview_key(page): _to_qimage(thumbnail(blobs, page, ICON_PX)) for page in wanted
            }

        def drawn(previews: dict) -> None:
            self._previews_pending.difference_update(previews)
            self.model.add_previews(previews)

        def failed(exc: BaseException) -> None:
            self._previews_pending.difference_update(preview_key(page) for page in wanted)
            log.warning("page previews failed", exc_info=exc)

        run_in_background(draw, self._live.guard(drawn), self._live.guard(failed))

    def _schedule_size_refresh(self) -> None:
        # Every reason to re-assemble (pages, order, turns, colour) makes older
        # sizes stale, even one whose assembly is still running.
        self._size_version += 1
        self._size_timer.start()

    def _refresh_size(self) -> None:
        if self._assembling:
            self._assembly_stale = True
            return
        pages = self.page_set.pages
        if not pages:
            self._size_known(0)
            return
        self._assembling = True
        blobs, colour = self.blobs, self.colour_box.isChecked()
        dpi, version = self.settings.scan_dpi, self._size_version
        run_in_background(
            lambda: (version, len(assemble_pdf(blobs, pages, dpi, colour))),
            self._live.guard(self._assembled),
            self._live.guard(self._assembly_failed),
        )

    def _assembled(self, result: tuple[int, int]) -> None:
        version, size = result
        self._assembling = False
        if self._assembly_stale:  # changed while this ran, and the timer has fired
            self._assembly_stale = False
            self._refresh_size()
        elif version == self._size_version:
            self._size_known(size)
        # else: changed while this ran; the pending timer assembles again

    def _assembly_failed(self, exc: BaseException) -> None:
        self._assembling = False
        log.error("assembling the material PDF failed", exc_info=exc)
        self._show_message(self.tr("The PDF could not be made: %1").replace("%1", str(exc)))

    def _size_known(self, size: int) -> None:
        self.pdf_size = size
        self._update_summary()
        self.pdfSizeChanged.emit(size)

    def size_problem(self) -> str | None:
        """The over-limit message for the current pages, once their size is known."""
        if self.pdf_size is None:
            return None
        return check_size(self.pdf_size, self.size_limit_bytes)

    def _update_summary(self) -> None:
        count = len(self.page_set)
        limit = format_limit(self.size_limit_bytes)
        if not count:
            text = self.tr("No pages · limit %1").replace("%1", limit)
        elif self.pdf_size is None:
            text = self.tr("%1 pages · PDF size being calculated · limit %2")
            text = text.replace("%1", str(count)).replace("%2", limit)
        else:
            text = self.tr("%1 pages · PDF %2 MB of %3").replace("%1", str(count))
            text = text.replace("%2", f"{self.pdf_size / MB:.2f}").replace("%3", limit)
        self.summary.setText(text)
        over = self.size_problem()
        self.summary.setStyleSheet("color: #b00020; font-weight: bold;" if over else "")
        self.summary.setToolTip(over or "")

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            self.problem.emit(text)

    def _update_actions(self) -> None:
        has_selection = self.selected_row() is not None
        self.scan_action.setEnabled(not self._busy)
        self.import_action.setEnabled(not self._busy)
        self.rescan_action.setEnabled(not self._busy and has_selection)
        for action in (self.left_action, self.right_action, self.rotate_action, self.delete_action):
            action.setEnabled(has_selection)

    def _make_strip(self) -> QListView:
        strip = QListView()
        strip.setObjectName("pageStrip")
        strip.setModel(self.model)
        strip.setViewMode(QListView.ViewMode.IconMode)
        strip.setFlow(QListView.Flow.LeftToRight)
        strip.setWrapping(False)
        strip.setMovement(QListView.Movement.Static)
        strip.setResizeMode(QListView.ResizeMode.Adjust)
        strip.setIconSize(QSize(ICON_PX, ICON_PX))
        strip.setGridSize(QSize(ICON_PX + 24, ICON_PX + 36))
        strip.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        strip.setFixedHeight(EMPTY_STRIP_PX)  # grows with the first page (_fit_strip)
        strip.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        strip.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        strip.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        return strip

    def _action(self, text: str, shortcut, slot, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text} ({keys})")
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def current_page(self) -> Page | None:
        row = self.selected_row()
        return None if row is None else self.model.data(self.model.index(row), PAGE_ROLE)


def _default_scanner() -> Scanner:
    from app.scanning.sane_scanner import SaneScanner

    return SaneScanner()


def _to_qimage(image) -> QImage:
    """An RGB PIL image as a QImage that owns its pixels (safe to hand across threads)."""
    data = image.tobytes()
    return QImage(
        data, image.width, image.height, 3 * image.width, QImage.Format.Format_RGB888
    ).copy()
