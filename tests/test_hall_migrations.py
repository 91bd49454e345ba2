"""The hall's schema steps (central_hall/migrations.py), on SQLite and — in the
PostgreSQL run of the hall suite — on PostgreSQL: a database the hall made at an
older step (``migrate --to``), holding cases and a rating the hall's own code
committed there, is upgraded by several processes starting at once; each step runs
and is recorded once, nothing held is lost or renumbered, and the upgraded hall
serves."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from app.evaluation import evaluate
from app.settings import Settings
from app.staff import StaffIdentity
from central_hall import cases, evaluations, migrations
from central_hall.auth import Session, seed_demo_accounts
from central_hall.blobstore import BlobStore
from central_hall.storage import HallDatabase
from local_store.models import Evaluation
from sync.evaluations import wire_rating
from tests.support.hall import fresh_test_database, hall_rows, start_hall
from tests.support.hall_client import RawHall

ROOT = Path(__file__).resolve().parents[1]
# The database is made just before the step that renumbers nothing but moves the
# case revisions' numbers into a column of their own: the upgrade must keep them.
NUMBERING = next(step.number for step in migrations.STEPS
                 if step.name == "case_revisions_numbered")
PREVIOUS = NUMBERING - 1
CLERK = StaffIdentity(account="clerk01", display_name="", role="clerk", station="350205001")


def hall_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "central_hall", *args]


def where(data_dir: Path, database_url: str | None) -> list[str]:
    return ["--data", str(data_dir), *(["--database", database_url] if database_url else [])]


class Place:
    """Where a hall keeps its data, as start_hall's handle says it (for hall_rows)."""

    def __init__(self, data_dir: Path, database_url: str | None):
        self.data_dir, self.database_url = data_dir, database_url


def recorded_steps(place: Place) -> list[tuple[int, str, str]]:
    return [tuple(row) for row in hall_rows(
        place, "SELECT version, name, applied_at FROM hall_migrations ORDER BY version")]


def test_an_older_steps_database_is_upgraded_once_by_concurrent_starts(
        tmp_path, case_producer, store):
    database_url = fresh_test_database()
    data_dir = tmp_path / "hall"
    place = Place(data_dir, database_url)
    made = subprocess.run(hall_command("migrate", *where(data_dir, database_url),
                                       "--to", str(PREVIOUS)),
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert made.returncode == 0, made.stderr
    assert [row[0] for row in recorded_steps(place)] == list(range(1, PREVIOUS + 1))

    # What the hall held at that step, committed there by the hall's own code.
    produced = [case_producer.take_in("person"), case_producer.take_in("notify_then_accept"),
                case_producer.take_in("reject")]
    settings = Settings()
    rated = evaluate(store, settings, CLERK, produced[0].number, 2, "window")
    db = HallDatabase.open(data_dir, database_url, schema_step=PREVIOUS)
    try:
        seed_demo_accounts(db)
        session = Session(station="350205001", user="clerk01")
        blobs = BlobStore(data_dir)
        for case in produced:
            for manifest in case.manifests:
                outcome = cases.commit_case(db, blobs, session, case.uuid, manifest,
                                            f"{case.uuid}:{manifest['event']}")
                assert outcome.status in (200, 201)
        status, _ = evaluations.record_from_station(
            db, session, wire_rating(Evaluation.get(Evaluation.uuid == rated.uuid)))
        assert status == 201
    finally:
        db.close()
    # The previous step numbers revisions by SQLite's implicit rowid (on PostgreSQL
    # a column of that name).
    before = sorted(hall_rows(place, "SELECT rowid, uuid, revision, event FROM case_revisions"))
    assert len(before) == 4

    # Three processes start on it at once (the district's workers, an operator's
    # command): each step is applied once, by whichever gets it first.
    starts = [subprocess.Popen(hall_command("migrate", *where(data_dir, database_url)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT) for _ in range(3)]
    for start in starts:
        out, err = start.communicate(timeout=120)
        assert start.returncode == 0, err
    steps = recorded_steps(place)
    assert [(number, name) for number, name, _ in steps] == [
        (step.number, step.name) for step in migrations.STEPS]

    # Nothing lost, nothing renumbered: the revision numbers are the export's cursor.
    after = sorted(hall_rows(place, "SELECT seq, uuid, revision, event FROM case_revisions"))
    assert after == before
    if database_url is None:
        # The file as it was before the upgrade is kept beside it.
        copy = data_dir / f"hall.sqlite3.step{NUMBERING}.bak"
        kept = sqlite3.connect(copy)
        try:
            assert kept.execute("SELECT MAX(version) FROM hall_migrations").fetchone() == (
                PREVIOUS,)
            assert kept.execute("SELECT COUNT(*) FROM case_revisions").fetchone() == (4,)
        finally:
            kept.close()

    # The upgraded hall serves what it held and numbers on after it.
    hall = start_hall(data_dir, database_url=database_url, workers=2 if database_url else 1)
    try:
        centre = RawHall(hall)
        held = centre.request("GET", f"/cases/{produced[1].uuid}")
        assert held.status_code == 200 and held.json()["revision"] == 2
        later = case_producer.take_in("person")
        assert centre.commit(later.manifest, f"{later.uuid}:accept").status_code == 201
    finally:
        hall.stop()
    [(newest,)] = hall_rows(place, "SELECT seq FROM case_revisions WHERE uuid = ?",
                            (later.uuid,))
    assert newest > max(row[0] for row in before)
    exported = subprocess.run(
        hall_command("export", *where(data_dir, database_url), "--out",
                     str(tmp_path / "export.json")),
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert exported.returncode == 0, exported.stderr
    document = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert sorted(e["UNID"] for e in document["events"] if e["UNID"].startswith("r")) == sorted(
        f"r{row[0]}" for row in [*before, (newest,)])
    [rating] = document["evaluations"]
    assert rating["UNID"] == rated.uuid


def test_a_database_newer_than_the_hall_is_refused(tmp_path):
    database_url = fresh_test_database()
    data_dir = tmp_path / "hall"
    place = Place(data_dir, database_url)
    made = subprocess.run(hall_command("migrate", *where(data_dir, database_url)),
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert made.returncode == 0, made.stderr
    # A later hall recorded a step this one does not know.
    hall_rows(place, "INSERT INTO hall_migrations (version, name, applied_at) VALUES (?, ?, ?)",
              (migrations.LATEST + 1, "from_a_newer_hall", "2030-01-01T00:00:00+00:00"))
    refused = subprocess.run(hall_command("serve", *where(data_dir, database_url), "--port", "0"),
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert refused.returncode == 1
    assert f"schema step {migrations.LATEST + 1}" in refused.stderr
    assert "Traceback" not in refused.stderr
