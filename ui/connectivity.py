"""Is the hall reachable?  A periodic health probe, run off the GUI thread.

The answer only feeds the status bar: every clerk action works against the
local store whatever it says (offline first).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app import composition
from ui.background import SLOW, run_in_background

# A probe, not a re-read of a state file: the sync service's lanes back off up to
# ten minutes while the hall is down and would report its return that late; the
# probe sees it within one interval.
PROBE_INTERVAL_MS = 15_000
PROBE_TIMEOUT_S = 3.0


def probe_hall(base_url: str, ca_bundle: str = "", timeout_s: float = PROBE_TIMEOUT_S) -> bool:
    """True when the hall answers its health endpoint (runs off the GUI thread)."""
    return composition.probe_hall(base_url, ca_bundle, timeout_s)


class HallMonitor(QObject):
    """Emits ``online_changed(bool)`` whenever the probe's answer changes."""

    online_changed = Signal(bool)
    probed = Signal(bool)

    def __init__(self, base_url: str = "", ca_bundle: str = "", parent: QObject | None = None):
        super().__init__(parent)
        self._base_url = base_url
        self._ca_bundle = ca_bundle
        self._online: bool | None = None
        self._probing = False
        self._timer = QTimer(self)
        self._timer.setInterval(PROBE_INTERVAL_MS)
        self._timer.timeout.connect(self.probe_now)

    @property
    def online(self) -> bool | None:
        """None until the first probe has answered."""
        return self._online

    @property
    def base_url(self) -> str:
        return self._base_url

    def set_base_url(self, base_url: str) -> None:
        self._base_url = base_url
        self.probe_now()

    def start(self) -> None:
        self._timer.start()
        self.probe_now()

    def stop(self) -> None:
        self._timer.stop()

    def probe_now(self) -> None:
        if self._probing:
            return
        if not self._base_url:
            self._record(False)
            return
        self._probing = True
        url, ca_bundle = self._base_url, self._ca_bundle
        run_in_background(
            lambda: probe_hall(url, ca_bundle),
            self._on_answer,
            lambda _exc: self._on_answer(False),
            lane=SLOW,
        )

    def _on_answer(self, online: bool) -> None:
        self._probing = False
        self._record(bool(online))

    def _record(self, online: bool) -> None:
        changed = online != self._online
        self._online = online
        if changed:
            self.online_changed.emit(online)
        self.probed.emit(online)
