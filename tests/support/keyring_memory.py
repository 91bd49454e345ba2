"""Keyring backends for tests, configured explicitly (never the machine's own keyring).

``MemoryKeyring`` lives in this process only.  Subprocess tests (SIGKILL of a
sync run) need the token in the child too: ``FileKeyring`` keeps it in a file
under the test's tmp dir, chosen with ``PYTHON_KEYRING_BACKEND`` and
``ONEWINDOW_TEST_KEYRING_FILE``.
"""

from __future__ import annotations

import os

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyrings.alt.file import PlaintextKeyring

FILE_ENV = "ONEWINDOW_TEST_KEYRING_FILE"
FILE_BACKEND = "tests.support.keyring_memory.FileKeyring"


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def delete_password(self, service, username):
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class FileKeyring(PlaintextKeyring):
    """keyrings.alt's file backend at a path the test chooses (tests only)."""

    @property
    def file_path(self):
        return os.environ[FILE_ENV]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def file_keyring(tmp_path, monkeypatch):
    """A keyring shared with subprocesses through the environment."""
    # The backend to restore is read before the environment names the file backend:
    # keyring picks its first backend lazily from PYTHON_KEYRING_BACKEND, and would
    # otherwise hand back a FileKeyring whose file variable is gone with this test.
    previous = keyring.get_keyring()
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.cfg"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", FILE_BACKEND)
    backend = FileKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
