"""The catalog at full size (20,000 items): correctness, not speed (see tests/bench)."""

from __future__ import annotations

import pytest

from app.catalog.importer import import_catalog_document
from app.catalog.search import CatalogIndex
from app.catalog.synthetic import make_catalog
from app.identity import check_uscc
from tests.support.catalog import document

pytestmark = pytest.mark.slow


def test_twenty_thousand_items_import_search_and_delta(store):
    catalog = make_catalog(20_000, seed=4)
    items = catalog["items"]
    assert len({item["task_code"] for item in items}) == 20_000
    assert all(check_uscc(code).ok for code in {item["dept_code"] for item in items})
    report = import_catalog_document(catalog, store)
    assert report.item_count == 20_000
    index = CatalogIndex.load(store)
    assert len(index) == 20_000

    hits = index.search("营业执照", limit=50)
    assert len(hits) == 50 and all("营业执照" in hit.name for hit in hits)
    assert hits[0].match_kind == "name_prefix"
    assert all("营业执照" in hit.name for hit in index.search("yyzz", limit=50))
    sample = items[12_345]
    assert index.search(sample["task_code"])[0].task_code == sample["task_code"]
    assert len(index.search("证", limit=200)) == 200

    renamed = dict(items[0], version=2, name="海沧区特色服务事项")
    import_catalog_document(document([renamed], version="s2", mode="delta",
                                     generated_at="2026-11-02T00:00:00+08:00",
                                     removed=[items[1]["task_code"]]), store)
    index = CatalogIndex.load(store)
    assert len(index) == 19_999
    assert [hit.task_code for hit in index.search("hcqts")] == [renamed["task_code"]]
