"""Nothing lost, nothing doubled: randomized fault trials against the real hall.

A fault-injecting proxy (resets before and after the hall commits, clean cuts,
stalls longer than the client's timeout, outages) and hall-side faults (500
after/before commit, 429 with Retry-After, offset conflicts, chunk checksum
mismatches, forgotten partial uploads).  200 quick trials in ``make test``,
many more in ``make soak``.  Each trial is verified against the hall's storage.
"""

from __future__ import annotations

import collections
import os
import random

import pytest

from local_store.store import Store
from tests.support.fault_proxy import proxy_for
from tests.support.hall import demo_catalog_file, start_hall
from tests.support.sync_trials import ALL_FAULTS, run_trial, sign_in_token

SEED = int(os.environ.get("ONEWINDOW_TRIAL_SEED", "20261127"))
FAST_TRIALS = 200
SOAK_TRIALS = int(os.environ.get("ONEWINDOW_SOAK_TRIALS", "1500"))


@pytest.fixture(scope="module")
def faulty_hall(tmp_path_factory):
    hall = start_hall(tmp_path_factory.mktemp("faulty") / "hall", catalog=demo_catalog_file(),
                      faults=True)
    proxy = proxy_for(hall, max_lifetime_s=1800)
    yield hall, proxy, sign_in_token(hall)
    proxy.stop()
    hall.stop()


def run_batch(faulty_hall, tmp_path, count: int, seed: int, **options) -> collections.Counter:
    hall, proxy, token = faulty_hall
    rng = random.Random(seed)
    # Every fault kind equally often, in random order.
    faults = [ALL_FAULTS[n % len(ALL_FAULTS)] for n in range(count)]
    rng.shuffle(faults)
    seen: collections.Counter = collections.Counter()
    store = Store.open(tmp_path / "client")
    try:
        for number, fault in enumerate(faults):
            trial = run_trial(number, rng, hall, proxy, token, store, fault=fault, **options)
            seen[trial.fault] += 1
    finally:
        store.close()
    return seen


@pytest.mark.timeout(600)
def test_200_randomized_fault_trials(faulty_hall, tmp_path):
    seen = run_batch(faulty_hall, tmp_path, FAST_TRIALS, SEED)
    assert sum(seen.values()) == FAST_TRIALS
    assert set(seen) == set(ALL_FAULTS)
    _hall, proxy, _token = faulty_hall
    assert proxy.faults_fired, "the proxy never injected a fault"


@pytest.mark.slow
@pytest.mark.timeout(7200)
def test_soak_fault_trials(faulty_hall, tmp_path):
    seen = run_batch(faulty_hall, tmp_path, SOAK_TRIALS, SEED + 1, max_size=512 * 1024)
    assert sum(seen.values()) == SOAK_TRIALS
