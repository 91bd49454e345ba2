"""Ordered, atomic schema migrations for the case database.

Each step changes the schema inside one transaction and records its number
in ``schema_version``.  Steps are frozen SQL files in
``local_store/schema/`` (never the live model classes, which keep changing):
a database created years ago must upgrade through exactly the statements that
were shipped.  ``tests/test_migrations.py`` fails when the models and the
migrated schema drift apart, so a model change cannot ship without its step.

The database file is copied aside before the first step runs, so a failed
upgrade can always be rolled back by hand.

A step's version is the number its file name begins with (``0005_…`` is 5), and
``schema_version`` holds one row per step applied.  Steps are written on parallel
branches under numbers handed out in advance and may land out of order: a
database that has 0005 still receives 0003 when it arrives, and the numbers stay
the same on every station whichever order the steps shipped in.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import SqliteDatabase

from local_store.models import SchemaVersion

SCHEMA_DIR = Path(__file__).parent / "schema"
Step = Callable[[SqliteDatabase], None]


def sql_step(filename: str) -> Step:
    script = (SCHEMA_DIR / filename).read_text(encoding="utf-8")
    lines = [line for line in script.splitlines() if not line.lstrip().startswith("--")]
    # Split where SQLite sees a complete statement, so a trigger body's own
    # semicolons stay inside its CREATE TRIGGER.
    statements: list[str] = []
    pending = ""
    for line in lines:
        pending += line + "\n"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip().rstrip(";"))
            pending = ""
    if pending.strip():
        statements.append(pending.strip())

    def run(db: SqliteDatabase) -> None:
        for statement in statements:
            db.execute_sql(statement)

    run.__name__ = filename
    run.version = int(re.match(r"\d+", filename)[0])
    return run


STEPS: list[Step] = [
    sql_step("0001_initial.sql"),
    sql_step("0002_report_indexes.sql"),
    sql_step("0003_item_key.sql"),
    sql_step("0004_times_in_utc.sql"),
    sql_step("0005_case_page_kind.sql"),
    sql_step("0006_staff_audit.sql"),
    sql_step("0007_prereview.sql"),
    sql_step("0008_evaluation_fees.sql"),
    sql_step("0009_retention.sql"),
    sql_step("0010_day_signoff.sql"),
    sql_step("0011_sign_in_in_key_slots.sql"),
    sql_step("0013_signed_decisions.sql"),
    sql_step("0014_report_timeliness_and_period_reports.sql"),
    sql_step("0015_case_search_indexes.sql"),
    sql_step("0016_overdue_by_hall_status.sql"),
    sql_step("0017_prereview_queue_index.sql"),
]


def numbered(steps: list[Step]) -> list[tuple[int, Step]]:
    """(version, step) in the order to apply; a step without a file number (a test's
    own function) is numbered by its position."""
    return sorted((getattr(step, "version", position), step)
                  for position, step in enumerate(steps, start=1))


LATEST_VERSION = numbered(STEPS)[-1][0]


def applied_versions(db: SqliteDatabase) -> set[int]:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return set()
    return {row.version for row in SchemaVersion.select(SchemaVersion.version)}


def current_version(db: SqliteDatabase) -> int:
    return max(applied_versions(db), default=0)


def backup_path(db_path: Path, from_version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.v{from_version}.bak")


def migrate(
    db: SqliteDatabase, db_path: Path | None = None, steps: list[Step] | None = None
) -> int:
    """Apply every step ``db`` has not had; return the version it is at (the highest)."""
    ordered = numbered(STEPS if steps is None else steps)
    latest = ordered[-1][0] if ordered else 0
    applied = applied_versions(db)
    version = max(applied, default=0)
    if version > latest:
        raise RuntimeError(f"数据库版本 {version} 比本程序 ({latest}) 新，请升级 OneWindow")
    pending = [(number, step) for number, step in ordered if number not in applied]
    if not pending:
        return version
    if db_path is not None and applied and db_path.exists():
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(db_path, backup_path(db_path, version))
    for number, step in pending:
        with db.atomic():
            step(db)
            SchemaVersion.create(version=number)
    return max(version, pending[-1][0])
