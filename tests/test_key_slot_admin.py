"""The administrator's care of the station's key slots (issue 12, item 5):
revoking a staff member's slot, reissuing the recovery key, and the slot the
station revokes by itself when the hall no longer accepts an account.

Staff sign in through the real sign-in service against the real reference hall
(over HTTP); accounts are created, rebound and removed at the hall with the
hall's own ``account`` command, as its administrator would.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.embedded_hall import DEMO_ADMIN, DEMO_PASSWORD, DEMO_USER
from app.security import keys
from app.security.keys import KdfParams, KeySlots, LastSlotRefused, NoSlot, RecoveryKeyWrong
from app.settings import Settings
from app.staff import NotSignedIn, PermissionRefused
from app.staff.key_slots import (
    KeySlotRefused,
    key_slot_overview,
    reissue_recovery_key,
    revoke_staff_slot,
)
from app.staff.session import WINDOW, begin_window_session, resolve
from app.staff.signin import HallNeeded, SignInError, SignInService, StationKeyNeeded
from local_store.models import AuditEvent, StaffSession
from tests.support.staff import run_user_command
from tests.support.station_keys import TEST_KDF_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
T0 = dt.datetime(2026, 11, 20, 1, 0)  # UTC
CENTRE = "350205001"  # this station (the settings' default region + station)
STREET = "350205002"
CHEAP = KdfParams(time_cost=1, memory_kib=256, parallelism=1)


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def settings_for(hall_url: str | None = None) -> Settings:
    return Settings(**TEST_KDF_SETTINGS, **({"hall_url": hall_url} if hall_url else {}))


def sign_in(store, hall_url, account, password=DEMO_PASSWORD, at=T0):
    return SignInService(store, settings_for(), hall_url=hall_url,
                         clock=lambda: at).sign_in(account, password)


def hall_account(handle, user: str, *options: str, password: str | None = None) -> None:
    """``python -m central_hall account`` against the running hall's data."""
    command = [sys.executable, "-m", "central_hall", "account", "--data", str(handle.data_dir)]
    if handle.database_url:
        command += ["--database", handle.database_url]
    subprocess.run([*command, "--user", user, *options],
                   input=(password + "\n") if password else "", text=True, check=True,
                   capture_output=True, timeout=60)


def audit_rows(event: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.event == event).order_by(AuditEvent.id))


def all_audit_text() -> str:
    return "\n".join(f"{r.account} {r.event} {r.object} {r.outcome} {r.detail}"
                     for r in AuditEvent.select())


@pytest.fixture
def staffed_station(store, shared_hall, memory_keyring):
    """This station after the administrator's first sign-in (which made its keys and
    recovery key) and the demo clerk's: (admin identity, clerk identity, recovery code)."""
    first = SignInService(store, settings_for(), hall_url=shared_hall.url, clock=lambda: T0)
    admin = first.sign_in(DEMO_ADMIN, DEMO_PASSWORD)
    assert first.recovery_code, "the station's first sign-in shows its recovery key"
    clerk = sign_in(store, shared_hall.url, DEMO_USER)
    return admin, clerk, first.recovery_code


# --- who may ------------------------------------------------------------------------------

def test_a_clerk_may_neither_revoke_nor_reissue(store, shared_hall, staffed_station):
    admin, clerk, code = staffed_station
    sign_ins_before = len(audit_rows("sign_in"))
    with pytest.raises(PermissionRefused, match="无权撤销工作人员密钥槽"):
        revoke_staff_slot(store, settings_for(), clerk, DEMO_ADMIN)
    with pytest.raises(PermissionRefused, match="无权重新签发恢复密钥"):
        reissue_recovery_key(store, settings_for(), clerk, DEMO_PASSWORD,
                             hall_url=shared_hall.url)
    with pytest.raises(PermissionRefused):
        key_slot_overview(store, clerk)
    with pytest.raises(NotSignedIn):
        revoke_staff_slot(store, settings_for(), None, DEMO_USER)
    # Nothing changed: the administrator's slot and the old recovery key still open it.
    slots = KeySlots.load(store.home)
    assert slots.unwrap_staff(DEMO_ADMIN, DEMO_PASSWORD) == keys.station_keys()
    assert slots.unwrap_recovery(code) == keys.station_keys()
    refused = [(r.account, r.object, r.outcome, json.loads(r.detail)["action"])
               for r in audit_rows("permission_refused")]
    assert (DEMO_USER, "keyslot/staff:admin", "refused", "keyslot_revoke") in refused
    assert (DEMO_USER, "keyslot/recovery", "refused", "recovery_key_reissue") in refused
    # A clerk's refusal is decided before any password is looked at: no sign-in row.
    assert len(audit_rows("sign_in")) == sign_ins_before


