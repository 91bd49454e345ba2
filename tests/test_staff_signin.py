"""Staff sign-in at the station (issue 12): online first, offline after,
lockout, roles refused in the services, the session of the command line."""

from __future__ import annotations

import datetime as dt
import json
import socket
import stat

import pytest
import requests

from app.embedded_hall import DEMO_PASSWORD, DEMO_USER
from app.reports.summary import DAILY, supervisor_summary
from app.security.keys import KeySlots
from app.settings import Settings
from app.staff import PermissionRefused
from app.staff.signin import AccountLocked, HallNeeded, SignInError, SignInService
from local_store.models import AuditEvent, StaffAccount, utcnow
from tests.support.staff import run_user_command
from tests.support.station_keys import TEST_KDF_SETTINGS

T0 = dt.datetime(2026, 11, 20, 1, 0)  # UTC


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens here once the probe is closed


def service(store, hall_url, at=T0, **settings):
    return SignInService(store, Settings(**{**TEST_KDF_SETTINGS, **settings}),
                         hall_url=hall_url, clock=lambda: at)


def test_first_sign_in_needs_the_hall(store, memory_keyring):
    with pytest.raises(HallNeeded, match="首次在本工位登录"):
        service(store, closed_port_url()).sign_in(DEMO_USER, DEMO_PASSWORD)
    assert StaffAccount.get_or_none(StaffAccount.account == DEMO_USER) is None


def test_offline_after_one_online_sign_in_until_the_period_ends(store, shared_hall,
                                                                memory_keyring):
    online = service(store, shared_hall.url).sign_in(DEMO_USER, DEMO_PASSWORD)
    assert (online.account, online.role) == (DEMO_USER, "clerk")
    # What offline sign-in needs is the account's key slot, outside the encrypted
    # database; no password hash is kept inside it any more.
    assert StaffAccount.get(StaffAccount.account == DEMO_USER).password_hash is None
    slot = KeySlots.load(store.home).staff(DEMO_USER)
    assert slot["slot"]["kdf"]["name"] == "argon2id" and slot["role"] == "clerk"
    assert DEMO_PASSWORD not in (store.home / "keyslots.json").read_text()

    offline = closed_port_url()
    six_days = service(store, offline, at=T0 + dt.timedelta(days=6, hours=23))
    assert six_days.sign_in(DEMO_USER, DEMO_PASSWORD).account == DEMO_USER
    with pytest.raises(HallNeeded, match="离线登录期限（7 天）已过"):
        service(store, offline, at=T0 + dt.timedelta(days=7, minutes=1)).sign_in(
            DEMO_USER, DEMO_PASSWORD)
    # A shorter period is a setting.
    with pytest.raises(HallNeeded):
        service(store, offline, at=T0 + dt.timedelta(days=2), offline_sign_in_days=1).sign_in(
            DEMO_USER, DEMO_PASSWORD)


def test_five_failures_lock_the_account_for_thirty_minutes(store, shared_hall, memory_keyring):
    service(store, shared_hall.url).sign_in(DEMO_USER, DEMO_PASSWORD)
    offline = closed_port_url()
    for attempt in range(1, 5):
        with pytest.raises(SignInError, match=f"再错 {5 - attempt} 次将锁定"):
            service(store, offline, at=T0 + dt.timedelta(minutes=attempt)).sign_in(
                DEMO_USER, "wrong-password")
    with pytest.raises(AccountLocked, match="锁定 30 分钟"):
        service(store, offline, at=T0 + dt.timedelta(minutes=5)).sign_in(DEMO_USER, "nope")
    # The right password does not open a locked account…
    with pytest.raises(AccountLocked, match="已锁定"):
        service(store, offline, at=T0 + dt.timedelta(minutes=34)).sign_in(
            DEMO_USER, DEMO_PASSWORD)
    # …until the lock ends.
    later = service(store, offline, at=T0 + dt.timedelta(minutes=36))
    assert later.sign_in(DEMO_USER, DEMO_PASSWORD).account == DEMO_USER
    events = [row.event for row in AuditEvent.select().order_by(AuditEvent.id)]
    assert events.count("sign_in_failed") == 5
    assert "account_locked" in events and "sign_in_locked" in events


