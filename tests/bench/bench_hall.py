"""The reference hall alone, over loopback with raw HTTP (one keep-alive client):
how many metadata-only case commits per second it takes, and upload goodput.

These are the hall-side ceilings under the sync benchmarks of issue 5 (≥ 200
metadata-only cases/s through the workstation's client).  A commit is one
SQLite transaction with ``synchronous=FULL``: its fsync dominates, so the rate
follows the disk (about 3 ms of hall CPU per commit besides).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from tests.support.hall import start_hall
from tests.support.hall_client import RawHall, make_manifest

COMMITS = 300
UPLOAD_BYTES = 5 * 1024 * 1024
CHUNK = 256 * 1024


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

            data = os.urandom(UPLOAD_BYTES)
            started = time.perf_counter()
            client.upload("bench-upload-case", data, chunk_size=CHUNK)
            goodput = UPLOAD_BYTES / (time.perf_counter() - started) / 1e6
        finally:
            hall.stop()
    return [
        {"name": "hall: metadata-only commits, loopback", "value": rate, "unit": "cases/s",
         "budget": "≥ 200 cases/s", "ok": rate >= 200},
        {"name": "hall: 5 MB upload in 256 KiB chunks, loopback", "value": goodput,
         "unit": "MB/s", "budget": "≥ 20 MB/s", "ok": goodput >= 20},
    ]
