"""Encryption at rest of the case database (issue 12, item 5).

Cases are taken in through the real producers (IntakeService via
``create_case``, ``onewindow case import``), the station is signed in and out
through ``onewindow user login|logout|recover``; the checks read the file
with the sqlite3 command-line tool and with Python's plain SQLite.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.embedded_hall import DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER
from app.security import keys
from app.security.keys import KeySlots
from local_store import db as dbmod
from local_store.keys import StationKeys
from local_store.models import Case, OutboxEntry
from local_store.store import CASE_DB_FILE, Store
from tests.support.producers import create_case
from tests.support.staff import run_user_command, stop_cli_key_agent

ROOT = Path(__file__).resolve().parents[1]
APPLICANT = "加密测试人"


def take_in(home: Path, count: int) -> list[str]:
    """Cases taken in at the window (IntakeService), with the station unlocked."""
    store = Store.open(home)
    try:
        return [create_case(store).number for _ in range(count)]
    finally:
        store.close()


def case_numbers_via_cli(capsys) -> set[str]:
    import argparse

    from app.cli import case_cmd

    parser = argparse.ArgumentParser(prog="onewindow")
    case_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(["case", "list", "--json"])
    assert args.handler(args) == 0
    listed = json.loads(capsys.readouterr().out)
    rows = listed["cases"] if isinstance(listed, dict) else listed
    return {row["number"] for row in rows}


def lock_this_process() -> None:
    """As after the command ends: this process forgets the key."""
    keys.forget()


# --- the file on disk -----------------------------------------------------------------

def test_the_sqlite3_tool_cannot_read_the_case_database(home, signed_in_cli):
    numbers = take_in(home, 3)
    path = home / CASE_DB_FILE
    with open(path, "rb") as fh:
        header = fh.read(16)
    assert header != dbmod.SQLITE_HEADER and b"SQLite format" not in header
    tool = shutil.which("sqlite3")
    if tool is None:
        pytest.skip("the sqlite3 command-line tool is not installed")
    result = subprocess.run([tool, str(path), "SELECT count(*) FROM sqlite_master;"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "not a database" in result.stderr
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    raw = path.read_bytes()
    for secret in (numbers[0].encode(), "张三".encode(), b"350205"):
        assert secret not in raw
    # The key is nowhere in the station home in clear.
    held = keys.station_keys()
    for file in home.rglob("*"):
        if file.is_file():
            content = file.read_bytes()
            for secret in (held.data_key, held.database, held.data_key.hex().encode(),
                           held.database.hex().encode()):
                assert secret not in content, file


def test_with_the_wrong_key_the_database_does_not_open(home):
    take_in(home, 1)
    with pytest.raises(keys.WrongKey):
        Store.open(home, StationKeys(os.urandom(32)))


# --- signing in unlocks -------------------------------------------------------------------

def test_offline_sign_in_unlocks_and_a_wrong_password_does_not(home, signed_in_cli, capsys,
                                                               monkeypatch):
    numbers = set(take_in(home, 2))
    assert run_user_command(["logout"]) == 0
    lock_this_process()
    capsys.readouterr()
    # Nobody signed in: a command refuses in one line, the key is nowhere.
    assert run_user_command(["whoami"]) == 1
    assert "未登录" in capsys.readouterr().err
    # The hall is out of reach: only the key slot can say yes.
    monkeypatch.setenv("ONEWINDOW_HALL_URL", "http://127.0.0.1:9")
    assert run_user_command(["login", "--user", DEMO_USER], "wrong-password") == 1
    assert "用户名或密码错误" in capsys.readouterr().err
    assert not keys.unlocked()
    assert run_user_command(["login", "--user", DEMO_USER], DEMO_PASSWORD) == 0
    capsys.readouterr()
    lock_this_process()  # a later command: the key comes from the session's agent
    assert numbers <= case_numbers_via_cli(capsys)
    stop_cli_key_agent(home)


def test_the_agent_ends_at_logout_and_commands_refuse(home, signed_in_cli, capsys):
    from app.security.agent import AgentAddress, agent_keys
    from app.staff.session import load_cli_session_record

    agent = AgentAddress.from_dict(load_cli_session_record(home)["agent"])
    assert agent_keys(agent) == keys.station_keys()
    session_text = (home / "session.json").read_text()
    assert keys.station_keys().data_key.hex() not in session_text
    assert run_user_command(["logout"]) == 0
    assert agent_keys(agent) is None
    lock_this_process()
    capsys.readouterr()
    with pytest.raises(Exception, match="未登录"):
        case_numbers_via_cli(capsys)


# --- recovery ---------------------------------------------------------------------------------

def test_the_recovery_key_restores_unsynced_cases_after_every_staff_password_is_lost(
        home, cli_login, capsys):
    # A new station: its first sign-in creates the keys and shows the recovery key once.
    keys.forget()
    assert cli_login() == 0
    shown = capsys.readouterr().err
    code = next(line.strip() for line in shown.splitlines() if line.strip().count("-") == 7)
    numbers = set(take_in(home, 3))
    unsent = OutboxEntry.select().where(OutboxEntry.sent_at.is_null()).count()
    assert unsent >= 3  # nothing has reached the hall
    assert run_user_command(["logout"]) == 0
    lock_this_process()
    # Every staff password is lost: nobody's slot opens the station.
    for guess in ("forgotten-1", "forgotten-2"):
        assert cli_login(DEMO_USER, guess) == 1
    assert not keys.unlocked()
    capsys.readouterr()
    assert run_user_command(["recover", "--user", DEMO_ADMIN],
                            f"{code}\n{DEMO_PASSWORD}") == 0
    assert "恢复密钥" in capsys.readouterr().out
    lock_this_process()  # the next command asks the administrator's agent
    assert numbers <= case_numbers_via_cli(capsys)
    store = Store.open(home, keys=_agent_keys(home))
    try:
        assert OutboxEntry.select().where(OutboxEntry.sent_at.is_null()).count() == unsent
        assert {c.number for c in Case.select()} >= numbers
    finally:
        store.close()
    # The administrator now has a slot of their own (offline next time).
    assert "slot" in KeySlots.load(home).staff(DEMO_ADMIN)


def test_a_wrong_recovery_key_is_refused_in_one_line(home, cli_login, capsys):
    keys.forget()
    assert cli_login() == 0
    assert run_user_command(["logout"]) == 0
    lock_this_process()
    capsys.readouterr()
    assert run_user_command(["recover", "--user", DEMO_ADMIN],
                            f"{'1' * 48}\n{DEMO_PASSWORD}") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "恢复密钥不正确" in err
    assert not keys.unlocked()


def _agent_keys(home):
    from app.security.agent import AgentAddress, agent_keys
    from app.staff.session import load_cli_session_record

    return agent_keys(AgentAddress.from_dict(load_cli_session_record(home)["agent"]))


# --- migrating a plaintext store ------------------------------------------------------------

def plaintext_store(home: Path, monkeypatch, cases: int) -> set[str]:
    """A store as the previous release made it: the same Store.open and producers,
    with the case database opened without a key (plain SQLite)."""
    plain_open = dbmod.open_case_db
    with monkeypatch.context() as patch:
        patch.setattr(dbmod, "open_case_db", lambda path, _keys=None: plain_open(path))
        numbers = set(take_in(home, cases))
    assert dbmod.is_plaintext(home / CASE_DB_FILE)
    return numbers


def test_a_plaintext_store_is_encrypted_on_first_unlock_with_every_case(home, monkeypatch):
    numbers = plaintext_store(home, monkeypatch, 5)
    (home / f"{CASE_DB_FILE}.v9.bak").write_bytes((home / CASE_DB_FILE).read_bytes())
    store = Store.open(home)
    try:
        assert {c.number for c in Case.select()} == numbers
        assert dbmod.integrity_check(store.case_db) == "ok"
    finally:
        store.close()
    assert not dbmod.is_plaintext(home / CASE_DB_FILE)
    assert not (home / f"{CASE_DB_FILE}{dbmod.ENCRYPTING_SUFFIX}").exists()
    # The plaintext copy an old schema migration left is personal data too: gone.
    assert not (home / f"{CASE_DB_FILE}.v9.bak").exists()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(home / CASE_DB_FILE).execute("SELECT * FROM sqlite_master").fetchall()


MIGRATE_CHILD = """
import sys
from local_store.keys import StationKeys, hold
from local_store.store import Store
hold(StationKeys(bytes.fromhex(sys.stdin.readline().strip())))
Store.open(sys.argv[1]).close()
print("done", flush=True)
"""


def test_sigkill_during_migration_leaves_a_usable_store(home, monkeypatch):
    numbers = plaintext_store(home, monkeypatch, 40)
    held = keys.station_keys()
    rng = random.Random(12)
    target = home / f"{CASE_DB_FILE}{dbmod.ENCRYPTING_SUFFIX}"
    killed_midway = 0
    for trial in range(4):
        if not dbmod.is_plaintext(home / CASE_DB_FILE):
            break
        child = subprocess.Popen([sys.executable, "-c", MIGRATE_CHILD, str(home)], cwd=ROOT,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        child.stdin.write(held.data_key.hex() + "\n")
        child.stdin.flush()
        deadline = time.monotonic() + 30
        while not target.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.0005)
        time.sleep(rng.uniform(0, 0.004) * trial)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
            killed_midway += 1
        child.wait(30)
        # Whatever moment it died at, exactly one complete database is there.
        path = home / CASE_DB_FILE
        if dbmod.is_plaintext(path):
            plain = sqlite3.connect(path)
            assert plain.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert plain.execute("SELECT count(*) FROM \"case\"").fetchone()[0] == len(numbers)
            plain.close()
    assert killed_midway >= 1
    store = Store.open(home, held)
    try:
        assert {c.number for c in Case.select()} == numbers
        assert dbmod.integrity_check(store.case_db) == "ok"
    finally:
        store.close()
    assert not dbmod.is_plaintext(home / CASE_DB_FILE)
    assert not target.exists()


def test_offline_sign_in_survives_the_upgrade_and_creates_the_keys(home, monkeypatch,
                                                                   cli_login, capsys):
    """A street office upgraded while offline: its plaintext database still holds the
    argon2 hash the previous release kept after the hall confirmed the password.
    That hash is accepted for the rest of its offline period; the sign-in creates the
    station's keys, gives the account its slot and converts the database."""
    from argon2 import PasswordHasher

    from local_store.models import StaffAccount, utcnow

    numbers = plaintext_store(home, monkeypatch, 2)
    plain_open = dbmod.open_case_db
    with monkeypatch.context() as patch:
        patch.setattr(dbmod, "open_case_db", lambda path, _keys=None: plain_open(path))
        store = Store.open(home)
        # What the previous release's SignInService stored after an online sign-in.
        store.writer.call(lambda: StaffAccount.create(
            account=DEMO_USER, display_name="张窗口", role="clerk",
            password_hash=PasswordHasher().hash(DEMO_PASSWORD), hall_verified_at=utcnow()))
        store.close()
    keys.forget()
    monkeypatch.setenv("ONEWINDOW_HALL_URL", "http://127.0.0.1:9")  # no hall today
    assert cli_login(DEMO_USER, "wrong-password") == 1
    assert dbmod.is_plaintext(home / CASE_DB_FILE) and not keys.unlocked()
    assert cli_login(DEMO_USER, DEMO_PASSWORD) == 0
    assert "恢复密钥" in capsys.readouterr().err  # the new keys' recovery key, once
    assert not dbmod.is_plaintext(home / CASE_DB_FILE)
    assert "slot" in KeySlots.load(home).staff(DEMO_USER)
    lock_this_process()
    assert numbers <= case_numbers_via_cli(capsys)
    store = Store.open(home, keys=_agent_keys(home))
    try:
        assert StaffAccount.get(StaffAccount.account == DEMO_USER).password_hash is None
    finally:
        store.close()
