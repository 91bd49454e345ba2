"""The workstation's composition root: where the window's session gets its store,
its hall (configured, or the embedded reference hall started here), its sign-in,
its catalog, its clock and its file modes — and closes them again in order.
ui/ imports these from here and never reaches local_store/, sync/ or printing/
itself (tests/test_architecture.py); ``ui.application.GuiSession`` only builds
widgets around a ``StationSession`` and runs its blocking steps off the GUI thread.

Everything heavy is imported inside the function that needs it: the window's
start-up path should not pay for the HTTP stack or the keyring before it shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from local_store.file_modes import use_private_umask
from local_store.instants import station_now, station_today

if TYPE_CHECKING:
    from local_store.store import Store

# Also, loaded on first use (module __getattr__): Store, BlobStore, CredentialError.
__all__ = [
    "StationSession",
    "open_station_store",
    "probe_hall",
    "sign_in_to_hall",
    "station_now",
    "station_today",
    "use_private_umask",
]


def open_station_store(home: Path) -> Store:
    """The station's database, blob store and writer, opened (and migrated)."""
    from local_store.store import Store

    return Store.open(home)


def open_unlocked_store(home: Path) -> Store | None:
    """The station's store, opened with the keys this process holds or the key agent
    of a command-line session signed in at this station hands over
    (``onewindow user login``; the window's clerk still signs in); None while the
    station is locked (the window's first sign-in unlocks it).  Blocks: off the GUI
    thread (``app.station_opening`` begins it before Qt is imported)."""
    from app.security.agent import unlock_from_agent

    if not unlock_from_agent(home):
        return None
    return open_station_store(home)


def __getattr__(name: str):
    # Loaded when first asked for, not when the window's modules are imported.
    if name == "Store":
        from local_store.store import Store

        return Store
    if name == "BlobStore":
        from local_store.blobs import BlobStore

        return BlobStore
    if name == "CredentialError":
        from sync.credentials import CredentialError

        return CredentialError
    raise AttributeError(name)


def sign_in_to_hall(url: str, station: str, user: str, password: str, *, ca_bundle: str,
                    timeout_s: float) -> str:
    """Sign in to the hall and keep the token in the keyring; returns the token."""
    from sync.credentials import sign_in

    return sign_in(url, station, user, password, ca_bundle=ca_bundle, timeout_s=timeout_s)


def probe_hall(base_url: str, ca_bundle: str = "", timeout_s: float = 3.0) -> bool:
    """True when the hall answers its health endpoint (run it off the GUI thread)."""
    from sync.http import HallClient, HallFailure  # not on the start-up path

    client = HallClient(base_url, ca_bundle=ca_bundle, timeout_s=timeout_s)
    try:
        client.health()
    except HallFailure:
        return False
    finally:
        client.close()
    return True


class StationSession:
    """What one run of the workstation opens, wired together, and closed in order.

    No Qt and no threads of its own: every method that blocks (opening and
    migrating the store, starting the reference hall, signing in, importing a
    catalog) is called by the window off its GUI thread, one step at a time, so
    the window can show itself between them.  The sync service's child process
    is started and stopped by ``app.sync_child``; the window owns that handle
    because it listens to the child's pipe.
    """

    def __init__(self, settings, home: Path | None = None, opening=None):
        from app.settings import data_dir

        self.settings = settings
        self.home = Path(home) if home is not None else data_dir()
        self.store: Store | None = None
        self.hall = None  # app.embedded_hall.EmbeddedHall, when this run started one
        # app.station_opening.StationOpening: the store, opening since the window's
        # run began (ui.launcher); a session made without one opens it when asked.
        self.opening = opening

    # -- start-up steps (each off the GUI thread) ------------------------------
    def open_store(self) -> Store:
        self.store = open_station_store(self.home)
        return self.store

    def open_store_if_unlocked(self) -> Store | None:
        """The store, opened with the keys this process holds or the command-line
        session's key agent hands over; None while the station is locked (the
        window's first sign-in unlocks it, ``unlock``).  Blocks: off the GUI thread."""
        opening, self.opening = self.opening, None
        if opening is None:
            self.store = open_unlocked_store(self.home)
            return self.store
        store = opening.result()
        if opening.home != self.home:  # begun for another home: not this session's
            if store is not None:
                store.close()
            return self.open_store_if_unlocked()
        self.store = store
        return store

    def unlock(self, account: str, password: str):
        """The window's first sign-in, before the store opens: the account's key slot
        (or the hall, adding one) yields the station's keys; the store opens with them
        (a plaintext one is converted) and the sign-in is recorded in it.  With no hall
        configured (the demo) the reference hall is started when the hall is needed.
        Returns (identity, recovery code — only when this sign-in created the keys)."""
        from app.staff.signin import SignInService, hall_verifier

        def verify(user: str, secret: str):
            url = self.configured_hall_url
            if not url:
                url = (self.hall or self.start_embedded_hall()).url
            return hall_verifier(self.settings, url)(user, secret)

        service = SignInService(None, self.settings, home=self.home, verify_with_hall=verify)
        identity = service.sign_in(account, password)
        service.record_in(self.open_store())
        return identity, service.recovery_code

    def clear_viewing_copies(self) -> int:
        """Certificate copies a crashed run left behind: personal data nobody views now."""
        from app.certificates.viewing import remove_viewing_copies

        return remove_viewing_copies(self.home)

    @property
    def configured_hall_url(self) -> str:
        return self.settings.effective_hall_url

    @property
    def demo(self) -> bool:
        """No hall configured: the embedded reference hall and its demo accounts."""
        return not self.configured_hall_url

    def start_embedded_hall(self):
        """Start the local reference hall (``make run`` on a station with no hall)."""
        from app.embedded_hall import EmbeddedHall

        hall = EmbeddedHall(self.home)
        hall.start()
        self.hall = hall
        return hall

    def sign_in_station(self, url: str) -> str | None:
        """The embedded demo hall is new each run: sign this station in with the hall's
        documented demo account (token into the keyring only).  A configured hall was
        enrolled with ``onewindow enroll``: nothing to do.  Returns the token, if any."""
        if self.hall is None:
            return None
        from app.embedded_hall import DEMO_PASSWORD, demo_clerk_for

        settings = self.settings
        station, user = demo_clerk_for(settings.region_code + settings.station_code)
        return sign_in_to_hall(url, station, user, DEMO_PASSWORD, ca_bundle=settings.ca_bundle,
                               timeout_s=settings.http_timeout_s)

    def import_bundled_catalog(self):
        """No hall to download from: an empty catalog takes the one shipped with the
        program.  The import report, or None when the station had a catalog."""
        from app.catalog.importer import import_bundled_catalog_if_empty

        return import_bundled_catalog_if_empty()

    # -- shutdown ------------------------------------------------------------
    def stop_hall(self) -> None:
        """After the sync service that talks to it has stopped."""
        if self.hall is not None:
            self.hall.stop()
            self.hall = None

    def close_store(self) -> None:
        if self.store is not None:
            from app.certificates.viewing import remove_viewing_copies

            remove_viewing_copies(self.store.home)  # whatever a viewer still had open
            self.store.close()
            self.store = None
