"""The reference hall alone, over loopback with raw HTTP (one keep-alive client):
how many metadata-only case commits per second it takes, and upload goodput.

These are the hall-side ceilings under the sync benchmarks of issue 5 (≥ 200
metadata-only cases/s through the workstation's client).  With one client a
commit is one SQLite transaction with ``synchronous=FULL``: its fsync dominates,
so the rate follows the disk (about 3 ms of hall CPU per commit besides).
Concurrent clients share fsyncs (group commit), measured by the third row.
"""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.hall import start_hall
from tests.support.hall_client import RawHall, make_manifest

COMMITS = 300
UPLOAD_BYTES = 5 * 1024 * 1024
CHUNK = 256 * 1024


def _concurrent_rate(hall, clients: int = 8, each: int = 40) -> float:
    sessions = [RawHall(hall) for _ in range(clients)]
    batches = [[make_manifest(f"35020500220261127{w}{n:04d}C") for n in range(each)]
               for w in range(clients)]

    def commit_all(worker: int) -> None:
        for manifest in batches[worker]:
            reply = sessions[worker].commit(manifest, f"{manifest['uuid']}:1")
            assert reply.status_code == 201, reply.text

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(commit_all, range(clients)))
    return clients * each / (time.perf_counter() - started)


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="bench-hall-") as tmp:
        hall = start_hall(Path(tmp) / "hall")
        try:
            client = RawHall(hall)
            manifests = [make_manifest(f"35020500120261127{n:05d}B") for n in range(COMMITS)]
            client.commit(manifests[0], "warm-up")
            started = time.perf_counter()
            for manifest in manifests[1:]:
                reply = client.commit(manifest, f"{manifest['uuid']}:1")
                assert reply.status_code == 201, reply.text
            rate = (COMMITS - 1) / (time.perf_counter() - started)

            concurrent = _concurrent_rate(hall)

            data = os.urandom(UPLOAD_BYTES)
            started = time.perf_counter()
            client.upload("bench-upload-case", data, chunk_size=CHUNK)
            goodput = UPLOAD_BYTES / (time.perf_counter() - started) / 1e6
        finally:
            hall.stop()
    return [
        # One client waits for every fsync alone: a reference, not a budget.
        {"name": "hall: metadata-only commits, one client", "value": rate, "unit": "cases/s",
         "budget": "(reference)", "ok": True},
        {"name": "hall: metadata-only commits, 8 concurrent clients", "value": concurrent,
         "unit": "cases/s", "budget": "≥ 200 cases/s", "ok": concurrent >= 200},
        {"name": "hall: 5 MB upload in 256 KiB chunks, loopback", "value": goodput,
         "unit": "MB/s", "budget": "≥ 20 MB/s", "ok": goodput >= 20},
    ]