def test_nobody_revokes_their_own_slot_nor_one_that_is_not_there(store, staffed_station):
    admin, _clerk, _code = staffed_station
    with pytest.raises(KeySlotRefused, match="不能撤销自己的密钥槽"):
        revoke_staff_slot(store, settings_for(), admin, DEMO_ADMIN)
    with pytest.raises(KeySlotRefused, match="没有密钥槽"):
        revoke_staff_slot(store, settings_for(), admin, "supervisor")
    assert "slot" in KeySlots.load(store.home).staff(DEMO_ADMIN)
    reasons = [json.loads(r.detail)["reason"] for r in audit_rows("key_slot_revoked")
               if r.outcome == "refused"]
    assert reasons == ["own_slot", "no_slot"]


def test_the_last_way_into_the_station_is_never_revoked(tmp_path):
    slots = KeySlots.load(tmp_path)
    station, _code = slots.create()
    slots.set_staff_slot("clerk01", "pw-one", station, CHEAP, {})
    slots.set_staff_slot("clerk02", "pw-two", station, CHEAP, {})
    # A file without a recovery slot (made by hand, or damaged): staff slots are all
    # that opens it, and the last of them stays.
    raw = json.loads(slots.path.read_text(encoding="utf-8"))
    del raw["recovery"]
    slots.path.write_text(json.dumps(raw), encoding="utf-8")
    slots = KeySlots.load(tmp_path)
    slots.revoke_staff_slot("clerk01", revoked_by="admin", reason="administrator")
    with pytest.raises(LastSlotRefused, match="唯一"):
        slots.revoke_staff_slot("clerk02", revoked_by="admin", reason="administrator")
    assert KeySlots.load(tmp_path).unwrap_staff("clerk02", "pw-two") == station
    with pytest.raises(NoSlot):
        KeySlots.load(tmp_path).unwrap_staff("clerk01", "pw-one")


# --- revoking -----------------------------------------------------------------------------

def test_a_revoked_password_no_longer_opens_the_station_offline(store, shared_hall,
                                                                staffed_station):
    admin, clerk, _code = staffed_station
    session_id = begin_window_session(store, settings_for(), clerk)
    revoked = revoke_staff_slot(store, settings_for(), admin, DEMO_USER)
    assert (revoked.account, revoked.has_slot, revoked.revoked_by) == (DEMO_USER, False,
                                                                      DEMO_ADMIN)
    # The clerk's open session ended with it.
    assert resolve(store, settings_for(), session_id) is None
    ended = StaffSession.get(StaffSession.account == DEMO_USER, StaffSession.kind == WINDOW)
    assert ended.end_reason == "revoked"
    # Offline, the right password opens nothing any more, well inside the 7 days.
    offline = closed_port_url()
    with pytest.raises(HallNeeded, match="已被撤销"):
        sign_in(store, offline, DEMO_USER, at=T0 + dt.timedelta(days=1))
    with pytest.raises(NoSlot):
        KeySlots.load(store.home).unwrap_staff(DEMO_USER, DEMO_PASSWORD)
    overview = key_slot_overview(store, admin)
    assert [e.account for e in overview.with_slots] == [DEMO_ADMIN]
    gone = next(e for e in overview.staff if e.account == DEMO_USER)
    assert gone.revoked_by == DEMO_ADMIN and gone.revoked_at
    row = audit_rows("key_slot_revoked")[-1]
    assert (row.account, row.object, row.outcome) == (DEMO_ADMIN, "keyslot/staff:clerk01", "ok")
    assert DEMO_PASSWORD not in all_audit_text()


