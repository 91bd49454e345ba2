"""SaneScanner against the real SANE `test` backend."""

from __future__ import annotations

import pytest

from app.scanning import ColourMode, Scanner, ScannerError, ScanOptions, ScanSource
from app.scanning.pages import PageSet, store_page
from app.scanning.sane_scanner import SaneScanner

LOW_DPI = 50


def test_lists_the_test_device(sane_test_device):
    scanner = SaneScanner()
    assert isinstance(scanner, Scanner)
    names = [device.name for device in scanner.list_devices()]
    assert sane_test_device in names


def test_flatbed_gives_one_grey_page_at_the_asked_resolution(sane_test_device):
    pages = list(SaneScanner().scan(sane_test_device, ScanOptions(dpi=100)))
    assert len(pages) == 1
    page = pages[0]
    assert page.mode == "L"
    assert page.info["dpi"] == (100, 100)
    # The test device's glass is 200 mm square; the scanner scans all of it.
    expected = round(200 / 25.4 * 100)
    assert abs(page.width - expected) <= 2 and abs(page.height - expected) <= 2


def test_colour_mode_gives_rgb(sane_test_device):
    options = ScanOptions(dpi=LOW_DPI, colour=ColourMode.COLOUR)
    (page,) = SaneScanner().scan(sane_test_device, options)
    assert page.mode == "RGB"
    assert len(page.getcolors(maxcolors=1 << 20)) > 2  # the colour pattern, not blank


def test_feeder_scans_every_sheet(sane_test_device):
    # The test backend's feeder holds ten sheets.
    pages = list(SaneScanner().scan(sane_test_device, ScanOptions(ScanSource.ADF, LOW_DPI)))
    assert len(pages) == 10
    assert all(page.size == pages[0].size for page in pages)


def test_scanner_vanishing_mid_batch_keeps_the_pages_so_far(sane_test_device, store):
    job = SaneScanner().scan(sane_test_device, ScanOptions(ScanSource.ADF, LOW_DPI))
    kept = PageSet()
    with pytest.raises(ScannerError) as raised:
        for page in job:
            kept.append(store_page(store.blobs, page))
            if len(kept) == 3:
                # The device drops off the bus: every further read fails with an I/O error.
                job.device.read_return_value = "SANE_STATUS_IO_ERROR"
    message = str(raised.value)
    assert "第 4 页" in message and "已扫描的 3 页已保留" in message and "断开" in message
    assert len(kept) == 3
    assert all(store.blobs.verify(digest) for digest in kept.digests())
    # The device is released: the next batch works.
    assert job.device is None


def test_paper_jam_is_explained(sane_test_device):
    job = SaneScanner().scan(sane_test_device, ScanOptions(ScanSource.ADF, LOW_DPI))
    next(job)
    job.device.read_return_value = "SANE_STATUS_JAMMED"
    with pytest.raises(ScannerError, match="卡纸"):
        next(job)


def test_unknown_device_says_so_in_chinese():
    with pytest.raises(ScannerError, match="找不到扫描仪 test:99"):
        list(SaneScanner().scan("test:99"))
