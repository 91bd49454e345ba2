"""Catalog import: the demo catalog, bad documents, versions, removals, atomicity."""

from __future__ import annotations

import json
import marshal
import sqlite3
from pathlib import Path

import pytest

from app.catalog import importer
from app.catalog.code_tables import cert_types
from app.catalog.format import CatalogFormatError, CatalogImportError
from app.catalog.importer import import_catalog_document, import_catalog_file
from app.catalog.index_parts import ROW_COLUMNS
from app.catalog.item_key import ItemKey, display_name
from app.catalog.repository import catalog_info, get_item
from app.catalog.search import CatalogIndex
from app.identity import check_uscc
from local_store.catalog_models import CatalogItem
from tests.support.catalog import DEMO_CATALOG, demo_document, demo_item, document, make_item

DOMAIN_SAMPLE_ITEMS = [
    "个体工商户设立登记", "食品经营许可（新办）", "公共场所卫生许可", "建筑工程施工许可证核发",
    "户外广告设施设置许可", "营业性演出审批", "动物防疫条件合格证核发", "最低生活保障审批",
    "临时救助", "结婚登记", "老年人优待证办理", "残疾人证新办", "城乡居民基本养老保险参保登记",
    "就业创业证申领", "医疗救助申请", "生育登记", "退役士兵自主就业一次性经济补助金给付",
    "民办培训机构设立审批",
]


# The demo's 食品经营许可 has four 业务办理项; 新办 is the sample item above.
FOOD_HANDLE_ITEMS = ["食品经营许可（新办）", "食品经营许可（变更）", "食品经营许可（延续）",
                     "食品经营许可（注销）"]


def test_demo_catalog_holds_every_domain_sample_item_with_consistent_codes(store):
    report = import_catalog_file(DEMO_CATALOG, store)
    assert report.added == len(DOMAIN_SAMPLE_ITEMS) + 3 == report.item_count
    known_certs = set(cert_types())
    for name in DOMAIN_SAMPLE_ITEMS + FOOD_HANDLE_ITEMS:
        item = demo_item(name)
        assert display_name(get_item(ItemKey.of(item), store)) == name
        assert check_uscc(item["dept_code"]).ok, item["dept_code"]
        assert item["task_code"] == item["dept_code"] + item["use_level"] + item["catalog_code"]
        assert len(item["task_code"]) == 31 and len(item["catalog_code"]) == 12
        assert item["materials"] and item["process"] and item["by_law"]
        for material in item["materials"]:
            assert material["cert_type_code"] in known_certs | {None}
            if material["required"] == "conditional":
                assert material["condition"], (name, material["name"])
    # DOMAIN marks these as available e-certificates.
    assert demo_item("结婚登记")["materials"][0]["cert_type_code"] == "CT002"
    assert demo_item("生育登记")["materials"][1]["cert_type_code"] == "CT005"
    assert demo_item("食品经营许可（新办）")["promise_limit"] == {"value": 5,
                                                                "unit": "working_day"}


def test_import_records_cursor_source_and_time(store, tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(demo_document(), ensure_ascii=False), encoding="utf-8")
    import_catalog_file(path, store)
    info = catalog_info(store)
    assert info["version"] == "demo-2026-11-01" == info["cursor"]
    assert info["source"] == "file:export.json"
    assert info["item_count"] == 21 and info["imported_at"]


def _snapshot_of_cache(store) -> tuple:
    rows = store.catalog_db.execute_sql(
        "SELECT task_code, version, state, data FROM catalog_item ORDER BY task_code").fetchall()
    meta = store.catalog_db.execute_sql("SELECT key, value FROM catalog_meta ORDER BY key")
    return rows, meta.fetchall()


def _with_bad_item(mutate) -> dict:
    doc = demo_document()
    mutate(doc["items"][7])  # 户外广告设施设置许可
    return doc


