"""Background threads yield to the clerk's window.

Kept apart from ``sync.lanes`` so the GUI can use it without importing the
HTTP stack (``requests``, ``keyring``) at start-up.
"""

from __future__ import annotations

import os
import threading


def lower_thread_priority() -> None:
    """Run the calling thread at a lower OS priority than the clerk's window.

    Sync is background work: on a busy two-core counter PC its threads must
    lose to the GUI thread, both for the CPU and for Python's interpreter lock
    (whose hand-over follows OS scheduling).  Linux sets priority per thread;
    elsewhere this is a no-op.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):
        pass
