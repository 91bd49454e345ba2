"""The workstation with and without its hall: status bar, catalog sync, local work.

Real parts only: the reference hall over loopback for the online case; for
the offline case a port nobody listens on.
"""

from __future__ import annotations

import io
import json
import socket

import pytest

from app.settings import Settings
from ui.application import GuiSession

pytestmark = pytest.mark.gui


def _dead_url() -> str:
    """A loopback port that refuses connections (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def session(home, qtbot, chinese_ui):
    sessions: list[GuiSession] = []

    def start(settings: Settings) -> GuiSession:
        gui = GuiSession(settings)
        sessions.append(gui)
        with qtbot.waitSignal(gui.ready, timeout=20_000):
            gui.start()
        return gui

    yield start
    for gui in sessions:
        if gui.window is not None:
            gui.window.close()
        gui.shutdown()


def test_offline_says_so_and_local_work_goes_on(home, session, qtbot, artifacts):
    from app.catalog.importer import import_catalog_file
    from local_store.store import Store
    from tests.support.ui import DEMO_CATALOG

    cached = Store.open(home)  # a catalog cached earlier, then the link went down
    import_catalog_file(DEMO_CATALOG, cached)
    cached.close()

    gui = session(Settings(hall_url=_dead_url()))
    status = gui.window.status
    qtbot.waitUntil(lambda: status.connectivity_label.text() == "离线", timeout=10_000)
    qtbot.waitUntil(lambda: "目录版本 demo-2026-11-01" in status.catalog_label.text())
    assert "更新" in status.catalog_label.text()  # its age, e.g. "刚刚更新"

    browser = gui.window.areas["intake"].browser
    browser.search_box.setText("jiehun")
    assert browser.hits.hit_at(0).name == "结婚登记"
    label = status.catalog_label
    qtbot.waitUntil(lambda: label.width() >= label.sizeHint().width())  # laid out
    gui.window.grab().save(str(artifacts / "offline_status.png"))


def test_a_delta_the_sync_service_imported_is_searchable_here(home, session, qtbot):
    """The catalog is synced once, by the sync service's catalog lane; its pipe
    message (app.sync_events) is what makes this window reload its index."""
    from app.catalog.importer import import_catalog_document, import_catalog_file
    from app.sync_events import EventWriter
    from local_store.store import Store
    from tests.support.catalog import demo_item, document
    from tests.support.ui import DEMO_CATALOG

    cached = Store.open(home)
    import_catalog_file(DEMO_CATALOG, cached)
    cached.close()
    gui = session(Settings(hall_url=_dead_url()))
    item = demo_item("结婚登记")
    # What the service's catalog lane imports, then announces on its pipe.
    report = import_catalog_document(document(
        [dict(item, version=item["version"] + 1, name="结婚登记（涉外）")], version="gui-delta",
        mode="delta", generated_at="2026-11-20T00:00:00Z"), gui.store)
    announced = io.StringIO()
    EventWriter(announced).catalog(report)
    message = json.loads(announced.getvalue())
    assert message == {"event": "catalog", "version": "gui-delta", "not_modified": False,
                       "changed": 1}
    gui._catalog_synced(message)
    qtbot.waitUntil(lambda: gui.workstation.catalog_index.search("涉外") != [], timeout=10_000)
    browser = gui.window.areas["intake"].browser
    browser.search_box.setText("涉外")
    assert browser.hits.hit_at(0).name == "结婚登记（涉外）"


def test_online_hall_syncs_the_catalog(session, hall, qtbot):
    gui = session(Settings(hall_url=hall.url))
    status = gui.window.status
    qtbot.waitUntil(lambda: status.connectivity_label.text() == "在线", timeout=10_000)
    # The store started empty; the catalog arrives from the hall in the background.
    qtbot.waitUntil(lambda: "目录版本" in status.catalog_label.text(), timeout=20_000)
    browser = gui.window.areas["intake"].browser
    qtbot.waitUntil(
        lambda: (
            gui.workstation.catalog_index is not None and len(gui.workstation.catalog_index) > 0
        ),
        timeout=20_000,
    )
    browser.search_box.setText("食品")
    assert browser.hits.hit_at(0).display_name == "食品经营许可（新办）"


def test_no_hall_configured_starts_the_local_reference_hall(session, qtbot):
    """`make run` on a fresh station: the embedded hall starts and feeds the catalog."""
    gui = session(Settings())  # hall_url empty, ONEWINDOW_HALL_URL unset by `home`
    qtbot.waitUntil(lambda: gui.hall is not None, timeout=60_000)
    status = gui.window.status
    qtbot.waitUntil(lambda: status.connectivity_label.text() == "在线", timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            gui.workstation.catalog_index is not None and len(gui.workstation.catalog_index) > 0
        ),
        timeout=30_000,
    )
    browser = gui.window.areas["intake"].browser
    browser.search_box.setText("gtgsh")
    assert browser.hits.hit_at(0).name == "个体工商户设立登记"
    process = gui.hall._process.process
    gui.window.close()
    gui.shutdown()
    assert process.poll() is not None  # a clean shutdown stops the hall it started


def test_embedded_hall_signs_in_and_the_outbox_drains(session, qtbot, file_keyring):
    """`make run`'s embedded default: the station signs in to its local hall by
    itself (token in the keyring) and a case taken in reaches the hall."""
    from app.cli.hall_cmd import read_hall_cases
    from app.intake import IntakeService
    from app.intake.validation import Decision
    from local_store.models import OutboxEntry
    from tests.support.intake import fill_person, receive_all_originals

    gui = session(Settings())
    qtbot.waitUntil(lambda: gui.sync_service is not None, timeout=60_000)
    qtbot.waitUntil(lambda: gui.workstation.catalog_index is not None
                    and len(gui.workstation.catalog_index) > 0, timeout=30_000)
    task_code = gui.workstation.catalog_index.search("gtgsh")[0].task_code
    intake = IntakeService(gui.store, gui.settings)
    draft = intake.new_draft(task_code)
    fill_person(draft)
    receive_all_originals(draft)
    committed = intake.commit(draft, Decision(action="accept"))

    def acknowledged() -> bool:
        return OutboxEntry.select().where(OutboxEntry.state == "acknowledged").count() == 1

    qtbot.waitUntil(acknowledged, timeout=60_000)
    held = read_hall_cases(gui.hall.data_dir)
    assert [case["number"] for case in held] == [committed.case_number]


def test_a_new_station_without_its_hall_gets_the_bundled_catalog(session, qtbot, artifacts):
    """Nothing cached, the hall unreachable: the catalog shipped with the program
    is imported (off the GUI thread) and the clerk can search; until it is in,
    the search box says the catalog is on its way, not "no match"."""
    gui = session(Settings(hall_url=_dead_url()))
    browser = gui.window.areas["intake"].browser
    browser.search_box.setText("营业执照")
    summary = browser.summary.text()
    assert "没有匹配" not in summary and ("目录" in summary or browser.hits.rowCount())
    workstation = gui.workstation
    qtbot.waitUntil(
        lambda: workstation.catalog_index is not None and len(workstation.catalog_index) > 0,
        timeout=20_000,
    )
    browser.search_box.setText("jiehun")
    assert browser.hits.hit_at(0).name == "结婚登记"
    status = gui.window.status
    qtbot.waitUntil(lambda: "目录版本 demo-2026-11-01" in status.catalog_label.text())
    gui.window.grab().save(str(artifacts / "new_station_without_hall_bundled_catalog.png"))


def test_typing_while_the_catalog_downloads_says_it_is_loading(home, qtbot, chinese_ui):
    from local_store.store import Store
    from ui.catalog.browser import CatalogBrowser
    from ui.workstation import Workstation

    store = Store.open(home)
    try:
        workstation = Workstation(store, Settings())
        browser = CatalogBrowser(workstation)
        qtbot.addWidget(browser)
        with qtbot.waitSignal(workstation.catalog_index_ready, timeout=10_000):
            workstation.load_catalog_index()
        workstation.set_catalog_arriving(True)
        browser.search_box.setText("个体户")
        assert "正在" in browser.summary.text() and "没有" not in browser.summary.text()
        workstation.set_catalog_arriving(False)
        assert "尚无事项目录" in browser.summary.text()
    finally:
        from ui.background import wait_for_background

        wait_for_background()
        store.close()


def test_upload_lane_waiting_for_sign_in_is_not_online(session, qtbot):
    """A configured hall answers, but the station has no token: the sync
    service's upload lane says so, and the status bar stops saying 在线."""
    from ui.sync_service import SyncService

    gui = session(Settings(hall_url=_dead_url()))
    status = gui.window.status
    status.set_online(True)
    service = SyncService(gui.workstation)  # not started: its lanes are set by hand
    gui.watch_upload_lane(service)
    service.lane_states = {"upload": {"status": "needs_sign_in",
                                      "message": "尚未登录网上办事大厅（请运行 onewindow enroll）"}}
    service.changed.emit()
    assert "未登录" in status.connectivity_label.text()
    assert "onewindow enroll" in status.connectivity_label.toolTip()
    service.lane_states = {"upload": {"status": "idle", "last_success_at": 1.0}}
    service.changed.emit()
    assert status.connectivity_label.text() == "在线"
