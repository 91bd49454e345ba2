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
from sync.control import read_state, write_state
from sync.lanes import LaneState, LaneTimings
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
from tests.support.keyring_memory import FILE_BACKEND, FILE_ENV
from tests.support.producers import create_case

ROOT = Path(__file__).resolve().parents[2]


def test_state_file(tmp_path):
    write_state(tmp_path, {"upload": LaneState("upload", "offline", "无法连接大厅")})
    state = read_state(tmp_path)
    assert state["lanes"]["upload"]["message"] == "无法连接大厅"
    assert read_state(tmp_path / "missing") is None


def test_commands_travel_the_pipe_behind_the_key_line(caplog):
    """The window's side writes (app.sync_commands), the child's side reads the key
    line and then the commands, from one buffer: nothing written right behind the key
    is lost; a line that is no command is logged and skipped; the end means stop."""
    import os
    import queue

    from app import sync_commands

    read_fd, write_fd = os.pipe()
    writer = sync_commands.CommandWriter(os.fdopen(write_fd, "wb"))
    heard: queue.SimpleQueue[str] = queue.SimpleQueue()
    with os.fdopen(read_fd, "rb", buffering=0) as reading:
        lines = sync_commands.PipeLines(reading.fileno())
        os.write(write_fd, b"00ff\n")  # the key line, as app.sync_child writes it first
        writer.send(sync_commands.SYNC_NOW)
        assert lines.readline() == b"00ff\n"
        assert heard.empty()
        os.write(write_fd, b"not json\n{\"cmd\": \"explode\"}\n[1, 2]\n")  # garbage
        writer.send(sync_commands.SYNC_NOW)
        with caplog.at_level("WARNING", logger="app.sync_commands"):
            reader = sync_commands.read_commands(lines, heard.put)
            assert heard.get(timeout=5) == sync_commands.SYNC_NOW
            assert heard.get(timeout=5) == sync_commands.SYNC_NOW
            writer.close()  # the window's end of the pipe: the child hears "stop"
            assert heard.get(timeout=5) == sync_commands.STOP
            reader.join(5)
        assert writer.join(5) and not reader.is_alive()
    assert heard.empty()
    ignored = [r.getMessage() for r in caplog.records if "no command" in r.getMessage()]
    assert len(ignored) == 3 and "explode" in ignored[1]
    writer.send(sync_commands.SYNC_NOW)  # after close: dropped, never raises
    with pytest.raises(ValueError):
        writer.send("format_disk")


def test_a_writer_to_a_child_gone_does_not_raise():
    """The child died: the writer thread's write fails (broken pipe), quietly; the
    window's ``send`` never waits on it."""
    import os

    from app import sync_commands

    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    writer = sync_commands.CommandWriter(os.fdopen(write_fd, "wb"))
    writer.send(sync_commands.SYNC_NOW)
    writer.send(sync_commands.STOP)
    writer.close()
    assert writer.join(5)


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
    reported_lanes: list[dict] = []
    workstation.sync_lanes_changed.connect(reported_lanes.append)
    service.start(extra_env={"PYTHONPATH": str(ROOT), FILE_ENV: str(file_keyring.file_path),
                             "PYTHON_KEYRING_BACKEND": FILE_BACKEND})
    try:
        qtbot.waitUntil(lambda: service.running, timeout=30_000)
        entry = OutboxEntry.get(OutboxEntry.case == case)
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(entry.id).state == outbox.ACKNOWLEDGED,
                        timeout=60_000)
        qtbot.waitUntil(lambda: service.lane_states.get("upload", {}).get("status") == "idle",
                        timeout=20_000)
        # The upload lane sleeps now (LaneTimings.upload_idle_s, 30 s): a case sent
        # within half that was sent because "sync now" reached the child, down its pipe.
        later = create_case(store)
        workstation.sync_requested.emit()
        later_entry = OutboxEntry.get(OutboxEntry.case == later)
        qtbot.waitUntil(
            lambda: OutboxEntry.get_by_id(later_entry.id).state == outbox.ACKNOWLEDGED,
            timeout=int(LaneTimings().upload_idle_s * 1000 / 2))
        assert not (home / "sync.wake").exists()  # the file the window once touched
        qtbot.waitUntil(lambda: service.lane_states.get("upload", {}).get("status") == "idle",
                        timeout=20_000)
        # The child synced the catalog and said so on its pipe: the window never fetches it.
        qtbot.waitUntil(lambda: bool(catalogs), timeout=20_000)
        # The sync area hears the lanes as the child reports them (no state file read).
        assert reported_lanes[-1] == service.lane_states and "upload" in reported_lanes[-1]
        assert catalogs[0]["event"] == "catalog" and catalogs[0]["version"]
    finally:
        process = service.process
        service.stop()
        wait_for_background()
    assert process.returncode == 0  # "stop" and the pipe's end → lanes stopped cleanly
    assert read_state(home)["lanes"]["upload"]["status"] == "stopped"


