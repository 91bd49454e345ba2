"""The services one workstation window works with, passed to every area.

Areas never reach for globals: they get this object, which holds the open
store, the settings and the catalog index (loaded in the background), and
announces changes by signal so that views refresh themselves.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.background import run_in_background

if TYPE_CHECKING:
    from app.catalog.search import CatalogIndex
    from app.composition import Store
    from app.settings import Settings

log = logging.getLogger(__name__)


class Workstation(QObject):
    # The index object, once loaded or reloaded after a catalog change.
    catalog_index_ready = Signal(object)
    catalog_index_failed = Signal(str)
    # Something in the catalog cache changed (sync or file import).
    catalog_changed = Signal()
    # Someone asked for "sync now" (F5); sync lanes listen to this.
    sync_requested = Signal()
    # A case was committed or changed; case lists refresh.
    cases_changed = Signal()
    # The sync service's lanes moved (an upload, an acknowledgement): queue views refresh.
    sync_progressed = Signal()
    # The sync service's lanes changed state, as its child reported on its pipe:
    # {lane name: LaneState as a dict}.
    sync_lanes_changed = Signal(dict)
    # Continue a 补正 case (its number) in the intake area.
    continue_case_requested = Signal(str)
    # A catalog is on its way (hall download or the bundled file): True/False.
    catalog_arriving_changed = Signal(bool)

    def __init__(self, store: Store, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.catalog_index: CatalogIndex | None = None
        self.hall_url: str = settings.effective_hall_url
        # ui.staff_session.StaffSession once the application made one (who is signed in).
        self.staff_session = None
        self._index_loading = False
        self._index_stale = False
        self.catalog_arriving = False
        # app.certificates.service.CertificateService, made on first look-up.
        self.certificate_service = None

    def close_services(self) -> None:
        """The window closes: the certificate service's HTTP session goes with it."""
        if self.certificate_service is not None:
            self.certificate_service.close()
            self.certificate_service = None

    def set_catalog_arriving(self, arriving: bool) -> None:
        if arriving != self.catalog_arriving:
            self.catalog_arriving = arriving
            self.catalog_arriving_changed.emit(arriving)

    def load_catalog_index(self) -> None:
        """(Re)build the search index off the GUI thread; coalesces requests."""
        if self._index_loading:
            self._index_stale = True
            return
        self._index_loading = True

        def load():
            from app.catalog.search import CatalogIndex

            return CatalogIndex.load()

        run_in_background(load, self._index_loaded, self._index_failed)

    def _index_loaded(self, index) -> None:
        self._index_loading = False
        if self._index_stale:
            self._index_stale = False
            self.load_catalog_index()
        self.catalog_index = index
        self.catalog_index_ready.emit(index)

    def _index_failed(self, exc: BaseException) -> None:
        self._index_loading = False
        log.error("catalog index failed to load", exc_info=exc)
        self.catalog_index_failed.emit(str(exc))

    def notify_catalog_changed(self) -> None:
        self.catalog_changed.emit()
        self.load_catalog_index()
