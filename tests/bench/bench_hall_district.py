"""The district hall on PostgreSQL: 100 stations × 50 cases, each case with a
scanned attachment, through the real HTTP API on loopback (the hall with two
worker processes, as on this 2-core machine; the clients run on the same
machine and compete for its CPU).

Every station has its own account and token; each case uploads its own PDF
(PUT + PATCH), then commits its manifest.  Reported: cases per second over the
whole run, p50/p99 latency of the case commit (PUT /cases/{uuid}), and the
hall's peak memory (the proportional set size of all hall processes, summed,
sampled during the run — the PostgreSQL server's own memory is not the hall's).
Needs a PostgreSQL server (see tests/support/postgres.py); without one the rows
say so.
"""

from __future__ import annotations

import copy
import hashlib
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.bench.bench_hall import renumbered
from tests.support.hall import DEMO_PASSWORD, start_hall
from tests.support.hall_client import RawHall
from tests.support.postgres import new_database, postgres_server

STATIONS = 100
CASES_PER_STATION = 50
CLIENT_THREADS = 20
WORKERS = 2
DEADLINE_S = 600


def _produced_case(home: Path) -> tuple[dict, bytes]:
    """A case with one scanned page, as the workstation's intake queues it."""
    from app.catalog.importer import import_catalog_document
    from app.intake import IntakeService
    from app.settings import Settings
    from local_store.store import Store
    from tests.support.intake import NOW, demo_catalog_document
    from tests.support.producers import CaseProducer

    store = Store.open(home)
    try:
        document = demo_catalog_document()
        import_catalog_document(document, store)
        catalog = {item["name"]: item["task_code"] for item in document["items"]}
        intake = IntakeService(store, Settings(clerk_name="窗口测试员"), clock=lambda: NOW)
        produced = CaseProducer(store, intake, catalog).take_in(scanned_pages=1)
        [(_digest, content)] = produced.attachments.items()
        return copy.deepcopy(produced.manifest), content
    finally:
        store.close()


def _register_stations(data_dir: Path, database_url: str) -> list[tuple[str, str]]:
    """The district's stations and one clerk each, as its administrator registers them."""
    from central_hall import auth
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(data_dir, database_url)
    try:
        stations = []
        for index in range(STATIONS):
            code, user = f"350205{101 + index:03d}", f"bench{101 + index}"
            auth.add_station(db, code, f"测试工位 {code}")
            auth.set_account(db, user, DEMO_PASSWORD, "clerk", [code])
            stations.append((code, user))
        return stations
    finally:
        db.close()


def _case_of(template: dict, page: bytes, station: str, serial: int) -> tuple[dict, bytes]:
    """The template case as one more case of ``station``, with a page of its own."""
    content = page + f"\n%onewindow-bench {station} {serial}\n".encode()
    digest = hashlib.sha256(content).hexdigest()
    manifest = renumbered(template, station, f"{serial:05d}")
    scanned = template["attachments"][0]["sha256"]
    manifest["attachments"] = [{"sha256": digest, "size": len(content)}]
    manifest["materials"] = [
        {**m, "digest": digest, "size": len(content)} if m.get("digest") == scanned else m
        for m in copy.deepcopy(template["materials"])]
    return manifest, content


def _hall_processes(root_pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == root_pid:
            children.append(int(stat.parent.name))
    return [root_pid, *children]


def _pss_kib(pid: int) -> int:
    """Proportional set size: pages shared by the forked workers counted once
    overall (summing each worker's resident size would count them per worker)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run() -> list[dict]:
    with postgres_server() as server:
        if server is None:
            note = "PostgreSQL not available (not root, none installed, no server given)"
            return [{"name": "hall on PostgreSQL: 100 stations × 50 cases", "value": None,
                     "unit": "", "budget": "", "ok": False, "error": note}]
        with tempfile.TemporaryDirectory(prefix="bench-district-") as tmp:
            return _measure(Path(tmp), new_database(server))


def _measure(tmp: Path, database_url: str) -> list[dict]:
    template, page = _produced_case(tmp / "station")
    stations = _register_stations(tmp / "hall", database_url)
    hall = start_hall(tmp / "hall", database_url=database_url, workers=WORKERS)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DEADLINE_S
    sampled = [0]
    finished = threading.Event()

    def sample_memory() -> None:
        while not finished.wait(0.25):
            sampled.append(sum(_pss_kib(pid) for pid in _hall_processes(hall.process.pid)))

    sampler = threading.Thread(target=sample_memory, daemon=True)
    sampler.start()
    try:
        def serve_station(index: int) -> None:
            code, user = stations[index]
            client = RawHall(hall, station=code, user=user)
            for serial in range(CASES_PER_STATION):
                if time.monotonic() > deadline:
                    return
                manifest, content = _case_of(template, page, code, serial)
                client.upload(manifest["uuid"], content, chunk_size=1024 * 1024)
                started = time.perf_counter()
                reply = client.commit(manifest, f"{manifest['uuid']}:1")
                elapsed = time.perf_counter() - started
                with lock:
                    if reply.status_code == 201:
                        latencies.append(elapsed)
                    else:
                        failures.append(f"{reply.status_code} {reply.text[:120]}")

        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            list(pool.map(serve_station, range(STATIONS)))
        wall = time.perf_counter() - started
        processes = len(_hall_processes(hall.process.pid))
    finally:
        finished.set()
        sampler.join()
        hall.stop()
    committed = len(latencies)
    ordered = sorted(latencies) or [float("inf")]
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    memory_mb = max(sampled) / 1024
    everything = committed == STATIONS * CASES_PER_STATION and not failures
    print(f"district: {committed} cases committed in {wall:.1f} s by {STATIONS} stations, "
          f"{len(failures)} refused{': ' + failures[0] if failures else ''}; "
          f"{processes} hall processes, peak {memory_mb:.0f} MB (PSS, sampled every 0.25 s)")
    return [
        {"name": "hall on PostgreSQL: 100 stations × 50 cases with attachments",
         "value": committed / wall, "unit": "cases/s", "budget": "(report)", "ok": everything},
        {"name": "hall on PostgreSQL: case commit p50", "value": p50, "unit": "ms",
         "budget": "(report)", "ok": everything},
        {"name": "hall on PostgreSQL: case commit p99", "value": p99, "unit": "ms",
         "budget": "≤ 200 ms (goal)", "ok": p99 <= 200},
        {"name": "hall on PostgreSQL: peak memory (all workers)", "value": memory_mb,
         "unit": "MB", "budget": "≤ 1 GB", "ok": memory_mb <= 1024},
    ]
