"""Read access to the cached catalog: one item, and facts about the cache."""

from __future__ import annotations

import json
from typing import Any

from app.catalog.storage import ITEM_TABLE, META_TABLE, catalog_database


def get_item(task_code: str, target: Any = None) -> dict | None:
    """The full item as received (every field, known or not), or None."""
    row = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} WHERE task_code = ?", (task_code,)).fetchone()
    return json.loads(row[0]) if row else None


def catalog_meta(target: Any = None) -> dict[str, str]:
    rows = catalog_database(target).execute_sql(f"SELECT key, value FROM {META_TABLE}")
    return dict(rows.fetchall())


def catalog_info(target: Any = None) -> dict:
    """``{version, imported_at, source, item_count}`` (+ generated_at, mode, cursor).

    ``imported_at`` is UTC without zone ("YYYY-MM-DD HH:MM:SS.ffffff"); None
    values mean nothing was ever imported.
    """
    db = catalog_database(target)
    meta = catalog_meta(db)
    count = db.execute_sql(f"SELECT count(*) FROM {ITEM_TABLE}").fetchone()[0]
    return {
        "version": meta.get("version"),
        "imported_at": meta.get("imported_at"),
        "source": meta.get("source"),
        "item_count": count,
        "generated_at": meta.get("generated_at"),
        "mode": meta.get("mode"),
        "cursor": meta.get("cursor"),
    }


def iter_items(target: Any = None):
    """Every cached item (full JSON), in task_code order — for the quality check."""
    cursor = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} ORDER BY task_code")
    for (data,) in cursor:
        yield json.loads(data)
