"""Staff sign-in for tests, through the real path: the hall confirms the first
sign-in of an account (``onewindow user login``), the station keeps its hash.

``signed_in_cli`` signs the demo clerk in at the test's station home against
the module's shared reference hall, exactly as a clerk at a terminal would;
``cli_login(user, password)`` signs in someone else (or tries to).
"""

from __future__ import annotations

import argparse
import io
import sys

import pytest

from app.embedded_hall import DEMO_PASSWORD, DEMO_USER
from app.settings import load_settings, save_settings

# Homes where a test's ``user login``/``recover`` started a key agent: stopped after
# the test (stop_key_agents_of_logins), so no agent outlives the test that made it.
_homes_with_agents: set[str] = set()


@pytest.fixture(autouse=True)
def stop_key_agents_of_logins():
    yield
    while _homes_with_agents:
        stop_cli_key_agent(_homes_with_agents.pop())


def run_user_command(argv: list[str], password: str | None = None) -> int:
    from app.cli import CommandError, user_cmd
    from app.settings import data_dir

    if argv and argv[0] in ("login", "recover"):
        _homes_with_agents.add(str(data_dir()))

    parser = argparse.ArgumentParser(prog="onewindow")
    user_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(["user", *argv])
    previous = sys.stdin
    sys.stdin = io.StringIO(f"{password}\n" if password is not None else "")
    try:
        return args.handler(args)
    except CommandError as exc:
        print(f"onewindow: {exc}", file=sys.stderr)
        return 1
    finally:
        sys.stdin = previous


def enrol_station_with(home, hall_url: str) -> None:
    """Point the station at the hall, as ``onewindow enroll`` leaves it (with the
    tests' cheap argon2 for key slots)."""
    from tests.support.station_keys import TEST_KDF_SETTINGS

    settings = load_settings(home)
    settings.hall_url = hall_url
    for name, value in TEST_KDF_SETTINGS.items():
        setattr(settings, name, value)
    save_settings(settings, home)


def stop_cli_key_agent(home) -> None:
    """End the key agent a test's ``user login`` started (as ``logout`` would)."""
    from app.security.agent import AgentAddress, stop_agent
    from app.staff.session import load_cli_session_record

    stop_agent(AgentAddress.from_dict((load_cli_session_record(home) or {}).get("agent")))


@pytest.fixture
def cli_login(home, shared_hall, memory_keyring):
    enrol_station_with(home, shared_hall.url)

    def login(user: str = DEMO_USER, password: str = DEMO_PASSWORD) -> int:
        return run_user_command(["login", "--user", user], password)

    yield login
    stop_cli_key_agent(home)


@pytest.fixture
def signed_in_cli(cli_login) -> str:
    """The demo clerk signed in at this station; returns the account."""
    assert cli_login() == 0
    return DEMO_USER


def login_at(hall_url: str, user: str = DEMO_USER, password: str = DEMO_PASSWORD) -> int:
    """``onewindow user login`` against ``hall_url`` without changing the saved settings
    (for tests whose station already points at another hall or at none)."""
    import os

    from app.settings import HALL_URL_ENV

    previous = os.environ.get(HALL_URL_ENV)
    os.environ[HALL_URL_ENV] = hall_url
    try:
        return run_user_command(["login", "--user", user], password)
    finally:
        if previous is None:
            del os.environ[HALL_URL_ENV]
        else:
            os.environ[HALL_URL_ENV] = previous
