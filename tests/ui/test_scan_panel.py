"""ScanPanel with the real SANE test device: scan, edit, import, drop, size limit."""

from __future__ import annotations

import os

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from app.scanning.interface import ScanSource
from app.scanning.sane_scanner import SaneScanner
from app.settings import Settings
from ui.background import wait_for_background
from ui.scan_panel import ScanPanel

WAIT_MS = 20_000


def _panel(qtbot, store, **settings) -> ScanPanel:
    panel = ScanPanel(store.blobs, Settings(**{"scan_dpi": 75, **settings}))
    qtbot.addWidget(panel, before_close_func=_settle)
    panel.resize(1100, 260)
    panel.show()
    panel.activateWindow()  # shortcuts reach only the active window
    qtbot.waitUntil(panel.isActiveWindow)
    return panel


def _settle(panel: ScanPanel) -> None:
    """Let the panel's pending work finish inside its own test."""
    panel._size_timer.stop()
    wait_for_background()
    QApplication.processEvents()
    wait_for_background()


def _previews_drawn(panel: ScanPanel) -> bool:
    return not panel.model.missing_previews()


def test_scan_rotate_delete_and_screenshot(qtbot, store, sane_test_device, artifacts, chinese_ui):
    panel = _panel(qtbot, store, scan_device=sane_test_device)
    changes: list[list[dict]] = []
    panel.pagesChanged.connect(changes.append)
    panel.source_box.setCurrentIndex(panel.source_box.findData(ScanSource.ADF))

    panel.strip.setFocus()
    qtbot.keyClick(panel.strip, Qt.Key.Key_F9)  # the scan shortcut
    qtbot.waitUntil(lambda: len(panel.page_set) == 10 and not panel._busy, timeout=WAIT_MS)
    # Every page was announced as it arrived, so a draft could save it at once.
    assert [len(pages) for pages in changes] == list(range(1, 11))
    assert all(store.blobs.has(page["digest"]) for page in changes[-1])

    # The test device feeds identical sheets, so pages are told apart by their turn.
    ctrl = Qt.KeyboardModifier.ControlModifier
    panel.select_row(0)
    qtbot.keyClick(panel.strip, Qt.Key.Key_R, ctrl)
    panel.select_row(2)
    qtbot.keyClick(panel.strip, Qt.Key.Key_R, ctrl)
    qtbot.keyClick(panel.strip, Qt.Key.Key_R, ctrl)
    assert [page["rotation"] for page in panel.pages()[:4]] == [90, 0, 180, 0]
    panel.select_row(1)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Delete)
    assert [page["rotation"] for page in panel.pages()[:3]] == [90, 180, 0]
    assert len(panel.pages()) == 9
    panel.select_row(0)
    qtbot.keyClick(panel.strip, Qt.Key.Key_Right, ctrl)
    assert [page["rotation"] for page in panel.pages()[:3]] == [180, 90, 0]
    assert panel.selected_row() == 1
    assert changes[-1] == panel.pages()

    with qtbot.waitSignal(panel.pdfSizeChanged, timeout=WAIT_MS) as sized:
        pass
    assert sized.args[0] > 0 and panel.size_problem() is None
    assert "9 页" in panel.summary.text()
    qtbot.waitUntil(lambda: _previews_drawn(panel), timeout=WAIT_MS)
    qtbot.wait(50)  # let the view repaint the arrived previews before grabbing
    path = artifacts / "scan_panel.png"
    assert panel.grab().save(str(path))
    wait_for_background()


def test_scanner_missing_shows_a_message_and_keeps_pages(qtbot, store, sane_test_device):
    panel = _panel(qtbot, store, scan_device=sane_test_device)
    panel.scan()
    qtbot.waitUntil(lambda: len(panel.page_set) == 1 and not panel._busy, timeout=WAIT_MS)
    panel.device = "test:99"  # unplugged
    with qtbot.waitSignal(panel.problem, timeout=WAIT_MS) as problem:
        panel.scan()
    assert "找不到扫描仪 test:99" in problem.args[0]
    assert panel.message.isVisible()
    assert len(panel.page_set) == 1
    assert panel.scan_action.isEnabled()
    wait_for_background()


def test_dropped_files_import_and_bad_ones_are_explained(qtbot, store, tmp_path, artifacts,
                                                         chinese_ui):
    Image.new("L", (300, 420), 200).save(tmp_path / "id-card.png")
    (tmp_path / "licence.pdf").write_bytes(b"<!doctype html><title>Error</title>")
    (tmp_path / "empty.jpg").write_bytes(b"")
    panel = _panel(qtbot, store)
    mime = QMimeData()
    mime.setUrls(
        [
            QUrl.fromLocalFile(str(tmp_path / name))
            for name in ("licence.pdf", "id-card.png", "empty.jpg")
        ]
    )
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(panel.problem, timeout=WAIT_MS) as problem:
        panel.dropEvent(drop)
    assert len(panel.page_set) == 1
    assert "licence.pdf" in problem.args[0] and "网页 (HTML)" in problem.args[0]
    assert "empty.jpg" in problem.args[0] and "0 字节" in problem.args[0]
    qtbot.waitUntil(lambda: _previews_drawn(panel) and bool(panel.pdf_size), timeout=WAIT_MS)
    assert "1 页 · PDF" in panel.summary.text()
    assert panel.grab().save(str(artifacts / "scan_panel_bad_files.png"))
    wait_for_background()


