"""The console's breakdowns at a year of cases: every statement they send reads the
period's (or the overdue cases') index range, never a whole index or the case table.

The plan depends on the planner's statistics, so each database is given those of a
busy year as ANALYZE wrote them for tests/bench/bench_console.py (~300k cases, 60
items, 4 states, no hall status yet): with them SQLite 3.40 (the plaintext case
database, as tools and that bench open it) walked all 300k cases through the
(task_code, handle_item_code) index to count the overdue ones by item, because that
index hands the rows over already grouped — 480 ms where the overdue index seeks
take 7 ms (bench "month by item alone" 132 → 742 ms).  SQLCipher's SQLite (3.51,
the encrypted store) is checked the same way.
"""

from __future__ import annotations

import datetime as dt
import re

from app.reports.breakdown import DIMENSIONS, breakdown, breakdowns
from app.reports.summary import MONTHLY
from local_store import db as dbmod
from local_store.migrations import migrate

# sqlite_stat1 of the bench_console year (ANALYZE, 299,300 cases): (table, index, stat).
BUSY_YEAR_STATISTICS = [
    ("case", "case_applicant_id", "299300 299300"),
    ("case", "case_applicant_id_number", "299300 299300"),
    ("case", "case_applicant_name", "299300 299300"),
    ("case", "case_import_ref", "299300 299300"),
    ("case", "case_number", "299300 1"),
    ("case", "case_received_at", "299300 1"),
    ("case", "case_state", "299300 74825"),
    ("case", "case_state_deadline_station", "299300 74825 191 64"),
    ("case", "case_state_hall_status_deadline_station", "299300 74825 74825 191 64"),
    ("case", "case_state_purged_at", "299300 74825 74825"),
    ("case", "case_task_code_handle_item_code", "299300 4989 4989"),
    ("case", "case_uuid", "299300 1"),
    ("case_event", "case_event_at_kind", "598600 2 1"),
    ("case_event", "case_event_case_id", "598600 2"),
    ("outbox_entry", "outbox_entry_case_id", "299300 1"),
    ("outbox_entry", "outbox_entry_idempotency_key", "299300 1"),
    ("outbox_entry", "outbox_entry_next_attempt_at", "299300 1"),
    ("outbox_entry", "outbox_entry_state", "299300 299300"),
]
MONTH = dt.date(2026, 6, 15)
TODAY = dt.date(2026, 12, 31)


def _as_if_a_busy_year(database) -> None:
    database.execute_sql("ANALYZE")  # makes sqlite_stat1
    database.execute_sql("DELETE FROM sqlite_stat1")
    for table, index, stat in BUSY_YEAR_STATISTICS:
        database.execute_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
                             (table, index, stat))
    database.execute_sql("ANALYZE sqlite_schema")  # the planner reloads the statistics


def _case_table_walks(database, work) -> list[tuple[str, str]]:
    """Every statement ``work`` sends whose plan reads all of the case table or all
    of one of its non-covering indexes (``SCAN … USING INDEX`` still visits every
    row), with that plan line.  (The fee rows of a period are read by a scan of the
    fee table: few rows, not the subject here.)"""
    sent = []
    original = database.execute_sql

    def recording(sql, params=None, *args, **kwargs):
        sent.append((sql, params))
        return original(sql, params, *args, **kwargs)

    database.execute_sql = recording
    try:
        work()
    finally:
        del database.execute_sql
    walks = []
    for sql, params in sent:
        aliases = re.findall(r'"case" AS "(\w+)"', sql)  # peewee names each table t1, t2…
        plan = original(f"EXPLAIN QUERY PLAN {sql}", params or ()).fetchall()
        walks += [(row[-1], sql) for row in plan
                  if any(row[-1] == f"SCAN {alias}" or row[-1].startswith(f"SCAN {alias} ")
                         for alias in aliases)
                  and "COVERING INDEX" not in row[-1]]
    return walks


def _every_breakdown():
    for dimension in DIMENSIONS:
        breakdown(MONTHLY, MONTH, dimension, today=TODAY)
        breakdown(MONTHLY, MONTH, dimension, station="350205001", today=TODAY)
    breakdowns(MONTHLY, MONTH, DIMENSIONS, today=TODAY)


def test_breakdowns_of_a_plaintext_database_seek_the_period_and_the_overdue_cases(tmp_path):
    path = tmp_path / "cases.sqlite"
    database = dbmod.open_case_db(path)  # plaintext: stdlib SQLite, as bench_console
    try:
        migrate(database, path)
        _as_if_a_busy_year(database)
        assert _case_table_walks(database, _every_breakdown) == []
    finally:
        database.close()


def test_breakdowns_of_the_encrypted_store_seek_the_period_and_the_overdue_cases(store):
    _as_if_a_busy_year(store.case_db)
    assert _case_table_walks(store.case_db, _every_breakdown) == []
