"""SIGKILL during case commits: every case whole or absent, no number reused.

A zygote process (tests/support/intake_crash_child.py) forks a committer per
trial; we kill it at a random moment and inspect the real SQLite file and
blob store it left behind.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from peewee import fn

from app.catalog.importer import import_catalog_document
from app.intake import DraftState
from local_store.db import integrity_check
from local_store.models import (
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNumberSequence,
    CasePage,
    Draft,
    OutboxEntry,
)
from local_store.store import Store
from tests.support.intake import INDIVIDUAL_BUSINESS, demo_catalog_document
from tests.support.station_keys import key_line

REPO = Path(__file__).resolve().parents[1]
CHECKLIST_SIZE = 5  # materials of 个体工商户设立登记 in the demo catalog


def _wait_gone(pid: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.002)
    raise AssertionError(f"committer {pid} did not die")


def _counts(query) -> dict[int, int]:
    return {row[0]: row[1] for row in query.tuples()}


def _check_store(home: Path, logged: list[str], verified: set[str]) -> int:
    """Invariants of the store a killed committer left; ``verified`` caches blob checks."""
    store = Store.open(home)
    try:
        assert integrity_check(store.case_db) == "ok"
        cases = list(Case.select(Case.id, Case.number))
        numbers = [case.number for case in cases]
        assert len(numbers) == len(set(numbers))
        by_day: dict[str, list[int]] = defaultdict(list)
        for number in numbers:
            by_day[number[9:17]].append(int(number[17:22]))
        for day, seqs in by_day.items():
            # Rolled-back commits consume nothing, committed ones are never reissued.
            assert sorted(seqs) == list(range(1, len(seqs) + 1)), (day, sorted(seqs))
            sequence = CaseNumberSequence.get(CaseNumberSequence.day == day)
            assert sequence.last_seq == len(seqs)
        assert set(logged) <= set(numbers), "a commit that returned was lost"

        # Whole cases: every part present for every case (grouped queries, so a
        # check stays cheap as cases pile up over the trials).
        materials = _counts(
            CaseMaterial.select(CaseMaterial.case, fn.COUNT()).group_by(CaseMaterial.case)
        )
        outbox = _counts(
            OutboxEntry.select(OutboxEntry.case, fn.COUNT()).group_by(OutboxEntry.case)
        )
        events = {
            case_id: kinds
            for case_id, kinds in CaseEvent.select(CaseEvent.case, fn.GROUP_CONCAT(CaseEvent.kind))
            .group_by(CaseEvent.case)
            .tuples()
        }
        scanned = {
            row.case_id: row
            for row in CaseMaterial.select().where(CaseMaterial.received_form == "scanned")
        }
        pages = _counts(CasePage.select(CasePage.material, fn.COUNT()).group_by(CasePage.material))
        for case in cases:
            assert materials.get(case.id) == CHECKLIST_SIZE, case.number
            assert outbox.get(case.id) == 1, case.number
            assert sorted(events.get(case.id, "").split(",")) == ["accepted", "received"]
            material = scanned[case.id]
            assert material.blob_digest and pages.get(material.id) == 1, case.number
        for digest in {m.blob_digest for m in scanned.values()} | {
            page.blob_digest for page in CasePage.select(CasePage.blob_digest)
        }:
            if digest not in verified:
                assert store.blobs.verify(digest), digest
                verified.add(digest)
        # Autosaved drafts left by a killed committer must still open for resumption.
        for row in Draft.select():
            assert DraftState.from_json(row.payload).task_code
        return len(cases)
    finally:
        store.close()


def _run_trials(tmp_path: Path, trials: int, max_delay: float) -> int:
    """Kill a committer ``trials`` times, each after 0.1..max_delay seconds.

    The first 0.1 s of a committer's life is mostly opening the store; after
    that it commits back to back (~10 per second here), so most kills land
    inside a commit: blob writes, the writer transaction, or its fsync.
    """
    home = tmp_path / "home"
    store = Store.open(home)
    document = demo_catalog_document()
    import_catalog_document(document, store)
    store.close()
    task_code = next(i["task_code"] for i in document["items"] if i["name"] == INDIVIDUAL_BUSINESS)

    env = {**os.environ, "ONEWINDOW_HOME": str(home), "PYTHONPATH": str(REPO)}
    zygote = subprocess.Popen(
        [sys.executable, "-m", "tests.support.intake_crash_child", str(home), task_code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )
    zygote.stdin.write(key_line())  # the station's key first, by pipe
    zygote.stdin.flush()
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20261127")))
    log_path = tmp_path / "committed.log"
    log_path.touch()
    committed = inside_commit = 0
    verified: set[str] = set()
    try:
        for trial in range(trials):
            zygote.stdin.write(f"fork {rng.randrange(1 << 30)} {log_path}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.1, max_delay))
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            lines = log_path.read_text().split()
            if lines and lines[-1] == "begin":
                inside_commit += 1  # killed between the start and the return of commit()
            logged = [line for line in lines if line != "begin"]
            committed = _check_store(home, logged, verified)
            assert committed >= len(set(logged)), trial
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=10)
    # Most kills must land inside commits (not at start-up) for the test to mean much.
    print(f"{inside_commit} of {trials} kills inside a commit, {committed} cases")
    assert inside_commit >= trials // 3, (inside_commit, trials)
    return committed


def test_sigkill_during_commits_leaves_whole_cases(tmp_path):
    committed = _run_trials(tmp_path, trials=30, max_delay=0.45)
    # The kills must hit committers at work, not only at start-up (how many
    # commits fit in depends on the machine's load).
    assert committed > 0


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(not os.environ.get("ONEWINDOW_SOAK"), reason="soak trial: run by make soak")
def test_sigkill_soak(tmp_path):
    trials = int(os.environ.get("ONEWINDOW_SOAK_INTAKE_KILLS", "300"))
    assert _run_trials(tmp_path, trials=trials, max_delay=0.8) > 0
