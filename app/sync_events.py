"""What the sync child tells its window, as it happens: one JSON object per line
on the child's standard output (``onewindow sync run --events-on-stdout``).

- ``{"event": "lanes", "lanes": {name: LaneState as a dict}}`` whenever a lane's
  state changed (coalesced by the child's loop, a few per second at most);
- ``{"event": "catalog", "version": …, "not_modified": bool, "changed": int}``
  after each catalog sync of the catalog lane — the window reloads its search
  index only when something arrived (the catalog is synced here, never twice);
- ``{"event": "ended"}`` is made up by the reader when the pipe closes: the
  child has gone, whatever the reason.

The window used to re-read ``sync_state.json`` on a timer for the same news; the
file is still written (``onewindow sync status`` and a crashed window's successor
read it), but nobody has to poll it.  Lines that are not such objects (the
child's own prints) are skipped.  No Qt: ``ui.sync_service`` turns the callback
into a signal.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import IO, Any

log = logging.getLogger(__name__)

LANES = "lanes"
CATALOG = "catalog"
ENDED = "ended"

# Lane names and statuses as ``sync.lanes`` publishes them (not imported from there:
# the window should not load the HTTP stack to read a status word).
CATALOG_LANE = "catalog"
UPLOAD_LANE = "upload"
WORKING = "working"
IDLE = "idle"
FAILED = frozenset({"offline", "error", "needs_sign_in"})


class EventWriter:
    """The child's side: events as JSON lines on a stream, from any lane thread."""

    def __init__(self, stream: IO[str] | None):
        self._stream = stream
        self._lock = threading.Lock()
        self._broken = stream is None

    @classmethod
    def on_standard_output(cls) -> EventWriter:
        """Writing to file descriptor 1 even where ``sys.stdout`` is None: the windowed
        build (PyInstaller, no console) gives the child no ``sys.stdout``, though the
        window handed it a pipe there."""
        import sys

        if sys.stdout is not None:
            return cls(sys.stdout)
        try:
            return cls(open(1, "w", encoding="ascii", closefd=False))  # noqa: SIM115
        except OSError:
            return cls(None)  # no pipe at all: sync works, the window hears nothing

    def send(self, event: str, **fields: Any) -> None:
        # ASCII escapes: whatever encoding the pipe was given, the line survives it.
        line = json.dumps({"event": event, **fields}) + "\n"
        with self._lock:
            if self._broken:
                return
            try:
                self._stream.write(line)
                self._stream.flush()
            except (OSError, ValueError, AttributeError):  # the window went away:
                # sync goes on without it
                self._broken = True

    def lanes(self, snapshot: dict) -> None:
        """``SyncLanes.snapshot()``: every lane's state."""
        self.send(LANES, lanes={name: asdict(state) for name, state in snapshot.items()})

    def catalog(self, report: Any) -> None:
        """An import report of the catalog lane (``app.catalog.importer.ImportReport``)."""
        changed = sum(getattr(report, name, 0) or 0 for name in ("added", "updated", "removed"))
        self.send(CATALOG, version=str(getattr(report, "version", "") or ""),
                  not_modified=bool(getattr(report, "not_modified", False)), changed=changed)


def announcing_catalog_sync(events: EventWriter) -> Callable[[Any, str], Any]:
    """The catalog lane's sync (``sync.catalog_sync.sync_catalog``), telling the window
    what each run brought."""

    def sync_and_announce(session: Any, url: str) -> Any:
        from sync.catalog_sync import sync_catalog

        report = sync_catalog(session, url)
        events.catalog(report)
        return report

    return sync_and_announce


def read_events(stream: IO[bytes], on_event: Callable[[dict], None]) -> threading.Thread:
    """The window's side: a daemon thread calling ``on_event(message)`` for each event
    line, then ``on_event({"event": "ended"})`` once the pipe closes."""

    def read() -> None:
        try:
            # Read to the end whatever becomes of the listener: a pipe nobody drains
            # would fill up and stall the child's lanes on their next report.
            for raw in iter(stream.readline, b""):
                message = _parse(raw)
                if message is not None:
                    _tell(on_event, message)
        except (OSError, ValueError) as exc:  # the pipe closed under us
            log.info("sync events stopped: %s", exc)
        finally:
            _tell(on_event, {"event": ENDED})

    reader = threading.Thread(target=read, name="sync-events", daemon=True)
    reader.start()
    return reader


def _tell(on_event: Callable[[dict], None], message: dict) -> None:
    try:
        on_event(message)
    except RuntimeError:  # the window's listener was deleted (the window closing)
        pass


def _parse(raw: bytes) -> dict | None:
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return message if isinstance(message, dict) and "event" in message else None
