"""What the window tells its sync child: one JSON object per line on the child's
standard input, after the line with the station's data key (``app.sync_child``).

- ``{"cmd": "sync_now"}``: a person asked — every lane now, no back-off
  (``SyncLanes.sync_now``);
- ``{"cmd": "stop"}``: finish what is in flight and end.

The end of the pipe means stop too: the system closes it however the window
ends (closed, crashed, killed), so the service never outlives its window.
The child's reader blocks on the pipe — nothing polls a file — and a line that
is not such a command is logged and ignored.  The reverse direction (lane
states, catalog syncs) is ``app.sync_events``.  No Qt here.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Callable
from typing import IO

from sync.control import SYNC_NOW  # one word, whichever way "sync now" travels

log = logging.getLogger(__name__)

STOP = "stop"
COMMANDS = frozenset({SYNC_NOW, STOP})

# A line longer than this is nobody's command: dropped rather than kept growing.
_LONGEST_LINE = 64 * 1024


def command_line(command: str) -> bytes:
    return json.dumps({"cmd": command}).encode("ascii") + b"\n"


def parse_command(raw: bytes) -> str | None:
    """The command of one line, or None for anything else (logged by the caller)."""
    try:
        message = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    command = message.get("cmd") if isinstance(message, dict) else None
    return command if command in COMMANDS else None


class PipeLines:
    """Lines from a file descriptor read with ``os.read``.

    Not ``sys.stdin``: a daemon thread blocked inside a buffered reader holds its
    lock, and the interpreter aborts at exit over it.  And one buffer for the key
    line and the commands after it, so a command the window wrote right behind
    the key is not swallowed by a read-ahead.
    """

    def __init__(self, descriptor: int):
        self.descriptor = descriptor
        self._buffer = b""

    def readline(self) -> bytes:
        """The next line with its newline; the unfinished rest at the end; b"" after it."""
        while b"\n" not in self._buffer:
            chunk = os.read(self.descriptor, 4096)
            if not chunk:
                rest, self._buffer = self._buffer, b""
                return rest
            self._buffer += chunk
            if len(self._buffer) > _LONGEST_LINE and b"\n" not in self._buffer:
                log.warning("sync command pipe: dropped %d bytes without a line end",
                            len(self._buffer))
                self._buffer = b""
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line + b"\n"


def standard_input_lines() -> PipeLines | None:
    """The child's standard input as lines; None without one (a windowless start
    that was given no pipe).  File descriptor 0 even where ``sys.stdin`` is None:
    the windowed build (PyInstaller, no console) still gets the window's pipe there."""
    import sys

    try:
        descriptor = sys.stdin.fileno() if sys.stdin is not None else 0
        os.fstat(descriptor)
    except (AttributeError, ValueError, OSError):
        return None
    return PipeLines(descriptor)


def read_commands(lines: PipeLines, on_command: Callable[[str], None]) -> threading.Thread:
    """The child's side: a daemon thread calling ``on_command(SYNC_NOW | STOP)`` for
    each command line, then ``on_command(STOP)`` once the pipe ends."""

    def read() -> None:
        try:
            for raw in iter(lines.readline, b""):
                command = parse_command(raw)
                if command is None:
                    log.warning("sync command pipe: ignored a line that is no command: %r",
                                raw[:200])
                    continue
                on_command(command)
        except OSError as exc:
            log.info("sync command pipe closed: %s", exc)
        on_command(STOP)  # the window has gone, whichever way

    reader = threading.Thread(target=read, name="window-commands", daemon=True)
    reader.start()
    return reader


class CommandWriter:
    """The window's side: commands down the child's stdin, written by a thread of
    its own.  ``send`` only queues, so the GUI thread never waits on the pipe (a
    write to a full pipe — a child that stopped reading — would block); ``close``
    ends the pipe after what was queued, which stops the child."""

    def __init__(self, stream: IO[bytes] | None):
        self._stream = stream
        self._queue: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._closed = False
        self._writer = threading.Thread(target=self._write_queued, name="sync-commands",
                                        daemon=True)
        self._writer.start()

    def send(self, command: str) -> None:
        if command not in COMMANDS:
            raise ValueError(f"no such sync command: {command}")
        if not self._closed:
            self._queue.put(command)

    def close(self) -> None:
        """No more commands: the child sees the pipe end (and stops) once the queued
        ones are written."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for the queued commands to be written and the pipe closed."""
        self._writer.join(timeout_s)
        return not self._writer.is_alive()

    def _write_queued(self) -> None:
        broken = self._stream is None
        while (command := self._queue.get()) is not None:
            if broken:
                continue  # the child has gone: its exit status says why
            try:
                self._stream.write(command_line(command))
                self._stream.flush()
            except (OSError, ValueError):
                broken = True
        if self._stream is not None:
            try:
                self._stream.close()
            except (OSError, ValueError):
                pass  # a broken pipe may refuse the final flush; closed all the same
