"""Read access to the cached catalog: one item, and facts about the cache."""

from __future__ import annotations

import json
from typing import Any

from app.catalog.item_key import ItemKey
from app.catalog.storage import ITEM_TABLE, META_TABLE, catalog_database


def get_item(key: ItemKey | str, target: Any = None) -> dict | None:
    """The full item as received (every field, known or not), or None.

    ``key`` is an ``ItemKey``; a plain string is the task_code of an item
    without 业务办理项."""
    key = ItemKey(key) if isinstance(key, str) else key
    row = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} WHERE task_code = ? AND handle_item_code = ?",
        key.stored).fetchone()
    return json.loads(row[0]) if row else None


def items_of_task(task_code: str, target: Any = None) -> list[dict]:
    """The item with this task_code and every 办理项 of it, in 办理项 code order."""
    rows = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} WHERE task_code = ? ORDER BY handle_item_code",
        (task_code,)).fetchall()
    return [json.loads(data) for (data,) in rows]


def items_by_code(code: str, target: Any = None) -> list[dict]:
    """What a clerk means by one code: a 办理项 code names that 办理项; a task_code
    names the item, i.e. all its 办理项 (one entry for an item without 办理项).

    A 办理项 code is found by a scan (a few ms at 20,000 items): no index on it,
    which would slow every full import for this one command-line look-up."""
    code = code.strip()
    found = items_of_task(code, target)
    if found:
        return found
    rows = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} WHERE handle_item_code = ? ORDER BY task_code",
        (code,)).fetchall()
    return [json.loads(data) for (data,) in rows]


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
    """Every cached item (full JSON), in item key order — for the quality check."""
    cursor = catalog_database(target).execute_sql(
        f"SELECT data FROM {ITEM_TABLE} ORDER BY task_code, handle_item_code")
    for (data,) in cursor:
        yield json.loads(data)
