"""The station's data key in tests (issue 12, item 5).

Every test starts with its station unlocked, as after a sign-in: a random
data key (one per test run) is held (``local_store.keys.hold``), so every
``Store.open`` — fixtures, in-process CLI commands, helpers — writes a
SQLCipher database exactly as the product does.  A station's first sign-in
in a test (``user login``) creates its key slots through the real path
(``KeySlots.create``) with that held key, so the database opened before it
stays readable.  Tests of locking and unlocking drop the key
(``locked_station``, ``keys.forget()``); children get it by pipe
(``key_line``) or from the real key agent (``key_agent``).

argon2 costs are lowered for tests through the settings the station reads
(``key_slot_kdf_*``), never in the production defaults.
"""

from __future__ import annotations

import os

import pytest

from local_store import keys

# Cheap argon2id for key slots made in tests (production: 64 MiB, t=3, p=4).
TEST_KDF_SETTINGS = {"key_slot_kdf_time_cost": 1, "key_slot_kdf_memory_kib": 256,
                     "key_slot_kdf_parallelism": 1}


# One random data key per test run: module-scoped fixtures (a shared store, a
# case producer) are set up before any test's own fixtures and open with it too.
_RUN_KEYS = keys.StationKeys(os.urandom(keys.DATA_KEY_BYTES))
if keys.held() is None:
    # Imported by a benchmark (tests.bench holds its fixed bench key first), these
    # helpers use the key the process already holds instead of replacing it midway.
    keys.hold(_RUN_KEYS)


@pytest.fixture(autouse=True)
def unlocked_station():
    """Each test starts unlocked (a test that locked the station does not leak it)."""
    keys.hold(_RUN_KEYS)
    yield _RUN_KEYS
    keys.hold(_RUN_KEYS)


@pytest.fixture
def locked_station():
    """No key held in this process: the station is as after a restart."""
    keys.hold(None)
    yield
    keys.hold(_RUN_KEYS)


# --- for tests whose children or readers open the case database ---------------------------

def key_line() -> str:
    """The held data key as one line for a child's stdin — the way the window hands
    it to its sync child (``sync run --key-from-stdin``)."""
    return keys.require_held().data_key.hex() + "\n"


def hold_key_from_stdin() -> None:
    """In a test's child process: hold the key its parent wrote as the first line."""
    import sys

    keys.hold(keys.StationKeys(bytes.fromhex(sys.stdin.readline().strip())))


def open_case_file(path, *, read_only: bool = False, timeout: float = 5.0):
    """A raw SQLCipher connection to a case database with the held key (what the
    sqlite3 tool does to a plain file: for tests that look under the store)."""
    from pathlib import Path

    from sqlcipher3 import dbapi2

    uri = f"{Path(path).resolve().as_uri()}{'?mode=ro' if read_only else ''}"
    connection = dbapi2.connect(uri, uri=True, timeout=timeout)
    key = keys.require_held().sqlcipher_pragma_key().replace("'", "''")
    connection.execute(f"PRAGMA key = '{key}'")
    return connection


@pytest.fixture
def key_agent(home):
    """The station unlocked for child processes too: the real key agent holding the
    test's key, recorded where commands look (the command line's session file) —
    as after ``onewindow user login``, without the hall.  Stopped at the end."""
    from app.security.agent import start_agent, stop_agent
    from app.staff.session import load_cli_session_record, save_cli_session

    agent = start_agent(home, keys.require_held(), 600)
    record = load_cli_session_record(home) or {}
    save_cli_session(home, record.get("session", "test-no-session"),
                     record.get("account", ""), agent.as_dict())
    yield agent
    stop_agent(agent)


def plaintext_copy(path, target) -> None:
    """A plain SQLite copy of a case database (sqlcipher_export), for tests that need
    what only the standard library offers (``iterdump``)."""
    connection = open_case_file(path)
    try:
        connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
        connection.execute("SELECT sqlcipher_export('plain')")
        connection.execute("DETACH DATABASE plain")
    finally:
        connection.close()