def test_after_a_revocation_only_the_hall_brings_an_account_back(store, shared_hall,
                                                                 staffed_station):
    """An account the hall still accepts gets a fresh slot at its next (online) sign-in
    where the station is open; a locked station, or an account the hall removed, none."""
    admin, _clerk, _code = staffed_station
    hall_account(shared_hall, "leaver01", "--station", CENTRE, password=DEMO_PASSWORD)
    sign_in(store, shared_hall.url, "leaver01")
    sign_in(store, shared_hall.url, "supervisor")
    revoke_staff_slot(store, settings_for(), admin, "leaver01")
    revoke_staff_slot(store, settings_for(), admin, "supervisor")

    # Locked station (after a restart): the hall says yes, but there is no slot to open it.
    keys.forget()
    with pytest.raises(StationKeyNeeded):
        SignInService(None, settings_for(), home=store.home, hall_url=shared_hall.url,
                      clock=lambda: T0).sign_in("supervisor", DEMO_PASSWORD)
    assert "slot" not in KeySlots.load(store.home).staff("supervisor")
    keys.hold(KeySlots.load(store.home).unwrap_staff(DEMO_ADMIN, DEMO_PASSWORD))

    # Open station, the hall still accepts the supervisor: a fresh slot.
    assert sign_in(store, shared_hall.url, "supervisor").role == "supervisor"
    entry = KeySlots.load(store.home).staff("supervisor")
    assert "slot" in entry and "revoked_at" not in entry

    # The hall removed the leaver: refused, and no slot comes back.
    hall_account(shared_hall, "leaver01", "--remove")
    with pytest.raises(SignInError, match="用户名或密码错误"):
        sign_in(store, shared_hall.url, "leaver01")
    assert "slot" not in KeySlots.load(store.home).staff("leaver01")


def test_the_station_revokes_a_slot_the_hall_no_longer_accepts(store, shared_hall,
                                                               staffed_station):
    """A clerk removed at the hall, another moved to another station: at their next
    online sign-in (the offline period over) the hall refuses, and the station drops
    the slot their password still opened, without anyone's action."""
    hall_account(shared_hall, "leaver02", "--station", CENTRE, password=DEMO_PASSWORD)
    hall_account(shared_hall, "mover01", "--station", CENTRE, password=DEMO_PASSWORD)
    sign_in(store, shared_hall.url, "leaver02")
    sign_in(store, shared_hall.url, "mover01")
    hall_account(shared_hall, "leaver02", "--remove")
    hall_account(shared_hall, "mover01", "--station", STREET, "--keep-password")
    # Within the offline period the station does not ask the hall (offline first):
    # the slot still opens it — which is why the administrator's revoke exists.
    assert sign_in(store, closed_port_url(), "leaver02",
                   at=T0 + dt.timedelta(days=3)).account == "leaver02"

    eight_days = T0 + dt.timedelta(days=8)
    with pytest.raises(SignInError, match="用户名或密码错误"):
        sign_in(store, shared_hall.url, "leaver02", at=eight_days)
    with pytest.raises(SignInError, match="本工位"):
        sign_in(store, shared_hall.url, "mover01", at=eight_days)
    slots = KeySlots.load(store.home)
    for account, reason in (("leaver02", "hall_refused_password"),
                            ("mover01", "station_not_allowed")):
        entry = slots.staff(account)
        assert "slot" not in entry, account
        assert (entry["revoked_by"], entry["revoke_reason"]) == ("hall", reason)
        with pytest.raises(HallNeeded, match="已被撤销"):
            sign_in(store, closed_port_url(), account, at=eight_days)
    revoked = {(r.account, r.object, json.loads(r.detail)["reason"])
               for r in audit_rows("key_slot_revoked")}
    assert revoked == {("leaver02", "keyslot/staff:leaver02", "hall_refused_password"),
                       ("mover01", "keyslot/staff:mover01", "station_not_allowed")}
    # A wrong password at the hall is only a failure: the demo clerk keeps the slot.
    with pytest.raises(SignInError, match="用户名或密码错误"):
        sign_in(store, shared_hall.url, DEMO_USER, "not-the-password", at=eight_days)
    assert "slot" in KeySlots.load(store.home).staff(DEMO_USER)


def test_a_revocation_while_the_station_is_locked_is_audited_at_the_next_unlock(
        store, shared_hall, staffed_station):
    hall_account(shared_hall, "leaver03", "--station", CENTRE, password=DEMO_PASSWORD)
    sign_in(store, shared_hall.url, "leaver03")
    hall_account(shared_hall, "leaver03", "--remove")
    keys.forget()  # after a restart: nobody has unlocked the station yet
    eight_days = T0 + dt.timedelta(days=8)
    with pytest.raises(SignInError, match="用户名或密码错误"):
        SignInService(None, settings_for(), home=store.home, hall_url=shared_hall.url,
                      clock=lambda: eight_days).sign_in("leaver03", DEMO_PASSWORD)
    assert "slot" not in KeySlots.load(store.home).staff("leaver03")
    assert not audit_rows("key_slot_revoked")  # the database is still locked
    # The next sign-in (the administrator's) unlocks it and records what was queued.
    sign_in(store, shared_hall.url, DEMO_ADMIN, at=T0 + dt.timedelta(days=1))
    row = audit_rows("key_slot_revoked")[-1]
    assert (row.account, row.object, row.outcome) == ("leaver03", "keyslot/staff:leaver03",
                                                      "ok")
    assert json.loads(row.detail)["reason"] == "hall_refused_password"


