"""The sign-in before the window: it unlocks the station's encrypted database.

The case database cannot be opened before a staff password (or the
recovery key) has unwrapped the station's data key (``app.security.keys``),
so the window's first sign-in runs before the store opens.  ``StationUnlock``
offers ``ui.sign_in_dialog.SignInDialog`` the same ``sign_in`` call as the
window's ``StaffSession``; the work (``app.composition.StationSession.unlock``)
runs off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.background import SLOW, run_in_background


class StationUnlock(QObject):
    # (store, identity, recovery code or None)
    unlocked = Signal(object, object, object)

    def __init__(self, station, parent: QObject | None = None):
        super().__init__(parent)
        self.station = station

    def sign_in(self, account: str, password: str, on_done, on_error) -> None:
        station = self.station

        def done(result) -> None:
            identity, recovery_code = result
            self.unlocked.emit(station.store, identity, recovery_code)
            on_done(identity)

        def failed(exc: BaseException) -> None:
            from app.staff.signin import SignInError

            on_error(str(exc) if isinstance(exc, SignInError) else
                     self.tr("Sign-in failed: %1").replace("%1", str(exc)))

        run_in_background(lambda: station.unlock(account, password), done, failed, lane=SLOW)
