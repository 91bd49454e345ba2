"""What encryption at rest costs (issue 12, item 5; budget ≤ 20 % each):

- **intake commit**: IntakeService.commit of a case with 10 scanned A4 pages
  (as bench_intake), and of a case without pages (the database's share is
  largest there; five per repeat), on a plaintext and on a SQLCipher case database, each
  home fresh, the two measured alternately; medians.  The pages reach the
  store as at the window: ``store_page`` (what the scan panel's worker
  calls) on the same store in this process, just before the commit — so the
  encrypted store has kept their plaintext in memory and the commit does not
  decrypt them; it still encrypts the material PDF it writes.  A draft
  resumed after a restart has nothing kept and decrypts every page: its
  overhead is the "pages decrypted" row, reported for information.
- **catalog search**: p99 per keystroke over 20,000 items (bench_catalog's
  typed queries) with the station's store open plaintext vs encrypted, each
  keystroke timed on the two indexes in turn.  The catalog cache is plain
  SQLite in both (public catalog, no personal data), and the search runs on
  the in-memory index: the rows show it stays so.
- **cold start**: a fresh interpreter that opens the 100,000-case station of
  bench_startup (20,000 items), loads the catalog index and counts the
  cases — spawn to done, median of 5, plaintext twin vs encrypted file of
  the same data.  The encrypted window's own ``--self-test`` start is
  bench_startup's row.

The plaintext side is the previous release's path: the same ``Store.open``
with the case database opened without a key (``open_case_db(path)``) and a
blob store without a key; the encrypted side is this release's (SQLCipher
database, SM4-GCM blobs) — the rows are the whole cost of encryption at rest.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from app.catalog.importer import import_catalog_document, tidy_catalog_cache
from app.catalog.search import CatalogIndex
from app.catalog.synthetic import make_catalog
from app.identity import preload_area_table
from app.intake import Decision, IntakeService
from app.scanning.pages import forget_pages, store_page
from app.settings import Settings
from local_store import db as dbmod
from tests.bench import BENCH_KEYS
from tests.bench.bench_catalog import p99, typed_queries
from tests.support.intake import (
    INDIVIDUAL_BUSINESS,
    demo_catalog_document,
    fill_person,
    receive_all_originals,
)
from tests.support.scanning import document_page

ROOT = Path(__file__).resolve().parents[2]
COMMITS = 9
NO_PAGE_COMMITS = 5  # per repeat
BUDGET = 0.20
COLD_RUNS = 5


@contextmanager
def plaintext_case_database():
    """The previous release's path: the case database opened without a key."""
    encrypted_open = dbmod.open_case_db
    dbmod.open_case_db = lambda path, _keys=None: encrypted_open(path)
    try:
        yield
    finally:
        dbmod.open_case_db = encrypted_open


def _open(home: Path, encrypted: bool, blobs_encrypted: bool | None = None):
    """The station's store as this release opens it (SQLCipher database, SM4-GCM
    blobs), or as the previous one did (plain SQLite, plain blobs).
    ``blobs_encrypted=False`` with an encrypted database: the database's share alone."""
    from local_store.blobs import BlobStore
    from local_store.store import BLOB_DIR, Store

    if encrypted:
        store = Store.open(home, BENCH_KEYS)
    else:
        with plaintext_case_database():
            store = Store.open(home, BENCH_KEYS)
    if not (encrypted if blobs_encrypted is None else blobs_encrypted):
        store.blobs = BlobStore(store.home / BLOB_DIR)  # no key source: written plain
    return store


def _overhead_row(name: str, plain: float, encrypted: float, unit: str, scale: float) -> list:
    overhead = encrypted / plain - 1 if plain else 0.0
    return [
        {"name": f"{name}, plaintext", "value": plain * scale, "unit": unit,
         "budget": "report", "ok": True},
        {"name": f"{name}, encrypted", "value": encrypted * scale, "unit": unit,
         "budget": "report", "ok": True},
        {"name": f"{name}: encryption overhead", "value": overhead * 100, "unit": "%",
         "budget": f"≤ {BUDGET * 100:.0f} %", "ok": overhead <= BUDGET},
    ]


# --- intake commit ----------------------------------------------------------------------

# (database encrypted, blobs encrypted) of each measured configuration.
PLAIN, DATABASE_ONLY, FULL = (False, False), (True, False), (True, True)
# 10 pages of a draft resumed after a restart: the store has kept none in memory.
RESUMED = "resumed"


