"""The window's first wait, begun before anything else (issue 19, bench_startup).

Nothing of the window can be built before the station's store is open, and the
case database is encrypted: a window started at a station whose command-line
session is signed in takes the station's keys from that session's key agent (a
round trip to another process), then opens the SQLCipher database.  Both steps
mostly wait, on the agent and on the disk.  ``ui.launcher`` begins them here, on a
thread of their own, while the main thread imports Qt and the widgets (about
0.4 s) — instead of after, on the GUI thread, where the agent's round trip alone
held the start for 40–70 ms.  ``app.composition.StationSession`` takes the result.

Only the standard library at import: the opening thread imports what it needs.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from local_store.store import Store


class StationOpening:
    """The station home's store, opening on a thread of its own."""

    def __init__(self) -> None:
        self.home: Path | None = None  # the station home, once the thread knows it
        self._opened: Future = Future()

    def start(self) -> StationOpening:
        threading.Thread(target=self._open, name="station-opening", daemon=True).start()
        return self

    def _open(self) -> None:
        try:
            from app.composition import open_unlocked_store
            from app.settings import data_dir

            self.home = data_dir()
            self._opened.set_result(open_unlocked_store(self.home))
        except BaseException as exc:  # noqa: BLE001 - raised again to whoever waits
            self._opened.set_exception(exc)

    def result(self) -> Store | None:
        """Waits for the opening: the store, opened with the keys this process holds
        or the key agent handed over; None while the station is locked (the window's
        first sign-in unlocks it).  Raises what opening raised."""
        return self._opened.result()


def begin_opening() -> StationOpening:
    """Start opening the station's store (the window's run, from its first moment)."""
    from local_store.file_modes import use_private_umask

    # The station home and its database files are created private, as the window
    # makes them (``ui.application.run_gui`` sets the same mask).
    use_private_umask()
    return StationOpening().start()
