"""Status bar: hall connectivity and the catalog's version and age.

Other areas add their own permanent widgets (the sync helper's queue state)
through ``WorkstationStatusBar.add_status_widget``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar, QWidget

from ui.background import run_in_background
from ui.workstation import Workstation

translate = QCoreApplication.translate

# "Updated 5 minutes ago" grows with the clock, which sends no event; a catalog
# that arrives is shown at once (``catalog_changed``).
AGE_REFRESH_MS = 60_000


def _as_datetime(value) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        try:
            stamp = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return None
    # Naive stamps in the catalog cache are UTC (see catalog_models._utcnow).
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)


def describe_age(imported_at, now: dt.datetime) -> str:
    """'3 小时前更新' — how long ago the catalog was last refreshed."""
    stamp = _as_datetime(imported_at)
    if stamp is None:
        return translate("StatusBar", "never updated")
    seconds = max(0, int((now - stamp).total_seconds()))
    if seconds < 60:
        return translate("StatusBar", "updated just now")
    if seconds < 3600:
        return translate("StatusBar", "updated %n minute(s) ago", None, seconds // 60)
    if seconds < 86_400:
        return translate("StatusBar", "updated %n hour(s) ago", None, seconds // 3600)
    return translate("StatusBar", "updated %n day(s) ago", None, seconds // 86_400)


def describe_catalog(info: dict | None, now: dt.datetime) -> str:
    """'目录版本 r12 · 3 小时前更新', or a clear word when there is no catalog."""
    if not info or not info.get("item_count"):
        return translate("StatusBar", "No catalog yet")
    version = info.get("version") or "?"
    return (
        translate("StatusBar", "Catalog version %1").replace("%1", str(version))
        + " · "
        + describe_age(info.get("imported_at"), now)
    )


def describe_connectivity(online: bool | None, sign_in_problem: str = "") -> str:
    """'在线' only when the hall answers AND this station is signed in: a reachable
    hall that refused (or was never asked for) a sign-in takes no cases."""
    if online is None:
        return translate("StatusBar", "Checking hall…")
    if not online:
        return translate("StatusBar", "Offline")
    if sign_in_problem:
        return translate("StatusBar", "Hall reachable, not signed in: cases wait here")
    return translate("StatusBar", "Online")


def connectivity_colour(online: bool | None, sign_in_problem: str = "") -> str:
    if online is None:
        return "#666"
    return "#1a7f37" if online and not sign_in_problem else "#b35900"


class WorkstationStatusBar(QStatusBar):
    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self._workstation = workstation
        self._catalog_info: dict | None = None
        self._online: bool | None = None
        self._sign_in_problem = ""
        self.connectivity_label = QLabel(describe_connectivity(None))
        self.connectivity_label.setObjectName("connectivity")
        self.catalog_label = QLabel(describe_catalog(None, _now()))
        self.catalog_label.setObjectName("catalogAge")
        for label in (self.catalog_label, self.connectivity_label):
            # Long temporary messages must not squeeze these to "目录版本 de…".
            label.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            self.addPermanentWidget(label)
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self._show_catalog)
        self._age_timer.start()
        workstation.catalog_changed.connect(self.refresh_catalog_info)
        self.refresh_catalog_info()

    def add_status_widget(self, widget: QWidget) -> None:
        self.insertPermanentWidget(0, widget)

    def set_online(self, online: bool | None) -> None:
        self._online = online
        self._show_connectivity()

    def set_sign_in_problem(self, problem: str) -> None:
        """Why this station cannot send cases to the hall ("" once signed in).

        Shown as a short permanent word with the whole reason as its tooltip,
        not as a temporary message: those are cut off by the permanent widgets
        and vanish under the next "catalog is up to date"."""
        self._sign_in_problem = problem
        self._show_connectivity()

    def _show_connectivity(self) -> None:
        online, problem = self._online, self._sign_in_problem
        self.connectivity_label.setText(describe_connectivity(online, problem))
        self.connectivity_label.setToolTip(problem)
        colour = connectivity_colour(online, problem)
        self.connectivity_label.setStyleSheet(f"color: {colour}; font-weight: bold")

    def refresh_catalog_info(self) -> None:
        def read_info():
            from app.catalog.repository import catalog_info

            return catalog_info()

        run_in_background(read_info, self._info_read, lambda _exc: None)

    def _info_read(self, info: dict) -> None:
        self._catalog_info = info
        self._show_catalog()

    def _show_catalog(self) -> None:
        self.catalog_label.setText(describe_catalog(self._catalog_info, _now()))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
