"""Start the workstation: QApplication, translations, store, window, hall.

Order matters for a fast, never-frozen start: the store opens off the GUI
thread — from the launch, beside the imports of Qt and the widgets
(``app.station_opening``, begun by ``ui.launcher``) — the window appears as soon
as it is open, the catalog index loads in the background, and the hall
(configured, or the local reference hall started here) is probed and synced
last.  The window is usable throughout.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from app import sync_events
from app.composition import StationSession, use_private_umask
from app.settings import Settings, load_settings
from ui.background import SLOW, is_alive, run_in_background, wait_for_background
from ui.connectivity import HallMonitor
from ui.translation import install_translator

log = logging.getLogger(__name__)

SELF_TEST_FLAG = "--self-test"


class GuiSession(QObject):
    """The widgets around one run of the workstation: what the run opens and wires
    (store, hall, sign-in, catalog) is ``app.composition.StationSession``'s; this
    calls its blocking steps off the GUI thread and shows what they bring."""

    # The window is shown and the catalog index is loaded.
    ready = Signal()
    failed = Signal(str)

    def __init__(self, settings: Settings, parent: QObject | None = None, opening=None):
        super().__init__(parent)
        self.settings = settings
        self.station = StationSession(settings, opening=opening)
        self.workstation = None
        self.window = None
        self.sync_service = None  # the `onewindow sync run` child process
        self.monitor = HallMonitor(ca_bundle=settings.ca_bundle, parent=self)
        self._catalog_lane_status = ""
        self.staff = None  # ui.staff_session.StaffSession: who works at this window
        self._hall_known = threading.Event()  # the first sign-in of an account waits for it

    @property
    def store(self):
        return self.station.store

    @property
    def hall(self):
        """The embedded reference hall, when this run started one."""
        return self.station.hall

    # -- start-up ----------------------------------------------------------
    def start(self) -> None:
        def import_catalog_search():
            # The heaviest import of start-up; done while the window is built.
            import app.catalog.search  # noqa: F401

        station = self.station
        run_in_background(import_catalog_search, None, lambda _exc: None)
        run_in_background(station.clear_viewing_copies, None, lambda _exc: None, lane=SLOW)
        # Usually opened already (app.station_opening, begun by ui.launcher).
        run_in_background(station.open_store_if_unlocked, self._store_opened_if_unlocked,
                          self._store_failed)

    def _store_opened_if_unlocked(self, store) -> None:
        if store is None:  # nobody unlocked the station: its first sign-in does
            self._sign_in_to_unlock()
        else:
            self._store_opened(store)

    # -- the encrypted database opens after a sign-in ------------------------------------
    auto_sign_in = False  # --self-test: the demo's filled-in sign-in is submitted

    def _sign_in_to_unlock(self) -> None:
        """The case database is encrypted: the first sign-in (its key slot) opens it."""
        from ui.sign_in_dialog import START, SignInDialog
        from ui.station_unlock import StationUnlock

        account = password = ""
        if self.station.demo:  # `make run`'s demo fills in its clerk
            from app.embedded_hall import DEMO_PASSWORD, DEMO_USER

            account, password = DEMO_USER, DEMO_PASSWORD
        self.station_unlock = StationUnlock(self.station, self)
        self.station_unlock.unlocked.connect(self._unlocked)
        dialog = SignInDialog(self.station_unlock, START, account, password, None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.rejected.connect(lambda: QApplication.exit(0))
        self.sign_in_dialog = dialog
        dialog.open()
        if self.auto_sign_in and account and password:
            dialog.submit()

    def _unlocked(self, store, identity, recovery_code) -> None:
        self._signed_in_before_window = identity
        self._store_opened(store)
        if recovery_code and not self.auto_sign_in:
            self._show_recovery_code(recovery_code)

    def _show_recovery_code(self, code: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Recovery key"),
                          self.tr("This station's data key was created. The administrator's "
                                  "recovery key is shown only now: write it down or print it "
                                  "and keep it safe. It opens the station's cases when every "
                                  "staff password is lost.\n\n%1").replace("%1", code),
                          QMessageBox.StandardButton.Ok, self.window)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.recovery_box = box

    def _store_opened(self, store) -> None:
        from ui.main_window import MainWindow
        from ui.workstation import Workstation

        self.workstation = Workstation(store, self.settings, self)
        self.window = MainWindow(self.workstation)
        self.monitor.online_changed.connect(self.window.set_online)
        self.workstation.catalog_index_ready.connect(self._index_ready)
        self.workstation.catalog_index_failed.connect(self._index_failed)
        self.window.show_fitted()
        self.workstation.load_catalog_index()
        self.window.status.refresh_catalog_info()
        self._start_staff_session()

    # -- who works at this window ------------------------------------------------
    def _start_staff_session(self) -> None:
        """The window opens locked, on the sign-in dialog; `make run`'s demo fills it in."""
        from ui.lock_screen import LockScreen
        from ui.sign_in_dialog import START
        from ui.staff_session import ClerkStatusWidget, StaffSession

        self.lock_screen = LockScreen(self)
        self.staff = StaffSession(self.workstation, hall_known=self._hall_known, parent=self)
        self.workstation.staff_session = self.staff
        self.clerk_status = ClerkStatusWidget(self.workstation, self.window.status)
        self.window.status.add_status_widget(self.clerk_status)
        self.staff.identity_changed.connect(self.clerk_status.show_identity)
        self.staff.locked_changed.connect(self._locked_changed)
        self.staff.idle_warning.connect(self._idle_warning)
        self.staff.idle_warning_over.connect(self._idle_warning_over)
        self.clerk_status.switch_button.clicked.connect(lambda: self.open_sign_in("switch"))
        self.clerk_status.lock_button.clicked.connect(self.staff.lock)
        self._locked_changed(True)
        signed_in = getattr(self, "_signed_in_before_window", None)
        if signed_in is not None:  # the sign-in that unlocked the database
            self.staff.adopt(signed_in)
            return
        if self.station.demo:  # the embedded demo hall and its accounts
            from app.embedded_hall import DEMO_PASSWORD, DEMO_USER

            self.open_sign_in(START, DEMO_USER, DEMO_PASSWORD)
        else:
            self.open_sign_in(START)

    def open_sign_in(self, mode: str, account: str = "", password: str = ""):
        from ui.sign_in_dialog import SignInDialog

        dialog = SignInDialog(self.staff, mode, account, password, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if mode != "switch":
            # Closing the sign-in of a locked window closes the window: there is
            # nothing to go back to without signing in.
            dialog.rejected.connect(self.window.close)
        self.sign_in_dialog = dialog
        if self.lock_screen.active:
            # The one window left bare, and the only one taking input: every other
            # window (a print preview, a look-up, a message) stays covered, as it was.
            self.lock_screen.spare(dialog)
            dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
            dialog.show()
            dialog.raise_()
            dialog.activateWindow()
        else:
            dialog.open()
        return dialog

    def _locked_changed(self, locked: bool) -> None:
        # Hidden, not closed: every area keeps what was typed until the clerk is back.
        if locked:
            self._focus_before_lock = QApplication.focusWidget()
            # Every window of the application, not only this one's areas (ui.lock_screen).
            self.lock_screen.cover_all()
        self.window.centralWidget().setVisible(not locked)
        if locked and self.staff.identity is not None:
            self.open_sign_in("unlock", self.staff.account)
        elif not locked:
            self.lock_screen.uncover_all()
            # The cursor goes back where it was; after the first sign-in, to the search box.
            before = getattr(self, "_focus_before_lock", None)
            if before is not None and before.isVisible():
                before.setFocus()
            else:
                self.window.actions_by_key["focus_search"].trigger()

    def _idle_warning(self, seconds: int) -> None:
        text = self.tr("No activity: the window locks in %1 seconds.").replace("%1", str(seconds))
        self.window.statusBar().showMessage(text, seconds * 1000)
        # A dialog in front of the window hides its status bar: its title warns as well.
        self._titles_before_warning = {}
        for window in QApplication.topLevelWidgets():
            if window is not self.window and window.isVisible() and window.windowTitle():
                self._titles_before_warning[window] = window.windowTitle()
                window.setWindowTitle(f"{window.windowTitle()} — {text}")

    def _idle_warning_over(self) -> None:
        for window, title in getattr(self, "_titles_before_warning", {}).items():
            try:
                window.setWindowTitle(title)
            except RuntimeError:
                pass  # closed and deleted meanwhile
        self._titles_before_warning = {}

    def _store_failed(self, exc: BaseException) -> None:
        message = self.tr("The local database could not be opened:\n%1").replace("%1", str(exc))
        self.failed.emit(message)
        QMessageBox.critical(None, self.tr("OneWindow"), message)
        QApplication.exit(1)

    def _index_ready(self, _index) -> None:
        self.workstation.catalog_index_ready.disconnect(self._index_ready)
        self.workstation.catalog_index_failed.disconnect(self._index_failed)
        self.ready.emit()
        # The network lanes start once the window is usable, never before.
        self._connect_hall()

    def _index_failed(self, message: str) -> None:
        self.workstation.catalog_index_ready.disconnect(self._index_ready)
        self.workstation.catalog_index_failed.disconnect(self._index_failed)
        self.failed.emit(message)
        self._connect_hall()  # a hall sync may bring a catalog that loads

    # -- the hall ------------------------------------------------------------
    def _connect_hall(self) -> None:
        url = self.station.configured_hall_url
        if url:
            self._use_hall(url)
            return
        if self.station.hall is not None:  # started for the sign-in that unlocked the station
            self._embedded_hall_started(self.station.hall)
            return
        run_in_background(self.station.start_embedded_hall, self._embedded_hall_started,
                          self._hall_failed, lane=SLOW)

    def _embedded_hall_started(self, hall) -> None:
        self._use_hall(hall.url)

    def _hall_failed(self, exc: BaseException) -> None:
        log.warning("local reference hall did not start: %s", exc)
        self._hall_known.set()  # sign-in goes on offline (or says the hall is needed)
        self.monitor.start()  # reports offline; everything local keeps working
        if self.window is not None:
            self.window.statusBar().showMessage(
                self.tr("The local hall did not start: %1").replace("%1", str(exc)), 10_000
            )
        self.import_bundled_catalog()

    def import_bundled_catalog(self) -> None:
        """No hall to download from: a station with an empty catalog takes the one
        shipped with the program, so that the clerk can search at all."""
        index = self.workstation.catalog_index if self.workstation else None
        if self.workstation is None or (index is not None and len(index)):
            return
        self.workstation.set_catalog_arriving(True)
        run_in_background(self.station.import_bundled_catalog, self._bundled_imported,
                          self._bundled_failed, lane=SLOW)

    def _bundled_imported(self, report) -> None:
        self.workstation.set_catalog_arriving(False)
        if report is None:
            return
        self.workstation.notify_catalog_changed()
        self.window.statusBar().showMessage(
            self.tr("The hall cannot be reached: the catalog shipped with the program is in use."),
            15_000)

    def _bundled_failed(self, exc: BaseException) -> None:
        self.workstation.set_catalog_arriving(False)
        log.error("bundled catalog import failed", exc_info=exc)

    def _use_hall(self, url: str) -> None:
        self.workstation.hall_url = url
        self._hall_known.set()
        self.monitor.set_base_url(url)
        self.monitor.start()
        # The sync service's catalog lane syncs the catalog as its first act (and the
        # window never does it a second time): until it reports, one is on its way.
        self.workstation.set_catalog_arriving(True)
        self._start_case_sync(url)

    def _start_case_sync(self, url: str) -> None:
        """Start the outbox's sync service; the demo hall signs this station in first.

        A configured hall was enrolled with ``onewindow enroll`` (its token is in
        the keyring).  The embedded demo hall is new each run, so the station signs
        in with the hall's documented demo account (``StationSession.sign_in_station``)
        — into the keyring only: with no secure keyring the clerk is told, and cases
        wait in the outbox.
        """
        if self.hall is None:
            self._launch_sync_service(url)
            return
        station = self.station
        run_in_background(lambda: station.sign_in_station(url), lambda _token: self._signed_in(url),
                          lambda exc: self._sign_in_failed(url, exc), lane=SLOW)

    def _signed_in(self, url: str) -> None:
        if self.window is not None:
            self.window.status.set_sign_in_problem("")
        self._launch_sync_service(url)

    def _sign_in_failed(self, url: str, exc: BaseException) -> None:
        log.warning("signing in to the hall failed: %s", exc)
        if self.window is not None:
            self.window.status.set_sign_in_problem(
                self.tr("Cases cannot be sent to the hall yet: %1").replace("%1", str(exc)))
        # The catalog and status lanes still work; uploads wait for a sign-in.
        self._launch_sync_service(url)

    def _launch_sync_service(self, url: str) -> None:
        from ui.sync_service import SyncService

        if self.sync_service is None and self.workstation is not None:
            self.sync_service = SyncService(self.workstation, self)
            self.watch_upload_lane(self.sync_service)
            self.watch_catalog_lane(self.sync_service)
            self.sync_service.start(url)

    def watch_upload_lane(self, service) -> None:
        """The sync service's upload lane is the judge of "signed in": a configured
        hall whose token is missing or refused is reachable, yet takes no case."""
        def lanes_changed() -> None:
            upload = service.lane_states.get("upload") or {}
            if self.window is None:
                return
            if upload.get("status") == "needs_sign_in":
                self.window.status.set_sign_in_problem(upload.get("message") or "")
            elif upload.get("status") == "idle" and upload.get("last_success_at"):
                self.window.status.set_sign_in_problem("")

        service.changed.connect(lanes_changed)

    def watch_catalog_lane(self, service) -> None:
        """The catalog is synced by the sync service alone; its pipe says how it went."""
        service.catalog_synced.connect(self._catalog_synced)
        service.changed.connect(lambda: self._catalog_lane_changed(service.lane_states))
        service.failed_to_start.connect(self._catalog_sync_failed)

    def _catalog_lane_changed(self, lanes: dict) -> None:
        lane = lanes.get(sync_events.CATALOG_LANE) or {}
        status = lane.get("status", "")
        if status == self._catalog_lane_status or self.workstation is None:
            return
        self._catalog_lane_status = status
        if status == sync_events.WORKING:
            self.workstation.set_catalog_arriving(True)
        elif status in sync_events.FAILED:
            self._catalog_sync_failed(lane.get("message") or status)
        else:  # idle after a sync (its report came just before), or the service gone
            self.workstation.set_catalog_arriving(False)

    def _catalog_synced(self, report: dict) -> None:
        """The sync service imported the hall's catalog (``app.sync_events``)."""
        self.workstation.set_catalog_arriving(False)
        if not report.get("not_modified"):
            # Already searchable in the cache (the service also folds the index
            # changes in); this window's index is reloaded off the GUI thread.
            self.workstation.notify_catalog_changed()
        self.window.statusBar().showMessage(self.tr("Catalog is up to date."), 5_000)

    def _catalog_sync_failed(self, problem: str) -> None:
        self.workstation.set_catalog_arriving(False)
        log.info("catalog sync failed: %s", problem)
        self.window.statusBar().showMessage(
            self.tr("Catalog sync failed; the cached catalog stays in use (%1)").replace(
                "%1", str(problem)
            ),
            10_000,
        )
        self.import_bundled_catalog()

    # -- shutdown --------------------------------------------------------------
    def shutdown(self) -> None:
        self.monitor.stop()
        wait_for_background()
        if self.staff is not None:
            self.staff.shutdown()  # the clerk's session ends with the window
        # A sign-in still open is application-modal while locked, and the lock's filter
        # covers every window that shows: left behind, they would take the input of
        # whatever opens after this session (the next session's windows, a test's).
        dialog = getattr(self, "sign_in_dialog", None)
        if dialog is not None and is_alive(dialog):
            dialog.close()
        if getattr(self, "lock_screen", None) is not None:
            self.lock_screen.uncover_all()
        if self.sync_service is not None:
            self.sync_service.stop()  # before the hall it talks to goes away
            self.sync_service = None
        self.station.stop_hall()
        if self.workstation is not None:
            self.workstation.close_services()
        self.station.close_store()


def _report_ready(started: float) -> None:
    """--self-test: one JSON line with start-up time and memory, then quit."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "ready_s": round(time.perf_counter() - started, 3),
                # CPU of the whole process so far (interpreter start included):
                # on a shared machine it says more than the wall clock.
                "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
                "max_rss_mb": round(_peak_rss_kb(usage) / 1024, 1),
            }
        ),
        flush=True,
    )
    QApplication.quit()


def _peak_rss_kb(usage) -> int:
    """This program's own peak resident memory, in KiB.

    On Linux ``ru_maxrss`` survives ``exec``: a station started from a big
    parent (a test runner, a launcher) would report the parent's peak.  The
    address space's own high-water mark (VmHWM) starts afresh at exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return usage.ru_maxrss


def _self_test_failed(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
    QApplication.exit(1)


def run_gui(argv: list[str], opening=None) -> int:
    """The workstation.  ``--self-test`` starts it, prints one JSON line
    (start-up time, CPU, memory) once it is usable, and quits — for the
    start-up benchmark and the packaged build's smoke test.  ``opening``: the
    station's store, opening since the launch (``app.station_opening``)."""
    started = time.perf_counter()
    self_test = SELF_TEST_FLAG in argv
    use_private_umask()  # the station home, and the sync service and demo hall it starts
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    settings = load_settings()
    install_translator(app, settings.language)
    session = GuiSession(settings, opening=opening)
    if self_test:
        session.auto_sign_in = True
        session.ready.connect(lambda: _report_ready(started))
        session.failed.connect(_self_test_failed)
    session.start()
    code = app.exec()
    session.shutdown()
    return code
