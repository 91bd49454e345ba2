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
]

ARTIFACTS = Path(__file__).parent / "artifacts"


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
