import os
import threading

import pytest

from local_store import db as dbmod
from local_store.blobs import BlobStore, sha256_hex
from local_store.migrations import current_version, migrate
from local_store.models import Applicant, SchemaVersion


def test_case_db_pragmas(store):
    pragma = store.case_db.execute_sql
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert pragma("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.catalog_db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_blob_store_is_content_addressed(tmp_path):
    blobs = BlobStore(tmp_path / "blobs")
    digest = blobs.put_bytes(b"page one")
    assert digest == sha256_hex(b"page one")
    assert blobs.put_bytes(b"page one") == digest
    assert blobs.read(digest) == b"page one"
    assert blobs.verify(digest)
    assert not list((tmp_path / "blobs" / "tmp").iterdir())


def test_writer_rolls_back_a_failed_unit(store):
    def half_then_fail():
        Applicant.create(kind="person", name="张三", id_type="111", id_number="X1")
        raise ValueError("boom")

    with pytest.raises(ValueError):
        store.writer.call(half_then_fail)
    assert Applicant.select().count() == 0


def test_writer_serialises_concurrent_units(store):
    def add(n):
        Applicant.create(kind="person", name=f"人{n}", id_type="111", id_number=str(n))

    threads = [threading.Thread(target=lambda n=n: store.writer.call(add, n)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Applicant.select().count() == 40


def _hold_the_writer(store) -> threading.Event:
    """Block the writer thread until the returned event is set (units queue up)."""
    release, holding = threading.Event(), threading.Event()

    def hold():
        holding.set()
        release.wait(10)

    store.writer.submit(hold)
    assert holding.wait(10)
    return release


def test_waiting_units_commit_together_and_a_failing_one_undoes_only_itself(store):
    statements: list[str] = []
    store.writer.call(lambda: store.case_db.connection().set_trace_callback(statements.append))
    release = _hold_the_writer(store)

    def add(n):
        Applicant.create(kind="person", name=f"人{n}", id_type="111", id_number=str(n))
        if n == 3:
            raise ValueError("unit 3 fails after writing")
        return n

    futures = [store.writer.submit(add, n) for n in range(6)]
    del statements[:]
    release.set()
    assert [f.result(10) for f in futures if f is not futures[3]] == [0, 1, 2, 4, 5]
    with pytest.raises(ValueError):
        futures[3].result(10)
    assert sorted(a.id_number for a in Applicant.select()) == ["0", "1", "2", "4", "5"]
    # The holding unit commits alone; the six that waited behind it, in one commit.
    assert [sql for sql in statements if sql.upper() == "COMMIT"] == ["COMMIT"] * 2


def test_a_unit_that_loses_the_whole_transaction_fails_its_group(store):
    """Disk full or an I/O error makes SQLite roll the whole transaction back:
    no unit of the group may then be reported done, nor run outside it."""
    release = _hold_the_writer(store)

    def add(n):
        Applicant.create(kind="person", name=f"人{n}", id_type="111", id_number=str(n))
        return n

    def lose_transaction():
        store.case_db.connection().rollback()  # what SQLite does on SQLITE_FULL
        raise OSError("database or disk is full")

    first = store.writer.submit(add, 1)
    lost = store.writer.submit(lose_transaction)
    after = store.writer.submit(add, 2)
    release.set()
    for future in (first, lost, after):
        with pytest.raises(Exception):  # noqa: B017 - each told it did not commit
            future.result(10)
    assert Applicant.select().count() == 0
    assert store.writer.call(add, 3) == 3  # the writer goes on


def test_migration_backs_up_before_upgrading(tmp_path):
    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    first = [lambda d: d.create_tables([SchemaVersion])]
    assert migrate(db, path, steps=first) == 1

    def add_table(d):
        d.execute_sql("CREATE TABLE later_table (id INTEGER PRIMARY KEY)")

    assert migrate(db, path, steps=first + [add_table]) == 2
    assert current_version(db) == 2
    assert "later_table" in db.get_tables()
    assert os.path.exists(tmp_path / "cases.sqlite.v1.bak")
    db.close()


def test_sqlite_version_is_checked():
    assert dbmod.check_sqlite_version()