def test_wrong_password_at_the_hall_counts_as_a_failure(store, shared_hall, memory_keyring):
    with pytest.raises(SignInError, match="用户名或密码错误"):
        service(store, shared_hall.url).sign_in("clerk02", "not-the-password")
    # Counted where a locked station can read it: the key-slot file.
    entry = KeySlots.load(store.home).staff("clerk02")
    assert entry["failed_attempts"] == 1 and "slot" not in entry


def test_an_account_of_another_station_is_refused_without_counting(store, shared_hall,
                                                                  memory_keyring):
    # clerk02 works at the street office (350205002), this station is the centre's.
    with pytest.raises(SignInError, match="本工位"):
        service(store, shared_hall.url).sign_in("clerk02", DEMO_PASSWORD)
    assert StaffAccount.get_or_none(StaffAccount.account == "clerk02") is None
    refused = AuditEvent.get(AuditEvent.account == "clerk02")
    assert (refused.event, refused.outcome) == ("sign_in_failed", "refused")


def test_a_clerk_is_refused_the_supervisors_summary(store, shared_hall, memory_keyring):
    clerk = service(store, shared_hall.url, sign_in_max_failures=5).sign_in(
        DEMO_USER, DEMO_PASSWORD)
    with pytest.raises(PermissionRefused, match="无权查看统计报表"):
        supervisor_summary(clerk, DAILY, dt.date(2026, 11, 20))
    with pytest.raises(Exception, match="未登录"):
        supervisor_summary(None, DAILY, dt.date(2026, 11, 20))


def test_a_supervisor_gets_the_summary(store, shared_hall, memory_keyring):
    answer = requests.post(f"{shared_hall.api}/auth/token", timeout=10, json={
        "station": "350205001", "user": "supervisor", "password": DEMO_PASSWORD}).json()
    assert answer["role"] == "supervisor"
    supervisor = service(store, shared_hall.url).sign_in("supervisor", DEMO_PASSWORD)
    assert supervisor.role == "supervisor"
    assert supervisor_summary(supervisor, DAILY, dt.date(2026, 11, 20)).received == 0


def test_cli_session_login_whoami_logout(home, cli_login, capsys):
    assert run_user_command(["whoami"]) == 1
    assert "未登录" in capsys.readouterr().err

    assert cli_login(DEMO_USER, DEMO_PASSWORD) == 0
    assert "已登录：clerk01" in capsys.readouterr().out
    assert run_user_command(["whoami", "--json"]) == 0
    who = json.loads(capsys.readouterr().out)
    assert who == {"signed_in": True, "account": DEMO_USER, "display_name": DEMO_USER,
                   "role": "clerk", "station": "350205001"}

    session_file = home / "session.json"
    assert stat.S_IMODE(session_file.stat().st_mode) == 0o600
    text = session_file.read_text()
    assert DEMO_PASSWORD not in text and "access" not in text

    assert run_user_command(["logout"]) == 0
    assert not session_file.exists()
    assert run_user_command(["whoami"]) == 1
    events = [(row.event, row.outcome) for row in AuditEvent.select().order_by(AuditEvent.id)]
    assert events == [("sign_in", "ok"), ("sign_out", "ok")]


def test_cli_refuses_a_wrong_password_with_one_line(cli_login, capsys):
    assert cli_login(DEMO_USER, "wrong-password") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "用户名或密码错误" in err


def test_cli_session_ends_after_the_idle_limit(home, store, cli_login, capsys):
    assert cli_login() == 0
    StaffSessionAged = store.writer.call(_age_sessions, dt.timedelta(minutes=16))
    assert StaffSessionAged == 1
    assert run_user_command(["whoami"]) == 1
    assert not (home / "session.json").exists()


def _age_sessions(by: dt.timedelta) -> int:
    from local_store.models import StaffSession

    return StaffSession.update(last_seen_at=utcnow() - by).execute()
