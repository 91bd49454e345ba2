"""The sync service for the window's session: ``onewindow sync run`` in a child
process (``app.sync_child`` starts and stops it), launched off the GUI thread,
"sync now" passed on and the lanes' states read back for the status bar.

No widget: the sync area (ui/sync_view.py) and the application only hold one.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app import outbox_queue, sync_child
from ui.background import SLOW, run_in_background

log = logging.getLogger(__name__)


class SyncService(QObject):
    """The window's sync: ``onewindow sync run`` in a child process.

    Its upload workers then never compete with this window for Python's
    interpreter lock (measured: painting the queue while eight workers ran in
    this process stalled the GUI thread for 100–300 ms), and a crash in sync
    cannot take the window down.  "Sync now" and lane states travel through
    two small files in the data directory (``sync.control``).
    """

    changed = Signal()
    STATE_POLL_MS = 2_000

    def __init__(self, workstation, parent=None):
        super().__init__(parent)
        self.workstation = workstation
        self.home = Path(workstation.store.home)
        self.process: subprocess.Popen | None = None
        # Set by the launching thread itself, so that a stop during shutdown
        # (the event loop gone, ``_started`` never delivered) still finds it.
        self._spawned: subprocess.Popen | None = None
        self.lane_states: dict = {}
        self._reading = False
        self._starting = False
        self._stop_requested = False
        self._poll = QTimer(self)
        self._poll.setInterval(self.STATE_POLL_MS)
        self._poll.timeout.connect(self._read_state)
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
            self._spawned = process
            return process

        run_in_background(launch, self._started, self._start_failed, lane=SLOW)

    def _started(self, process: subprocess.Popen) -> None:
        self._starting = False
        if self._spawned is not process:  # stopped while it was starting
            return
        self.process = process
        self._poll.start()
        if self._stop_requested:
            self.stop()

    def _start_failed(self, exc: BaseException) -> None:
        self._starting = False
        log.error("sync service did not start: %s", exc)
        self.changed.emit()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def sync_now(self) -> None:
        home = self.home
        run_in_background(lambda: outbox_queue.request_sync_now(home), None,
                          lambda exc: log.warning("sync now failed: %s", exc))

    def _read_state(self) -> None:
        if self._reading:
            return
        self._reading = True
        home = self.home
        run_in_background(lambda: outbox_queue.read_service_state(home), self._state_read,
                          self._state_failed)

    def _state_read(self, state: dict | None) -> None:
        self._reading = False
        lanes = (state or {}).get("lanes") or {}
        if not self.running:
            lanes = {}
        if lanes != self.lane_states:
            self.lane_states = lanes
            self.changed.emit()

    def _state_failed(self, _exc: BaseException) -> None:
        self._reading = False

    def stop(self, timeout_s: float = 20.0) -> None:
        """Ask the service to finish what it is doing and end (SIGTERM → clean stop).

        Called when the window closes; waiting here is the one place it is fine.
        """
        self._poll.stop()
        process, self.process, self._spawned = self.process or self._spawned, None, None
        if process is None:
            if self._starting:
                self._stop_requested = True  # stopped as soon as it has started
            return
        sync_child.stop_sync_child(process, timeout_s)
