"""The single SQLite writer.

Every write to the case database goes through ``Writer.submit``: the callable
runs on one dedicated thread inside ``db.atomic()``, so a unit of work (a case,
its materials, its pages, its outbox entry) commits whole or not at all, and
no two writers ever contend for the WAL lock.  Readers may use their own
threads freely.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from peewee import Database

_STOP = object()


class WriterClosed(RuntimeError):
    pass


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
        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                with self._db.atomic():
                    result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
            else:
                future.set_result(result)
        if not self._db.is_closed():
            self._db.close()

    def close(self, timeout: float | None = 10.0) -> None:
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join(timeout)
