"""The idle lock covers every window of the application, not only the main
window's areas: a print preview of a real receipt (modal, as while it runs), a
certificate look-up with an ID number typed in, a message naming the applicant,
and a message that opens while the window is locked.  Nothing is closed or
reset: after the clerk signs in again every window is as it was (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox

from app.documents import render
from app.embedded_hall import DEMO_PASSWORD, DEMO_USER
from app.settings import Settings
from local_store.store import Store
from tests.support.producers import create_case
from ui.application import GuiSession
from ui.cert_lookup import CertificateLookupDialog, certificate_service_for
from ui.print_dispatch import rasterise
from ui.print_preview import PrintPreviewDialog

pytestmark = pytest.mark.gui

APPLICANT_ID = "350205199003071239"
COVER = QColor("#30343b")


@pytest.fixture
def receipt_pages(tmp_path, qapp):
    """A real receipt of a case taken in through IntakeService (at another station home)."""
    store = Store.open(tmp_path / "receipt-station")
    try:
        case = create_case(store)
        pdf = render(case.number, "receipt", settings=Settings())
        applicant = case.applicant_snapshot["name"]
    finally:
        store.close()
    return rasterise(pdf, 60), applicant


def covered(widget) -> bool:
    """Whether what the clerk would see of ``widget`` is the lock's cover, all over."""
    image = widget.grab().toImage()
    width, height = image.width(), image.height()
    points = [(width * x // 8, height * y // 8) for x in range(1, 8) for y in range(1, 8)]
    # The cover's own words sit in the middle; everything around is its plain colour.
    plain = [image.pixelColor(x, y) == COVER for x, y in points]
    return sum(plain) >= len(points) - 6


def test_the_idle_lock_covers_every_window_and_gives_each_back_intact(
        home, qtbot, chinese_ui, memory_keyring, shared_hall, receipt_pages, artifacts):
    pages, applicant = receipt_pages
    # 15 s: room to open the dialogs below on a loaded machine before the lock.
    gui = GuiSession(Settings(hall_url=shared_hall.url, idle_lock_minutes=0.25,
                              idle_warning_seconds=3.0))
    try:
        with qtbot.waitSignal(gui.ready, timeout=20_000):
            gui.start()
        dialog = gui.sign_in_dialog
        dialog.account_edit.setText(DEMO_USER)
        dialog.password_edit.setText(DEMO_PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not gui.staff.locked, timeout=30_000)
        window = gui.window
        window.resize(1366, 768)

        # Work in progress in three windows of their own, each with personal data.
        lookup = CertificateLookupDialog(certificate_service_for(gui.workstation), window)
        lookup.panel.holder_edit.setText(APPLICANT_ID)  # typed, not looked up yet
        lookup.show()
        message = QMessageBox(QMessageBox.Icon.Information, "提示",
                              f"申请人 {applicant}（{APPLICANT_ID}）的材料已收齐", parent=window)
        message.setModal(False)
        message.show()
        preview = PrintPreviewDialog("受理回执", pages, "", window)
        preview.open()  # modal, as while the print dispatcher waits on it
        qtbot.waitUntil(lambda: preview.isVisible() and lookup.isVisible())
        preview.grab().save(str(artifacts / "lock_0_preview_before.png"))
        assert not covered(preview) and not covered(lookup)
        assert not gui.staff.locked
        qtbot.keyClick(preview, Qt.Key.Key_Shift)  # the clerk's last touch: idle from here
        assert preview.focusWidget() is preview.print_button  # Enter prints

        with qtbot.waitSignal(gui.staff.idle_warning, timeout=30_000):
            pass  # warned first: in the status bar, and on the dialogs in front of it
        assert "秒后锁定" in window.statusBar().currentMessage()
        assert "秒后锁定" in preview.windowTitle() and "秒后锁定" in lookup.windowTitle()
        with qtbot.waitSignal(gui.staff.locked_changed, timeout=30_000) as locked:
            pass
        assert locked.args == [True]

        unlock = gui.sign_in_dialog
        assert unlock.isVisible() and unlock.account_edit.text() == DEMO_USER
        assert preview.windowTitle() == "受理回执"  # the warning is over
        assert unlock.windowModality() == Qt.WindowModality.ApplicationModal
        for widget in (window, preview, lookup, message):
            assert widget.isVisible(), widget  # nothing closed
            assert covered(widget), widget
        assert not covered(unlock)
        # A message that comes up while the window is locked is covered as well.
        late = QMessageBox(QMessageBox.Icon.Warning, "提示", f"{applicant} 的办件已上报",
                           parent=window)
        late.setModal(False)
        late.show()
        qtbot.waitUntil(lambda: late.isVisible())
        assert covered(late)
        window.grab().save(str(artifacts / "lock_1_window_locked.png"))
        preview.grab().save(str(artifacts / "lock_2_preview_locked.png"))
        lookup.grab().save(str(artifacts / "lock_3_lookup_locked.png"))
        message.grab().save(str(artifacts / "lock_4_message_locked.png"))
        unlock.grab().save(str(artifacts / "lock_5_sign_in.png"))

        unlock.password_edit.setText(DEMO_PASSWORD)
        qtbot.mouseClick(unlock.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not gui.staff.locked, timeout=30_000)
        for widget in (window, preview, lookup, message, late):
            assert widget.isVisible() and not covered(widget), widget
        assert preview.focusWidget() is preview.print_button  # Enter still prints
        assert lookup.panel.holder_edit.text() == APPLICANT_ID  # what was typed is there
        assert preview.result() == 0 and preview.choice == ""  # still waiting for the clerk
        assert preview.findChild(type(preview.pages_label), "previewPage1") is not None
        preview.grab().save(str(artifacts / "lock_6_preview_after.png"))
        for widget in (late, message, lookup, preview):
            widget.close()
    finally:
        if gui.window is not None:
            gui.window.close()
        gui.shutdown()
