"""Sync tests write to sockets that the fault proxy resets on purpose.

A library loaded by earlier tests in the same process (SANE's test backend,
seen in tests/scanning) leaves SIGPIPE at its default action, which would
kill the whole test process on the first write to a reset connection.
Python's own default (ignore → an exception) is restored for every test here.
"""

from __future__ import annotations

import signal

import pytest


@pytest.fixture(autouse=True)
def sigpipe_ignored():
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    yield