# --- the recovery key ---------------------------------------------------------------------

def test_a_reissued_recovery_key_replaces_the_old_one(store, shared_hall, staffed_station,
                                                      caplog):
    admin, _clerk, old_code = staffed_station
    caplog.set_level(logging.DEBUG)
    # A wrong password: a failed sign-in, counted; the old key still works.
    with pytest.raises(SignInError, match="用户名或密码错误"):
        reissue_recovery_key(store, settings_for(), admin, "not-the-password",
                             hall_url=shared_hall.url)
    assert KeySlots.load(store.home).unwrap_recovery(old_code) == keys.station_keys()
    assert KeySlots.load(store.home).staff(DEMO_ADMIN)["failed_attempts"] == 1

    new_code = reissue_recovery_key(store, settings_for(), admin, DEMO_PASSWORD,
                                    hall_url=shared_hall.url)
    assert new_code != old_code and len(new_code.replace("-", "")) == 48
    slots = KeySlots.load(store.home)
    with pytest.raises(RecoveryKeyWrong, match="恢复密钥不正确"):
        slots.unwrap_recovery(old_code)
    assert slots.unwrap_recovery(new_code) == keys.station_keys()
    row = audit_rows("recovery_key_reissued")[-1]
    assert (row.account, row.object, row.outcome) == (DEMO_ADMIN, "keyslot/recovery", "ok")
    # Neither key, nor the data key, nor the password in the audit trail or the logs.
    station = keys.station_keys()
    logged = caplog.text + all_audit_text()
    for secret in (old_code, new_code, old_code.replace("-", ""), new_code.replace("-", ""),
                   station.data_key.hex(), station.database.hex(), DEMO_PASSWORD):
        assert secret not in logged
        assert secret not in slots.path.read_text(encoding="utf-8")