@pytest.mark.gui
def test_the_child_obeys_its_pipe_ignores_garbage_and_ends_with_it(store, home, shared_hall,
                                                                   file_keyring, qtbot):
    """``sync run`` as the window starts it, its pipe held by the test: a garbage line is
    logged and skipped (the child goes on), "sync now" sends a new case at once, and
    the pipe's end — the window gone — stops it cleanly."""
    import os
    import subprocess

    from app import sync_child, sync_commands, sync_events
    from tests.support.station_keys import key_line

    credentials.sign_in(shared_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    settings = Settings(hall_url=shared_hall.url, sync_backoff_start_s=0.05)
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    first = create_case(store)
    program, arguments = sync_child.sync_command()
    child = subprocess.Popen([program, *arguments], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    heard: list[dict] = []
    sync_events.read_events(child.stdout, heard.append)
    try:
        child.stdin.write(key_line().encode("ascii"))
        child.stdin.flush()
        first_entry = OutboxEntry.get(OutboxEntry.case == first)
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(first_entry.id).state
                        == outbox.ACKNOWLEDGED, timeout=60_000)
        def upload_lane_idle() -> bool:
            reports = [m["lanes"] for m in list(heard) if m["event"] == sync_events.LANES]
            return bool(reports) and reports[-1].get("upload", {}).get("status") == "idle"

        qtbot.waitUntil(upload_lane_idle, timeout=20_000)
        child.stdin.write("这不是命令\n{\"cmd\": 42}\n".encode())
        later = create_case(store)
        child.stdin.write(sync_commands.command_line(sync_commands.SYNC_NOW))
        child.stdin.flush()
        later_entry = OutboxEntry.get(OutboxEntry.case == later)
        # Within half the upload lane's idle sleep: only the command explains it.
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(later_entry.id).state
                        == outbox.ACKNOWLEDGED,
                        timeout=int(LaneTimings().upload_idle_s * 1000 / 2))
        assert child.poll() is None  # the garbage did not end it
        child.stdin.close()  # what the system does when the window dies
        qtbot.waitUntil(lambda: child.poll() is not None, timeout=20_000)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(10)
    stderr = child.stderr.read().decode("utf-8", "replace")
    assert child.returncode == 0, stderr[-2000:]
    assert stderr.count("ignored a line that is no command") == 2, stderr[-2000:]
    assert read_state(home)["lanes"]["upload"]["status"] == "stopped"
    assert not (home / "sync.wake").exists()


@pytest.mark.gui
def test_sync_now_from_a_terminal_reaches_a_service_started_elsewhere(store, home, shared_hall,
                                                                     file_keyring, key_agent,
                                                                     qtbot):
    """``onewindow sync now`` in one terminal, ``sync run`` in another: the request
    travels the service's control socket (``sync.control``), not a polled file."""
    import os
    import signal
    import subprocess
    import sys

    from sync.control import CONTROL_FILE

    def onewindow(*args):
        return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})

    nobody = onewindow("sync", "now")
    assert nobody.returncode != 0 and "同步服务未运行或无应答" in nobody.stderr + nobody.stdout

    credentials.sign_in(shared_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    settings = Settings(hall_url=shared_hall.url, sync_backoff_start_s=0.05)
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    first = create_case(store)
    service = subprocess.Popen([sys.executable, "-m", "app.cli", "sync", "run"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        first_entry = OutboxEntry.get(OutboxEntry.case == first)
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(first_entry.id).state
                        == outbox.ACKNOWLEDGED, timeout=60_000)
        qtbot.waitUntil(lambda: (read_state(home) or {}).get("lanes", {}).get("upload", {})
                        .get("status") == "idle", timeout=20_000)
        assert (home / CONTROL_FILE).stat().st_mode & 0o077 == 0  # holds the authkey
        _knock_and_leave(json.loads((home / CONTROL_FILE).read_text("utf-8"))["address"])
        later = create_case(store)
        asked = onewindow("sync", "now")
        assert asked.returncode == 0, asked.stderr
        later_entry = OutboxEntry.get(OutboxEntry.case == later)
        qtbot.waitUntil(lambda: OutboxEntry.get_by_id(later_entry.id).state
                        == outbox.ACKNOWLEDGED,
                        timeout=int(LaneTimings().upload_idle_s * 1000 / 2))
        service.send_signal(signal.SIGINT)  # Ctrl-C in the service's terminal
        out, err = service.communicate(timeout=30)
    finally:
        if service.poll() is None:
            service.kill()
            service.wait(10)
    assert service.returncode == 0, err[-2000:]
    assert not (home / CONTROL_FILE).exists()  # its address went with it
    assert not (home / "sync.wake").exists()
    gone = onewindow("sync", "now")
    assert gone.returncode != 0 and "同步服务未运行或无应答" in gone.stderr + gone.stdout


def _knock_and_leave(address: str) -> None:
    """A client that connects without the authkey and goes: refused, and the service
    still hears the next one."""
    import socket

    if not hasattr(socket, "AF_UNIX") or address.startswith("\\\\"):
        return  # a Windows named pipe: no plain socket to knock with
    with socket.socket(socket.AF_UNIX) as knocker:
        knocker.connect(address)


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
