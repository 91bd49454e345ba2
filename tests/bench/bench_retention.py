"""Retention run throughput (issue 18): how fast a backlog of due cases is purged.

The worst case is a station that kept five years (~1.5 M cases) and switches
retention on: every concluded or rejected case is due at once.  Cases are
generated with bulk inserts (like bench_reports), shaped like real ones: the
applicant snapshot, three materials with two scanned pages each, one
acknowledged outbox entry whose manifest names the person and the files.
No blob files exist, so the sweep is left out (its cost is bench-less here and
is the existing blob sweep's).

Also the database file before and after (the same: SQLite keeps the zeroed
pages for reuse) and after a VACUUM the station does not run by itself (about
half: 305 → 158 MB at 100 k).

Budgets: ≥ 1000 cases/s (a 1.5 M backlog in under half an hour of
housekeeping), and no batch of 200 holds the single writer longer than 250 ms
(a clerk's commit waits behind at most one batch).  Measured on the 2-core
development machine: ~8,600 cases/s at 10 k, ~7,750 at 100 k, worst batch
36–53 ms (the ORM-built version managed 333 cases/s and 1.8 s batches).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
import uuid
from pathlib import Path

SIZES = (10_000, 100_000)
MATERIALS = 3
PAGES = 2


def _digest(n: int) -> str:
    return f"{n:064x}"


def _build(home: Path, cases: int) -> None:
    from peewee import chunked

    from local_store import db as dbmod
    from local_store.migrations import migrate
    from local_store.models import Case, CaseMaterial, CasePage, OutboxEntry

    path = home / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path)
    received = dt.datetime(2022, 3, 1, 1, 0)
    case_rows, material_rows, page_rows, outbox_rows = [], [], [], []
    material_id = blob = 0
    for case_id in range(1, cases + 1):
        at = received + dt.timedelta(seconds=case_id * 120)
        snapshot = {"kind": "person", "name": "张三", "id_type": "111",
                    "id_number": "350205199003071239", "phone": "13800000000",
                    "address": "厦门市海沧区某路1号"}
        case_rows.append({
            "id": case_id, "uuid": str(uuid.uuid4()), "number": f"B{case_id:012d}",
            "task_code": "T", "item_name": "个体工商户设立登记", "project_type": "1",
            "state": "concluded" if case_id % 10 else "rejected", "applicant_snapshot": snapshot,
            "contact_phone": "13800000000", "station": "350205001", "clerk": "clerk",
            "received_at": at, "decided_at": at, "concluded_at": at,
        })
        attachments, manifest_materials = [], []
        for m in range(MATERIALS):
            material_id += 1
            blob += 1
            digest = _digest(blob)
            material_rows.append({"id": material_id, "case": case_id, "material_id": f"M{m}",
                                  "name": "身份证", "requirement": "required",
                                  "received_form": "scanned", "page_count": PAGES,
                                  "blob_digest": digest, "blob_size": 200_000})
            attachments.append({"sha256": digest, "size": 200_000})
            manifest_materials.append({"material_id": f"M{m}", "name": "身份证",
                                       "received_form": "scanned", "count": 1,
                                       "digest": digest, "size": 200_000})
            for position in range(PAGES):
                blob += 1
                page_rows.append({"material": material_id, "position": position,
                                  "blob_digest": _digest(blob)})
        outbox_rows.append({
            "case": case_id, "idempotency_key": f"k{case_id}", "state": "acknowledged",
            "manifest": {"uuid": "", "event": "conclude", "state": case_rows[-1]["state"],
                         "applicant": snapshot, "agent": None, "contact_phone": "13800000000",
                         "materials": manifest_materials, "attachments": attachments},
            "enqueued_at": at, "next_attempt_at": at, "acknowledged_at": at,
        })
    with db.atomic():
        for model, rows in ((Case, case_rows), (CaseMaterial, material_rows),
                            (CasePage, page_rows), (OutboxEntry, outbox_rows)):
            for batch in chunked(rows, 2000):
                model.insert_many(batch).execute()
    db.execute_sql("ANALYZE")
    db.close()


def _measure(cases: int) -> dict:
    import app.retention as retention
    from app.settings import Settings
    from local_store.store import Store

    home = Path(tempfile.mkdtemp(prefix="bench-retention-"))
    try:
        _build(home, cases)
        size_before = (home / "cases.sqlite").stat().st_size
        store = Store.open(home)
        batch_ms: list[float] = []
        original = retention._batch

        def timed_batch(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                batch_ms.append((time.perf_counter() - started) * 1000)

        retention._batch = timed_batch
        try:
            started = time.perf_counter()
            report = retention.run_retention(store, Settings(retention_days=90),
                                             sweep_blobs=False)
            elapsed = time.perf_counter() - started
        finally:
            retention._batch = original
            store.close()
        assert report.purged == cases, report.as_dict()
        db_path = home / "cases.sqlite"
        size_after = db_path.stat().st_size
        from tests.support.station_keys import open_case_file

        connection = open_case_file(db_path)
        connection.execute("VACUUM")  # not done by the station: shows what is reclaimable
        connection.close()
        return {"cases": cases, "seconds": elapsed, "rate": cases / elapsed,
                "worst_batch_ms": max(batch_ms), "size_before": size_before,
                "size_after": size_after, "size_vacuumed": db_path.stat().st_size}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run() -> list[dict]:
    rows = []
    for cases in SIZES:
        measured = _measure(cases)
        rows.append({"name": f"retention run, {cases // 1000}k due cases",
                     "value": measured["rate"], "unit": "cases/s", "budget": "≥ 1000 cases/s",
                     "ok": measured["rate"] >= 1000})
        rows.append({"name": f"retention run, worst batch of 200 ({cases // 1000}k)",
                     "value": measured["worst_batch_ms"], "unit": "ms", "budget": "≤ 250 ms",
                     "ok": measured["worst_batch_ms"] <= 250})
        mb = 1024 * 1024
        rows.append({"name": f"case database {cases // 1000}k: before retention",
                     "value": measured["size_before"] / mb, "unit": "MB",
                     "budget": "(no budget)", "ok": True})
        # SQLite keeps the freed (zeroed) pages: the file only shrinks on VACUUM.
        rows.append({"name": f"case database {cases // 1000}k: after retention",
                     "value": measured["size_after"] / mb, "unit": "MB",
                     "budget": "(no budget)", "ok": True})
        rows.append({"name": f"case database {cases // 1000}k: after VACUUM (not automatic)",
                     "value": measured["size_vacuumed"] / mb, "unit": "MB",
                     "budget": "(no budget)", "ok": True})
    return rows