def _commit_timings(scratch: Path) -> dict[tuple[tuple[bool, bool], int], list[float]]:
    document = demo_catalog_document()
    task_code = next(item["task_code"] for item in document["items"]
                     if item["name"] == INDIVIDUAL_BUSINESS)
    preload_area_table()
    stores = {}
    for config in (PLAIN, DATABASE_ONLY, FULL):
        store = _open(scratch / f"intake-{config[0]}-{config[1]}", *config)
        import_catalog_document(document, store)
        stores[config] = store
    timings: dict[tuple[tuple[bool, bool], int], list[float]] = {}
    try:
        for repeat in range(COMMITS):
            order = [PLAIN, DATABASE_ONLY, FULL]
            for config in order[repeat % 3:] + order[:repeat % 3]:
                store = stores[config]
                # peewee's proxy follows the store opened last: bind this one.
                dbmod.case_db.initialize(store.case_db)
                service = IntakeService(store, Settings())
                # A commit without pages takes ~10 ms, most of it an fsync: five of
                # them per repeat, or a shared disk's hiccups decide its median.
                for pages in (0,) * NO_PAGE_COMMITS + (10, RESUMED):
                    draft = service.new_draft(task_code)
                    fill_person(draft)
                    receive_all_originals(draft)
                    if pages:
                        material = draft.material("M01")
                        material.received_form = "scanned"
                        # As the scan panel stores each arriving page (on its worker).
                        # Pages of their own (not those of the commit before), or the
                        # service would find their PDF already assembled.
                        first = repeat * 10 + (1000 if pages == RESUMED else 0)
                        material.pages = [
                            store_page(store.blobs, document_page(first + n)).to_json()
                            for n in range(1, 11)]
                        if pages == RESUMED:  # as after a restart: nothing kept in memory
                            forget_pages(store.blobs, material.pages)
                    started, cpu_started = time.perf_counter(), time.process_time()
                    service.commit(draft, Decision("accept"))
                    timings.setdefault((config, pages), []).append(
                        time.perf_counter() - started)
                    # CPU of all threads: the cipher's own cost, without the waits
                    # for fsync and for a shared machine's cores.
                    timings.setdefault((config, pages, "cpu"), []).append(
                        time.process_time() - cpu_started)
    finally:
        for store in stores.values():
            store.close()
    return timings


# --- catalog search ---------------------------------------------------------------------------

def _search_p99(scratch: Path) -> dict[bool, float]:
    rng = random.Random(20_000)
    document = make_catalog(20_000, seed=11)
    keystrokes = typed_queries(document, rng)
    stores, indexes = {}, {}
    try:
        for encrypted in (False, True):
            store = stores[encrypted] = _open(scratch / f"catalog-{encrypted}", encrypted)
            import_catalog_document(document, store)
            tidy_catalog_cache(store)
            indexes[encrypted] = CatalogIndex.load(store)
        # Each keystroke on both indexes in turn (which first alternates), three rounds
        # as bench_catalog: a shared machine's load then weighs on both sides alike.
        wall: dict[bool, list[float]] = {False: [], True: []}
        for round_number in range(3):
            for number, typed in enumerate(keystrokes):
                for encrypted in (False, True) if (number + round_number) % 2 else (True, False):
                    started = time.perf_counter()
                    indexes[encrypted].search(typed)
                    wall[encrypted].append(time.perf_counter() - started)
        return {encrypted: p99(times) for encrypted, times in wall.items()}
    finally:
        for store in stores.values():
            store.close()


# --- cold start -----------------------------------------------------------------------------------

COLD_CHILD = """
import sys, time, json
started = time.perf_counter()
from tests.bench.bench_encryption import _open
from app.catalog.search import CatalogIndex
from local_store.models import Case
store = _open(__import__("pathlib").Path(sys.argv[1]), sys.argv[2] == "encrypted")
index = CatalogIndex.load(store)
cases = Case.select().count()
print(json.dumps({"in_process_s": time.perf_counter() - started, "cases": cases,
                  "items": len(index)}), flush=True)
store.close()
"""


