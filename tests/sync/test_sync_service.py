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
from tests.support.producers import create_case

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


def test_events_travel_the_pipe_as_json_lines():
    """The child's side writes, the window's side reads to the end (app.sync_events)."""
    import io
    import os
    import threading

    from app import sync_events
    from sync import lanes as sync_lanes

    read_fd, write_fd = os.pipe()
    heard: list[dict] = []
    ended = threading.Event()

    def on_event(message: dict) -> None:
        heard.append(message)
        if message["event"] == sync_events.ENDED:
            ended.set()

    with os.fdopen(read_fd, "rb") as reading:
        sync_events.read_events(reading, on_event)
        with os.fdopen(write_fd, "w", encoding="utf-8") as writing:
            writing.write("接口约定已更新：a print of the child's own, skipped\n")
            events = sync_events.EventWriter(writing)
            events.lanes({"catalog": LaneState("catalog", sync_lanes.OFFLINE, "无法连接大厅")})
            events.catalog(type("Report", (), {"version": "v2", "added": 2, "updated": 1,
                                               "removed": 0, "not_modified": False})())
        assert ended.wait(5)
    assert [m["event"] for m in heard] == ["lanes", "catalog", "ended"]
    assert heard[0]["lanes"]["catalog"]["message"] == "无法连接大厅"
    assert heard[1] == {"event": "catalog", "version": "v2", "not_modified": False,
                        "changed": 3}
    # The window reads these words without importing sync.lanes.
    assert sync_events.FAILED == {sync_lanes.OFFLINE, sync_lanes.ERROR, sync_lanes.SIGN_IN}
    assert (sync_events.WORKING, sync_events.IDLE) == (sync_lanes.WORKING, sync_lanes.IDLE)
    assert {sync_events.CATALOG_LANE, sync_events.UPLOAD_LANE} <= set(sync_lanes.LANE_NAMES)
    broken = sync_events.EventWriter(io.StringIO())
    broken._stream.close()
    broken.send("lanes", lanes={})  # a window gone: the child's lanes go on regardless


def test_a_child_without_sys_stdout_still_reports_on_its_pipe(monkeypatch, capfd):
    """The windowed build gives the child no sys.stdout; the pipe is its fd 1 all the same."""
    import sys

    from app.sync_events import EventWriter

    monkeypatch.setattr(sys, "stdout", None)
    EventWriter.on_standard_output().send("lanes", lanes={})
    assert json.loads(capfd.readouterr().out) == {"event": "lanes", "lanes": {}}


@pytest.mark.gui
def test_service_drains_the_queue_and_stops_cleanly(store, home, shared_hall, file_keyring,
                                                    qtbot, workstation):
    from ui.background import wait_for_background
    from ui.sync_service import SyncService

    credentials.sign_in(shared_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    settings = Settings(hall_url=shared_hall.url, sync_backoff_start_s=0.05)
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    case = create_case(store, attachments=[b"scan"])
    service = SyncService(workstation)
    catalogs: list[dict] = []
    service.catalog_synced.connect(catalogs.append)
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
        # The child synced the catalog and said so on its pipe: the window never fetches it.
        qtbot.waitUntil(lambda: bool(catalogs), timeout=20_000)
        assert catalogs[0]["event"] == "catalog" and catalogs[0]["version"]
    finally:
        process = service.process
        service.stop()
        wait_for_background()
    assert process.returncode == 0  # SIGTERM → lanes stopped cleanly, exit 0
    assert read_state(home)["lanes"]["upload"]["status"] == "stopped"


def _sync_services_of(home: Path) -> list[int]:
    """Pids of ``sync run`` processes working for this station home (Linux /proc)."""
    marker = f"ONEWINDOW_HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        if b"sync" in command and b"run" in command and marker in environment:
            found.append(int(entry.name))
    return found


def _gui_environment(home: Path) -> dict:
    import os
    import socket

    with socket.socket() as sock:  # a hall that refuses: the service starts, finds it offline
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return {**os.environ, "ONEWINDOW_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
            "ONEWINDOW_HALL_URL": f"http://127.0.0.1:{port}", "PYTHONPATH": str(ROOT)}


def _wait_until(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_the_service_never_outlives_a_killed_window(home, signed_in_cli):
    # The window's process takes the station's key from the command-line session's
    # key agent (the database is encrypted) and hands it to its sync child by pipe.
    import signal
    import subprocess
    import sys

    window = subprocess.Popen([sys.executable, "-m", "ui.launcher", "--gui"], cwd=ROOT,
                              env=_gui_environment(home), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        assert _wait_until(lambda: _sync_services_of(home), 60), "sync service never started"
        services = _sync_services_of(home)
        window.send_signal(signal.SIGKILL)  # no shutdown code runs: a crash, a power button
        window.wait(10)
        assert _wait_until(lambda: not _sync_services_of(home), 20), \
            f"sync service {services} outlived the window"
    finally:
        window.kill()
        window.wait(10)
        for pid in _sync_services_of(home):
            os_kill(pid)


def os_kill(pid: int) -> None:
    import os
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
def test_a_window_quitting_right_after_start_leaves_no_service_behind(home, signed_in_cli):
    """The self-test quits as soon as the window is usable — while the service
    is still being spawned.  It used to leave the child running for ever."""
    import subprocess
    import sys

    for _attempt in range(3):
        done = subprocess.run([sys.executable, "-m", "ui.launcher", "--gui", "--self-test"],
                              cwd=ROOT, env=_gui_environment(home), capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout.splitlines()[0])["ready_s"] > 0
        assert _wait_until(lambda: not _sync_services_of(home), 10), "service left running"
