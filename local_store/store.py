"""Open the workstation's local store: both databases, blobs and the writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from local_store import db as dbmod
from local_store import keys as station_keys
from local_store.blobs import BlobStore
from local_store.catalog_models import create_catalog_schema
from local_store.file_modes import make_private_dir, protect_station_home
from local_store.keys import StationKeys
from local_store.migrations import migrate
from local_store.writer import Writer

CASE_DB_FILE = "cases.sqlite"
CATALOG_DB_FILE = "catalog.sqlite"
BLOB_DIR = "blobs"


def held_blob_key() -> bytes | None:
    """The blob key of the station unlocked in this process (None: none held, so
    blobs are written as before and only plaintext ones can be read)."""
    keys = station_keys.held()
    return keys.blobs if keys is not None else None


def blob_key_source(case_path: Path, keys: StationKeys | None = None):
    """Blobs are encrypted exactly when the case database is: one switch for
    encryption at rest (DESIGN.md), and every process that can open the database
    (the window, the sync child, the CLI) holds the key that opens the blobs.
    With ``keys`` (the ones the store was opened with), their blob key."""
    if dbmod.is_plaintext(case_path):
        return None
    return (lambda: keys.blobs) if keys is not None else held_blob_key


@dataclass
class Store:
    home: Path
    case_db: SqliteDatabase
    catalog_db: SqliteDatabase
    blobs: BlobStore
    writer: Writer
    keys: StationKeys | None = None

    @classmethod
    def open(cls, home: Path, keys: StationKeys | None = None) -> Store:
        """Open with ``keys``, or the keys this process holds (``local_store.keys``):
        ``StationLocked`` when there are none — the case database is encrypted."""
        keys = keys or station_keys.require_held()
        home = Path(home)
        make_private_dir(home)
        case_path = home / CASE_DB_FILE
        case_db = dbmod.open_case_db(case_path, keys)
        migrate(case_db, case_path)
        catalog_db = dbmod.open_catalog_db(home / CATALOG_DB_FILE)
        create_catalog_schema(catalog_db)
        protect_station_home(home)  # after the databases exist: their files too
        return cls(
            home=home,
            case_db=case_db,
            catalog_db=catalog_db,
            blobs=BlobStore(home / BLOB_DIR, key_source=blob_key_source(case_path, keys)),
            writer=Writer(case_db),
            keys=keys,
        )

    def close(self) -> None:
        self.writer.close()
        self.blobs.recent.clear()  # the plaintext of pages kept in memory goes too
        for database in (self.case_db, self.catalog_db):
            if not database.is_closed():
                database.close()


@dataclass
class CatalogStore:
    """Only the catalog cache: the public service catalog, plain SQLite, readable
    without the station's key (catalog commands of a station nobody unlocked)."""

    home: Path
    catalog_db: SqliteDatabase

    @classmethod
    def open(cls, home: Path) -> CatalogStore:
        home = Path(home)
        make_private_dir(home)
        catalog_db = dbmod.open_catalog_db(home / CATALOG_DB_FILE)
        create_catalog_schema(catalog_db)
        return cls(home=home, catalog_db=catalog_db)

    def close(self) -> None:
        if not self.catalog_db.is_closed():
            self.catalog_db.close()
