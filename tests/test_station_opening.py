"""The window's store opens on a thread of its own from the launch (issue 19,
bench_startup): with the key a signed-in command-line session's agent holds, or
not at all while the station is locked.  Real key agent, real SQLCipher store."""

from __future__ import annotations

import secrets

import pytest

from app.composition import StationSession
from app.security import keys
from app.security.agent import start_agent, stop_agent
from app.settings import Settings
from app.staff.session import save_cli_session
from app.station_opening import begin_opening
from local_store import db as dbmod


@pytest.fixture
def session_agent(home, locked_station):
    """A command-line session signed in at this station: its key agent holds a key."""
    agent_keys = keys.StationKeys(secrets.token_bytes(32))
    agent = start_agent(home, agent_keys, 60.0)
    save_cli_session(home, "test-session", "clerk01", agent.as_dict())
    yield agent_keys
    stop_agent(agent)


def test_the_opening_takes_the_agents_key_and_the_window_session_its_store(home, session_agent):
    opening = begin_opening()
    station = StationSession(Settings(), opening=opening)
    store = station.open_store_if_unlocked()
    try:
        assert store is not None and store is opening.result() and station.store is store
        assert opening.home == home
        assert keys.station_keys().data_key == session_agent.data_key
        assert not dbmod.is_plaintext(home / "cases.sqlite")  # encrypted with that key
        assert station.opening is None  # taken once: a later call opens afresh
    finally:
        station.close_store()


def test_a_locked_station_opens_nothing_until_a_sign_in(home, locked_station):
    station = StationSession(Settings(), opening=begin_opening())
    assert station.open_store_if_unlocked() is None and station.store is None
    assert not keys.unlocked() and not (home / "cases.sqlite").exists()
