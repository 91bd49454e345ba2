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


def validate_document(document) -> tuple[list[dict], list[str]]:
    """The parts of an interchange document the hall needs, or invalid_catalog."""
    try:
        contracts.check("catalog", document)
    except contracts.ContractViolation as violation:
        raise HallError(422, "invalid_catalog", str(violation)) from violation
    items = document.get("items", [])
    removed = document.get("removed", [])
    if not isinstance(items, list) or not isinstance(removed, list):
        raise HallError(422, "invalid_catalog", "items and removed must be lists")
    seen: set[str] = set()
    for index, item in enumerate(items):
        code = item.get("task_code") if isinstance(item, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise HallError(422, "invalid_catalog", f"items[{index}].task_code missing")
        if code in seen:
            raise HallError(422, "invalid_catalog", f"items[{index}].task_code repeated: {code}")
        seen.add(code)
    for index, code in enumerate(removed):
        if not isinstance(code, str) or not code.strip():
            raise HallError(422, "invalid_catalog", f"removed[{index}] must be a task_code")
    return items, removed


def current_revision(conn) -> int:
    row = conn.execute("SELECT MAX(revision) FROM catalog_revisions").fetchone()
    return row[0] or 0


def publish(db: HallDatabase, document, source: str) -> str:
    """Upsert items and apply removals as one new revision; returns the cursor."""
    items, removed = validate_document(document)
    with db.transaction() as conn:
        revision = current_revision(conn) + 1
        live = {
            row["task_code"]: row["item_json"]
            for row in conn.execute(
                "SELECT task_code, item_json FROM catalog_items WHERE removed = 0"
            )
        }
        changed = [
            (item["task_code"], revision, text)
            for item in items
            if live.get(item["task_code"]) != (text := _canonical(item))
        ]
        conn.executemany(
            "INSERT INTO catalog_items (task_code, revision, removed, item_json) "
            "VALUES (?, ?, 0, ?) ON CONFLICT (task_code) DO UPDATE SET "
            "revision = excluded.revision, removed = 0, item_json = excluded.item_json",
            changed,
        )
        gone = [(revision, code) for code in dict.fromkeys(removed) if code in live]
        conn.executemany(
            "UPDATE catalog_items SET revision = ?, removed = 1, item_json = NULL "
            "WHERE task_code = ?",
            gone,
        )
        if not changed and not gone:
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
            "SELECT task_code, removed, item_json FROM catalog_items "
            "WHERE revision > ? ORDER BY task_code",
            (base,),
        ).fetchall()
    removed = [r["task_code"] for r in rows if r["removed"]] if known else []
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
