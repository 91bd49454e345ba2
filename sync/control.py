"""Talking to a sync service running in its own process.

The workstation window runs ``onewindow sync run`` as a child process: the
upload workers then never compete with the window for Python's interpreter
lock, and a crash in sync cannot take the window down.  The two sides share
only the data directory:

- ``sync.wake``: the window touches it for "sync now"; the service notices
  the new modification time and wakes every lane;
- ``sync_state.json``: the service writes its lanes' states there (atomic
  replace, at most a few times a second); the window reads it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

WAKE_FILE = "sync.wake"
STATE_FILE = "sync_state.json"


def request_sync_now(data_dir: Path) -> None:
    path = Path(data_dir) / WAKE_FILE
    path.touch()
    now = time.time()
    os.utime(path, (now, now))


class WakeWatcher:
    """Sees "sync now" requests made since it was created."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / WAKE_FILE
        self._seen = self._mtime()

    def _mtime(self) -> float:
        try:
            return self.path.stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def requested(self) -> bool:
        mtime = self._mtime()
        if mtime > self._seen:
            self._seen = mtime
            return True
        return False


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