def test_over_the_size_limit_is_flagged(qtbot, store, tmp_path, make_document_page, artifacts,
                                        chinese_ui):
    make_document_page(1, dpi=150).save(tmp_path / "page.png", dpi=(150, 150))
    panel = _panel(qtbot, store, material_size_limit_mb=0.05)
    with qtbot.waitSignal(panel.pdfSizeChanged, timeout=WAIT_MS):
        panel.import_files([tmp_path / "page.png"])
    assert "超过上限 0.05 MB" in panel.size_problem()
    assert "上限 0.05 MB" in panel.summary.text()
    assert "bold" in panel.summary.styleSheet()
    assert panel.summary.toolTip() == panel.size_problem()
    qtbot.waitUntil(lambda: _previews_drawn(panel), timeout=WAIT_MS)
    assert panel.grab().save(str(artifacts / "scan_panel_over_limit.png"))
    wait_for_background()


class _FeederThatDropsOff(SaneScanner):
    """The real SANE test device, switched to I/O errors after ``sheets`` pages.

    Flipping the backend's own fault option is how the `test` backend is
    meant to exercise a frontend; nothing here stands in for SANE.
    """

    def __init__(self, sheets: int):
        self.sheets = sheets

    def scan(self, device, options):
        job = super().scan(device, options)
        for count, page in enumerate(job, start=1):
            yield page
            if count == self.sheets:
                job.device.read_return_value = "SANE_STATUS_IO_ERROR"


def test_scanner_dropping_off_mid_batch_keeps_the_pages(qtbot, store, sane_test_device):
    panel = _panel(qtbot, store, scan_device=sane_test_device)
    panel.scanner = _FeederThatDropsOff(sheets=3)
    panel.source_box.setCurrentIndex(panel.source_box.findData(ScanSource.ADF))
    with qtbot.waitSignal(panel.problem, timeout=WAIT_MS) as problem:
        panel.scan()
    assert "已扫描的 3 页已保留" in problem.args[0]
    assert len(panel.page_set) == 3
    assert all(store.blobs.verify(page["digest"]) for page in panel.pages())
    assert panel.message.text() == problem.args[0]


def test_watched_folder_files_arrive_while_the_panel_is_shown(qtbot, store, tmp_path):
    share = tmp_path / "share"
    share.mkdir()
    scan = share / "scan0001.png"
    Image.new("L", (300, 420), 180).save(scan)
    stamp = scan.stat().st_mtime - 60  # finished writing a minute ago
    os.utime(scan, (stamp, stamp))
    panel = _panel(qtbot, store, watch_folder=str(share))
    assert panel._watch_timer.isActive()
    panel.collect_watched_folder()
    qtbot.waitUntil(lambda: len(panel.page_set) == 1 and not panel._busy, timeout=WAIT_MS)
    assert (share / "done" / "scan0001.png").exists() and not scan.exists()
    panel.hide()
    assert not panel._watch_timer.isActive()


def test_pages_of_a_batch_stay_with_the_material_it_started_for(qtbot, store, tmp_path):
    Image.new("L", (300, 420), 90).save(tmp_path / "for-a.png")
    panel = _panel(qtbot, store)
    panel.set_pages([], owner="material A")
    shown_changes, busy = [], []
    panel.pagesChanged.connect(shown_changes.append)
    panel.busyChanged.connect(busy.append)
    with qtbot.waitSignal(panel.pagesChangedFor, timeout=WAIT_MS) as landed:
        panel.import_files([tmp_path / "for-a.png"])
        panel.set_pages([], owner="material B")  # the clerk moves on at once
    owner, pages = landed.args
    assert owner == "material A" and len(pages) == 1
    assert len(panel.page_set) == 0 and shown_changes == []
    qtbot.waitUntil(lambda: busy == [True, False], timeout=WAIT_MS)


def test_a_size_worked_out_for_other_pages_is_never_shown(
    qtbot, store, tmp_path, make_document_page
):
    make_document_page(1, dpi=100).save(tmp_path / "big.png", dpi=(100, 100))
    Image.new("L", (100, 140), 255).save(tmp_path / "small.png")
    panel = _panel(qtbot, store)
    sizes: list[int] = []
    panel.pdfSizeChanged.connect(sizes.append)
    panel.import_files([tmp_path / "big.png"])
    qtbot.waitUntil(lambda: len(panel.page_set) == 1 and not panel._busy, timeout=WAIT_MS)
    big_pages = panel.pages()
    panel._refresh_size()  # assemble the big page now …
    panel.set_pages([], owner="another material")  # … and switch before it lands
    panel.import_files([tmp_path / "small.png"])
    qtbot.waitUntil(lambda: len(panel.page_set) == 1 and not panel._busy, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(panel.pdf_size), timeout=WAIT_MS)  # the small page's
    wait_for_background()
    QApplication.processEvents()
    assert big_pages != panel.pages()
    assert panel.pdf_size < 20_000  # the blank page's PDF, not the text page's
    assert all(size < 20_000 for size in sizes)


def test_rescan_replaces_the_selected_page(qtbot, store, sane_test_device):
    panel = _panel(qtbot, store, scan_device=sane_test_device)
    for count in (1, 2):
        panel.scan()
        qtbot.waitUntil(
            lambda n=count: len(panel.page_set) == n and not panel._busy, timeout=WAIT_MS
        )
    panel.select_row(0)
    panel.rotate_selected()  # marks the page that is about to be replaced
    assert [page["rotation"] for page in panel.pages()] == [90, 0]
    panel.strip.setFocus()
    qtbot.keyClick(panel.strip, Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: panel.pages()[0]["rotation"] == 0 and not panel._busy, timeout=WAIT_MS)
    assert len(panel.pages()) == 2 and panel.selected_row() == 0