BAD_DOCUMENTS = {
    "wrong format tag": (lambda: {**demo_document(), "format": "other/9"}, ["format"]),
    "missing required field": (
        lambda: _with_bad_item(lambda item: item.pop("name")),
        ["第 8 项", "事项名称(name)", "11350205003040163X4000118003000"]),
    "empty dept name": (
        lambda: _with_bad_item(lambda item: item.update(dept_name=" ")),
        ["第 8 项", "dept_name"]),
    "department USCC with a wrong check character": (
        lambda: _with_bad_item(lambda item: item.update(dept_code="11350205003040163Y")),
        ["第 8 项", "实施主体编码(dept_code)", "校验码"]),
    "repeated task_code": (
        lambda: _with_bad_item(lambda item: item.update(task_code=demo_item("临时救助")[
            "task_code"])),
        ["实施编码与第", "重复", "task_code"]),
    "bad limit unit": (
        lambda: _with_bad_item(lambda item: item["promise_limit"].update(unit="day")),
        ["promise_limit"]),
    "bad material requirement": (
        lambda: _with_bad_item(lambda item: item["materials"][1].update(required="maybe")),
        ["materials[1].required"]),
    "version not a number": (
        lambda: _with_bad_item(lambda item: item.update(version="2")), ["version"]),
    "unknown state": (
        lambda: _with_bad_item(lambda item: item.update(state="paused")), ["state"]),
    "items not a list": (lambda: {**demo_document(), "items": {}}, ["items"]),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_document_is_refused_naming_item_and_field_and_changes_nothing(store, case):
    import_catalog_document(demo_document(), store)
    before = _snapshot_of_cache(store)
    index_before = CatalogIndex.load(store).search("登记")
    make_bad, expected_words = BAD_DOCUMENTS[case]
    with pytest.raises(CatalogFormatError) as caught:
        import_catalog_document(make_bad(), store)
    for word in expected_words:
        assert word in str(caught.value), (case, str(caught.value))
    assert _snapshot_of_cache(store) == before
    assert CatalogIndex.load(store).search("登记") == index_before


def test_file_that_is_not_json_is_refused_with_position(store, tmp_path):
    import_catalog_document(demo_document(), store)
    before = _snapshot_of_cache(store)
    path = tmp_path / "broken.json"
    path.write_text('{"format": "onewindow-catalog/1", "items": [', encoding="utf-8")
    with pytest.raises(CatalogFormatError, match="不是有效的 JSON（第 1 行"):
        import_catalog_file(path, store)
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(CatalogFormatError, match="UTF-8"):
        import_catalog_file(path, store)
    with pytest.raises(CatalogImportError, match="无法读取"):
        import_catalog_file(tmp_path / "missing.json", store)
    assert _snapshot_of_cache(store) == before


def test_failure_while_writing_rolls_the_whole_import_back(store, monkeypatch):
    import_catalog_document(demo_document(), store)
    before = _snapshot_of_cache(store)
    changed = demo_document()
    for item in changed["items"]:
        item["version"] += 1
        item["name"] += "（改）"

    def disk_full(db, payload):
        raise OSError("disk full")

    monkeypatch.setattr(importer, "write_search_snapshot", disk_full)
    with pytest.raises(OSError):
        import_catalog_document({**changed, "generated_at": "2026-11-02T00:00:00+08:00"},
                                store)
    assert _snapshot_of_cache(store) == before


def test_item_version_never_goes_backwards(store):
    newer = make_item("排污许可核发", "000111000001", version=3, accept_condition="新条件")
    import_catalog_document(document([newer]), store)
    older = make_item("排污许可核发（旧）", "000111000001", version=2,
                      accept_condition="旧条件")
    report = import_catalog_document(
        document([older], version="t2", generated_at="2026-11-02T00:00:00+00:00",
                 mode="delta"), store)
    assert report.skipped_older == [newer["task_code"]] and report.updated == 0
    kept = get_item(newer["task_code"], store)
    assert kept["version"] == 3 and kept["accept_condition"] == "新条件"
    # The same version again is not older: it replaces (an idempotent re-send).
    same = make_item("排污许可核发", "000111000001", version=3, accept_condition="更正")
    report = import_catalog_document(
        document([same], version="t3", generated_at="2026-11-03T00:00:00+00:00",
                 mode="delta"), store)
    assert report.updated == 1 and get_item(newer["task_code"], store)["accept_condition"] == \
        "更正"


def test_older_export_is_refused_so_the_catalog_cannot_roll_back(store):
    import_catalog_document(document([make_item("取水许可", "000111000002")],
                                     generated_at="2026-11-05T00:00:00+08:00"), store)
    before = _snapshot_of_cache(store)
    with pytest.raises(CatalogImportError, match="早于本机现有目录"):
        import_catalog_document(document([], generated_at="2026-11-01T00:00:00+08:00"), store)
    assert _snapshot_of_cache(store) == before


def test_removed_items_are_deleted_and_suspended_ones_kept_and_shown(store):
    first = make_item("河道采砂许可", "000111000003")
    second = make_item("林木采伐许可", "000111000004")
    third = make_item("燃气经营许可", "000111000005")
    import_catalog_document(document([first, second, third]), store)
    suspended = dict(second, version=2, state="suspended")
    report = import_catalog_document(
        document([suspended], version="t2", generated_at="2026-11-02T00:00:00+00:00",
                 removed=[first["task_code"], "NOT-IN-CACHE"], mode="delta"), store)
    assert report.removed == 1 and report.updated == 1
    assert get_item(first["task_code"], store) is None
    assert get_item(second["task_code"], store)["state"] == "suspended"
    assert get_item(third["task_code"], store) is not None  # untouched by a delta
    hits = CatalogIndex.load(store).search("林木采伐")
    assert [(h.task_code, h.state) for h in hits] == [(second["task_code"], "suspended")]
    assert CatalogIndex.load(store).search("河道") == []


def test_snapshot_import_drops_items_the_snapshot_no_longer_has(store):
    kept = make_item("特种设备使用登记", "000111000006")
    gone = make_item("放射诊疗许可", "000111000007")
    import_catalog_document(document([kept, gone]), store)
    report = import_catalog_document(
        document([kept], version="t2", generated_at="2026-11-02T00:00:00+00:00"), store)
    assert report.mode == "snapshot" and report.removed == 1
    assert get_item(gone["task_code"], store) is None
    assert [h.name for h in CatalogIndex.load(store).search("放射")] == []


def test_foreign_writes_to_items_drop_the_stored_search_index(store):
    import_catalog_document(document([make_item("排污许可", "000111000008")]), store)
    with store.catalog_db.atomic():
        CatalogItem.insert(task_code="X" * 31, catalog_code="000111000009", name="渔业捕捞许可",
                           dept_name="测试", search_keys="", data={}).execute()
    assert [h.name for h in CatalogIndex.load(store).search("渔业")] == ["渔业捕捞许可"]
    # The index rebuilt from the rows was stored for the next start.
    from app.catalog.storage import read_search_snapshot

    assert read_search_snapshot(store.catalog_db) is not None
    assert [h.name for h in CatalogIndex.load(store).search("渔业")] == ["渔业捕捞许可"]


def test_snapshot_of_an_older_format_is_rebuilt_and_replaced(store):
    from app.catalog.storage import read_search_snapshot, write_search_snapshot

    import_catalog_document(document([make_item("排污许可", "000111000015")]), store)
    write_search_snapshot(store.catalog_db, marshal.dumps(((0, (3, 0)), {})))
    assert [h.name for h in CatalogIndex.load(store).search("pwxk")] == ["排污许可"]
    assert CatalogIndex.from_snapshot(read_search_snapshot(store.catalog_db)) is not None


def test_foreign_updates_drop_the_index_only_when_searched_fields_change(store):
    from app.catalog.storage import read_search_snapshot

    item = make_item("排污许可", "000111000014")
    import_catalog_document(document([item]), store)
    with store.catalog_db.atomic():
        CatalogItem.update(data={"note": "guide only"}).where(
            CatalogItem.task_code == item["task_code"]).execute()
    assert read_search_snapshot(store.catalog_db) is not None
    with store.catalog_db.atomic():
        CatalogItem.update(state="suspended").where(
            CatalogItem.task_code == item["task_code"]).execute()
    assert read_search_snapshot(store.catalog_db) is None
    assert CatalogIndex.load(store).search("排污")[0].state == "suspended"
    # The next import stores an index again, even one that changes nothing searched.
    guide_only = dict(item, version=2, state="suspended", accept_condition="新")
    import_catalog_document(document([guide_only], version="t2", mode="delta",
                                     generated_at="2026-11-02T00:00:00Z"), store)
    assert read_search_snapshot(store.catalog_db) is not None
    assert CatalogIndex.load(store).search("排污")[0].state == "suspended"


def test_file_import_keeps_unknown_fields_and_tolerates_a_bom(store, tmp_path):
    doc = document([make_item("取水许可", "000111000010", extra_field={"省级扩展": [1, 2]}),
                    make_item("排污许可", "000111000011")])
    path = tmp_path / "indented.json"
    text = json.dumps(doc, ensure_ascii=False, indent=3)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))  # with a BOM, as Windows saves
    import_catalog_file(path, store)
    assert get_item(doc["items"][0]["task_code"], store) == doc["items"][0]


