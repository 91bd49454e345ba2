"""The one helper for background work in the GUI.

``run_in_background(fn, on_done, on_error)`` runs ``fn`` on a pooled thread
and delivers its result (or exception) on the GUI thread by queued signal.
Workers never touch widgets.  Compare picard/util/thread.py and Anki's
QueryOp.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_live_tasks: set[_Task] = set()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.relay = _Relay()

    @Slot()
    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - reported on the GUI thread
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def is_alive(obj: QObject) -> bool:
    """Whether the C++ object behind a Qt wrapper still exists: the one test of
    "is the widget still there" in the GUI (``Liveness`` and ``run_in_background``
    both ask it; no widget keeps a flag of its own)."""
    return shiboken6.isValid(obj)


class Liveness:
    """Whether a widget still wants background results — the one guard a widget
    keeps beyond ``run_in_background``'s own (which skips a callback whose widget
    was deleted).  Callbacks that must skip everything use ``guard(callback)``;
    those that still tidy up when the widget went (a viewing copy to delete
    later) ask ``alive``.  It ends when the widget is destroyed or shut down (``end``), and
    when any of ``parts`` (children the callbacks touch) is gone: while a parent is
    torn down its wrapper can still look valid after its labels are deleted.  The
    flag lives outside the C++ object, so a late callback can check it safely.
    """

    def __init__(self, widget: QObject, *parts: QObject):
        self._alive = True
        self._objects = (widget, *parts)
        widget.destroyed.connect(self.end)

    @property
    def alive(self) -> bool:
        return self._alive and all(is_alive(obj) for obj in self._objects)

    def end(self, *_args) -> None:
        self._alive = False

    def guard(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback``, skipped once the widget went away."""

        def guarded(value) -> None:
            if self.alive:
                callback(value)

        return guarded


def _receiver_deleted(callback: Callable) -> bool:
    """True when the callback belongs to a widget that was closed and deleted
    while the work ran (a dialog shut mid look-up, the previous applicant's
    intake screen): nothing is left to update.  A bound method names its
    widget; a lambda holds it in its closure (``lambda r: self._show(n, r)``)."""
    owners = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            owners.append(cell.cell_contents)
        except ValueError:  # a cell not filled yet
            continue
    return any(isinstance(owner, QObject) and not is_alive(owner) for owner in owners)


# Two lanes.  LOCAL: what the clerk is waiting for — reads of the local store
# (an item's guide, a case's detail, a draft's autosave), index loads, PDFs.
# SLOW: work that may take seconds and that nobody is looking at — starting
# the hall, signing in, catalog downloads and imports, probes, look-ups over
# the network, status-bar counts, start-up clean-ups and warm-up imports.
# Sharing one pool, an item guide waited 6 s and a case detail 24 s behind
# the hall's start-up and the first catalog sync on this 2-core machine;
# apart, a local read never queues behind them.
LOCAL = "local"
SLOW = "slow"
SLOW_LANE_THREADS = 4  # mostly waiting on sockets and child processes

_slow_pool: QThreadPool | None = None


class SynchronousPool:
    """For tests where timing is not the subject (as Picard's tests run their tasks):
    each task runs at once on the calling thread — the GUI thread — and its callback
    with it, before ``run_in_background`` returns.  Such a test then waits on what
    the screen shows, never on a real pool's threads.  Work that waits for the GUI
    thread itself (a sign-in waiting for the hall to be known) cannot run this way:
    those tests keep the real pool."""

    def start(self, task: QRunnable) -> None:
        task.run()

    def waitForDone(self, _timeout_ms: int = -1) -> bool:
        return True


_synchronous: SynchronousPool | None = None


def run_synchronously(enabled: bool = True) -> None:
    """Tests: run every later task at once on the calling thread (``SynchronousPool``),
    or (``enabled=False``) on the real pools again."""
    global _synchronous
    _synchronous = SynchronousPool() if enabled else None


def _pool(lane: str = LOCAL) -> QThreadPool | SynchronousPool:
    global _slow_pool
    if _synchronous is not None:
        return _synchronous
    if lane == LOCAL:
        return QThreadPool.globalInstance()
    if _slow_pool is None:
        _slow_pool = QThreadPool()
        _slow_pool.setObjectName("slowLane")
        _slow_pool.setMaxThreadCount(SLOW_LANE_THREADS)
    return _slow_pool


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    lane: str = LOCAL,
) -> _Task:
    """Run ``fn()`` off the GUI thread; callbacks run on the GUI thread.
    ``lane=SLOW`` for network and start-up work (see LOCAL/SLOW above)."""
    task = _Task(fn)
    _live_tasks.add(task)

    def finish(callback, value):
        _live_tasks.discard(task)
        if callback is not None and not _receiver_deleted(callback):
            callback(value)
        elif callback is None and isinstance(value, BaseException):
            log.error("background task failed", exc_info=value)

    task.relay.done.connect(lambda result: finish(on_done, result))
    task.relay.failed.connect(lambda exc: finish(on_error, exc))
    _pool(lane).start(task)
    return task


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Tests and shutdown: wait until pooled work (both lanes) has finished."""
    slow_done = _slow_pool.waitForDone(timeout_ms) if _slow_pool is not None else True
    return QThreadPool.globalInstance().waitForDone(timeout_ms) and slow_done
