"""Who works at this window: sign-in at start, clerk switch, idle lock.

``StaffSession`` owns the window's staff session (``app.staff.session``) and
the idle lock.  Locking never closes or resets anything: the areas are
hidden behind the sign-in dialog and come back as they were, so a half-typed
intake survives a coffee break.  Another clerk signing in at the lock takes
over the window (a switch); the same clerk signing in unlocks it.

Idle means no key press, mouse click, wheel or mouse move anywhere in the
application for ``idle_lock_minutes`` (default 15); ``idle_warning_seconds``
before that the status bar says the window is about to lock, and so does the
title of every other window open in front of it (``idle_warning_over`` takes it
back when the clerk touches a key or the mouse, or the lock comes).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from ui.background import SLOW, run_in_background

# Waiting this long for the hall (the demo hall is still starting) before the
# first sign-in of an account gives up and says why.
HALL_WAIT_S = 30.0

INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin,
})


class StaffSession(QObject):
    identity_changed = Signal(object)  # StaffIdentity
    locked_changed = Signal(bool)
    idle_warning = Signal(int)  # seconds until the lock
    idle_warning_over = Signal()  # activity after a warning, or the lock itself

    def __init__(self, workstation, *, hall_known: threading.Event | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.identity = None
        self.locked = True  # nobody signed in yet: the window starts locked
        self._session_id: str | None = None
        # Set once the window knows its hall (configured, started, or failed).
        self._hall_known = hall_known or threading.Event()
        settings = workstation.settings
        idle_ms = max(1, int(settings.idle_lock_minutes * 60_000))
        warning_ms = min(idle_ms - 1, int(settings.idle_warning_seconds * 1000))
        self._warning_s = max(0, warning_ms // 1000)
        self._warn_timer = self._single_shot(max(1, idle_ms - warning_ms), self._warn)
        self._lock_timer = self._single_shot(idle_ms, self.lock)
        # The application-wide filter sees every event of every widget: it is
        # installed only while someone works (not during start-up, not while locked).
        self._watching = False
        self._warned = False

    def _single_shot(self, interval_ms: int, slot) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        return timer

    @property
    def account(self) -> str:
        return self.identity.account if self.identity else ""

    def hall_known(self) -> None:
        self._hall_known.set()

    # -- signing in -----------------------------------------------------------
    def sign_in(self, account: str, password: str, on_done, on_error) -> None:
        """Sign in off the GUI thread; ``on_done(identity)`` or ``on_error(message)``."""
        workstation = self.workstation
        store, settings = workstation.store, workstation.settings
        hall_known = self._hall_known
        previous = self._session_id
        unlocking = self.identity is not None and account == self.identity.account

        def ask_the_hall(user: str, secret: str):
            # Only a first (or overdue) sign-in asks the hall; at start the demo hall
            # may still be coming up, so wait for the window to know where it is.
            from app.composition import CredentialError
            from app.staff.signin import hall_verifier

            hall_known.wait(HALL_WAIT_S)
            verify = hall_verifier(settings, workstation.hall_url or None)
            if verify is None:
                raise CredentialError("未配置大厅地址")
            return verify(user, secret)

        def work():
            from app.staff.session import begin_window_session, resolve
            from app.staff.signin import SignInService

            identity = SignInService(store, settings, hall_url=workstation.hall_url or None,
                                     verify_with_hall=ask_the_hall).sign_in(account, password)
            # The same clerk unlocking keeps the session, unless it was ended meanwhile
            # (an administrator revoked the account's key slot): then a new one starts.
            keep = unlocking and previous and resolve(store, settings, previous) is not None
            session_id = previous if keep else begin_window_session(
                store, settings, identity, previous)
            return identity, session_id

        def done(result) -> None:
            identity, session_id = result
            was_locked = self.locked
            self._session_id = session_id
            self.identity = identity
            if unlocking and was_locked:
                self._audit_lock("unlock")
            self._set_locked(False)
            self.identity_changed.emit(identity)
            on_done(identity)

        def failed(exc: BaseException) -> None:
            from app.staff.signin import SignInError

            on_error(str(exc) if isinstance(exc, SignInError) else
                     self.tr("Sign-in failed: %1").replace("%1", str(exc)))

        # The slow lane: a first sign-in waits for the (demo) hall and asks it over
        # the network; on the local lane it held a thread the clerk's reads need.
        run_in_background(work, done, failed, lane=SLOW)

    def adopt(self, identity) -> None:
        """``identity`` signed in before the window existed (the sign-in that unlocked
        the station's database): its window session starts now, unlocked."""
        workstation = self.workstation
        store, settings = workstation.store, workstation.settings

        def begin():
            from app.staff.session import begin_window_session

            return begin_window_session(store, settings, identity)

        def done(session_id) -> None:
            self._session_id = session_id
            self.identity = identity
            self._set_locked(False)
            self.identity_changed.emit(identity)

        run_in_background(begin, done, lambda _exc: None, lane=SLOW)

    # -- idle lock ----------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if event.type() in INPUT_EVENTS:
            self._lock_timer.start()
            self._warn_timer.start()
            if self._warned:
                self._warned = False
                self.idle_warning_over.emit()
        return False

    def _warn(self) -> None:
        if not self.locked:
            self._warned = True
            self.idle_warning.emit(self._warning_s)

    def lock(self) -> None:
        if self.locked or self.identity is None:
            return
        self._audit_lock("idle_lock")
        self._set_locked(True)

    def _audit_lock(self, event: str) -> None:
        from app.staff.session import record_window_lock

        store, settings, account = self.workstation.store, self.workstation.settings, \
            self.account
        run_in_background(lambda: record_window_lock(store, settings, account, event), None,
                          lambda _exc: None)

    def _set_locked(self, locked: bool) -> None:
        if self._warned:
            self._warned = False
            self.idle_warning_over.emit()
        self.locked = locked
        if locked:
            self._lock_timer.stop()
            self._warn_timer.stop()
        else:
            self._lock_timer.start()
            self._warn_timer.start()
        self._watch_activity(not locked)
        self.locked_changed.emit(locked)

    def _watch_activity(self, watch: bool) -> None:
        app = QApplication.instance()
        if app is None or watch == self._watching:
            return
        if watch:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = watch

    def shutdown(self) -> None:
        self._watch_activity(False)
        self._lock_timer.stop()
        self._warn_timer.stop()
        if self._session_id and self.workstation.store is not None:
            from app.staff.session import end_session

            session_id, store, settings = self._session_id, self.workstation.store, \
                self.workstation.settings
            self._session_id = None
            try:
                end_session(store, session_id, "closed", settings=settings)
            except Exception:  # noqa: BLE001 - closing must not fail on the audit row
                pass


class ClerkStatusWidget(QWidget):
    """Status bar: who is signed in, and the buttons to switch clerk or lock now."""

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel(self.tr("Not signed in"), self)
        self.switch_button = QPushButton(self.tr("Switch clerk"), self)
        self.lock_button = QPushButton(self.tr("Lock"), self)
        for button in (self.switch_button, self.lock_button):
            button.setFlat(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.switch_button)
        layout.addWidget(self.lock_button)

    def show_identity(self, identity) -> None:
        if identity is None:
            self.label.setText(self.tr("Not signed in"))
            return
        role = {"clerk": self.tr("clerk"), "supervisor": self.tr("supervisor"),
                "administrator": self.tr("administrator")}.get(identity.role, identity.role)
        text = self.tr("Clerk: %1 (%2)").replace("%1", identity.label).replace("%2", role)
        self.label.setText(text)
        # Who is signed in is never cut short, however crowded the status bar gets.
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance(text) + 4)
