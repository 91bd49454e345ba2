"""Sync tests write to sockets that the fault proxy resets on purpose.

libsane leaves SIGPIPE at its default action after a scan; the scanner now
restores "ignore" (proven by tests/scanning/test_sigpipe.py).  This guard stays
so that a regression fails that test instead of killing the whole test run on
the first write to a reset connection.
"""

from __future__ import annotations

import signal

import pytest


@pytest.fixture(autouse=True)
def sigpipe_ignored():
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    yield
