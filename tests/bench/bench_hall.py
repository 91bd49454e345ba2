"""The reference hall alone, over loopback with raw HTTP (one keep-alive client):
how many metadata-only case commits per second it takes, and upload goodput.

These are the hall-side ceilings under the sync benchmarks of issue 5 (≥ 200
metadata-only cases/s through the workstation's client).  With one client a
commit is one SQLite transaction with ``synchronous=FULL``: its fsync dominates,
so the rate follows the disk (about 3 ms of hall CPU per commit besides).
Concurrent clients share fsyncs (group commit), measured by the third row.
"""

from __future__ import annotations

import copy
import os
import tempfile
import time
import uuid as uuidlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from stdnum.iso7064 import mod_37_36

import contracts
from tests.support.hall import (
    DEMO_STATION,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    DEMO_USER,
    start_hall,
)
from tests.support.hall_client import RawHall

COMMITS = 300
UPLOAD_BYTES = 5 * 1024 * 1024
CHUNK = 256 * 1024


def _contract_check_us(template: dict, repeat: int = 2000) -> tuple[float, float]:
    """Microseconds to check one manifest against the contract: the valid case
    (each end checks every manifest once) and a refusal explained field by field."""
    contracts.check("case_manifest", template)  # compile outside the timing
    started = time.perf_counter()
    for _ in range(repeat):
        contracts.check("case_manifest", template)
    valid_us = (time.perf_counter() - started) / repeat * 1e6
    refused = dict(template, applicant=dict(template["applicant"], legal_rep="李四"))
    started = time.perf_counter()
    for _ in range(repeat // 20):
        try:
            contracts.check("case_manifest", refused)
        except contracts.ContractViolation:
            pass
    refused_us = (time.perf_counter() - started) / (repeat // 20) * 1e6
    return valid_us, refused_us


def produced_manifest(home: Path) -> dict:
    """One metadata-only case as the workstation's intake commits and queues it."""
    from app.catalog.importer import import_catalog_document
    from app.catalog.item_key import display_name
    from app.intake import IntakeService
    from app.settings import Settings
    from local_store.store import Store
    from tests.support.catalog import item_ref
    from tests.support.intake import NOW, demo_catalog_document
    from tests.support.producers import CaseProducer

    store = Store.open(home)
    try:
        document = demo_catalog_document()
        import_catalog_document(document, store)
        catalog = {display_name(item): item_ref(item) for item in document["items"]}
        intake = IntakeService(store, Settings(clerk_name="窗口测试员"), clock=lambda: NOW)
        return copy.deepcopy(CaseProducer(store, intake, catalog).take_in().manifest)
    finally:
        store.close()


def renumbered(template: dict, station: str, serial: str) -> dict:
    """The template case as another case of ``station``: its own uuid and number."""
    body = f"{station}{template['number'][9:17]}{serial}"
    return {**template, "uuid": str(uuidlib.uuid4()), "station": station,
            "number": body + mod_37_36.calc_check_digit(body)}


def _concurrent_rate(hall, template: dict, clients: int = 8, each: int = 40) -> float:
    # Half the clients at the district centre, half at the street office: each
    # station commits its own numbers.
    stations = [(DEMO_STATION, DEMO_USER), (DEMO_STREET_STATION, DEMO_STREET_USER)]
    sessions = [RawHall(hall, *stations[w % 2]) for w in range(clients)]
    batches = [[renumbered(template, stations[w % 2][0], f"9{w}{n:03d}") for n in range(each)]
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
        template = produced_manifest(Path(tmp) / "station")
        hall = start_hall(Path(tmp) / "hall")
        try:
            client = RawHall(hall)
            manifests = [renumbered(template, DEMO_STATION, f"{n:05d}") for n in range(COMMITS)]
            client.commit(manifests[0], "warm-up")
            started = time.perf_counter()
            for manifest in manifests[1:]:
                reply = client.commit(manifest, f"{manifest['uuid']}:1")
                assert reply.status_code == 201, reply.text
            rate = (COMMITS - 1) / (time.perf_counter() - started)

            concurrent = _concurrent_rate(hall, template)
            check_us, refusal_us = _contract_check_us(template)

            data = os.urandom(UPLOAD_BYTES)
            started = time.perf_counter()
            client.upload("bench-upload-case", data, chunk_size=CHUNK)
            goodput = UPLOAD_BYTES / (time.perf_counter() - started) / 1e6
        finally:
            hall.stop()
    return [
        {"name": "contract check of one case manifest (each end, valid)", "value": check_us,
         "unit": "µs", "budget": "(reference)", "ok": True},
        {"name": "contract check of a refused manifest (fields explained)",
         "value": refusal_us, "unit": "µs", "budget": "(reference)", "ok": True},
        # One client waits for every fsync alone: a reference, not a budget.
        {"name": "hall: metadata-only commits, one client", "value": rate, "unit": "cases/s",
         "budget": "(reference)", "ok": True},
        {"name": "hall: metadata-only commits, 8 concurrent clients", "value": concurrent,
         "unit": "cases/s", "budget": "≥ 200 cases/s", "ok": concurrent >= 200},
        {"name": "hall: 5 MB upload in 256 KiB chunks, loopback", "value": goodput,
         "unit": "MB/s", "budget": "≥ 20 MB/s", "ok": goodput >= 20},
    ]
