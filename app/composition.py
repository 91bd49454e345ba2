"""The workstation's composition root: where the window's session gets its store,
its hall connection, its clock and its file modes.  ui/ imports these from here and
never reaches local_store/, sync/ or printing/ itself (tests/test_architecture.py).

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
    "CatalogFetcher",
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


class CatalogFetcher:
    """Fetches the hall's catalog into the local cache over one kept-alive HTTP
    session (verifying TLS against the configured CA, always)."""

    def __init__(self, ca_bundle: str, timeout_s: float):
        self._ca_bundle = ca_bundle
        self._timeout_s = timeout_s
        self._http = None

    def fetch(self, url: str):
        from sync.catalog_sync import sync_catalog
        from sync.http import HallSession

        if self._http is None:
            self._http = HallSession(ca_bundle=self._ca_bundle, timeout=self._timeout_s)
        return sync_catalog(self._http, url)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None
