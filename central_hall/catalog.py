"""Catalog revisions: every publication is one revision ``r<n>``.

An item row remembers the revision that last changed it (or removed it), so a
delta since ``r<k>`` is simply "rows with revision > k".  Publishing identical
content creates no revision, which keeps restarts with the same ``--catalog``
file from churning the workstations' cursors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import contracts
from central_hall.errors import HallError
from central_hall.storage import HallDatabase, utc_now

CATALOG_FORMAT = "onewindow-catalog/1"
_CURSOR = re.compile(r"^r(\d+)$")


def _canonical(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def cursor_of(revision: int) -> str:
    return f"r{revision}"


def _key(item: dict) -> tuple[str, str]:
    """(task_code, handle_item_code or ''): one 业务办理项 of an item per key."""
    return item["task_code"], item.get("handle_item_code") or ""


def _removed_keys(removed: list, index_base: str = "removed") -> tuple[list[str], list[tuple]]:
    """A plain task_code removes the item with all its 办理项; an object
    ``{task_code, handle_item_code}`` exactly one (null: the entry without 办理项)."""
    tasks, keys = [], []
    for index, entry in enumerate(removed):
        if isinstance(entry, str) and entry.strip():
            tasks.append(entry)
            continue
        code = entry.get("task_code") if isinstance(entry, dict) else None
        handle = entry.get("handle_item_code") if isinstance(entry, dict) else None
        if not isinstance(code, str) or not code.strip() or \
                (handle is not None and not isinstance(handle, str)):
            raise HallError(422, "invalid_catalog", f"{index_base}[{index}] must be a task_code "
                            "or {task_code, handle_item_code}")
        keys.append((code, handle or ""))
    return tasks, keys


def validate_document(document) -> tuple[list[dict], list[str], list[tuple]]:
    """The parts of an interchange document the hall needs, or invalid_catalog:
    items, whole items removed (task codes), single 办理项 removed (keys)."""
    try:
        contracts.check("catalog", document)
    except contracts.ContractViolation as violation:
        raise HallError(422, "invalid_catalog", str(violation)) from violation
    items = document.get("items", [])
    removed = document.get("removed", [])
    if not isinstance(items, list) or not isinstance(removed, list):
        raise HallError(422, "invalid_catalog", "items and removed must be lists")
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        code = item.get("task_code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise HallError(422, "invalid_catalog", f"items[{index}].task_code missing")
        handle = item.get("handle_item_code")
        if handle is not None and not isinstance(handle, str):
            raise HallError(422, "invalid_catalog",
                            f"items[{index}].handle_item_code must be a string or null")
        key = _key(item)
        if key in seen:
            what = f"{code}/{handle}" if handle else code
            raise HallError(422, "invalid_catalog", f"items[{index}] repeated: {what}")
        seen.add(key)
    removed_tasks, removed_keys = _removed_keys(removed)
    return items, removed_tasks, removed_keys


def current_revision(conn) -> int:
    row = conn.execute("SELECT MAX(revision) FROM catalog_revisions").fetchone()
    return row[0] or 0


def publish(db: HallDatabase, document, source: str) -> str:
    """Upsert items and apply removals as one new revision; returns the cursor."""
    items, removed_tasks, removed_keys = validate_document(document)
    with db.transaction() as conn:
        revision = current_revision(conn) + 1
        live = {
            (row["task_code"], row["handle_item_code"]): row["item_json"]
            for row in conn.execute(
                "SELECT task_code, handle_item_code, item_json FROM catalog_items "
                "WHERE removed = 0"
            )
        }
        changed = [
            (*_key(item), revision, text)
            for item in items
            if live.get(_key(item)) != (text := _canonical(item))
        ]
        conn.executemany(
            "INSERT INTO catalog_items (task_code, handle_item_code, revision, removed, "
            "item_json) VALUES (?, ?, ?, 0, ?) ON CONFLICT (task_code, handle_item_code) "
            "DO UPDATE SET revision = excluded.revision, removed = 0, "
            "item_json = excluded.item_json",
            changed,
        )
        whole = set(removed_tasks)
        doomed = [key for key in live if key[0] in whole]
        doomed += [key for key in dict.fromkeys(removed_keys)
                   if key in live and key[0] not in whole]
        conn.executemany(
            "UPDATE catalog_items SET revision = ?, removed = 1, item_json = NULL "
            "WHERE task_code = ? AND handle_item_code = ?",
            [(revision, *key) for key in doomed],
        )
        if not changed and not doomed:
            return cursor_of(revision - 1)
        conn.execute(
            "INSERT INTO catalog_revisions (revision, published_at, source) VALUES (?, ?, ?)",
            (revision, utc_now(), source),
        )
    return cursor_of(revision)


def publish_file(db: HallDatabase, path: Path) -> str:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"catalog file {path} cannot be read: {exc}") from exc
    try:
        return publish(db, document, source=f"file:{path.name}")
    except HallError as exc:
        raise SystemExit(f"catalog file {path} refused: {exc.detail}") from exc


def _removal(row, live_tasks: set[str]) -> str | dict:
    """How a delta names a removed entry: the plain task_code when nothing of the
    item is left (what every workstation understands), else the one 办理项."""
    if not row["handle_item_code"] and row["task_code"] not in live_tasks:
        return row["task_code"]
    return {"task_code": row["task_code"], "handle_item_code": row["handle_item_code"] or None}


def current_version(db: HallDatabase) -> str:
    with db.reading() as conn:
        return cursor_of(current_revision(conn))


def document_since(db: HallDatabase, since: str | None) -> tuple[bytes, str]:
    """Delta since a cursor the hall issued, else a snapshot of all live items.

    Returns the JSON body and its version.  Items are stored as canonical JSON
    and spliced into the body as they are: a 20,000-item snapshot is never
    parsed and re-encoded.
    """
    with db.reading() as conn:
        revision = current_revision(conn)
        row = conn.execute(
            "SELECT published_at FROM catalog_revisions WHERE revision = ?", (revision,)
        ).fetchone()
        match = _CURSOR.match(since or "")
        known = bool(match) and 1 <= int(match.group(1)) <= revision
        base = int(match.group(1)) if known else 0
        rows = conn.execute(
            "SELECT task_code, handle_item_code, removed, item_json FROM catalog_items "
            "WHERE revision > ? ORDER BY task_code, handle_item_code",
            (base,),
        ).fetchall()
        live_tasks = {row[0] for row in conn.execute(
            "SELECT DISTINCT task_code FROM catalog_items WHERE removed = 0")} if known else set()
    removed = [_removal(r, live_tasks) for r in rows if r["removed"]] if known else []
    head = json.dumps({
        "format": CATALOG_FORMAT,
        "version": cursor_of(revision),
        "generated_at": row["published_at"] if row else utc_now(),
        "mode": "delta" if known else "snapshot",
        "removed": removed,
    }, ensure_ascii=False)
    items = ",".join(r["item_json"] for r in rows if not r["removed"])
    body = f'{head[:-1]},"items":[{items}]}}'
    return body.encode("utf-8"), cursor_of(revision)