def test_delta_that_changes_only_guide_text_keeps_the_search_index(store):
    from app.catalog.storage import read_search_snapshot

    first = make_item("燃气经营许可", "000111000012", accept_condition="旧")
    import_catalog_document(document([first, make_item("排污许可", "000111000013")]), store)
    stored = read_search_snapshot(store.catalog_db)
    content_only = dict(first, version=2, accept_condition="新的受理条件")
    import_catalog_document(document([content_only], version="t2", mode="delta",
                                     generated_at="2026-11-02T00:00:00Z"), store)
    assert read_search_snapshot(store.catalog_db) == stored
    assert get_item(first["task_code"], store)["accept_condition"] == "新的受理条件"
    renamed = dict(content_only, version=3, name="燃气经营许可（变更）")
    import_catalog_document(document([renamed], version="t3", mode="delta",
                                     generated_at="2026-11-03T00:00:00Z"), store)
    # A searched change waits beside the stored index and is applied on load.
    assert read_search_snapshot(store.catalog_db) == stored
    assert read_search_snapshot(store.catalog_db, "search_pending") is not None
    assert [h.name for h in CatalogIndex.load(store).search("rqjy")] == ["燃气经营许可（变更）"]


def _renamed_delta(item, round_number: int) -> dict:
    renamed = dict(item, version=round_number, name=f"改名事项{round_number}")
    return document([renamed], version=f"t{round_number}", mode="delta",
                    generated_at=f"2026-11-0{round_number}T00:00:00Z")


