"""Catalog cache tables, in their own SQLite file (``catalog.sqlite``).

The full item as received is kept in ``CatalogItem.data`` (JSON): the catalog
schema grows with the province, and the cache must not lose fields it does
not yet understand.  Columns exist only for what is searched or listed.
"""

from __future__ import annotations

from peewee import (
    BlobField,
    CharField,
    CompositeKey,
    IntegerField,
    Model,
    TextField,
)

from local_store.db import catalog_db
from local_store.instants import UTCDateTimeField as DateTimeField
from local_store.instants import utcnow as _utcnow
from local_store.models import JSONField


class CatalogModel(Model):
    class Meta:
        database = catalog_db
        legacy_table_names = False


class CatalogItem(CatalogModel):
    """One item, or one 业务办理项 of an item: keyed by (task_code, handle_item_code)."""

    task_code = CharField(max_length=50)
    # '' for an item without 办理项 (a key column cannot hold NULL usefully:
    # SQLite would keep any number of (task_code, NULL) rows apart).
    handle_item_code = CharField(max_length=50, default="")
    catalog_code = CharField(max_length=50, index=True)
    name = CharField(max_length=400)
    handle_item_name = CharField(max_length=400, default="")
    dept_name = CharField(max_length=200, default="")
    task_type = CharField(max_length=8, default="")
    state = CharField(max_length=16, default="active")
    version = IntegerField(default=1)
    # Precomputed search keys (pinyin initials and full pinyin, every reading
    # of polyphonic characters), so start-up never runs pypinyin.
    search_keys = TextField(default="")
    data = JSONField()
    updated_at = DateTimeField(default=_utcnow)

    class Meta:
        primary_key = CompositeKey("task_code", "handle_item_code")


class CatalogMeta(CatalogModel):
    """Single-row-per-key facts about the cache: cursor, source, import time."""

    key = CharField(max_length=32, primary_key=True)
    value = TextField(default="")


class CatalogSearchSnapshot(CatalogModel):
    """The built search index, written by the importer with the items it indexes."""

    key = CharField(max_length=32, primary_key=True)
    payload = BlobField(null=True)


CATALOG_MODELS = [CatalogItem, CatalogMeta, CatalogSearchSnapshot]

# Any write that changes what is searched (new or deleted items, another name,
# state, department or code) drops the stored search index, so it is rebuilt
# from the rows instead of going stale; the importer writes a fresh one last.
# Changes to the guide text alone leave it in place.
_SEARCHED_COLUMNS = ("task_code", "handle_item_code", "catalog_code", "name", "handle_item_name",
                     "dept_name", "state", "search_keys")
_SNAPSHOT_EXISTS = "EXISTS (SELECT 1 FROM catalog_search_snapshot)"
_DROP_SNAPSHOT = "BEGIN DELETE FROM catalog_search_snapshot; END"
_SNAPSHOT_INVALIDATION = [
    "DROP TRIGGER IF EXISTS catalog_item_update_drops_snapshot",  # pre-column version
    f"CREATE TRIGGER IF NOT EXISTS catalog_item_insert_drops_snapshot AFTER INSERT ON "
    f"catalog_item WHEN {_SNAPSHOT_EXISTS} {_DROP_SNAPSHOT}",
    f"CREATE TRIGGER IF NOT EXISTS catalog_item_delete_drops_snapshot AFTER DELETE ON "
    f"catalog_item WHEN {_SNAPSHOT_EXISTS} {_DROP_SNAPSHOT}",
    f"CREATE TRIGGER IF NOT EXISTS catalog_item_search_update_drops_snapshot AFTER UPDATE ON "
    f"catalog_item WHEN ({' OR '.join(f'old.{c} IS NOT new.{c}' for c in _SEARCHED_COLUMNS)})"
    f" AND {_SNAPSHOT_EXISTS} {_DROP_SNAPSHOT}",
]


def create_catalog_schema(db) -> None:
    with db.atomic():
        _upgrade_item_key(db)
        db.create_tables(CATALOG_MODELS, safe=True)
        # An index on the 办理项 code cost a full import ~8 % for a look-up only
        # ``catalog show``/``print form`` make; caches that have it lose it.
        db.execute_sql(f"DROP INDEX IF EXISTS {CatalogItem._meta.table_name}_handle_item_code")
        for statement in _SNAPSHOT_INVALIDATION:
            db.execute_sql(statement)


def _upgrade_item_key(db) -> None:
    """A cache written before 办理项 were keys (task_code alone was the primary
    key) is rebuilt in place, every cached item kept: an offline street office
    cannot simply download its catalog again.  The 办理项 code and name come
    from each item's JSON; the stored search index is dropped (rebuilt on load)."""
    table = CatalogItem._meta.table_name
    columns = {column.name for column in db.get_columns(table)}
    if not columns or "handle_item_code" in columns:
        return
    db.execute_sql(f"ALTER TABLE {table} RENAME TO {table}_before_item_key")
    for trigger in ("insert", "delete", "search_update"):
        db.execute_sql(f"DROP TRIGGER IF EXISTS catalog_item_{trigger}_drops_snapshot")
    for column in ("catalog_code", "handle_item_code"):
        db.execute_sql(f"DROP INDEX IF EXISTS {table}_{column}")
    db.create_tables([CatalogItem])
    item_json = "CAST(data AS TEXT)"
    db.execute_sql(
        f"INSERT INTO {table} (task_code, handle_item_code, catalog_code, name, "
        "handle_item_name, dept_name, task_type, state, version, search_keys, data, updated_at) "
        f"SELECT task_code, COALESCE(json_extract({item_json}, '$.handle_item_code'), ''), "
        f"catalog_code, name, COALESCE(json_extract({item_json}, '$.handle_item_name'), ''), "
        "dept_name, task_type, state, version, search_keys, data, updated_at "
        f"FROM {table}_before_item_key")
    db.execute_sql(f"DROP TABLE {table}_before_item_key")
    snapshots = CatalogSearchSnapshot._meta.table_name
    if db.table_exists(snapshots):
        db.execute_sql(f"DELETE FROM {snapshots}")
