"""When the 网上预审 queue may look different — told, not polled.

The queue changes when a case or decision is committed here (``cases_changed``),
when the sync child's pre-review lane pulls an application, stores its files or
delivers a decision (it reports each step on its pipe: ``sync_progressed``), and
when the station's day turns (due today becomes overdue).  The area and its
status-bar count used to re-read the database every 5 s for the same news.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer

# While files come in the lane reports a few times a second: one read a second at most.
COALESCE_MS = 1_000
# Past midnight by this much, so that the new day has surely begun on every clock.
NEW_DAY_MARGIN_MS = 1_000


def ms_until_next_day(now: dt.datetime) -> int:
    """Milliseconds from ``now`` (aware, on the station's clock) to just past its
    next midnight."""
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(),
                                   tzinfo=now.tzinfo)
    return int((midnight - now).total_seconds() * 1000) + NEW_DAY_MARGIN_MS


class QueueWatch(QObject):
    """Calls ``refresh`` when the queue may have changed: at once for a change made
    here, at most once a second for the sync lanes' reports, and at the station's
    midnight."""

    def __init__(self, workstation, refresh: Callable[[], None], parent: QObject):
        super().__init__(parent)
        self._zone = workstation.settings.zone
        self._coalesce = QTimer(self, singleShot=True, interval=COALESCE_MS)
        self._coalesce.timeout.connect(refresh)
        # A clock, not a poll: it fires once a day.  Precise: a coarse timer may be
        # 5 % late, over an hour on a day's wait.
        self._new_day = QTimer(self, singleShot=True)
        self._new_day.setTimerType(Qt.TimerType.PreciseTimer)
        self._new_day.timeout.connect(refresh)
        self._new_day.timeout.connect(self._wait_for_next_day)
        workstation.cases_changed.connect(refresh)
        workstation.sync_progressed.connect(self.sync_progressed)
        self._wait_for_next_day()

    def sync_progressed(self) -> None:
        if not self._coalesce.isActive():
            self._coalesce.start()

    def _wait_for_next_day(self) -> None:
        self._new_day.start(ms_until_next_day(dt.datetime.now(self._zone)))

    def stop(self) -> None:
        self._coalesce.stop()
        self._new_day.stop()
