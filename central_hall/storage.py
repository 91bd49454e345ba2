"""The hall's own database: by default one SQLite file in the data directory;
for a district, PostgreSQL (``--database postgresql://…``, see ``pg``).

All access of one process goes through one connection guarded by a lock:
serialising its units of work keeps every commit trivially atomic
(``BEGIN`` … ``COMMIT``), and concurrent case commits share one transaction
(group commit).  The SQLite file runs in WAL mode with ``synchronous=FULL``
so that an acknowledged commit survives a crash of the hall process or the
machine.  With PostgreSQL several worker processes serve one district, each
with its own connection.

Migrations: a SQLite file records its schema version in ``PRAGMA
user_version`` and older files are brought forward step by step; a
PostgreSQL database records it in ``hall_schema`` and is created at the
current schema (the district hall started on it), later steps added there.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

DATABASE_FILE = "hall.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS accounts (
    user TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_stations (
    user TEXT NOT NULL REFERENCES accounts (user) ON DELETE CASCADE,
    station TEXT NOT NULL REFERENCES stations (code),
    PRIMARY KEY (user, station)
);
CREATE TABLE IF NOT EXISTS tokens (
    token_sha256 TEXT PRIMARY KEY,
    station TEXT NOT NULL,
    user TEXT NOT NULL,
    role TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS signin_failures (
    key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    first_at REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS uploads (
    station TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    length INTEGER NOT NULL,
    uuid TEXT NOT NULL,
    started_at TEXT NOT NULL,
    PRIMARY KEY (station, sha256)
);
CREATE TABLE IF NOT EXISTS blob_owners (
    station TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    PRIMARY KEY (station, sha256)
);
CREATE TABLE IF NOT EXISTS catalog_revisions (
    revision INTEGER PRIMARY KEY,
    published_at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS catalog_items (
    task_code TEXT NOT NULL,
    handle_item_code TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    item_json TEXT,
    PRIMARY KEY (task_code, handle_item_code)
);
CREATE INDEX IF NOT EXISTS catalog_items_by_revision ON catalog_items (revision);
CREATE TABLE IF NOT EXISTS cases (
    uuid TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    station TEXT NOT NULL,
    revision INTEGER NOT NULL,
    manifest_json TEXT NOT NULL,
    first_committed_at TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    task_code TEXT,
    handle_item_code TEXT
);
CREATE TABLE IF NOT EXISTS case_revisions (
    uuid TEXT NOT NULL,
    revision INTEGER NOT NULL,
    event TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    manifest_json TEXT NOT NULL,
    committed_at TEXT NOT NULL,
    PRIMARY KEY (uuid, revision)
);
CREATE TABLE IF NOT EXISTS case_attachments (
    uuid TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (uuid, sha256)
);
CREATE TABLE IF NOT EXISTS idempotency (
    key TEXT PRIMARY KEY,
    uuid TEXT NOT NULL,
    request_sha256 TEXT NOT NULL,
    status INTEGER NOT NULL,
    response_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS status_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL,
    number TEXT NOT NULL,
    station TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS status_updates_by_station ON status_updates (station, seq);
CREATE TABLE IF NOT EXISTS certificates (
    id TEXT PRIMARY KEY,
    identifier TEXT NOT NULL UNIQUE,
    holder_id TEXT NOT NULL,
    holder_type TEXT NOT NULL,
    type_code TEXT NOT NULL,
    record_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS certificate_listings (
    holder TEXT NOT NULL,
    certificate_id TEXT NOT NULL,
    PRIMARY KEY (holder, certificate_id)
);
CREATE TABLE IF NOT EXISTS certificate_audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    station TEXT NOT NULL,
    user TEXT NOT NULL,
    action TEXT NOT NULL,
    holder TEXT,
    holder_type TEXT,
    type_code TEXT,
    certificate_id TEXT,
    purpose TEXT NOT NULL,
    result_count INTEGER NOT NULL
);
"""


T = TypeVar("T")


