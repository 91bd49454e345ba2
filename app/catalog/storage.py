"""Where the catalog cache lives: table names, the database, the search snapshot.

The search snapshot is the built ``CatalogIndex`` serialised with ``marshal``
and stored in the catalog database by the importer, in the same transaction
as the items, so start-up reads one row instead of decoding 20,000.  SQLite
triggers (see ``local_store.catalog_models``) delete it whenever a searched
field of an item changes, so a stale snapshot is never used: the importer
writes a fresh one, and any other writer leaves the index to be rebuilt from
the rows.
"""

from __future__ import annotations

from typing import Any

from peewee import OperationalError

from local_store.catalog_models import CatalogItem, CatalogMeta, CatalogSearchSnapshot
from local_store.db import catalog_db

ITEM_TABLE = CatalogItem._meta.table_name
META_TABLE = CatalogMeta._meta.table_name
SNAPSHOT_TABLE = CatalogSearchSnapshot._meta.table_name
SEARCH_SNAPSHOT_KEY = "search_index"
# Searched changes of recent deltas not yet folded into the stored index (see
# ``app.catalog.importer``); applied on load.
PENDING_CHANGES_KEY = "search_pending"


def catalog_database(target: Any = None):
    """The catalog database of a Store, a database itself, or the bound proxy."""
    if target is None:
        return catalog_db
    return getattr(target, "catalog_db", target)


def read_search_snapshot(db, key: str = SEARCH_SNAPSHOT_KEY) -> bytes | None:
    row = db.execute_sql(f"SELECT payload FROM {SNAPSHOT_TABLE} WHERE key = ?",
                         (key,)).fetchone()
    return bytes(row[0]) if row and row[0] is not None else None


def has_search_snapshot(db) -> bool:
    return db.execute_sql(f"SELECT 1 FROM {SNAPSHOT_TABLE} WHERE key = ?",
                          (SEARCH_SNAPSHOT_KEY,)).fetchone() is not None


def write_search_snapshot(db, payload: bytes | None, key: str = SEARCH_SNAPSHOT_KEY) -> None:
    """Call inside the importer's transaction, after the items are written.

    ``None`` removes the entry."""
    if payload is None:
        db.execute_sql(f"DELETE FROM {SNAPSHOT_TABLE} WHERE key = ?", (key,))
        return
    db.execute_sql(f"INSERT OR REPLACE INTO {SNAPSHOT_TABLE} (key, payload) VALUES (?, ?)",
                   (key, payload))


def catalog_imported_at(db) -> str | None:
    row = db.execute_sql(f"SELECT value FROM {META_TABLE} WHERE key = 'imported_at'").fetchone()
    return row[0] if row else None


def store_rebuilt_snapshot(db, payload: bytes, imported_at: str | None,
                           unusable: bytes | None) -> bool:
    """Store an index a reader rebuilt from the rows, if nothing was imported since.

    One immediate transaction: it checks the import stamp and that the stored
    snapshot is still the one the reader could not use (none, or an older
    format), then writes, so it never replaces a snapshot an import just wrote.
    A database that is busy or read-only is left alone: the index is stored by
    the next import instead.
    """
    try:
        with db.atomic("IMMEDIATE"):
            if catalog_imported_at(db) != imported_at or read_search_snapshot(db) != unusable:
                return False
            write_search_snapshot(db, payload)
            write_search_snapshot(db, None, PENDING_CHANGES_KEY)
            return True
    except OperationalError:
        return False