def test_a_delta_asks_for_a_fold_which_leaves_search_exactly_as_a_rebuild(store):
    from app.catalog.storage import read_search_snapshot

    items = [make_item(f"事项{n}号", f"00011100011{n}") for n in range(4)]
    import_catalog_document(document(items), store)
    stored = read_search_snapshot(store.catalog_db)
    report = import_catalog_document(_renamed_delta(items[1], 2), store)
    assert report.tidy_due
    assert read_search_snapshot(store.catalog_db) == stored  # the import only adds pending

    assert importer.fold_pending_index_changes(store)
    assert read_search_snapshot(store.catalog_db) != stored
    assert read_search_snapshot(store.catalog_db, "search_pending") is None
    assert not importer.fold_pending_index_changes(store)  # nothing left to fold
    rows = store.catalog_db.execute_sql(
        f"SELECT {ROW_COLUMNS} "
        "FROM catalog_item").fetchall()
    rebuilt, loaded = CatalogIndex.from_rows(rows), CatalogIndex.load(store)
    for query in ("改名", "gmsx", "事项", "1", "shixiang"):
        assert loaded.search(query) == rebuilt.search(query), query


def test_an_import_leaves_the_copy_into_the_database_file_to_the_tidy(store):
    from app.catalog.synthetic import make_catalog

    database_file = store.catalog_db.database
    before = Path(database_file).stat().st_size
    report = import_catalog_document(make_catalog(n=300, seed=3), store)
    assert report.tidy_due and report.item_count == 300
    # Committed (a fresh connection sees it) while the database file is unchanged.
    with sqlite3.connect(database_file) as reader:
        assert reader.execute("SELECT count(*) FROM catalog_item").fetchone()[0] == 300
    assert Path(database_file).stat().st_size == before
    importer.tidy_catalog_cache(store)
    assert Path(database_file).stat().st_size > before + 300 * 1000
    assert store.catalog_db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_fold_never_overwrites_an_import_that_came_in_while_it_worked(store, monkeypatch):
    from app.catalog.storage import read_search_snapshot

    items = [make_item(f"事项{n}号", f"00011100012{n}") for n in range(3)]
    import_catalog_document(document(items), store)
    import_catalog_document(_renamed_delta(items[0], 2), store)
    fold_work = importer._folded_index

    def import_meanwhile(snapshot, changes):
        import_catalog_document(_renamed_delta(items[2], 3), store)
        return fold_work(snapshot, changes)

    monkeypatch.setattr(importer, "_folded_index", import_meanwhile)
    assert not importer.fold_pending_index_changes(store)
    monkeypatch.setattr(importer, "_folded_index", fold_work)
    # Both renames are still found: the fold's stale result was not written.
    assert sorted(h.name for h in CatalogIndex.load(store).search("改名")) == [
        "改名事项2", "改名事项3"]
    assert read_search_snapshot(store.catalog_db, "search_pending") is not None
    assert importer.fold_pending_index_changes(store)
    assert sorted(h.name for h in CatalogIndex.load(store).search("改名")) == [
        "改名事项2", "改名事项3"]