def _key_catalog_items_by_handle_item(conn: sqlite3.Connection) -> None:
    """Catalog rows were keyed by task_code alone; the key is now (task_code,
    handle_item_code) — one row per 业务办理项.  An older file is rebuilt in
    place, revisions kept, so workstations' cursors stay valid."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(catalog_items)")}
    if not columns or "handle_item_code" in columns:
        return
    conn.execute("ALTER TABLE catalog_items RENAME TO catalog_items_before_handle_items")
    conn.execute("DROP INDEX IF EXISTS catalog_items_by_revision")
    conn.execute(SCHEMA[SCHEMA.index("CREATE TABLE IF NOT EXISTS catalog_items"):]
                 .split(";")[0])
    conn.execute(
        "INSERT INTO catalog_items (task_code, handle_item_code, revision, removed, item_json) "
        "SELECT task_code, COALESCE(json_extract(item_json, '$.handle_item_code'), ''), "
        "revision, removed, item_json FROM catalog_items_before_handle_items")
    conn.execute("DROP TABLE catalog_items_before_handle_items")


class _QueuedWork:
    """One caller's unit of work waiting for a shared transaction."""

    def __init__(self, work: Callable):
        self.work = work
        self.finished = False
        self.result = None
        self.error: BaseException | None = None


def utc_now() -> str:
    """ISO 8601 with an explicit offset, second precision plus microseconds."""
    return datetime.now(UTC).isoformat()


SCHEMA_VERSION = 3


def _drop_tokens_without_role(conn: sqlite3.Connection) -> None:
    """Tokens issued before stations and roles existed say nothing of the role:
    they are dropped (every workstation signs in again once)."""
    columns = [row[1] for row in conn.execute("PRAGMA table_info(tokens)")]
    if columns and "role" not in columns:
        conn.execute("DROP TABLE tokens")


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a data directory made by an older hall up to SCHEMA_VERSION."""
    version = conn.execute("PRAGMA user_version").fetchone()[0] or 1
    if version < 2:
        # Blobs were shared by every station; each case's station now owns the
        # blobs its committed cases list (a station sees only what it sent).
        conn.execute(
            "INSERT OR IGNORE INTO blob_owners (station, sha256) "
            "SELECT c.station, a.sha256 FROM case_attachments a JOIN cases c ON c.uuid = a.uuid"
        )
        # Idempotency keys became per station ("<station>:<key>").
        conn.execute(
            "UPDATE idempotency SET key = (SELECT station FROM cases "
            "WHERE cases.uuid = idempotency.uuid) || ':' || key "
            "WHERE uuid IN (SELECT uuid FROM cases)"
        )
    if version < 3:
        _key_cases_by_item(conn)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _key_cases_by_item(conn: sqlite3.Connection) -> None:
    """Each case names its item by (task_code, handle_item_code) — the 业务办理项 of
    one item counted apart — in columns of its own, filled from the manifests
    already held."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(cases)")}
    for column in ("task_code", "handle_item_code"):
        if column not in columns:
            conn.execute(f"ALTER TABLE cases ADD COLUMN {column} TEXT")
    conn.execute(
        "UPDATE cases SET task_code = json_extract(manifest_json, '$.task_code'), "
        "handle_item_code = NULLIF(json_extract(manifest_json, '$.handle_item_code'), '') "
        "WHERE task_code IS NULL")
    conn.execute("CREATE INDEX IF NOT EXISTS cases_by_item ON cases "
                 "(task_code, handle_item_code)")


def _create_postgresql_schema(conn) -> None:
    """Tables at the current schema in a PostgreSQL database (idempotent)."""
    conn.execute("CREATE TABLE IF NOT EXISTS hall_schema (version BIGINT NOT NULL)")
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    # SQLite numbers case revisions by its implicit rowid (the export's cursor).
    conn.execute("ALTER TABLE case_revisions ADD COLUMN IF NOT EXISTS rowid BIGSERIAL")
    conn.execute("CREATE INDEX IF NOT EXISTS case_revisions_by_rowid ON case_revisions (rowid)")
    conn.execute("CREATE INDEX IF NOT EXISTS cases_by_item ON cases (task_code, handle_item_code)")
    row = conn.execute("SELECT MAX(version) FROM hall_schema").fetchone()
    if row is None or row[0] is None:
        conn.execute("INSERT INTO hall_schema (version) VALUES (?)", (SCHEMA_VERSION,))


