"""The station's audit trail reaches the real hall over HTTP, each row once, in
chain order; the hall keeps stations apart, refuses a changed row, a broken chain
or a gap with words the station shows, lets supervisors read every station's
rows and a clerk only its own, and keeps them at least 180 days.

The rows come from the real producers: sign-ins confirmed by the hall
(SignInService), cases taken in through IntakeService, a printed receipt.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app import print_jobs
from app.settings import Settings
from app.staff import audit as station_audit
from app.staff.signin import SignInError, SignInService
from central_hall import audit_trail
from central_hall.storage import HallDatabase
from local_store.db import integrity_check
from local_store.models import AuditEvent, SyncCursor
from local_store.store import Store
from sync.audit import acknowledged_seq, wire_row
from sync.credentials import HallToken, save_token
from sync.lanes import ERROR, IDLE, LaneTimings, SyncLanes
from tests.support.fault_proxy import proxy_for
from tests.support.hall import (
    DEMO_PASSWORD,
    DEMO_STATION,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    DEMO_SUPERVISOR,
    DEMO_USER,
    hall_rows,
    start_hall,
)
from tests.support.producers import create_case
from tests.support.station_keys import key_line, open_case_file

ROOT = Path(__file__).resolve().parents[2]
FAST = LaneTimings(catalog_s=3600, upload_idle_s=3600, status_s=3600, purge_s=3600,
                   backoff_start_s=0.01, backoff_cap_s=0.05)


def token_of(hall, user: str = DEMO_USER, station: str = DEMO_STATION) -> HallToken:
    reply = requests.post(f"{hall.api}/auth/token", timeout=10, json={
        "station": station, "user": user, "password": DEMO_PASSWORD})
    reply.raise_for_status()
    return HallToken(reply.json()["access_token"], station, user, "2099-01-01T00:00:00+00:00")


def produce_rows(store: Store, hall, settings: Settings, user: str = DEMO_USER) -> None:
    """A working morning: a wrong password, a sign-in, a case, its receipt printed."""
    signin = SignInService(store, settings, hall_url=hall.url)
    with pytest.raises(SignInError):
        signin.sign_in(user, "wrong-password")
    identity = signin.sign_in(user, DEMO_PASSWORD)
    settings.clerk_name = identity.account
    case = create_case(store)
    print_jobs.prepare(store, settings, "receipt", case.number)


def audit_lane(store: Store, hall, token: HallToken) -> SyncLanes:
    return SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                     catalog_sync=lambda s, u: None, timings=FAST)


def held_chain(hall, station: str = DEMO_STATION) -> list[tuple[int, str]]:
    return hall_rows(hall, "SELECT seq, row_hash FROM audit_rows WHERE held_for = ? "
                     "ORDER BY seq", (station,))


def local_chain() -> list[tuple[int, str]]:
    return [(row.id, row.row_hash) for row in AuditEvent.select().order_by(AuditEvent.id)]


def tamper(store: Store, statements: list[tuple[str, tuple]]) -> None:
    """What someone with the file, the station's key and SQLCipher's sqlite3 tool
    could do (without the key the file does not open at all)."""
    connection = open_case_file(store.home / "cases.sqlite")
    connection.execute('DROP TRIGGER IF EXISTS "audit_event_no_update"')
    for sql, params in statements:
        connection.execute(sql, params)
    connection.commit()
    connection.close()


def test_audit_rows_reach_the_hall_once_in_chain_order(store, hall):
    settings = Settings(hall_url=hall.url)
    produce_rows(store, hall, settings)
    events = [row.event for row in AuditEvent.select().order_by(AuditEvent.id)]
    assert {"sign_in_failed", "sign_in", "case_decision", "print"} <= set(events)
    lanes = audit_lane(store, hall, token_of(hall))
    lane = lanes.lanes["audit"]
    lane.run_once()
    assert lane.state.status == IDLE, lane.state.message
    assert held_chain(hall) == local_chain()
    assert acknowledged_seq() == len(events)
    # The answer was lost (cursor back to 0): the batch is sent again and held once.
    SyncCursor.delete().where(SyncCursor.lane == "audit").execute()
    lane.run_once()
    assert lane.state.status == IDLE and held_chain(hall) == local_chain()
    # The next rows continue the chain at the hall.
    create_case(store)
    lane.run_once()
    lanes.stop()
    assert held_chain(hall) == local_chain() and len(local_chain()) == len(events) + 1
    stored = hall_rows(hall, "SELECT row_json FROM audit_rows WHERE seq = 1")[0][0]
    assert json.loads(stored) == wire_row(AuditEvent.get_by_id(1))


def test_a_rewritten_local_chain_is_refused_by_the_hall_and_reported(store, hall):
    """Someone rewrites a row and re-chains every hash after it: the station's own
    ``audit verify`` sees nothing, the hall does."""
    settings = Settings(hall_url=hall.url)
    produce_rows(store, hall, settings)
    lanes = audit_lane(store, hall, token_of(hall))
    lane = lanes.lanes["audit"]
    lane.run_once()
    before = held_chain(hall)
    prev, rewrites = station_audit.GENESIS, []
    for row in AuditEvent.select().order_by(AuditEvent.id):
        obj = "someone-else" if row.id == 2 else row.object
        digest = station_audit.row_hash(prev, row.id, row.at, row.station, row.account,
                                        row.event, obj, row.outcome, row.detail)
        rewrites.append(("UPDATE audit_event SET object = ?, prev_hash = ?, row_hash = ? "
                         "WHERE id = ?", (obj, prev, digest, row.id)))
        prev = digest
    tamper(store, rewrites)
    station_audit.write_head(store.home, len(before), prev)
    assert station_audit.verify(store.home)[1] == []  # the local chain is consistent again
    create_case(store)  # the next row continues the rewritten chain
    lane.run_once()
    assert lane.state.status == ERROR
    assert "大厅拒收本工位的审计记录" in lane.state.message
    assert f"第 {len(before) + 1} 行不接续大厅保存的第 {len(before)} 行" in lane.state.message
    # Sent again from the start, row 2 is named as changed; nothing new is stored.
    SyncCursor.delete().where(SyncCursor.lane == "audit").execute()
    lane.run_once()
    lanes.stop()
    assert lane.state.status == ERROR and "第 2 行与大厅已保存的不同" in lane.state.message
    assert held_chain(hall) == before


def test_a_row_changed_before_it_was_sent_is_refused_and_nothing_of_its_batch_stored(
        store, hall):
    settings = Settings(hall_url=hall.url)
    produce_rows(store, hall, settings)
    tamper(store, [("UPDATE audit_event SET account = 'nobody' WHERE id = 3", ())])
    lanes = audit_lane(store, hall, token_of(hall))
    lanes.lanes["audit"].run_once()
    lanes.stop()
    state = lanes.lanes["audit"].state
    assert state.status == ERROR and "第 3 行的内容与其哈希不符" in state.message
    assert held_chain(hall) == [] and acknowledged_seq() == 0


def test_rows_the_hall_lost_are_sent_again_and_a_gap_is_refused(store, hall):
    settings = Settings(hall_url=hall.url)
    produce_rows(store, hall, settings)
    token = token_of(hall)
    rows = [wire_row(row) for row in AuditEvent.select().order_by(AuditEvent.id)]
    # A batch that skips rows is refused: nothing is stored.
    gap = requests.post(f"{hall.api}/audit", json={"rows": rows[2:]}, timeout=10,
                        headers={"Authorization": f"Bearer {token.access_token}"})
    assert gap.status_code == 409
    assert gap.json()["error"] == "audit_gap" and gap.json()["held_seq"] == 0
    assert held_chain(hall) == []
    lanes = audit_lane(store, hall, token)
    lane = lanes.lanes["audit"]
    lane.run_once()
    # The hall is restored from an older backup: it holds two rows only.
    hall_rows(hall, "DELETE FROM audit_rows WHERE seq > 2")
    hall_rows(hall, "UPDATE audit_heads SET seq = 2, row_hash = ? WHERE held_for = ?",
              (rows[1]["hash"], DEMO_STATION))
    create_case(store)
    lane.run_once()
    lanes.stop()
    assert lane.state.status == IDLE, lane.state.message
    assert held_chain(hall) == local_chain()


def test_stations_are_kept_apart_and_supervisors_read_them_all(tmp_path, hall):
    counts = {}
    for station, user, code in ((DEMO_STATION, DEMO_USER, "001"),
                                (DEMO_STREET_STATION, DEMO_STREET_USER, "002")):
        store = Store.open(tmp_path / f"station-{code}")
        try:
            settings = Settings(hall_url=hall.url, station_code=code)
            produce_rows(store, hall, settings, user)
            lanes = audit_lane(store, hall, token_of(hall, user, station))
            lanes.lanes["audit"].run_once()
            lanes.stop()
            assert lanes.lanes["audit"].state.status == IDLE
            assert held_chain(hall, station) == local_chain()  # each chain from its row 1
            counts[station] = len(local_chain())
        finally:
            store.close()

    def listing(token: HallToken, **params) -> requests.Response:
        return requests.get(f"{hall.api}/audit", params=params, timeout=10,
                            headers={"Authorization": f"Bearer {token.access_token}"})

    supervisor = token_of(hall, DEMO_SUPERVISOR)
    everything = listing(supervisor, limit=1000).json()
    held = [entry["held_for"] for entry in everything["entries"]]
    assert held.count(DEMO_STATION) == counts[DEMO_STATION]
    assert held.count(DEMO_STREET_STATION) == counts[DEMO_STREET_STATION]
    street = listing(supervisor, station=DEMO_STREET_STATION).json()["entries"]
    assert {entry["held_for"] for entry in street} == {DEMO_STREET_STATION}
    assert street[0]["row"]["account"] == DEMO_STREET_USER
    # Paging by cursor brings every row once.
    first = listing(supervisor, limit=3).json()
    rest = listing(supervisor, since=first["cursor"], limit=1000).json()
    assert len(first["entries"]) + len(rest["entries"]) == len(everything["entries"])
    clerk = token_of(hall)
    own = listing(clerk, limit=1000).json()["entries"]
    assert {entry["held_for"] for entry in own} == {DEMO_STATION}
    assert len(own) == counts[DEMO_STATION]
    refused = listing(clerk, station=DEMO_STREET_STATION)
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_the_hall_keeps_audit_rows_at_least_180_days(store, hall):
    settings = Settings(hall_url=hall.url)
    produce_rows(store, hall, settings)
    lanes = audit_lane(store, hall, token_of(hall))
    lane = lanes.lanes["audit"]
    lane.run_once()
    held = held_chain(hall)
    now = dt.datetime.now(dt.UTC)
    db = HallDatabase.open(hall.data_dir, hall.database_url)
    try:
        with pytest.raises(ValueError, match="至少保存 180 天"):
            audit_trail.prune(db, keep_days=179, now=now)
        # 179 days on, a clean-up keeping the minimum deletes nothing.
        assert audit_trail.prune(db, now=now + dt.timedelta(days=179)) == 0
        assert held_chain(hall) == held
        # A longer period set by the district is respected too.
        assert audit_trail.prune(db, keep_days=365, now=now + dt.timedelta(days=181)) == 0
        # 181 days on, the rows may go; the chain's head stays.
        assert audit_trail.prune(db, now=now + dt.timedelta(days=181)) == len(held)
    finally:
        db.close()
    assert held_chain(hall) == []
    database = ["--database", hall.database_url] if hall.database_url else []
    refused = subprocess.run(
        [sys.executable, "-m", "central_hall", "audit-prune", "--data", str(hall.data_dir),
         *database, "--keep-days", "30"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert refused.returncode == 2 and "至少保存 180 天" in refused.stderr
    # The station goes on: its next rows continue the chain the hall still knows.
    create_case(store)
    lane.run_once()
    lanes.stop()
    assert lane.state.status == IDLE, lane.state.message
    assert held_chain(hall) == local_chain()[len(held):]


def wait_for_more_rows_at(hall, before: int, child: subprocess.Popen,
                          limit_s: float = 60) -> None:
    """Until the child's first batch is stored at the hall (its start-up time varies)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and child.poll() is None:
        if len(held_chain(hall)) > before:
            return
        time.sleep(0.02)


