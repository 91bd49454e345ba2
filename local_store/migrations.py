"""Ordered, atomic schema migrations for the case database.

Each step moves the schema from version N-1 to N inside one transaction and
records N in ``schema_version``.  Steps are frozen SQL files in
``local_store/schema/`` (never the live model classes, which keep changing):
a database created years ago must upgrade through exactly the statements that
were shipped.  ``tests/test_migrations.py`` fails when the models and the
migrated schema drift apart, so a model change cannot ship without its step.

The database file is copied aside before the first step runs, so a failed
upgrade can always be rolled back by hand.
"""

from __future__ import annotations

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
    return run


STEPS: list[Step] = [
    sql_step("0001_initial.sql"),
    sql_step("0002_report_indexes.sql"),
    sql_step("0006_staff_audit.sql"),
]
LATEST_VERSION = len(STEPS)


def current_version(db: SqliteDatabase) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def backup_path(db_path: Path, from_version: int) -> Path:
    return db_path.with_name(f"{db_path.name}.v{from_version}.bak")


def migrate(
    db: SqliteDatabase, db_path: Path | None = None, steps: list[Step] | None = None
) -> int:
    """Bring ``db`` to the latest version; return the version it is at."""
    steps = STEPS if steps is None else steps
    version = current_version(db)
    if version > len(steps):
        raise RuntimeError(
            f"数据库版本 {version} 比本程序 ({len(steps)}) 新，请升级 OneWindow"
        )
    if version == len(steps):
        return version
    if db_path is not None and version > 0 and db_path.exists():
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy2(db_path, backup_path(db_path, version))
    for number, step in enumerate(steps[version:], start=version + 1):
        with db.atomic():
            step(db)
            SchemaVersion.create(version=number)
    return len(steps)