def test_cli_revoke_and_recovery_key(home, cli_login, capsys, monkeypatch):
    """The same through ``onewindow user``: the clerk refused in one line, the
    administrator revoking and reissuing; the new key restores the station."""
    keys.forget()
    assert cli_login(DEMO_ADMIN, DEMO_PASSWORD) == 0
    old_code = next(line.strip() for line in capsys.readouterr().err.splitlines()
                    if line.strip().count("-") == 7)
    assert cli_login(DEMO_USER, DEMO_PASSWORD) == 0  # the clerk takes over (switch)
    capsys.readouterr()
    assert run_user_command(["revoke", "--user", DEMO_ADMIN]) == 1
    assert run_user_command(["recovery-key", "--new"], DEMO_PASSWORD) == 1
    err = capsys.readouterr().err
    assert err.count("无权") == 2 and err.count("\n") == 2

    assert cli_login(DEMO_ADMIN, DEMO_PASSWORD) == 0
    capsys.readouterr()
    assert run_user_command(["slots", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {e["account"] for e in listed["staff"] if e["has_slot"]} == {DEMO_ADMIN, DEMO_USER}
    assert run_user_command(["revoke", "--user", DEMO_USER]) == 0
    assert "已撤销 clerk01" in capsys.readouterr().out
    assert run_user_command(["revoke", "--user", DEMO_USER]) == 1
    assert "没有密钥槽" in capsys.readouterr().err
    assert run_user_command(["slots"]) == 0
    listing = capsys.readouterr().out
    clerk_line = next(line for line in listing.splitlines() if line.startswith(DEMO_USER))
    assert "已撤销" in clerk_line and DEMO_ADMIN in clerk_line
    assert run_user_command(["recovery-key"]) == 0
    assert "恢复密钥签发于" in capsys.readouterr().out
    # The revoked clerk, the hall out of reach: the password opens nothing here.
    with monkeypatch.context() as offline:
        offline.setenv("ONEWINDOW_HALL_URL", "http://127.0.0.1:9")
        assert run_user_command(["login", "--user", DEMO_USER], DEMO_PASSWORD) == 1
    assert "已被撤销" in capsys.readouterr().err
    assert run_user_command(["whoami", "--json"]) == 0  # the administrator's stays
    assert json.loads(capsys.readouterr().out)["account"] == DEMO_ADMIN
    assert run_user_command(["recovery-key", "--new"], DEMO_PASSWORD) == 0
    shown = capsys.readouterr()
    new_code = shown.out.strip()
    assert new_code.count("-") == 7 and "只显示这一次" in shown.err

    # Everyone's password lost: the old key opens nothing, the new one restores.
    assert run_user_command(["logout"]) == 0
    keys.forget()
    capsys.readouterr()
    assert run_user_command(["recover", "--user", DEMO_ADMIN],
                            f"{old_code}\n{DEMO_PASSWORD}") == 1
    assert "恢复密钥不正确" in capsys.readouterr().err
    assert not keys.unlocked()
    assert run_user_command(["recover", "--user", DEMO_ADMIN],
                            f"{new_code}\n{DEMO_PASSWORD}") == 0


# --- the file -----------------------------------------------------------------------------

WRITER_CHILD = r"""
import sys
from pathlib import Path
from app.security.keys import KdfParams, KeySlots
from local_store.keys import StationKeys

home = Path(sys.argv[1])
station = StationKeys(bytes.fromhex(sys.stdin.readline().strip()))
cheap = KdfParams(time_cost=1, memory_kib=256, parallelism=1)
slots = KeySlots.load(home)
print("ready", flush=True)
n = 0
while True:
    n += 1
    slots.set_staff_slot(f"temp{n % 3}", "pw-temp", station, cheap, {"role": "clerk"})
    slots.new_recovery_key(station)
    slots.revoke_staff_slot(f"temp{n % 3}", revoked_by="admin", reason="administrator")
"""


def test_sigkill_while_the_slot_file_is_written_leaves_a_usable_file(tmp_path):
    home = tmp_path / "home"
    slots = KeySlots.load(home)
    station, _code = slots.create()
    slots.set_staff_slot("clerk01", "pw-one", station, CHEAP, {})
    for delay in (0.05, 0.11, 0.17, 0.23, 0.31):
        child = subprocess.Popen([sys.executable, "-c", WRITER_CHILD, str(home)], cwd=ROOT,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        child.stdin.write(station.data_key.hex() + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        assert child.poll() is None, "the writer was still writing"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
        # Whenever it died, the file is whole and still opens the station.
        after = KeySlots.load(home)
        assert after.exists and after.unwrap_staff("clerk01", "pw-one") == station
    # A half-written new file is never taken for the real one, and the next write
    # clears what a killed writer left.
    assert {p.name for p in home.iterdir()} - {"keyslots.json", ".keyslots.lock"} <= {
        p.name for p in home.glob(".keyslots-*")}
    KeySlots.load(home).update_staff("clerk01", last_sign_in_at="2026-11-20T09:00:00")
    assert {p.name for p in home.iterdir()} == {"keyslots.json", ".keyslots.lock"}
    assert KeySlots.load(home).unwrap_staff("clerk01", "pw-one") == station


def test_a_write_that_fails_midway_keeps_the_old_file(tmp_path, monkeypatch):
    slots = KeySlots.load(tmp_path)
    station, code = slots.create()
    before = slots.path.read_bytes()

    def half_then_fail(data, fh, **_options):
        fh.write('{"format": "onewindow-keyslots/1", "staff": {')
        raise OSError("disk full")

    monkeypatch.setattr("app.security.keys.json.dump", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        slots.new_recovery_key(station)
    monkeypatch.undo()
    assert slots.path.read_bytes() == before
    assert KeySlots.load(tmp_path).unwrap_recovery(code) == station
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".keyslots-")] == []


def test_a_writer_with_an_older_copy_does_not_bring_a_revoked_slot_back(tmp_path):
    """The window read the file before ``user revoke`` ran, then signs someone in:
    its write starts from the file as it is now, not from its older copy."""
    slots = KeySlots.load(tmp_path)
    station, _code = slots.create()
    slots.set_staff_slot("clerk01", "pw-one", station, CHEAP, {})
    slots.set_staff_slot("clerk02", "pw-two", station, CHEAP, {})
    window_copy = KeySlots.load(tmp_path)
    KeySlots.load(tmp_path).revoke_staff_slot("clerk01", revoked_by="admin",
                                              reason="administrator")
    window_copy.update_staff("clerk02", last_sign_in_at="2026-11-20T09:00:00")
    window_copy.set_staff_slot("clerk02", "pw-two", station, CHEAP, {"role": "clerk"})
    with pytest.raises(NoSlot):
        KeySlots.load(tmp_path).unwrap_staff("clerk01", "pw-one")
