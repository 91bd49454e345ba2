"""WatchedFolder: only complete files are taken; done/ and rejected/ keep everything."""

from __future__ import annotations

import os

from PIL import Image

from app.scanning.pages import PdfPage
from app.scanning.watched_folder import WatchedFolder


class Clock:
    """A hand-driven clock so settle times are tested without sleeping."""

    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _scan_file(path, colour=100):
    Image.new("L", (50, 70), colour).save(path, "PNG")
    return path


def _age(path, seconds):
    stamp = path.stat().st_mtime - seconds
    os.utime(path, (stamp, stamp))


def test_a_file_is_taken_once_it_stops_changing(tmp_path):
    clock = Clock(tmp_path.stat().st_mtime + 0.5)
    folder = WatchedFolder(tmp_path, settle_s=30, clock=clock)
    scan = _scan_file(tmp_path / "scan0001.png")
    assert folder.poll() == []  # just appeared: maybe still being written
    assert folder.poll() == [scan]  # same size and time as last poll


def test_a_growing_file_is_not_taken(tmp_path):
    clock = Clock(tmp_path.stat().st_mtime + 0.5)
    folder = WatchedFolder(tmp_path, settle_s=30, clock=clock)
    growing = tmp_path / "big.pdf"
    growing.write_bytes(b"%PDF-1.7\n" + b"0" * 1000)
    assert folder.poll() == []
    with growing.open("ab") as fh:
        fh.write(b"1" * 1000)
    assert folder.poll() == []
    assert folder.poll() == [growing]


def test_an_old_file_is_taken_at_once_and_temp_names_never(tmp_path):
    folder = WatchedFolder(tmp_path, settle_s=2)
    old = _scan_file(tmp_path / "old.png")
    _age(old, 60)
    for partial in ("x.png.part", ".hidden.png", "~$lock.png", "y.tmp"):
        _age(_scan_file(tmp_path / partial), 60)
    assert folder.poll() == [old]


def test_taken_files_move_to_done_and_bad_ones_to_rejected(tmp_path):
    folder = WatchedFolder(tmp_path, settle_s=2)
    first = _scan_file(tmp_path / "a.png", 10)
    second = tmp_path / "b.pdf"
    second.write_bytes(b"<html>scanner web page</html>")
    third = _scan_file(tmp_path / "c.png", 30)
    for index, path in enumerate((first, second, third)):
        _age(path, 60 - index)  # oldest first

    pages = list(folder.scan())

    assert [page.getpixel((0, 0)) for page in pages] == [10, 30]
    assert sorted(p.name for p in (tmp_path / "done").iterdir()) == ["a.png", "c.png"]
    assert [p.name for p in (tmp_path / "rejected").iterdir()] == ["b.pdf"]
    assert "网页 (HTML)" in str(folder.refusals[0])
    assert folder.poll() == []


def test_a_reused_scanner_file_name_does_not_overwrite_done(tmp_path):
    folder = WatchedFolder(tmp_path, settle_s=0)
    _scan_file(tmp_path / "scan.png", 1)
    assert len(list(folder.scan())) == 1
    _scan_file(tmp_path / "scan.png", 2)
    assert len(list(folder.scan())) == 1
    kept = sorted((tmp_path / "done").iterdir())
    assert len(kept) == 2
    assert {Image.open(p).getpixel((0, 0)) for p in kept} == {1, 2}


def test_pdfs_from_the_share_stay_pdf(tmp_path):
    import img2pdf

    folder = WatchedFolder(tmp_path, settle_s=0)
    _scan_file(tmp_path / "page.png")
    (tmp_path / "doc.pdf").write_bytes(img2pdf.convert(str(tmp_path / "page.png")))
    (tmp_path / "page.png").unlink()
    (page,) = folder.scan()
    assert isinstance(page, PdfPage)


def test_a_missing_share_yields_nothing(tmp_path):
    assert WatchedFolder(tmp_path / "not-mounted").poll() == []


def test_a_file_that_cannot_be_moved_away_is_not_taken_twice(tmp_path):
    import pytest

    from app.scanning import ScannerError

    folder = WatchedFolder(tmp_path, settle_s=0)
    (tmp_path / "done").symlink_to(tmp_path / "unmounted")  # done/ cannot be made
    _scan_file(tmp_path / "scan.png")
    pages = []
    with pytest.raises(ScannerError, match="无法移入 done 文件夹"):
        for page in folder.scan():
            pages.append(page)
    assert len(pages) == 1  # the clerk has the page …
    assert list(folder.scan()) == []  # … and does not get it again
    assert len(list((tmp_path / "processing").glob("*/scan.png"))) == 1  # nothing deleted


def test_every_page_source_implements_the_scanner_interface(tmp_path):
    from app.scanning import Scanner
    from app.scanning.file_import import FileImporter
    from app.scanning.sane_scanner import SaneScanner

    for source in (SaneScanner(), FileImporter(), WatchedFolder(tmp_path)):
        assert isinstance(source, Scanner)
    assert WatchedFolder(tmp_path).list_devices()[0].kind == "folder"


def test_two_stations_on_one_share_never_both_take_a_file(tmp_path):
    first = WatchedFolder(tmp_path, settle_s=0)
    second = WatchedFolder(tmp_path, settle_s=0)
    _scan_file(tmp_path / "scan.png")
    seen_by_second = second.poll()  # both stations see the file …
    assert len(list(first.scan())) == 1  # … the first one takes it …
    second.poll = lambda: seen_by_second  # … while the second still acts on its view
    assert list(second.scan()) == []
    assert [p.name for p in (tmp_path / "done").iterdir()] == ["scan.png"]
    assert list((tmp_path / "processing").iterdir()) == []
