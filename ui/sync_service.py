"""The sync service for the window's session: ``onewindow sync run`` in a child
process (``app.sync_child`` starts and stops it), launched off the GUI thread,
"sync now" passed down its stdin pipe (``app.sync_commands``), and what the child
reports on its stdout pipe (lane states, catalog syncs: ``app.sync_events``)
turned into signals.

No widget: the sync area (ui/sync_view.py) and the application only hold one.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app import sync_child, sync_commands, sync_events
from ui.background import SLOW, run_in_background

log = logging.getLogger(__name__)


class SyncService(QObject):
    """The window's sync: ``onewindow sync run`` in a child process.

    Its upload workers then never compete with this window for Python's
    interpreter lock (measured: painting the queue while eight workers ran in
    this process stalled the GUI thread for 100–300 ms), and a crash in sync
    cannot take the window down.  "Sync now" goes down the child's standard input
    (``app.sync_commands``, written by a thread of its own: the GUI thread never
    waits on the pipe); lane states and catalog syncs come back on the child's
    standard output as they happen — no file is polled either way.
    """

    # The lanes' states changed (``lane_states``).
    changed = Signal()
    # The catalog lane synced: {"version", "not_modified", "changed"}.
    catalog_synced = Signal(dict)
    # The child could not be started (the reason).
    failed_to_start = Signal(str)
    # Emitted by the pipe's reader thread; delivered queued on the GUI thread.
    _event_from_child = Signal(dict)

    def __init__(self, workstation, parent=None):
        super().__init__(parent)
        self.workstation = workstation
        self.home = Path(workstation.store.home)
        self.process: subprocess.Popen | None = None
        self._commands: sync_commands.CommandWriter | None = None
        # Set by the launching thread itself, so that a stop during shutdown
        # (the event loop gone, ``_started`` never delivered) still finds it.
        self._spawned: tuple[subprocess.Popen, sync_commands.CommandWriter] | None = None
        self.lane_states: dict = {}
        self._starting = False
        self._stop_requested = False
        self._event_from_child.connect(self._child_event)
        workstation.sync_requested.connect(self.sync_now)

    def command(self) -> tuple[str, list[str]]:
        return sync_child.sync_command()

    def start(self, hall_url: str = "", extra_env: dict[str, str] | None = None) -> None:
        """Launch the service off the GUI thread (forking a big process takes a while)."""
        if self.process is not None or self._starting:
            return
        self._starting = True
        environment = sync_child.sync_environment(self.home, hall_url, extra_env)
        program, arguments = self.command()

        def launch() -> subprocess.Popen:
            process = sync_child.spawn_sync_child(program, arguments, environment)
            # Set by the launching thread itself, so that a stop during shutdown
            # (the event loop gone, ``_started`` never delivered) still finds it.
            self._spawned = (process, sync_child.command_writer(process))
            return process

        run_in_background(launch, self._started, self._start_failed, lane=SLOW)

    def _started(self, process: subprocess.Popen) -> None:
        self._starting = False
        spawned = self._spawned
        if spawned is None or spawned[0] is not process:  # stopped while it was starting
            return
        self.process, self._commands = spawned
        if process.stdout is not None:
            sync_events.read_events(process.stdout, self._event_from_child.emit)
        if self._stop_requested:
            self.stop()

    def _start_failed(self, exc: BaseException) -> None:
        self._starting = False
        log.error("sync service did not start: %s", exc)
        self.changed.emit()
        self.failed_to_start.emit(str(exc))

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def sync_now(self) -> None:
        """Queued for the pipe's writer thread: returns at once, whatever the child does.
        Before the child runs there is no one to tell (it syncs everything as it starts)."""
        if self._commands is not None:
            self._commands.send(sync_commands.SYNC_NOW)

    def _child_event(self, message: dict) -> None:
        kind = message.get("event")
        if kind == sync_events.CATALOG:
            self.catalog_synced.emit(message)
            return
        if kind == sync_events.LANES:
            lanes = message.get("lanes") or {}
        elif kind == sync_events.ENDED:
            lanes = {}  # the child is gone: no lane is working any more
        else:
            return
        if lanes != self.lane_states:
            self.lane_states = lanes
            self.changed.emit()
            self.workstation.sync_lanes_changed.emit(lanes)
        # The child reports only when a lane did something (a run, a batch of
        # uploads claimed or acknowledged): the queue may have changed either way.
        self.workstation.sync_progressed.emit()

    def stop(self, timeout_s: float = 20.0) -> None:
        """Ask the service to finish what it is doing and end ("stop", then the end
        of its command pipe → clean stop).

        Called when the window closes; waiting here is the one place it is fine.
        """
        spawned = (self.process, self._commands) if self.process is not None else self._spawned
        self.process, self._commands, self._spawned = None, None, None
        if spawned is None:
            if self._starting:
                self._stop_requested = True  # stopped as soon as it has started
            return
        process, commands = spawned
        sync_child.stop_sync_child(process, commands, timeout_s)