def _plaintext_twin(encrypted_home: Path, target: Path) -> None:
    """The same station with its case database decrypted (sqlcipher_export)."""
    import shutil

    from sqlcipher3 import dbapi2

    shutil.copytree(encrypted_home, target)
    path = target / "cases.sqlite"
    path.unlink()
    for log in ("cases.sqlite-wal", "cases.sqlite-shm"):
        (target / log).unlink(missing_ok=True)
    source = dbapi2.connect(str(encrypted_home / "cases.sqlite"))
    key = BENCH_KEYS.sqlcipher_pragma_key().replace("'", "''")
    source.execute(f"PRAGMA key = '{key}'")
    source.execute("ATTACH DATABASE ? AS plain KEY ''", (str(path),))
    source.execute("SELECT sqlcipher_export('plain')")
    source.execute("DETACH DATABASE plain")
    source.close()
    assert dbmod.is_plaintext(path)


def _cold_starts(scratch: Path) -> dict[bool, list[float]]:
    from tests.bench.bench_startup import _cached_home, _compile_sources

    _compile_sources()
    encrypted_home = _cached_home()
    plain_home = scratch / "plain-home"
    _plaintext_twin(encrypted_home, plain_home)
    homes = {True: encrypted_home, False: plain_home}
    timings: dict[bool, list[float]] = {True: [], False: []}
    for run in range(COLD_RUNS):
        for encrypted in (False, True) if run % 2 else (True, False):
            os.sync()
            started = time.perf_counter()
            child = subprocess.run(
                [sys.executable, "-c", COLD_CHILD, str(homes[encrypted]),
                 "encrypted" if encrypted else "plain"],
                cwd=ROOT, capture_output=True, text=True, timeout=120,
                env={**os.environ, "ONEWINDOW_HOME": str(homes[encrypted])})
            elapsed = time.perf_counter() - started
            if child.returncode != 0:
                raise RuntimeError(child.stderr[-2000:])
            report = json.loads(child.stdout.strip().splitlines()[-1])
            assert report["cases"] >= 100_000, report
            timings[encrypted].append(elapsed)
    return timings


def run() -> list[dict]:
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="bench-encryption-") as scratch_name:
        scratch = Path(scratch_name)
        commits = _commit_timings(scratch)
        for pages, label in ((10, "intake commit, 10 A4 pages scanned in this process → PDF "
                                  f"(median of {COMMITS})"),
                             (0, "intake commit, no pages "
                                 f"(median of {COMMITS * NO_PAGE_COMMITS})")):
            plain = statistics.median(commits[(PLAIN, pages)])
            rows += _overhead_row(label, plain, statistics.median(commits[(FULL, pages)]),
                                  "ms", 1000)
            database_only = statistics.median(commits[(DATABASE_ONLY, pages)])
            rows.append({"name": f"{label}: overhead of the SQLCipher database alone "
                                 "(blobs plain)", "value": (database_only / plain - 1) * 100,
                         "unit": "%", "budget": "(info)", "ok": True})
            cpu = {config: statistics.median(commits[(config, pages, "cpu")])
                   for config in (PLAIN, DATABASE_ONLY, FULL)}
            if pages:  # on a shared machine CPU time is the fair comparison of the two
                rows += _overhead_row(f"intake commit, {pages} A4 pages scanned in this process "
                                      "→ PDF: CPU time, all threads (median)", cpu[PLAIN],
                                      cpu[FULL], "ms", 1000)
            for config, what in ((FULL, "database + blobs"), (DATABASE_ONLY, "database alone")):
                rows.append({"name": f"{label}: CPU-time overhead, {what}",
                             "value": (cpu[config] / cpu[PLAIN] - 1) * 100, "unit": "%",
                             "budget": "(info)", "ok": True})
        resumed = {(config, kind): statistics.median(commits[(config, RESUMED, *kind)])
                   for config in (PLAIN, FULL) for kind in ((), ("cpu",))}
        for kind, what in (((), "wall"), (("cpu",), "CPU time, all threads")):
            rows.append({"name": "intake commit, 10 A4 pages of a draft resumed after a restart "
                                 f"(pages decrypted) → PDF: encryption overhead, {what} "
                                 f"(median of {COMMITS})",
                         "value": (resumed[(FULL, kind)] / resumed[(PLAIN, kind)] - 1) * 100,
                         "unit": "%", "budget": "(info)", "ok": True})
        searches = _search_p99(scratch)
        rows += _overhead_row("catalog search p99 per keystroke, 20k items", searches[False],
                              searches[True], "ms", 1000)
        starts = _cold_starts(scratch)
        rows += _overhead_row("cold start: open 100k-case store + catalog index (median of 5)",
                              statistics.median(starts[False]), statistics.median(starts[True]),
                              "s", 1)
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
