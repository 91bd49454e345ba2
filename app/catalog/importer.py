"""Import a catalog document into the catalog cache — one code path for all.

A file from a USB stick and a response from the hall both arrive here.  The
whole document is validated first; then every change (items, removals, meta)
is written in one ``atomic()`` unit of the catalog database, so a bad document
or a crash half-way changes nothing.  Rules:

- an item whose incoming ``version`` is older than the cached one is skipped
  (listed in the report), never written over the newer one;
- items are keyed by (task_code, handle_item_code): the 业务办理项 of one item
  are separate rows;
- ``removed`` entries are deleted: a plain task_code removes the item with all
  its 办理项, an object names one (see ``app.catalog.format``); a *snapshot*
  also deletes every cached item it does not contain; suspended/cancelled
  items are kept with their state so the clerk sees why an item cannot be
  taken in;
- a document generated before the catalog already held is refused, so an old
  USB export cannot roll the station back.

The catalog cache is a separate SQLite file written only by this module; a
module lock keeps two imports (e.g. a file import during a background sync)
from interleaving.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from app.catalog.format import (
    CatalogDocument,
    CatalogImportError,
    generated_instant,
    parse_catalog_bytes,
    validate_document,
)
from app.catalog.index_parts import ROW_COLUMNS, Key, row_key
from app.catalog.pinyin_keys import encode_search_keys
from app.catalog.search import (
    CatalogIndex,
    pending_from_snapshot,
    pending_to_snapshot,
    split_pending,
)
from app.catalog.storage import (
    ITEM_TABLE,
    META_TABLE,
    PENDING_CHANGES_KEY,
    catalog_database,
    catalog_imported_at,
    has_search_snapshot,
    read_search_snapshot,
    write_search_snapshot,
)
from app.input_files import CATALOG_FILE_LIMIT_MB, MB, InputFileRefused, read_regular_file

SQLITE_MAX_PARAMS = 900
WAL_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default, restored after an import
# Searched changes of deltas wait beside the stored index (applied on load) until
# ``tidy_catalog_cache`` folds them in, which callers run after the import, off
# its path.  Past this many (the tidy did not run: a crash, a test) the import
# folds them itself, so start-up never pays for an unbounded backlog.
PENDING_LIMIT = 300

# A full snapshot from a file that would delete more than this share of the items
# held is more likely the wrong file (one department's export, a test file) than
# the province's catalog shrinking: it needs the operator's explicit yes.
SHRINK_CONFIRM_SHARE = 0.2

_import_lock = threading.Lock()


class CatalogShrinkRefused(CatalogImportError):
    """A snapshot would drop more than ``SHRINK_CONFIRM_SHARE`` of the catalog;
    nothing was changed.  Import again with ``allow_shrink=True`` once confirmed."""

    def __init__(self, dropped: int, held: int, incoming: int):
        self.dropped, self.held, self.incoming = dropped, held, incoming
        # What the window asks before importing anyway (the CLI says --allow-shrink).
        self.question = (f"该文件是全量目录，只有 {incoming} 项；导入后将删除本机现有 "
                         f"{held} 项中的 {dropped} 项（超过五分之一）。"
                         "请确认这是本地区完整的最新目录。仍要导入吗？")
        super().__init__(
            f"该文件是全量目录，导入后将删除现有 {held} 项中的 {dropped} 项（文件只有 "
            f"{incoming} 项），超过五分之一；确认无误请加 --allow-shrink 重新导入")


@dataclass
class ImportReport:
    source: str
    version: str
    mode: str
    added: int = 0
    updated: int = 0
    removed: int = 0
    # Keys of items not written because the cache holds a newer version:
    # the task_code, or "task_code/handle_item_code" for a 办理项.
    skipped_older: list[str] = field(default_factory=list)
    item_count: int = 0
    duration_s: float = 0.0
    # Set by the hall sync when the hall answered 304: nothing was imported.
    not_modified: bool = False
    # The import is committed and searchable; run ``tidy_catalog_cache`` when
    # convenient (in the background) to fold its index changes in and move it
    # from the write-ahead log into the database file.
    tidy_due: bool = False

    def summary(self) -> str:
        if self.not_modified:
            return f"目录已是最新（版本 {self.version}）"
        text = (f"目录版本 {self.version}：新增 {self.added}，更新 {self.updated}，"
                f"删除 {self.removed}，共 {self.item_count} 项")
        if self.skipped_older:
            text += f"；{len(self.skipped_older)} 项因版本较旧未覆盖"
        return text


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector for one import.

    Parsing and indexing a 20,000-item catalog creates millions of objects,
    none of them cyclic garbage; the collector would walk them again and again
    (a third of the parse time).  Only speed depends on this, never correctness.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_catalog_bytes(path: Path) -> bytes:
    """A catalog file's bytes; a non-regular file (FIFO, device) or one over
    ``CATALOG_FILE_LIMIT_MB`` is refused before it is read."""
    try:
        return read_regular_file(path, CATALOG_FILE_LIMIT_MB * MB, "目录文件")
    except InputFileRefused as exc:
        raise CatalogImportError(exc.reason) from exc


def import_catalog_file(path: str | Path, target: Any = None, *,
                        allow_shrink: bool = False) -> ImportReport:
    """Import an interchange file (a full export unless it says ``"mode": "delta"``).

    A full export that would delete more than a fifth of the items held raises
    ``CatalogShrinkRefused`` unless ``allow_shrink`` (the operator confirmed).
    """
    path = Path(path)
    raw = read_catalog_bytes(path)
    with _collector_paused():
        return import_catalog_document(parse_catalog_bytes(raw), target,
                                       source=f"file:{path.name}", allow_shrink=allow_shrink)


# The catalog shipped with the program (the demo district's), for a station
# that has none and cannot reach its hall: a search that finds nothing at all
# is worse than one whose catalog is a few weeks old.  The first hall sync
# replaces it (the hall answers a foreign cursor with a full snapshot).
BUNDLED_CATALOG = Path(__file__).resolve().parents[1] / "data" / "demo_catalog.json"


def import_bundled_catalog_if_empty(target: Any = None) -> ImportReport | None:
    """Import ``BUNDLED_CATALOG`` when the local catalog has no item; else None."""
    from app.catalog.repository import catalog_info

    if catalog_info(target).get("item_count"):
        return None
    return import_catalog_file(BUNDLED_CATALOG, target)


def import_catalog_document(document: dict, target: Any = None, *, source: str = "document",
                            default_mode: str = "snapshot",
                            extra_meta: dict[str, str] | None = None,
                            refuse_older: bool = True,
                            allow_shrink: bool = True) -> ImportReport:
    """Validate and import one document; ``extra_meta`` (e.g. the hall's ETag) is
    stored in CatalogMeta in the same transaction.  ``refuse_older=False`` for the
    hall, whose cursor already orders its documents (and whose clock may differ
    from the one that stamped an earlier file).  ``allow_shrink=False``: a snapshot
    that would drop more than a fifth of the items held is refused
    (``CatalogShrinkRefused``); the hall's own snapshot is taken as it is."""
    started = time.perf_counter()
    with _collector_paused():
        return _import(document, target, source, default_mode, extra_meta, refuse_older,
                       allow_shrink, started)


def _import(document, target, source, default_mode, extra_meta, refuse_older,
            allow_shrink, started) -> ImportReport:
    validated = validate_document(document, default_mode=default_mode)
    db = catalog_database(target)
    with _import_lock, _checkpoint_deferred(db), db.atomic():
        if refuse_older:
            _refuse_if_older(db, validated)
        report = _apply(db, validated, source, extra_meta or {}, allow_shrink)
    report.tidy_due = True
    report.duration_s = time.perf_counter() - started
    return report


@contextmanager
def _checkpoint_deferred(db):
    """Commit without copying the write-ahead log into the database file.

    SQLite checkpoints at the commit that takes the log past 1,000 pages; for
    a full 20,000-item import that is 40 MB written a second time (~0.6 s)
    before the import returns.  The commit is durable in the log already, so
    the copy is left to ``tidy_catalog_cache``, run after the import.
    """
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")


def _utcnow_text() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")


def _refuse_if_older(db, validated: CatalogDocument) -> None:
    row = db.execute_sql(
        f"SELECT value FROM {META_TABLE} WHERE key = 'generated_at'").fetchone()
    held = generated_instant(row[0]) if row else None
    incoming = generated_instant(validated.generated_at)
    if held and incoming and incoming < held:
        raise CatalogImportError(
            f"目录文件生成于 {validated.generated_at}，早于本机现有目录（{row[0]}），"
            "为防止目录倒退，未导入")


def _apply(db, validated: CatalogDocument, source: str, extra_meta: dict[str, str],
           allow_shrink: bool = True) -> ImportReport:
    report = ImportReport(source=source, version=validated.version, mode=validated.mode)
    cached = _cached_items(db, validated)
    now = _utcnow_text()
    rows, index_rows, skipped = _plan_rows(validated, cached, now, report)
    doomed = _doomed_keys(validated, cached)
    if validated.mode == "snapshot":
        held = len(cached)  # a snapshot reads every cached item
        if not allow_shrink and held and len(set(doomed)) > held * SHRINK_CONFIRM_SHARE:
            raise CatalogShrinkRefused(len(set(doomed)), held, len(validated.items))
    searched_changes = bool(index_rows or doomed)
    # Read before the item writes: their triggers drop them when searched fields change.
    previous = pending = None
    if searched_changes and validated.mode == "delta":
        previous = read_search_snapshot(db)
        pending = read_search_snapshot(db, PENDING_CHANGES_KEY)

    db.connection().executemany(
        f"INSERT INTO {ITEM_TABLE} (task_code, handle_item_code, catalog_code, name, "
        "handle_item_name, dept_name, task_type, state, version, search_keys, data, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (task_code, handle_item_code) DO UPDATE SET "
        "catalog_code = excluded.catalog_code, name = excluded.name, "
        "handle_item_name = excluded.handle_item_name, dept_name = excluded.dept_name, "
        "task_type = excluded.task_type, state = excluded.state, version = excluded.version, "
        "search_keys = excluded.search_keys, data = excluded.data, "
        "updated_at = excluded.updated_at", rows)
    db.connection().executemany(
        f"DELETE FROM {ITEM_TABLE} WHERE task_code = ? AND handle_item_code = ?", doomed)
    report.removed = len(doomed)
    # Without searched changes the stored index is still exact (the triggers kept it).
    if searched_changes or not has_search_snapshot(db):
        _store_index(db, previous, pending, index_rows, doomed, skipped, report)

    meta = {"cursor": validated.version, "version": validated.version,
            "generated_at": validated.generated_at, "imported_at": now,
            "source": source, "mode": validated.mode,
            # A file import makes the hall's old ETag meaningless: drop it.
            "etag": "", **extra_meta}
    db.connection().executemany(
        f"INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (?, ?)", meta.items())
    report.item_count = db.execute_sql(f"SELECT count(*) FROM {ITEM_TABLE}").fetchone()[0]
    return report


def _doomed_keys(validated: CatalogDocument, cached: dict[Key, tuple]) -> list[Key]:
    """Cached items this import deletes: those ``removed`` names (a plain task_code
    takes every 办理项 of the item) and, for a snapshot, those it does not hold."""
    if validated.mode == "snapshot":
        present = {(item["task_code"], item.get("handle_item_code") or "")
                   for item in validated.items}
        return [key for key in cached if key not in present]
    whole_items = set(validated.removed)
    doomed = [key for key in cached if key[0] in whole_items]
    doomed += [key.stored for key in validated.removed_keys
               if key.stored in cached and key.task_code not in whole_items]
    return doomed


def _skipped_label(key: Key) -> str:
    return f"{key[0]}/{key[1]}" if key[1] else key[0]


def _plan_rows(validated: CatalogDocument, cached: dict, now: str,
               report: ImportReport) -> tuple[list[tuple], list[tuple], list[Key]]:
    """(rows to write, index rows whose searched fields changed, keys skipped as
    older); counts into report."""
    rows, index_rows, skipped = [], [], []
    keys_by_name: dict[str, str] = {}
    for item in validated.items:
        task_code = item["task_code"]
        handle_code = item.get("handle_item_code") or ""
        key = (task_code, handle_code)
        held = cached.get(key)
        if held and held[0] > item["version"]:
            report.skipped_older.append(_skipped_label(key))
            skipped.append(key)
            continue
        held_row = held[1] if held else None
        if held_row and held_row[2] == item["name"] and \
                held_row[5].endswith("\t" + handle_code):
            search_keys = held_row[5]  # same name: pinyin keys unchanged, skip pypinyin
        else:
            search_keys = encode_search_keys(item["name"], handle_code, keys_by_name)
        if held:
            report.updated += 1
        else:
            report.added += 1
        state = item.get("state", "active")
        handle_name = item.get("handle_item_name") or ""
        rows.append((
            task_code, handle_code, item["catalog_code"], item["name"], handle_name,
            item["dept_name"], item["task_type"], state, item["version"], search_keys,
            # The full item as received, unknown fields too: compact UTF-8 JSON,
            # kept as the encoder's bytes (decoding 40 MB to text cost 0.1 s for nothing:
            # readers hand the bytes to json.loads as they are).
            orjson.dumps(item), now,
        ))
        index_row = (task_code, item["catalog_code"], item["name"], item["dept_name"], state,
                     search_keys, handle_code, handle_name)
        if index_row != held_row:  # most deltas change guide text, not what is searched
            index_rows.append(index_row)
    return rows, index_rows, skipped


def _cached_items(db, validated: CatalogDocument) -> dict[Key, tuple[int, tuple]]:
    """(task_code, handle code) → (version, index row) of the cached items this
    import touches.

    A snapshot touches every cached item (those it lacks are deleted); a delta
    only its own items (every 办理项 of their task codes), so it never reads the
    whole table.
    """
    query = f"SELECT version, {ROW_COLUMNS} FROM {ITEM_TABLE}"
    if validated.mode == "snapshot":
        return {row_key(row[1:]): (row[0], row[1:]) for row in db.execute_sql(query)}
    codes = list(dict.fromkeys(
        [item["task_code"] for item in validated.items] + validated.removed
        + [key.task_code for key in validated.removed_keys]))
    cached = {}
    for start in range(0, len(codes), SQLITE_MAX_PARAMS):
        chunk = codes[start:start + SQLITE_MAX_PARAMS]
        rows = db.execute_sql(f"{query} WHERE task_code IN ({', '.join('?' * len(chunk))})",
                              chunk)
        cached.update((row_key(row[1:]), (row[0], row[1:])) for row in rows)
    return cached


def _store_index(db, previous: bytes | None, pending: bytes | None, written: list,
                 doomed: list[Key], skipped: list[Key], report: ImportReport) -> None:
    """Store the search index as it is after this import.

    A delta's searched changes are added to the *pending* changes beside the
    stored index (applied on load), so a delta of 100 renamed items costs a
    small write, not a rewrite of the whole index; the report asks the caller
    to fold them in afterwards.  ``written`` holds only rows whose searched
    fields changed.
    """
    if previous is not None:
        changes = pending_from_snapshot(pending) if pending else {}
        if changes is not None:
            changes.update((row_key(row), row) for row in written)
            changes.update((key, None) for key in doomed)
            if len(changes) <= PENDING_LIMIT:
                write_search_snapshot(db, previous)  # as it was; the triggers took it out
                write_search_snapshot(db, pending_to_snapshot(changes), PENDING_CHANGES_KEY)
                return
            index = _folded_index(previous, changes)
            if index is not None:
                write_search_snapshot(db, index.to_snapshot())
                write_search_snapshot(db, None, PENDING_CHANGES_KEY)
                return
    index = _built_index(db, written, skipped, report.added + report.updated)
    write_search_snapshot(db, index.to_snapshot())
    write_search_snapshot(db, None, PENDING_CHANGES_KEY)


def _folded_index(snapshot: bytes, changes: dict) -> CatalogIndex | None:
    upserts, removed = split_pending(changes)
    return CatalogIndex.patched_snapshot(snapshot, upserts, removed)


def tidy_catalog_cache(target: Any = None) -> bool:
    """After an import, off its path: fold pending index changes, checkpoint.

    The GUI runs it on a worker thread, the CLI after printing its report.
    The checkpoint is PASSIVE: it never waits for, or blocks, a reader.
    Returns whether index changes were folded.
    """
    db = catalog_database(target)
    with _checkpoint_deferred(db):
        folded = fold_pending_index_changes(db)
    db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
    return folded


def fold_pending_index_changes(target: Any = None) -> bool:
    """Fold the searched changes of recent deltas into the stored index.

    The patch is computed outside any write lock; the result is written in one
    immediate transaction only if nothing was imported meanwhile, so it never
    replaces newer changes.  Returns whether it folded.
    """
    db = catalog_database(target)
    with _collector_paused():
        with db.atomic():  # one read snapshot: index, pending changes and stamp agree
            snapshot = read_search_snapshot(db)
            pending = read_search_snapshot(db, PENDING_CHANGES_KEY)
            imported_at = catalog_imported_at(db)
        if snapshot is None or pending is None:
            return False
        changes = pending_from_snapshot(pending)
        index = _folded_index(snapshot, changes) if changes is not None else None
        if index is None:
            return False  # an older snapshot format: the next load rebuilds it
        payload = index.to_snapshot()
    with _import_lock, db.atomic("IMMEDIATE"):
        if catalog_imported_at(db) != imported_at or not has_search_snapshot(db) or \
                read_search_snapshot(db, PENDING_CHANGES_KEY) != pending:
            # An import came in between (its caller folds again), or another
            # writer's change dropped the index (the next load rebuilds it).
            return False
        write_search_snapshot(db, payload)
        write_search_snapshot(db, None, PENDING_CHANGES_KEY)
    return True


def _built_index(db, written: list, skipped: list[Key], written_count: int) -> CatalogIndex:
    """A fresh index: from this import's rows when it wrote the whole catalog."""
    query = f"SELECT {ROW_COLUMNS} FROM {ITEM_TABLE}"
    if len(written) == written_count and len(skipped) < SQLITE_MAX_PARAMS and \
            _is_whole_catalog(db, written, skipped):
        kept = []
        for key in skipped:
            kept += db.execute_sql(
                f"{query} WHERE task_code = ? AND handle_item_code = ?", key).fetchall()
        return CatalogIndex.from_rows(written + kept)
    return CatalogIndex.from_rows(db.execute_sql(query).fetchall())


def _is_whole_catalog(db, written: list, skipped: list[Key]) -> bool:
    count = db.execute_sql(f"SELECT count(*) FROM {ITEM_TABLE}").fetchone()[0]
    return count == len(written) + len(skipped)
