"""Several hall worker processes on one port (``serve --workers``): the same
case sent at once to different workers is committed once, and the status feed
stations follow by cursor loses and doubles nothing — on SQLite and, in the
PostgreSQL run of the hall suite, on PostgreSQL."""

from __future__ import annotations

import copy
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from stdnum.iso7064 import mod_37_36

from tests.support.hall import hall_rows, start_hall
from tests.support.hall_client import RawHall


@pytest.fixture
def workers_hall(tmp_path):
    handle = start_hall(tmp_path / "hall", workers=2)
    yield handle
    handle.stop()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return found


def renumbered(manifest: dict, serial: int) -> dict:
    import uuid

    body = manifest["number"][:-6] + f"{serial:05d}"
    return {**copy.deepcopy(manifest), "uuid": str(uuid.uuid4()),
            "number": body + mod_37_36.calc_check_digit(body)}


def test_one_case_sent_to_several_workers_at_once_is_committed_once(
        workers_hall, module_case_producer):
    assert len(_children(workers_hall.process.pid)) == 2
    manifest = copy.deepcopy(module_case_producer.take_in().manifest)
    key = f"{manifest['uuid']}:1"
    clients = [RawHall(workers_hall) for _ in range(8)]  # new connections: both workers
    with ThreadPoolExecutor(len(clients)) as pool:
        replies = list(pool.map(lambda c: c.commit(manifest, key), clients))
    assert {r.status_code for r in replies} == {201}, [r.text for r in replies]
    assert sum("Idempotent-Replayed" not in r.headers for r in replies) == 1
    [(revisions,)] = hall_rows(workers_hall, "SELECT COUNT(*) FROM case_revisions "
                               "WHERE uuid = ?", (manifest["uuid"],))
    assert revisions == 1


def test_the_status_feed_stays_whole_under_concurrent_commits(
        workers_hall, module_case_producer):
    template = copy.deepcopy(module_case_producer.take_in().manifest)
    cases = [renumbered(template, 90000 + n) for n in range(40)]
    clients = [RawHall(workers_hall) for _ in range(4)]

    def commit_share(index: int) -> list[int]:
        return [clients[index].commit(case, f"{case['uuid']}:1").status_code
                for case in cases[index::4]]

    with ThreadPoolExecutor(4) as pool:
        statuses = [s for share in pool.map(commit_share, range(4)) for s in share]
    assert statuses == [201] * 40
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 7, **({"since": cursor} if cursor else {})}
        page = clients[0].request("GET", "/cases/updates", params=params).json()
        if not page["updates"]:
            break
        seen += [u["uuid"] for u in page["updates"]]
        cursor = page["cursor"]
    assert sorted(seen) == sorted(c["uuid"] for c in cases)
