"""目录 → 导入目录文件…: a snapshot that would drop over a fifth of the catalog is
imported only after the clerk says yes (issue 11, item 5); a refused file changes
nothing and says why."""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMessageBox

from app.catalog.repository import catalog_info
from tests.support.catalog import demo_document, document

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]


def _smaller_snapshot(tmp_path):
    items = demo_document()["items"]
    kept = items[: len(items) * 3 // 4]
    path = tmp_path / "usb-catalog.json"
    path.write_text(json.dumps(document(kept, generated_at="2099-01-01T00:00:00+08:00",
                                        mode="snapshot"), ensure_ascii=False), encoding="utf-8")
    return path, len(items), len(kept)


def _import(qtbot, main_window, path):
    importer = main_window.catalog_file_import()
    with qtbot.waitSignal(importer.confirmation_shown, timeout=30_000) as shown:
        importer.import_file(path)
    return importer, shown.args[0]


def test_shrinking_snapshot_waits_for_the_clerks_yes(qtbot, main_window, demo_catalog,
                                                    tmp_path):
    path, held, kept = _smaller_snapshot(tmp_path)
    importer, box = _import(qtbot, main_window, path)
    assert f"{held} 项中的 {held - kept} 项" in box.text() and "仍要导入吗" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert catalog_info().get("item_count") == held  # nothing deleted while asking

    with qtbot.waitSignal(importer.finished, timeout=30_000) as done:
        box.button(QMessageBox.StandardButton.Yes).click()
    ok, message = done.args
    assert ok and f"删除 {held - kept}" in message
    assert catalog_info().get("item_count") == kept
    assert f"删除 {held - kept}" in main_window.statusBar().currentMessage()


def test_no_keeps_the_catalog(qtbot, main_window, demo_catalog, tmp_path):
    path, held, _kept = _smaller_snapshot(tmp_path)
    importer, box = _import(qtbot, main_window, path)
    with qtbot.waitSignal(importer.finished, timeout=30_000) as done:
        box.button(QMessageBox.StandardButton.No).click()
    assert done.args == [False, "未导入，现有目录未改动。"]
    assert catalog_info().get("item_count") == held


def test_ambiguous_file_is_refused_with_its_reason(qtbot, main_window, demo_catalog, tmp_path):
    items = demo_document()["items"]
    path = tmp_path / "no-mode.json"
    path.write_text(json.dumps(document(items[:2], generated_at="2099-01-01T00:00:00+08:00",
                                        removed=[items[-1]["task_code"]])), encoding="utf-8")
    importer = main_window.catalog_file_import()
    with qtbot.waitSignal(importer.finished, timeout=30_000) as done:
        importer.import_file(path)
    ok, message = done.args
    assert not ok and "mode" in message and "removed" in message
    assert catalog_info().get("item_count") == len(items)
