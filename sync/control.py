"""Talking to a sync service running in a process of its own.

The workstation window runs ``onewindow sync run`` as a child process and talks
to it over its two pipes (``app.sync_commands`` down, ``app.sync_events`` up).
For everyone else there are two things in the data directory:

- ``sync_control.json``: where the running service listens for commands
  (``onewindow sync now`` from a terminal, whoever started the service) — a
  ``multiprocessing.connection`` address (a Unix socket in a private temporary
  directory, a named pipe on Windows) and the random authkey it asks for, as the
  key agent does (``app.security.agent``).  The service blocks in ``accept``:
  nothing polls.  Removed when the service ends; worthless after it anyway.
- ``sync_state.json``: the lanes' states, written by the service (atomic
  replace, at most a few times a second) for ``onewindow sync status``, the sync
  area's first paint and a crashed window's successor; read once, never polled.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

log = logging.getLogger(__name__)

STATE_FILE = "sync_state.json"
CONTROL_FILE = "sync_control.json"
FAMILY = "AF_PIPE" if os.name == "nt" else "AF_UNIX"
# What a terminal may ask of a running service (and the window, ``app.sync_commands``).
SYNC_NOW = "sync_now"
_ANSWER_TIMEOUT_S = 5.0


class NoServiceRunning(Exception):
    """No sync service of this station answers (none runs, or it has just ended)."""


class ControlListener:
    """The running service's ear for commands from other processes.

    ``on_command(SYNC_NOW)`` for each request from a client that knows the authkey
    recorded in ``sync_control.json``; its thread blocks in ``accept``."""

    def __init__(self, data_dir: Path, on_command: Callable[[str], None]):
        from multiprocessing.connection import Listener

        self.path = Path(data_dir) / CONTROL_FILE
        authkey = secrets.token_bytes(32)
        self._listener = Listener(family=FAMILY, authkey=authkey)
        if FAMILY == "AF_UNIX":
            os.chmod(self._listener.address, 0o600)
        self._record = {"address": self._listener.address, "authkey": authkey.hex(),
                        "pid": os.getpid()}
        _write_private_json(self.path, self._record)
        self._on_command = on_command
        self._closed = False
        threading.Thread(target=self._serve, name="sync-control", daemon=True).start()

    def _serve(self) -> None:
        from multiprocessing import AuthenticationError

        while not self._closed:
            try:
                connection = self._listener.accept()
            except (AuthenticationError, EOFError, ConnectionError) as exc:
                # Someone without the authkey, or gone before the handshake ended:
                # that client is refused, the next one is heard.
                log.warning("sync control: refused a client: %s", exc)
                continue
            except OSError:
                return  # the listener closed: the service is ending
            try:
                with connection:
                    request = connection.recv() if connection.poll(_ANSWER_TIMEOUT_S) else None
                    if request == SYNC_NOW:
                        self._on_command(SYNC_NOW)
                        connection.send("ok")
                    else:
                        log.warning("sync control: ignored a request %r", request)
                        connection.send("unknown")
            except (OSError, EOFError, ValueError) as exc:
                log.info("sync control: a client went away: %s", exc)

    def close(self) -> None:
        """No more commands; the record goes unless a newer service wrote its own."""
        self._closed = True
        try:
            if json.loads(self.path.read_text(encoding="utf-8")) == self._record:
                self.path.unlink()
        except (OSError, ValueError):
            pass
        try:
            self._listener.close()
        except OSError:
            pass


def request_sync_now(data_dir: Path, timeout_s: float = _ANSWER_TIMEOUT_S) -> None:
    """Ask the station's running sync service to sync now; ``NoServiceRunning``
    when none answers within ``timeout_s``."""
    try:
        record = json.loads((Path(data_dir) / CONTROL_FILE).read_text(encoding="utf-8"))
        address, authkey = record["address"], bytes.fromhex(record["authkey"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NoServiceRunning(str(exc)) from exc
    outcome: list[BaseException | str | None] = []
    # The handshake of ``Client`` has no timeout of its own: a service that no longer
    # accepts (stopped, hung) would hold this command for ever.
    asker = threading.Thread(target=lambda: outcome.append(_ask(address, authkey, timeout_s)),
                             name="sync-now", daemon=True)
    asker.start()
    asker.join(timeout_s)
    if not outcome:
        raise NoServiceRunning(f"no answer within {timeout_s:.0f} s")
    if isinstance(outcome[0], BaseException):
        raise NoServiceRunning(str(outcome[0])) from outcome[0]
    if outcome[0] != "ok":
        raise NoServiceRunning(f"unexpected answer {outcome[0]!r}")


def _ask(address: str, authkey: bytes, timeout_s: float) -> BaseException | str | None:
    from multiprocessing.connection import Client

    try:
        with Client(address, family=FAMILY, authkey=authkey) as connection:
            connection.send(SYNC_NOW)
            return connection.recv() if connection.poll(timeout_s) else None
    except (OSError, EOFError, ValueError) as exc:  # e.g. a record left by a killed service
        return exc


def _write_private_json(path: Path, record: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    # Created 0600 from the start: the authkey is never readable by others.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(record, fh)
    os.replace(tmp, path)


def write_state(data_dir: Path, snapshot: dict) -> None:
    """Publish lane states (``SyncLanes.snapshot()``) for the window."""
    payload = {
        "pid": os.getpid(),
        "written_at": time.time(),
        "lanes": {name: asdict(state) for name, state in snapshot.items()},
    }
    fd, tmp = tempfile.mkstemp(dir=data_dir, prefix=".sync-state-")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False)
    os.replace(tmp, Path(data_dir) / STATE_FILE)


def read_state(data_dir: Path) -> dict | None:
    try:
        return json.loads((Path(data_dir) / STATE_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