def test_sigkill_during_audit_sync_then_restart(tmp_path, file_keyring):
    """A real ``onewindow sync run`` killed at random points while it sends the
    audit trail through a slow link; after each kill the database is intact, and a
    restarted lane leaves the hall holding exactly the station's chain."""
    hall = start_hall(tmp_path / "hall")
    proxy = proxy_for(hall, rate_bps=24 * 1024, rtt_s=0.02, max_lifetime_s=3600)
    rng = random.Random(int(os.environ.get("ONEWINDOW_TRIAL_SEED", "12")))
    home = tmp_path / "station"
    home.mkdir()
    settings = Settings(hall_url=proxy.url(), http_timeout_s=3.0, sync_backoff_start_s=0.05,
                        sync_backoff_cap_s=0.5)
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    token = token_of(hall)
    save_token(proxy.url(), token)
    env = {**os.environ, "ONEWINDOW_HOME": str(home), "PYTHONPATH": str(ROOT)}
    kills_mid_sync = 0
    try:
        for trial in range(3):
            store = Store.open(home)
            try:
                if trial == 0:  # (later the child has synced a newer catalog than the demo's)
                    create_case(store)
                for _ in range(250):  # the clerk's window locked and unlocked, all day
                    station_audit.append(store, DEMO_STATION, DEMO_USER,
                                         station_audit.IDLE_LOCK, DEMO_USER)
            finally:
                store.close()
            child = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "sync", "run", "--key-from-stdin",
                 "--timeout", "60"],
                cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
            child.stdin.write(key_line().encode())  # as the window hands it the key
            child.stdin.close()
            try:
                wait_for_more_rows_at(hall, before=len(held_chain(hall)), child=child)
                # Batches of 100 rows take ~1.4 s each at this rate: kill in any of them.
                child.wait(rng.uniform(0.0, 3.0))
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait(10)
            proxy.drop_all()
            store = Store.open(home)
            try:
                assert integrity_check(store.case_db) == "ok"
                held = len(held_chain(hall))
                # Killed with rows still to send after some were sent (or sent and not
                # yet confirmed locally).
                kills_mid_sync += 0 < held < len(local_chain()) or held > acknowledged_seq()
            finally:
                store.close()
        store = Store.open(home)
        try:
            lanes = SyncLanes(store, proxy.url(), timeout_s=10, token_source=lambda: token,
                              catalog_sync=lambda s, u: None, timings=FAST)
            lane = lanes.lanes["audit"]
            lane.run_once()
            lanes.stop()
            assert lane.state.status == IDLE, lane.state.message
            assert held_chain(hall) == local_chain()  # nothing lost, nothing doubled
            assert acknowledged_seq() == len(local_chain())
        finally:
            store.close()
    finally:
        proxy.stop()
        hall.stop()
    assert kills_mid_sync, "no kill landed while the audit trail was being sent"