def is_postgresql_url(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres")


def lock_sequence(conn, table: str) -> None:
    """Before appending to a table clients follow by cursor: on PostgreSQL, with
    several worker processes, rows must commit in the order they are numbered.
    (SQLite's write transaction already excludes every other writer.)"""
    if getattr(conn, "engine", "sqlite") == "postgresql":
        conn.lock_sequence(table)


def lock_keys(conn, *keys: str) -> None:
    """Serialise units of work on the same keys across worker processes (a
    case uuid, a case number) until the transaction ends.  PostgreSQL only:
    SQLite's write transaction already excludes every other writer."""
    if getattr(conn, "engine", "sqlite") == "postgresql":
        for key in sorted(set(keys)):  # one order everywhere: no deadlock
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))


class HallDatabase:
    """The hall's database; ``transaction()`` for writes, ``reading()`` for reads."""

    def __init__(self, path: Path | None, database_url: str | None = None):
        self.path = path
        self._lock = threading.RLock()
        self._queue_lock = threading.Lock()
        self._queue: list[_QueuedWork] = []
        if is_postgresql_url(database_url):
            from central_hall.pg import PgConnection

            self.engine = "postgresql"
            self._begin = "BEGIN"
            self._conn = PgConnection(database_url)
            with self.transaction() as conn:
                # Two processes starting on an empty database: one creates the tables.
                conn.execute("SELECT pg_advisory_xact_lock(4701)")
                _create_postgresql_schema(conn)
            return
        self.engine = "sqlite"
        self._begin = "BEGIN IMMEDIATE"
        self._conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=30
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=FULL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        with self.transaction() as conn:
            _key_catalog_items_by_handle_item(conn)
            _drop_tokens_without_role(conn)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            _migrate(conn)

    @classmethod
    def open(cls, data_dir: Path, database_url: str | None = None) -> HallDatabase:
        """The data directory's SQLite file, or the PostgreSQL database at the URL."""
        data_dir.mkdir(parents=True, exist_ok=True)
        if is_postgresql_url(database_url):
            return cls(None, database_url)
        return cls(data_dir / DATABASE_FILE)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A unit of work: everything inside commits together or not at all."""
        with self._lock:
            self._conn.execute(self._begin)
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def in_shared_transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in a write transaction shared with concurrent callers.

        Group commit: whoever gets the connection runs every queued unit of work,
        each inside its own savepoint (one failing rolls back only itself), and
        commits them all with one fsync.  Each caller still returns only after
        the COMMIT that holds its work.
        """
        unit = _QueuedWork(work)
        with self._queue_lock:
            self._queue.append(unit)
        with self._lock:
            if not unit.finished:
                with self._queue_lock:
                    batch, self._queue = self._queue, []
                self._run_batch(batch)
        if unit.error is not None:
            raise unit.error
        return unit.result

    def _run_batch(self, batch: list[_QueuedWork]) -> None:
        conn = self._conn
        try:
            conn.execute(self._begin)
            for unit in batch:
                conn.execute("SAVEPOINT unit")
                try:
                    unit.result = unit.work(conn)
                except Exception as exc:  # noqa: BLE001 - handed back to its caller
                    conn.execute("ROLLBACK TO unit")
                    unit.error = exc
                conn.execute("RELEASE unit")
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            for unit in batch:
                unit.result, unit.error = None, unit.error or exc
            if not isinstance(exc, Exception):
                raise
        finally:
            for unit in batch:
                unit.finished = True

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Reads that all see one consistent state of the database (an export
        reading several tables while stations keep committing)."""
        with self._lock:
            self._conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                               if self.engine == "postgresql" else "BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    def get_meta(self, key: str) -> str | None:
        with self.reading() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
