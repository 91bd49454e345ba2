"""Supervisor summaries over a year of cases (~300k) — budget: daily ≤ 300 ms.

The year is generated once with bulk inserts into a cached database file
(``tests/bench/.cache``), shaped like a busy centre: ~820 cases a day, each with
its received and decision events and an outbox entry, most acknowledged.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import statistics
import time
import uuid
from pathlib import Path

from local_store import db as dbmod
from local_store.migrations import migrate

CACHE = Path(__file__).parent / ".cache" / "reports-year"
YEAR = 2026
CASES_PER_DAY = 820
FINISHED_BEFORE = dt.date(YEAR, 12, 1)
DECISIONS = [("accepted", "accepted", 70), ("needs_completion", "notified", 12),
             ("rejected", "rejected", 3), ("concluded", "concluded", 15)]


def _build_year(path: Path) -> None:
    from peewee import chunked

    from local_store.models import Applicant, Case, CaseEvent, OutboxEntry

    db = dbmod.open_case_db(path)
    migrate(db, path)
    rng = random.Random(7)
    weights = [w for *_, w in DECISIONS]
    applicant = Applicant.create(kind="person", name="张三", id_type="111",
                                 id_number="350205199003071239")
    case_rows, event_rows, outbox_rows = [], [], []
    case_id = 0
    day = dt.date(YEAR, 1, 1)
    while day.year == YEAR:
        for n in range(CASES_PER_DAY):
            case_id += 1
            state, kind, _ = rng.choices(DECISIONS, weights)[0]
            deadline = day + dt.timedelta(days=rng.randint(1, 30))
            if state == "accepted" and deadline < FINISHED_BEFORE and rng.random() < 0.97:
                state = "concluded"  # the hall concluded it later (status pull)
            at = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(seconds=n * 35)
            case_rows.append({
                "id": case_id, "uuid": str(uuid.uuid4()),
                "number": f"350205001{day:%Y%m%d}{n + 1:05d}0", "task_code": "T",
                "item_name": "个体工商户设立登记", "project_type": "2",
                "channel": rng.choice(["window"] * 9 + ["online"]), "state": state,
                "applicant": applicant.id, "applicant_snapshot": {}, "station": "350205001",
                "clerk": "clerk", "received_at": at, "decided_at": at,
                "deadline": deadline,
            })
            event_rows.append({"case": case_id, "at": at, "kind": "received"})
            event_rows.append({"case": case_id, "at": at, "kind": kind})
            outbox_rows.append({
                "case": case_id, "idempotency_key": f"k{case_id}", "state": "acknowledged",
                "manifest": {}, "enqueued_at": at, "next_attempt_at": at,
                "acknowledged_at": at + dt.timedelta(minutes=rng.randint(1, 900)),
            })
        day += dt.timedelta(days=1)
    with db.atomic():
        for model, rows in ((Case, case_rows), (CaseEvent, event_rows),
                            (OutboxEntry, outbox_rows)):
            for batch in chunked(rows, 2000):
                model.insert_many(batch).execute()
    db.execute_sql("ANALYZE")
    db.close()


def _year_db() -> Path:
    path = CACHE / "cases.sqlite"
    if not path.exists():
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        _build_year(path)
    return path


def run() -> list[dict]:
    from app.reports.summary import DAILY, MONTHLY, summarise

    path = _year_db()
    db = dbmod.open_case_db(path)
    migrate(db, path)
    case_count = db.execute_sql("SELECT COUNT(*) FROM \"case\"").fetchone()[0]
    rng = random.Random(1)
    days = [dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365)) for _ in range(30)]
    summarise(DAILY, days[0])  # warm the page cache, as a running station has it
    daily = []
    for day in days:
        started = time.perf_counter()
        summarise(DAILY, day, station="350205001")
        daily.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    summarise(MONTHLY, dt.date(YEAR, 6, 15), station="350205001")
    monthly = (time.perf_counter() - started) * 1000
    db.close()
    worst = max(daily)
    return [
        {"name": f"daily summary, worst of 30 ({case_count // 1000}k cases/yr)",
         "value": worst, "unit": "ms", "budget": "≤ 300 ms", "ok": worst <= 300},
        {"name": "daily summary, median", "value": statistics.median(daily), "unit": "ms",
         "budget": "", "ok": True},
        {"name": "monthly summary (~25k cases)", "value": monthly, "unit": "ms",
         "budget": "(no budget)", "ok": True},
    ]