def test_pending_changes_are_folded_into_the_index_past_the_limit(store, monkeypatch):
    from app.catalog.storage import read_search_snapshot

    monkeypatch.setattr(importer, "PENDING_LIMIT", 2)
    items = [make_item(f"事项{n}号", f"00011100010{n}") for n in range(4)]
    import_catalog_document(document(items), store)
    stored = read_search_snapshot(store.catalog_db)
    for round_number, item in enumerate(items[:3], start=2):
        renamed = dict(item, version=round_number, name=f"改名事项{round_number}")
        import_catalog_document(document([renamed], version=f"t{round_number}", mode="delta",
                                         generated_at=f"2026-11-0{round_number}T00:00:00Z"),
                                store)
    assert read_search_snapshot(store.catalog_db) != stored  # folded at the third change
    assert read_search_snapshot(store.catalog_db, "search_pending") is None
    assert sorted(h.name for h in CatalogIndex.load(store).search("改名")) == [
        "改名事项2", "改名事项3", "改名事项4"]


# The catalog cache as every release before 办理项 keys wrote it (task_code alone
# was the key), with the demo catalog of that time: 食品经营许可（新办） one item.
CACHE_BEFORE_ITEM_KEYS = (
    'CREATE TABLE "catalog_item" ("task_code" VARCHAR(50) NOT NULL PRIMARY KEY, '
    '"catalog_code" VARCHAR(50) NOT NULL, "name" VARCHAR(400) NOT NULL, '
    '"dept_name" VARCHAR(200) NOT NULL, "task_type" VARCHAR(8) NOT NULL, '
    '"state" VARCHAR(16) NOT NULL, "version" INTEGER NOT NULL, "search_keys" TEXT NOT NULL, '
    '"data" TEXT NOT NULL, "updated_at" DATETIME NOT NULL)',
    'CREATE INDEX "catalog_item_catalog_code" ON "catalog_item" ("catalog_code")',
)


