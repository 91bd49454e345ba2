"""The single SQLite writer.

Every write to the case database goes through ``Writer.submit``: the callable
runs on one dedicated thread inside ``db.atomic()``, so a unit of work (a case,
its materials, its pages, its outbox entry) commits whole or not at all, and
no two writers ever contend for the WAL lock.  Readers may use their own
threads freely.

Group commit: units already waiting when the writer comes round are run in
one transaction, each inside its own savepoint, so that one fsync (the case
database is ``synchronous=FULL``) covers them all.  A unit that raises undoes
only its own savepoint; every caller hears of its unit only once the whole
group is durable, so a crash mid-group loses no acknowledged work.  Eight
upload workers each marking their entries sent were bound by one fsync per
mark before this.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from peewee import Database

_STOP = object()
# Units per group commit: enough to amortise the fsync, few enough that the
# first caller of a group does not wait long for the rest.
MAX_GROUP = 32


class WriterClosed(RuntimeError):
    pass


# What a rollback says when SQLite has already rolled the transaction back itself.
_MASKING = re.compile(r"no transaction is active|no such savepoint")


def root_cause(exc: BaseException) -> BaseException:
    """SQLite's own error behind a failed rollback.  When SQLite has rolled the whole
    transaction back by itself (disk full, I/O error), the savepoint's ROLLBACK TO
    fails with "cannot rollback - no transaction is active", and that message hid
    the one that says what happened ("database or disk is full")."""
    while _MASKING.search(str(exc)) and exc.__context__ is not None:
        exc = exc.__context__
    return exc


class GroupLost(RuntimeError):
    """A unit's failure rolled back the whole group commit it was part of."""


class Writer:
    def __init__(self, db: Database, name: str = "case-writer"):
        self._db = db
        self._queue: queue.Queue = queue.Queue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Future:
        """Queue ``fn(*args, **kwargs)`` to run in one transaction."""
        if self._closed:
            raise WriterClosed("writer is closed")
        future: Future = Future()
        self._queue.put((future, fn, args, kwargs))
        return future

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run a unit of work and wait for it (CLI, tests, worker threads)."""
        if threading.current_thread() is self._thread:
            # Already on the writer: nest as a savepoint instead of deadlocking.
            with self._db.atomic():
                return fn(*args, **kwargs)
        return self.submit(fn, *args, **kwargs).result()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            item = self._queue.get()
            if item is _STOP:
                break
            group = [item]
            while len(group) < MAX_GROUP:  # only what is already waiting
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stopping = True
                    break
                group.append(item)
            self._commit_group(group)
        if not self._db.is_closed():
            self._db.close()

    def _commit_group(self, group: list) -> None:
        outcomes: list[tuple[Future, bool, Any]] = []
        pending = list(group)
        try:
            with self._db.atomic():
                while pending:
                    future, fn, args, kwargs = pending.pop(0)
                    if not future.set_running_or_notify_cancel():
                        continue
                    try:
                        with self._db.atomic():  # a savepoint: a failure undoes this unit only
                            outcomes.append((future, True, fn(*args, **kwargs)))
                    except BaseException as exc:  # noqa: BLE001 - handed to the caller
                        outcomes.append((future, False, root_cause(exc)))
                        if not self._db.connection().in_transaction:
                            # SQLite rolled the whole transaction back (disk full, I/O
                            # error): the group is lost; units after it must not run
                            # outside a transaction.
                            raise GroupLost(exc) from exc
        except BaseException as failure:  # noqa: BLE001 - the commit failed: nothing is durable
            exc = root_cause(failure)
            for future, succeeded, outcome in outcomes:
                future.set_exception(exc if succeeded else outcome)
            for future, *_unit in pending:
                if future.set_running_or_notify_cancel():
                    future.set_exception(exc)
            return
        for future, succeeded, outcome in outcomes:
            if succeeded:
                future.set_result(outcome)
            else:
                future.set_exception(outcome)

    def close(self, timeout: float | None = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
