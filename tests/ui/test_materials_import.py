"""Ctrl+E with a photo of a material: taken in as its scanned page, not refused
(issue 17, item 10: the dialog offered PNG, then the import refused it)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.test_applicant_queue import fill_person
from tests.ui.test_intake_keyboard import focused, open_intake_for

# Timing is not the subject here: background work runs at once (tests/support/ui.py).
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("synchronous_pool")]


def test_ctrl_e_with_an_image_adds_a_scanned_page(demo_catalog, main_window, qtbot, tmp_path,
                                                  monkeypatch):
    photo = tmp_path / "申请书.png"
    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((80, 80), "application form", fill="black")
    image.save(photo)
    offered = []

    def choose(_parent, _title, _folder, filters):
        offered.append(filters)
        return str(photo), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    area = open_intake_for(qtbot, main_window, "gtgsh", "个体工商户设立登记")
    view = area.intake
    fill_person(qtbot, view, "张三", "350205199001011232")
    qtbot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    page = view.materials_page
    qtbot.keyClick(page.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "*.pdf" in offered[0] and "*.png" in offered[0]
    qtbot.waitUntil(lambda: len(page.scan_panel.page_set) == 1, timeout=20_000)
    entry = page.model.entry_at(0)
    assert entry.received_form == "scanned" and len(entry.pages) == 1
    assert not page.material_message.isVisible()
