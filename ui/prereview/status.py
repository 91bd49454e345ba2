"""Status bar: how many online applications wait for pre-review, and how urgent."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from ui.background import SLOW, run_in_background
from ui.prereview.queue_watch import QueueWatch


def read_counts(settings, today=None):
    from app.prereview import queue_counts

    return queue_counts(settings, today)


class PrereviewStatusWidget(QLabel):
    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("prereviewStatus")
        self.workstation = workstation
        self.counts = None
        self.today = None  # the station's today (None = the clock)
        self._loading = False
        self._stale = False
        # A change here, the pre-review lane's reports, the turn of the day: no poll.
        self.watch = QueueWatch(workstation, self.refresh, self)
        self.refresh()

    def refresh(self) -> None:
        if self._loading:
            self._stale = True
            return
        self._loading = True
        self._stale = False
        settings, today = self.workstation.settings, self.today
        # A status-bar count nobody waits for: the slow lane keeps the local one free
        # for the clerk's reads.
        run_in_background(lambda: read_counts(settings, today), self._show, self._failed,
                          lane=SLOW)

    def _show(self, counts) -> None:
        self._loading = False
        if self._stale:
            self.refresh()
            return
        self.counts = counts
        text = self.tr("Pre-review: %1").replace("%1", str(counts.pending))
        urgent = []
        if counts.due_today:
            urgent.append(self.tr("%n due today", "", counts.due_today))
        if counts.overdue:
            urgent.append(self.tr("%n overdue", "", counts.overdue))
        if counts.parked_decisions:
            urgent.append(self.tr("%n decision(s) refused by the hall", "",
                                  counts.parked_decisions))
        if urgent:
            text += "（" + "，".join(urgent) + "）"
        self.setText(text)
        colour = ("#b00020" if counts.overdue or counts.parked_decisions
                  else "#a15c00" if counts.due_today else "")
        self.setToolTip(self.tr("%n decision(s) not yet confirmed by the hall", "",
                                counts.unsent_decisions) if counts.unsent_decisions else "")
        self.setStyleSheet(f"color: {colour}; font-weight: bold" if colour else "")

    def _failed(self, _exc: BaseException) -> None:
        self._loading = False
