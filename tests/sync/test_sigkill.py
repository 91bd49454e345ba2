"""SIGKILL of a real ``onewindow sync run`` process at random points, then restart.

The child uploads through a bandwidth-capped proxy so kills land before, during
and after attachment uploads and case commits.  After each kill: the local
database is intact; a restarted sync delivers everything exactly once.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.settings import Settings
from local_store.db import integrity_check
from local_store.store import Store
from sync.credentials import save_token
from sync.lanes import SyncLanes
from sync.summary import queue_summary
from tests.support.fault_proxy import proxy_for
from tests.support.hall import demo_catalog_file, start_hall
from tests.support.station_keys import key_line, open_case_file
from tests.support.sync_trials import (
    TRIAL_TIMINGS,
    Trial,
    drain,
    make_cases,
    sign_in_token,
    verify_trial,
)

ROOT = Path(__file__).resolve().parents[2]
FAST_KILLS = 4
SOAK_KILLS = int(os.environ.get("ONEWINDOW_SOAK_KILLS", "100"))


@pytest.fixture(scope="module")
def slow_link_hall(tmp_path_factory):
    hall = start_hall(tmp_path_factory.mktemp("kill") / "hall", catalog=demo_catalog_file())
    proxy = proxy_for(hall, rate_bps=1024 * 1024, rtt_s=0.02, max_lifetime_s=3600)
    yield hall, proxy, sign_in_token(hall)
    proxy.stop()
    hall.stop()


def wait_for_first_attempt(db_path: Path, child: subprocess.Popen, limit_s: float = 60) -> None:
    """Until the child has started on the queue (its start-up time varies a lot)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and child.poll() is None:
        conn = open_case_file(db_path, read_only=True)
        try:
            started = conn.execute("SELECT COUNT(*) FROM outbox_entry WHERE attempts > 0")
            if started.fetchone()[0]:
                return
        finally:
            conn.close()
        time.sleep(0.02)


def kill_trial(number: int, rng: random.Random, hall, proxy, token, workdir: Path,
               file_keyring) -> tuple[bool, dict]:
    """One kill; returns (was it killed, outbox states right after the kill)."""
    home = workdir / f"kill-{number}"
    settings = Settings(hall_url=proxy.url(), http_timeout_s=3.0, sync_backoff_start_s=0.05,
                        sync_backoff_cap_s=0.5)
    home.mkdir()
    (home / "settings.json").write_text(json.dumps(dataclasses.asdict(settings)), "utf-8")
    save_token(proxy.url(), token)
    store = Store.open(home)
    trial = Trial(number, "sigkill")
    make_cases(store, rng, trial, max_size=600 * 1024)
    store.close()

    env = {**os.environ, "ONEWINDOW_HOME": str(home), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "sync", "run", "--key-from-stdin", "--until-drained",
         "--timeout", "60"],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    child.stdin.write(key_line().encode())  # as the window hands its sync child the key
    child.stdin.close()
    killed = False
    try:
        wait_for_first_attempt(home / "cases.sqlite", child)
        # Attachments of up to 1.8 MB at 1 MiB/s: anywhere from the first chunk to the end.
        child.wait(rng.uniform(0.0, 2.0))
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        killed = True
    proxy.drop_all()  # the dead process's connections go too

    store = Store.open(home)
    try:
        assert integrity_check(store.case_db) == "ok"
        states = queue_summary().as_dict()
        lanes = SyncLanes(store, proxy.url(), timeout_s=3, timings=TRIAL_TIMINGS,
                          token_source=lambda: token, catalog_sync=lambda s, u: None)
        drain(lanes, deadline_s=60)
        lanes.stop()
        verify_trial(store, hall, trial)
    finally:
        store.close()
    return killed, states


def test_sigkill_during_sync_then_restart(slow_link_hall, tmp_path, file_keyring):
    hall, proxy, token = slow_link_hall
    rng = random.Random(int(os.environ.get("ONEWINDOW_TRIAL_SEED", "7")))
    outcomes = [kill_trial(n, rng, hall, proxy, token, tmp_path, file_keyring)
                for n in range(FAST_KILLS)]
    # The kills must have hit work in progress, not only idle or finished processes.
    assert any(killed and states["unsent"] for killed, states in outcomes), outcomes


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_soak_sigkill(slow_link_hall, tmp_path, file_keyring):
    hall, proxy, token = slow_link_hall
    rng = random.Random(99)
    for number in range(SOAK_KILLS):
        kill_trial(number, rng, hall, proxy, token, tmp_path, file_keyring)