def test_a_cache_from_before_item_keys_is_rebuilt_in_place_keeping_every_item(tmp_path):
    import sqlite3

    import orjson

    from app.catalog.pinyin_keys import encode_search_keys
    from local_store.store import Store

    old_items = [dict(item) for item in demo_document()["items"]
                 if not item["handle_item_code"]][:5]
    food = dict(demo_item("食品经营许可（新办）"), name="食品经营许可（新办）")
    food.pop("handle_item_name")
    old_items.append(food)
    home = tmp_path / "home"
    home.mkdir()
    connection = sqlite3.connect(home / "catalog.sqlite")
    for statement in CACHE_BEFORE_ITEM_KEYS:
        connection.execute(statement)
    connection.executemany(
        "INSERT INTO catalog_item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-11-01 00:00:00')",
        [(i["task_code"], i["catalog_code"], i["name"], i["dept_name"], i["task_type"],
          i["state"], i["version"], encode_search_keys(i["name"], i["handle_item_code"]),
          orjson.dumps(i)) for i in old_items])
    connection.commit()
    connection.close()

    store = Store.open(home)
    try:
        assert catalog_info(store)["item_count"] == len(old_items)
        for item in old_items:
            assert get_item(ItemKey.of(item), store) == item
        index = CatalogIndex.load(store)
        hit = index.search("食品经营")[0]
        assert (hit.task_code, hit.handle_item_code) == ItemKey.of(food)
        # The next catalog brings the other three 办理项 beside the one kept.
        report = import_catalog_document(demo_document(), store)
        assert report.updated == len(old_items) and report.item_count == 21
        assert [h.display_name for h in CatalogIndex.load(store).search("食品经营")] == \
            FOOD_HANDLE_ITEMS
    finally:
        store.close()


def _handle_items(version: int = 1, **fields) -> list[dict]:
    """One item (排污许可) with three 业务办理项, each with its own limit."""
    return [make_item("排污许可", "000111000008", version=version,
                      handle_item_code=f"H{serial}", handle_item_name=f"排污许可（{label}）",
                      promise_limit={"value": days, "unit": "working_day"}, **fields)
            for serial, label, days in (("1", "新办", 10), ("2", "变更", 5), ("3", "注销", 0))]


def _handle_names(store) -> list[str]:
    return [hit.display_name for hit in CatalogIndex.load(store).search("排污")]


def test_handle_items_of_one_item_are_items_of_their_own(store):
    new, change, cancel = _handle_items()
    plain = make_item("临时占用城市道路许可", "000111000009")
    report = import_catalog_document(document([new, change, cancel, plain]), store)
    assert report.added == 4 == report.item_count
    assert get_item(ItemKey.of(change), store)["promise_limit"]["value"] == 5
    assert get_item(new["task_code"], store) is None  # the task code alone names no entry
    assert _handle_names(store) == ["排污许可（新办）", "排污许可（变更）", "排污许可（注销）"]

    # A delta changes one 办理项: its siblings keep theirs.
    import_catalog_document(document(
        [dict(change, version=2, promise_limit={"value": 3, "unit": "working_day"})],
        version="t2", generated_at="2026-11-02T00:00:00+00:00", mode="delta"), store)
    assert get_item(ItemKey.of(change), store)["promise_limit"]["value"] == 3
    assert get_item(ItemKey.of(new), store)["promise_limit"]["value"] == 10

    # An object in removed takes exactly one 办理项.
    report = import_catalog_document(document(
        [], version="t3", generated_at="2026-11-03T00:00:00+00:00", mode="delta",
        removed=[{"task_code": cancel["task_code"], "handle_item_code": "H3"}]), store)
    assert report.removed == 1
    assert _handle_names(store) == ["排污许可（新办）", "排污许可（变更）"]

    # A plain task code takes the item with every 办理项 left under it.
    report = import_catalog_document(document(
        [], version="t4", generated_at="2026-11-04T00:00:00+00:00", mode="delta",
        removed=[new["task_code"]]), store)
    assert report.removed == 2 and report.item_count == 1 and _handle_names(store) == []
    assert get_item(plain["task_code"], store) is not None


