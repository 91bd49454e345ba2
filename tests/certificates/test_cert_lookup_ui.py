"""The look-up inside a real intake screen (pytest-qt, real hall on loopback),
with screenshots in tests/artifacts/."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QPainter

from app.certificates import CertificateService
from app.intake import IntakeService
from local_store.models import CertificateLookup
from tests.certificates.conftest import PERSON
from tests.support.intake import fill_person
from ui.background import wait_for_background
from ui.cert_lookup import CertificateLookupDialog, open_for_intake
from ui.cert_table_model import COLUMN_STATUS
from ui.intake.intake_view import STEP_MATERIALS, IntakeView
from ui.workstation import Workstation

pytestmark = pytest.mark.gui


@pytest.fixture
def intake_screen(store, intake_catalog, cert_service, cert_settings, qtbot, chinese_ui):
    workstation = Workstation(store, cert_settings)
    workstation.certificate_service = cert_service
    view = IntakeView(workstation, IntakeService(store, cert_settings))
    qtbot.addWidget(view)
    draft = view.service.new_draft(intake_catalog["残疾人证新办"])
    fill_person(draft, id_number=PERSON)
    view.start(draft)
    view.resize(1100, 700)
    view.show()
    qtbot.waitExposed(view)
    view.next_step()  # applicant is complete → materials
    assert view.pages.currentIndex() == STEP_MATERIALS
    yield view
    view.shutdown()  # the pending autosave goes to the writer while it is still open
    wait_for_background()
    view.close()


def test_lookup_inside_the_intake_satisfies_materials(intake_screen, qtbot, artifacts):
    view = intake_screen
    with qtbot.waitSignal(view.materials_page.changed, timeout=10_000):
        dialog = open_for_intake(view)
        qtbot.addWidget(dialog)
    panel = dialog.panel
    assert panel.holder_edit.text() == PERSON
    assert panel.purpose_edit.text() == "办理残疾人证新办"
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    statuses = sorted(panel.model.data(panel.model.index(r, COLUMN_STATUS))
                      for r in range(4))
    assert statuses == ["已注销", "已过期", "有效", "有效 · 非本人证照"]
    assert "1 项材料免于提交纸质件" in panel.message_label.text()

    entry = view.draft.material("M02")
    assert entry.received_form == "ecert" and entry.cert_ref["type"] == "CT001"
    assert view.materials_page.model.entry_at(1).received_form == "ecert"
    assert view.draft.material("M03").received_form == "missing"  # revoked 户口簿

    dialog.resize(1000, 420)
    dialog.grab().save(str(artifacts / "cert_lookup_dialog_in_intake.png"))
    screen = view.grab()
    screen.save(str(artifacts / "cert_intake_checklist_after_lookup.png"))
    # What the clerk sees: the dialog over the intake it was opened from.
    painter = QPainter(screen)
    overlay = dialog.grab().scaledToWidth(980)
    painter.drawPixmap(60, 260, overlay)
    painter.drawRect(60, 260, overlay.width() - 1, overlay.height() - 1)
    painter.end()
    screen.save(str(artifacts / "cert_lookup_in_intake.png"))
    audit = CertificateLookup.get()
    assert (audit.purpose, audit.case_uuid) == ("办理残疾人证新办", view.draft.uuid)


def test_use_for_material_attaches_the_certificate_pdf(intake_screen, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    view = intake_screen
    dialog = open_for_intake(view)
    qtbot.addWidget(dialog)
    panel = dialog.panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4, timeout=10_000)
    row = next(r for r in range(4) if panel.model.certificate_at(r).id == "p-id")
    panel.table.selectRow(row)
    assert panel.use_button.isEnabled() and panel.view_button.isEnabled()

    with qtbot.waitSignals([panel.draft_changed, panel.draft_changed], timeout=10_000):
        panel.use_button.click()  # marks the material, then attaches the PDF
    entry = view.draft.material("M02")
    assert entry.file_digest and view.workstation.store.blobs.has(entry.file_digest)
    assert view.workstation.store.blobs.read(entry.file_digest).startswith(b"%PDF")

    panel.view_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    path = opened[0].toLocalFile()
    assert path.endswith(".pdf") and open(path, "rb").read(4) == b"%PDF"
    # The viewing copy is private (0600 in a 0700 folder) and goes when the look-up closes.
    copy = Path(path)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700

    revoked = next(r for r in range(4) if panel.model.certificate_at(r).id == "p-hukou")
    panel.table.selectRow(revoked)
    assert not panel.use_button.isEnabled()
    dialog.close()
    assert not copy.exists()


def test_viewing_copies_left_by_a_crash_go_at_start_up(home, qtbot):
    from app.certificates.viewing import viewing_folder
    from app.settings import Settings
    from ui.application import GuiSession

    left = viewing_folder(home) / "CT001-0123456789ab.pdf"
    left.write_bytes(b"%PDF-1.7 left behind")
    gui = GuiSession(Settings(hall_url="http://127.0.0.1:9"))
    try:
        with qtbot.waitSignal(gui.ready, timeout=20_000):
            gui.start()
        qtbot.waitUntil(lambda: not left.exists(), timeout=10_000)
    finally:
        gui.window.close()
        gui.shutdown()


def test_purpose_required_in_the_dialog(store, cert_service, qtbot, chinese_ui):
    dialog = CertificateLookupDialog(cert_service)
    qtbot.addWidget(dialog)
    panel = dialog.panel
    panel.set_applicant(PERSON, "111")
    panel.lookup_button.click()
    assert panel.message_label.text() == "每次查询都必须填写用证事由。"
    assert panel.model.rowCount() == 0 and CertificateLookup.select().count() == 0


def test_offline_lookup_keeps_the_screen_responsive(store, cert_settings, blackhole, qtbot,
                                                    chinese_ui, artifacts):
    cert_settings.hall_url = blackhole
    cert_settings.cert_lookup_timeout_s = 1.0
    service = CertificateService(store, cert_settings, token_source=lambda _: "t")
    dialog = CertificateLookupDialog(service)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    panel.set_applicant(PERSON, "111", "临时救助")
    started = time.monotonic()
    with qtbot.waitSignal(panel.lookup_finished, timeout=5_000) as finished:
        panel.lookup_button.click()
        assert time.monotonic() - started < 0.2  # the GUI thread did not wait
        assert not panel.lookup_button.isEnabled()
    assert finished.args[0].offline
    assert time.monotonic() - started < 2.0
    assert "证照库暂时无法连接" in panel.message_label.text()
    assert panel.lookup_button.isEnabled()
    dialog.grab().save(str(artifacts / "cert_lookup_offline.png"))
    service.close()


@pytest.fixture
def workstation(store, qapp, cert_settings, cert_service):
    """The main window's workstation, pointed at the certificate test hall."""
    station = Workstation(store, cert_settings)
    station.certificate_service = cert_service
    return station


def test_standalone_lookup_tab_in_the_main_window(main_window, qtbot, artifacts):
    area = main_window.show_area("certificates")
    assert main_window.tabs.tabText(main_window.tabs.currentIndex()) == "电子证照"
    panel = area.panel
    qtbot.keyClicks(panel.holder_edit, "91350205ma31abcd2u")
    assert panel.holder_type_combo.currentData() == "organisation"  # recognised as a USCC
    panel.purpose_edit.setText("核验企业营业执照")  # Chinese comes from the IME, not keys
    with qtbot.waitSignal(panel.lookup_finished, timeout=10_000) as finished:
        qtbot.keyClick(panel.purpose_edit, Qt.Key.Key_Return)
    result = finished.args[0]
    assert {cert.type_code for cert in result.usable} == {"CT003", "CT007", "CT008"}
    assert panel.model.rowCount() == 3
    main_window.grab().save(str(artifacts / "cert_lookup_tab.png"))
