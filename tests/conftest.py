"""Shared fixtures: a fresh data directory and store per test.

Fixtures of a concern live in ``tests/support/<concern>.py`` and are listed
in ``pytest_plugins`` below.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins: list[str] = [
    "tests.support.catalog",
    "tests.support.ui",
    "tests.support.hall",
    "tests.support.keyring_memory",
    "tests.support.fault_proxy",
    "tests.support.scanning",
    "tests.support.printing",
    "tests.support.intake",
    "tests.support.staff",
    "tests.support.producers",
    "tests.support.station_keys",
]

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(autouse=True)
def no_station_of_this_machine(tmp_path_factory, monkeypatch):
    """No test reads or writes the machine's own station (~/.local/share/OneWindow)
    or talks to a hall named in the environment: a test without ``home`` gets an
    empty station of its own, so leftovers of earlier runs (or of a clerk's real
    work) can neither help a test pass nor make it fail."""
    monkeypatch.setenv("ONEWINDOW_HOME", str(tmp_path_factory.mktemp("station")))
    monkeypatch.delenv("ONEWINDOW_HALL_URL", raising=False)


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty ONEWINDOW_HOME for this test."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("ONEWINDOW_HOME", str(path))
    monkeypatch.delenv("ONEWINDOW_HALL_URL", raising=False)
    return path


@pytest.fixture
def store(home):
    from local_store.store import Store

    opened = Store.open(home)
    yield opened
    opened.close()


@pytest.fixture
def artifacts() -> Path:
    """Where tests leave screenshots and PDFs for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
