"""The hall's group commit: concurrent units of work share one transaction, and
one failing unit rolls back only itself (in-process, no server needed)."""

from __future__ import annotations

import threading

import pytest

from central_hall.storage import HallDatabase, _QueuedWork


def meta_rows(db: HallDatabase) -> dict:
    with db.reading() as conn:
        return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM meta")}


def insert(key: str):
    def work(conn):
        conn.execute("INSERT INTO meta (key, value) VALUES (?, 'x')", (key,))
        return key
    return work


def test_a_failing_unit_rolls_back_only_itself(tmp_path):
    db = HallDatabase.open(tmp_path)

    def fails(conn):
        conn.execute("INSERT INTO meta (key, value) VALUES ('b', 'x')")
        raise ValueError("refused")

    batch = [_QueuedWork(insert("a")), _QueuedWork(fails), _QueuedWork(insert("c"))]
    db._run_batch(batch)
    assert [u.result for u in batch] == ["a", None, "c"]
    assert isinstance(batch[1].error, ValueError) and batch[0].error is None
    assert set(meta_rows(db)) == {"a", "c"}
    assert all(u.finished for u in batch)
    db.close()


def test_concurrent_callers_all_get_their_own_result_or_error(tmp_path):
    db = HallDatabase.open(tmp_path)
    results: dict[int, object] = {}

    def caller(n: int) -> None:
        try:
            results[n] = db.in_shared_transaction(insert("dup" if n % 5 == 0 else f"k{n}"))
        except Exception as exc:  # noqa: BLE001 - recorded for the assertions
            results[n] = exc

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    duplicates = [results[n] for n in range(0, 40, 5)]
    assert sum(r == "dup" for r in duplicates) == 1  # the first wins, the rest conflict
    assert all(r == "dup" or isinstance(r, Exception) for r in duplicates)
    assert all(results[n] == f"k{n}" for n in range(40) if n % 5)
    assert len(meta_rows(db)) == 1 + 32
    db.close()


def test_the_error_reaches_its_caller(tmp_path):
    db = HallDatabase.open(tmp_path)
    db.in_shared_transaction(insert("once"))
    with pytest.raises(Exception, match="UNIQUE"):
        db.in_shared_transaction(insert("once"))
    db.close()
