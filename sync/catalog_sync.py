"""Catalog delta sync with the hall: ``GET /catalog?since=CURSOR`` + ETag.

The station sends the cursor of its last import and the ETag it was given;
``304`` means nothing changed.  Otherwise the hall answers a delta (items
changed and removed since the cursor) or, when it does not know the cursor,
a snapshot of every item; either is handed to the catalog importer — the
same code path as a file import, so a bad document from the hall changes
nothing either.

This module only speaks HTTP and reads the cursor from the catalog cache.
The import itself lives in the app layer (``app.catalog.importer``), which
sync must not import; the app registers it (``sync.catalog_hook``) when
``app.catalog`` is first imported, or a caller passes ``apply=`` directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
import requests

from local_store.catalog_models import CatalogMeta
from local_store.db import catalog_db
from sync.catalog_hook import ApplyDocument, registered_importer, use_importer
from sync.http import API_PREFIX, classify_exception, classify_status, json_body

__all__ = ["CatalogUnchanged", "cached_cursor", "sync_catalog", "use_importer"]


@dataclass
class CatalogUnchanged:
    """The hall answered 304: the station already holds the current catalog."""

    version: str | None
    source: str
    not_modified: bool = True

    def summary(self) -> str:
        return f"目录已是最新（版本 {self.version}）"


def cached_cursor(target: Any = None) -> tuple[str | None, str | None]:
    """(cursor, etag) of the last import, from the catalog cache."""
    db = getattr(target, "catalog_db", target) if target is not None else catalog_db
    rows = db.execute_sql(
        f"SELECT key, value FROM {CatalogMeta._meta.table_name} "
        "WHERE key IN ('cursor', 'etag', 'source')").fetchall()
    meta = dict(rows)
    return meta.get("cursor") or None, meta.get("etag") or None


def sync_catalog(session: requests.Session, base_url: str, *, target: Any = None,
                 timeout: float | tuple = 15.0, apply: ApplyDocument | None = None):
    """Bring the cached catalog up to the hall's; returns the import report.

    Raises ``sync.http.HallFailure`` when the hall cannot be reached or
    refuses, and the importer's ``CatalogImportError`` for a bad document.
    TLS is verified by the session (never switched off here).
    """
    apply = apply or registered_importer()
    if apply is None:
        raise RuntimeError("no catalog importer registered (import app.catalog first)")
    base = base_url.rstrip("/")
    cursor, etag = cached_cursor(target)
    headers = {"Accept": "application/json"}
    if etag:
        headers["If-None-Match"] = etag
    try:
        response = session.get(f"{base}{API_PREFIX}/catalog",
                               params={"since": cursor} if cursor else None,
                               headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise classify_exception(exc) from exc
    source = f"hall:{base}"
    if response.status_code == 304:
        return CatalogUnchanged(version=cursor, source=source)
    if response.status_code != 200:
        raise classify_status(response)
    try:
        # orjson: a 20,000-item snapshot parses several times faster than with json.
        document = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        document = json_body(response)  # says what is wrong: HTML page, truncation…
    new_etag = response.headers.get("ETag", "")
    # A hall response without "mode" is a full catalog: items it lacks are gone.
    return apply(document, target, source=source, default_mode="snapshot",
                 extra_meta={"etag": new_etag}, refuse_older=False)