def test_a_snapshot_without_one_handle_item_deletes_just_that_one(store):
    new, change, cancel = _handle_items()
    import_catalog_document(document([new, change, cancel]), store)
    report = import_catalog_document(document(
        [new, cancel], version="t2", generated_at="2026-11-02T00:00:00+00:00"), store)
    assert report.removed == 1 and report.item_count == 2
    assert _handle_names(store) == ["排污许可（新办）", "排污许可（注销）"]


def test_an_older_handle_item_never_overwrites_a_newer_one(store):
    new, change, _ = _handle_items(version=3)
    import_catalog_document(document([new, change]), store)
    older = dict(change, version=2, handle_item_name="排污许可（变更·旧）")
    report = import_catalog_document(document(
        [older, dict(new, version=4)], version="t2", generated_at="2026-11-02T00:00:00+00:00",
        mode="delta"), store)
    assert report.skipped_older == [f"{change['task_code']}/H2"] and report.updated == 1
    assert get_item(ItemKey.of(change), store)["handle_item_name"] == "排污许可（变更）"


@pytest.mark.parametrize("problem, words", [
    ("same 办理项 twice", ["第 2 项", "实施编码和办理项编码与第 1 项重复"]),
    ("a 办理项 both kept and removed", ["同一办理项既在 items 中又在 removed 中"]),
    ("an item kept whose task code is removed", ["删除实施编码即删除其全部办理项"]),
    ("removed entry without a task code", ["removed[0]"]),
])
def test_bad_handle_item_documents_are_refused_and_change_nothing(store, problem, words):
    new, change, _ = _handle_items()
    import_catalog_document(document([make_item("排污许可", "000111000008")]), store)
    before = _snapshot_of_cache(store)
    bad = {
        "same 办理项 twice": document([new, dict(new, version=2)], version="t2"),
        "a 办理项 both kept and removed": document(
            [new], version="t2", removed=[{"task_code": new["task_code"],
                                           "handle_item_code": "H1"}]),
        "an item kept whose task code is removed": document(
            [change], version="t2", removed=[new["task_code"]]),
        "removed entry without a task code": document(
            [], version="t2", removed=[{"handle_item_code": "H1"}]),
    }[problem]
    with pytest.raises(CatalogFormatError) as caught:
        import_catalog_document(bad, store)
    for word in words:
        assert word in str(caught.value), (problem, str(caught.value))
    assert _snapshot_of_cache(store) == before


def test_delta_of_handle_items_folds_into_exactly_the_index_a_rebuild_gives(store):
    new, change, cancel = _handle_items()
    import_catalog_document(document([new, change, cancel,
                                      make_item("排放口登记", "000111000010")]), store)
    import_catalog_document(document(
        [dict(change, version=2, handle_item_name="排污许可（重大变更）")], version="t2",
        generated_at="2026-11-02T00:00:00+00:00", mode="delta",
        removed=[{"task_code": cancel["task_code"], "handle_item_code": "H3"}]), store)
    pending = CatalogIndex.load(store)  # the stored index with the pending changes applied
    assert importer.fold_pending_index_changes(store)
    rows = store.catalog_db.execute_sql(f"SELECT {ROW_COLUMNS} FROM catalog_item").fetchall()
    rebuilt, folded = CatalogIndex.from_rows(rows), CatalogIndex.load(store)
    for query in ("排污", "pwxk", "H2", "H3", "000111000008", new["task_code"], "排"):
        assert pending.search(query) == folded.search(query) == rebuilt.search(query), query
    assert [h.display_name for h in folded.search("排污")] == ["排污许可（新办）",
                                                              "排污许可（重大变更）"]
