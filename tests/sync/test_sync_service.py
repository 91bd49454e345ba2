"""The window's sync service: a child ``onewindow sync run`` woken by "sync now"."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import pytest

from app.settings import Settings
from local_store.models import OutboxEntry
from sync import credentials, outbox
from sync.control import WakeWatcher, read_state, request_sync_now, write_state
from sync.lanes import LaneState
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
from tests.support.keyring_memory import FILE_BACKEND, FILE_ENV
from tests.support.sync_cases import create_case

ROOT = Path(__file__).resolve().parents[2]


def test_wake_and_state_files(tmp_path):
    watcher = WakeWatcher(tmp_path)
    assert not watcher.requested()
    time.sleep(0.01)
    request_sync_now(tmp_path)
    assert watcher.requested() and not watcher.requested()
    write_state(tmp_path, {"upload": LaneState("upload", "offline", "无法连接大厅")})
    state = read_state(tmp_path)
    assert state["lanes"]["upload"]["message"] == "无法连接大厅"
    assert read_state(tmp_path / "missing") is None


@pytest.mark.gui
def test_service_drains_the_queue_and_stops_cleanly(store, home, shared_hall, file_keyring,
                                                    qtbot, workstation):
    from ui.background import wait_for_background
    from ui.sync_view import SyncService

    credentials.sign_in(shared_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    settings = Settings(hall_url=shared_hall.url, sync_backoff_start_s=0.05)
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    case = create_case(store, attachments=[b"scan"])
    service = SyncService(workstation)
    service.start(extra_env={"PYTHONPATH": str(ROOT), FILE_ENV: str(file_keyring.file_path),
                             "PYTHON_KEYRING_BACKEND": FILE_BACKEND})
    try:
        qtbot.waitUntil(lambda: service.running, timeout=30_000)
        entry = OutboxEntry.get(OutboxEntry.case == case)
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(entry.id).state == outbox.ACKNOWLEDGED,
                        timeout=60_000)
        later = create_case(store)
        workstation.sync_requested.emit()  # "sync now" reaches the child through the wake file
        later_entry = OutboxEntry.get(OutboxEntry.case == later)
        qtbot.waitUntil(
            lambda: OutboxEntry.get_by_id(later_entry.id).state == outbox.ACKNOWLEDGED,
            timeout=20_000)
        qtbot.waitUntil(lambda: service.lane_states.get("upload", {}).get("status") == "idle",
                        timeout=20_000)
    finally:
        process = service.process
        service.stop()
        wait_for_background()
    assert process.returncode == 0  # SIGTERM → lanes stopped cleanly, exit 0
    assert read_state(home)["lanes"]["upload"]["status"] == "stopped"
