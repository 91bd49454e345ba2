"""The one place SQLite connections are made.

Two databases:
- the *case* database (cases, outbox, print log…): WAL + synchronous=FULL,
  because a lost case is a legal problem;
- the *catalog* cache: synchronous=NORMAL, it can always be re-downloaded.

Models bind to the proxies below; ``open_case_db``/``open_catalog_db`` bind
them to a real file at start-up (tests bind a temp file per test).  If
encryption at rest is switched on later (SQLCipher), it happens here only.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase

case_db = DatabaseProxy()
catalog_db = DatabaseProxy()

# FTS5 trigram LIKE returns nothing up to 3.40.1; JSON functions need ≥ 3.38.
MINIMUM_SQLITE = (3, 35, 0)

CASE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "full",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
    # Deleted and overwritten personal data (discarded drafts, retention's
    # purge) is zeroed in the file, not left in free space.  Debian's SQLite
    # does this by default, python.org's Windows build does not.
    "secure_delete": 1,
}
CATALOG_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "normal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "cache_size": -16_000,
}


class SqliteTooOld(RuntimeError):
    pass


def sqlite_version() -> tuple[int, ...]:
    return sqlite3.sqlite_version_info


def check_sqlite_version() -> str:
    """Raise with a fix-it message when the linked SQLite is too old."""
    if sqlite_version() < MINIMUM_SQLITE:
        need = ".".join(map(str, MINIMUM_SQLITE))
        raise SqliteTooOld(
            f"SQLite {sqlite3.sqlite_version} 过旧，需要 {need} 或更新版本 "
            f"(SQLite {sqlite3.sqlite_version} is too old; {need}+ required)"
        )
    return sqlite3.sqlite_version


def _open(path: Path, pragmas: dict) -> SqliteDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: peewee keeps one connection per thread anyway;
    # the flag only lets a connection be closed from another thread at exit.
    return SqliteDatabase(str(path), pragmas=pragmas, check_same_thread=False)


def open_case_db(path: Path) -> SqliteDatabase:
    check_sqlite_version()
    db = _open(path, CASE_PRAGMAS)
    case_db.initialize(db)
    return db


def open_catalog_db(path: Path) -> SqliteDatabase:
    check_sqlite_version()
    db = _open(path, CATALOG_PRAGMAS)
    catalog_db.initialize(db)
    return db


def integrity_check(db: SqliteDatabase) -> str:
    return db.execute_sql("PRAGMA integrity_check").fetchone()[0]
