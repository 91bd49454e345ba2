"""SIGKILL of a process in the middle of a retention purge: every case is left
either whole (personal data, materials' files and pages, blobs on disk) or
purged (none of them), the database passes integrity_check, and a new run
finishes the rest."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.retention import run_retention
from app.settings import Settings
from local_store.db import integrity_check
from local_store.models import Case
from tests.support.station_keys import key_line, open_case_file
from tests.sync.test_retention import send_to_hall

ROOT = Path(__file__).resolve().parents[2]
CASES = 30
KILLS = 3


def purged_count(db_path: Path) -> int:
    connection = open_case_file(db_path, read_only=True)
    try:
        return connection.execute(
            'SELECT COUNT(*) FROM "case" WHERE purged_at IS NOT NULL').fetchone()[0]
    finally:
        connection.close()


def kill_mid_purge(home: Path, rng: random.Random) -> bool:
    """Start a purge in a child and SIGKILL it once it has purged something."""
    db_path = home / "cases.sqlite"
    before = purged_count(db_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tests.support.retention_child",
                              str(home), "1"], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    child.stdin.write(key_line().encode())  # the station's key, by pipe
    child.stdin.close()
    deadline = time.monotonic() + 60
    while child.poll() is None and time.monotonic() < deadline:
        if purged_count(db_path) > before:
            break
        time.sleep(0.002)
    time.sleep(rng.uniform(0.0, 0.03))
    killed = child.poll() is None
    if killed:
        child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert killed or child.returncode == 0, child.stderr.read().decode()
    return killed


def whole_or_purged(store, whole_view: dict[str, dict]) -> tuple[int, int]:
    """Check each case; returns (whole, purged)."""
    db = store.case_db
    whole = purged = 0
    for case in Case.select():
        materials = db.execute_sql(
            "SELECT blob_digest FROM case_material WHERE case_id = ? ORDER BY id",
            (case.id,)).fetchall()
        pages = db.execute_sql(
            "SELECT p.blob_digest FROM case_page p JOIN case_material m ON p.material_id = m.id "
            "WHERE m.case_id = ? ORDER BY p.id", (case.id,)).fetchall()
        manifests = [json.loads(text) for (text,) in db.execute_sql(
            "SELECT manifest FROM outbox_entry WHERE case_id = ?", (case.id,))]
        expected = whole_view[case.uuid]
        if case.purged_at is None:
            whole += 1
            assert case.applicant_snapshot == expected["snapshot"]
            assert [d for (d,) in materials] == expected["materials"]
            assert [d for (d,) in pages] == expected["pages"]
            assert all(m["applicant"]["id_number"] for m in manifests)
            for digest in expected["blobs"]:
                assert store.blobs.has(digest), (case.number, digest)
        else:
            purged += 1
            assert case.applicant_snapshot == {"kind": expected["snapshot"]["kind"]}
            assert all(d is None for (d,) in materials) and pages == []
            assert all("id_number" not in m["applicant"] and m["attachments"] == []
                       for m in manifests)
            assert sorted(json.loads(case.archived_digests)) == sorted(expected["attachments"])
    return whole, purged


def test_sigkill_during_a_purge_leaves_every_case_whole_or_purged(store, case_producer,
                                                                  hall):
    rng = random.Random(int(os.environ.get("ONEWINDOW_TRIAL_SEED", "18")))
    for number in range(CASES):
        shape = "conclude" if number % 2 else "reject"
        case_producer.take_in(shape, scanned_pages=1 + number % 2)
    send_to_hall(store, hall)
    whole_view = {}
    for case in Case.select():
        produced = case_producer.produced(case.uuid)
        materials = [m.blob_digest for m in case.materials.order_by("id")]
        pages = [d for (d,) in store.case_db.execute_sql(
            "SELECT p.blob_digest FROM case_page p JOIN case_material m ON p.material_id = m.id "
            "WHERE m.case_id = ? ORDER BY p.id", (case.id,))]
        attachments = [a["sha256"] for a in produced.manifest["attachments"]]
        whole_view[case.uuid] = {
            "snapshot": case.applicant_snapshot, "materials": materials, "pages": pages,
            "attachments": attachments, "blobs": [*attachments, *pages]}

    partial = 0
    for _kill in range(KILLS):
        killed = kill_mid_purge(store.home, rng)
        assert integrity_check(store.case_db) == "ok"
        whole, purged = whole_or_purged(store, whole_view)
        partial += killed and whole > 0 and purged > 0
    # The kills hit a purge in progress, not only an idle or finished process.
    assert partial, "no kill landed mid-purge"

    run_retention(store, Settings(retention_days=0), sweep_grace=None)
    assert whole_or_purged(store, whole_view) == (0, CASES)
    assert integrity_check(store.case_db) == "ok"
