"""The station's data key in tests (issue 12, item 5).

Every test's process starts with its station unlocked, as after a sign-in:
a fresh random data key is held (``local_store.keys.hold``), so every
``Store.open`` — fixtures, in-process CLI commands, helpers — writes a
SQLCipher database exactly as the product does.  A test's ``home`` gets its
key slots created through the real first-start path (``KeySlots.create``)
with that key, so a sign-in there adds a slot for the same data key.
Tests of locking and unlocking drop the key with ``locked_station``.

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


@pytest.fixture(autouse=True)
def unlocked_station():
    held = keys.StationKeys(os.urandom(keys.DATA_KEY_BYTES))
    keys.hold(held)
    yield held
    keys.hold(None)


@pytest.fixture
def locked_station():
    """No key held in this process: the station is as after a restart."""
    keys.hold(None)
    yield
    keys.hold(None)
