"""The shipped Chinese catalogue is complete and its .qm matches the .ts."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "ui" / "i18n" / "onewindow_zh_CN.ts"
QM = TS.with_suffix(".qm")


def test_every_source_string_is_translated():
    unfinished = [
        message.findtext("source")
        for message in ET.parse(TS).getroot().iter("message")
        if message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
    ]
    assert not unfinished, f"untranslated strings (run make translations): {unfinished}"


def test_compiled_qm_is_current(tmp_path):
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), "-silent", str(TS), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == QM.read_bytes(), "ui/i18n .qm is stale: run make translations"


def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    """A tr() added to ui/ without a translation would show English to the clerk."""
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    copy = tmp_path / TS.name
    copy.write_bytes(TS.read_bytes())
    sources = sorted(str(p) for p in (ROOT / "ui").rglob("*.py"))
    subprocess.run([str(lupdate), "-silent", *sources, "-ts", str(copy)], check=True)
    new = [
        message.findtext("source")
        for message in ET.parse(copy).getroot().iter("message")
        if message.find("translation").get("type") == "unfinished"
    ]
    assert not new, f"strings without a Chinese translation (run make translations): {new}"


def test_qt_own_dialogs_speak_chinese(qapp):
    """The file dialog's "Look in:" and the standard buttons come from Qt's own
    qtbase catalogue, installed beside ours."""
    from PySide6.QtCore import QCoreApplication

    from ui.translation import ENGLISH, install_translator

    assert install_translator(qapp, "zh_CN")
    try:
        assert QCoreApplication.translate("QFileDialog", "Look in:") == "查找范围："
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        install_translator(qapp, ENGLISH)
