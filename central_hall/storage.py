"""The hall's own database: by default one SQLite file in the data directory;
for a district, PostgreSQL (``--database postgresql://…``, see ``pg``).

All access of one process goes through one connection guarded by a lock:
serialising its units of work keeps every commit trivially atomic
(``BEGIN`` … ``COMMIT``), and concurrent case commits share one transaction
(group commit).  The SQLite file runs in WAL mode with ``synchronous=FULL``
so that an acknowledged commit survives a crash of the hall process or the
machine.  With PostgreSQL several worker processes serve one district, each
with its own connection.

Schema: ``central_hall.migrations`` — numbered steps for both engines, applied in
order when the database is opened and recorded in ``hall_migrations`` (several
worker processes starting at once apply each step once).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

DATABASE_FILE = "hall.sqlite3"

T = TypeVar("T")
# PostgreSQL connections a worker process reads on beside the one it writes on.
READ_CONNECTIONS = 4


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

    def __init__(self, path: Path | None, database_url: str | None = None,
                 schema_step: int | None = None):
        """``schema_step``: bring the schema up to that migration step only (an older
        hall's schema, for upgrade trials); default every step."""
        self.path = path
        self._lock = threading.RLock()
        self._queue_lock = threading.Lock()
        self._queue: list[_QueuedWork] = []
        self._database_url = database_url
        self._readers: queue.LifoQueue = queue.LifoQueue()
        self._reader_count = 0
        if is_postgresql_url(database_url):
            from central_hall.pg import PgConnection

            self.engine = "postgresql"
            self._begin = "BEGIN"
            self._conn = PgConnection(database_url)
        else:
            self.engine = "sqlite"
            self._begin = "BEGIN IMMEDIATE"
            self._conn = sqlite3.connect(
                path, check_same_thread=False, isolation_level=None, timeout=30
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
        from central_hall import migrations

        migrations.migrate(self, schema_step, before_first_step=self._copy_before_upgrade)

    def _copy_before_upgrade(self, first_step: int) -> None:
        """A SQLite file is copied beside itself before schema steps change it (a
        PostgreSQL database is the district's to back up, with its own tools)."""
        if self.engine != "sqlite" or self.path is None:
            return
        copy = self.path.with_name(f"{self.path.name}.step{first_step}.bak")
        # Read through a connection of its own: this one holds the write lock (so
        # nobody changes the file meanwhile), and a WAL reader is not blocked by it.
        source, target = sqlite3.connect(self.path), sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()

    @classmethod
    def open(cls, data_dir: Path, database_url: str | None = None,
             schema_step: int | None = None) -> HallDatabase:
        """The data directory's SQLite file, or the PostgreSQL database at the URL."""
        data_dir.mkdir(parents=True, exist_ok=True)
        if is_postgresql_url(database_url):
            return cls(None, database_url, schema_step)
        return cls(data_dir / DATABASE_FILE, schema_step=schema_step)

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
        """A connection to read committed data.  On PostgreSQL reads take one of a
        few connections of their own: behind the one connection they would wait for
        every write of this process — and a write may itself wait for another worker
        process's lock (a feed's table lock, a case's advisory lock), so every token
        check and upload offset of the process stalled behind it (the load bench's
        commit p99).  Inside a unit of work of this thread the reads stay on its
        connection, so they see its own uncommitted writes."""
        if self.engine != "postgresql" or self._lock._is_owned():
            with self._lock:
                yield self._conn
            return
        conn = self._take_reader()
        try:
            yield conn
        finally:
            self._readers.put(conn)

    def _take_reader(self):
        try:
            return self._readers.get_nowait()
        except queue.Empty:
            pass
        with self._queue_lock:
            if self._reader_count < READ_CONNECTIONS:
                self._reader_count += 1
                opened = True
            else:
                opened = False
        if opened:
            from central_hall.pg import PgConnection

            try:
                return PgConnection(self._database_url)
            except BaseException:
                with self._queue_lock:
                    self._reader_count -= 1
                raise
        return self._readers.get()

    def get_meta(self, key: str) -> str | None:
        with self.reading() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        while True:
            try:
                self._readers.get_nowait().close()
            except queue.Empty:
                return
