"""Catalog delta sync against the real reference hall over loopback HTTP."""

from __future__ import annotations

import pytest
import requests

import app.catalog  # noqa: F401 - registers the importer with sync.catalog_sync
from app.catalog.format import CatalogFormatError
from app.catalog.item_key import ItemKey
from app.catalog.repository import catalog_info, get_item
from app.catalog.search import CatalogIndex
from sync.catalog_sync import CatalogUnchanged, sync_catalog
from sync.http import HallFailure, HallSession
from tests.support.catalog import demo_document, demo_item, document, make_item
from tests.support.hall import DEMO_ADMIN
from tests.support.hall_client import RawHall


@pytest.fixture
def session():
    opened = HallSession(timeout=10)
    yield opened
    opened.close()


def publish(hall, doc) -> str:
    reply = RawHall(hall, user=DEMO_ADMIN).request("POST", "/admin/catalog", json=doc)
    assert reply.status_code == 200, reply.text
    return reply.json()["version"]


def cache_rows(store):
    return store.catalog_db.execute_sql(
        "SELECT task_code, version, state, data FROM catalog_item ORDER BY task_code").fetchall()


# Tests that only read the hall share one (shared_hall); tests that publish
# to it get their own (hall).
def test_first_sync_is_a_snapshot_then_304(shared_hall, store, session):
    hall = shared_hall
    report = sync_catalog(session, hall.url, target=store)
    assert report.mode == "snapshot" and report.added == 21 == report.item_count
    info = catalog_info(store)
    assert info["source"] == f"hall:{hall.url}" and info["cursor"] == report.version
    again = sync_catalog(session, hall.url, target=store)
    assert isinstance(again, CatalogUnchanged) and again.version == report.version
    assert catalog_info(store)["imported_at"] == info["imported_at"]


def test_delta_brings_changes_removals_and_suspensions(hall, store, session):
    sync_catalog(session, hall.url, target=store)
    food = demo_item("食品经营许可（新办）")
    food.update(version=food["version"] + 1, promise_limit={"value": 3, "unit": "working_day"})
    aid = demo_item("临时救助")
    aid.update(version=aid["version"] + 1, state="suspended")
    marriage = demo_item("结婚登记")["task_code"]
    new_item = make_item("城市道路占用挖掘许可", "000118010000")
    publish(hall, document([food, aid, new_item], removed=[marriage]))

    report = sync_catalog(session, hall.url, target=store)
    assert report.mode == "delta"
    assert (report.added, report.updated, report.removed) == (1, 2, 1)
    assert get_item(ItemKey.of(food), store)["promise_limit"]["value"] == 3
    # Only the 办理项 that changed: its siblings keep their own limits.
    assert get_item(ItemKey.of(demo_item("食品经营许可（变更）")), store)["promise_limit"][
        "value"] == 3 and get_item(ItemKey.of(demo_item("食品经营许可（延续）")), store)[
        "promise_limit"]["value"] == 5
    assert get_item(marriage, store) is None
    index = CatalogIndex.load(store)
    assert [(h.name, h.state) for h in index.search("临时救助")] == [("临时救助", "suspended")]
    assert [h.name for h in index.search("dlzy")] == ["城市道路占用挖掘许可"]
    assert index.search("jiehun") == []
    assert isinstance(sync_catalog(session, hall.url, target=store), CatalogUnchanged)


def test_hall_item_older_than_ours_does_not_overwrite(hall, store, session):
    newer = demo_item("残疾人证新办")
    newer.update(version=5, accept_condition="本地较新的受理条件")
    doc = demo_document()
    doc["items"] = [newer]
    from app.catalog.importer import import_catalog_document

    sync_catalog(session, hall.url, target=store)
    import_catalog_document({**doc, "mode": "delta", "generated_at": "2026-11-01T09:00:00+08:00"},
                            store, refuse_older=False)
    changed = demo_item("残疾人证新办")
    changed.update(version=2, accept_condition="大厅上较旧的版本")
    publish(hall, document([changed]))
    report = sync_catalog(session, hall.url, target=store)
    assert report.skipped_older == [newer["task_code"]]
    assert get_item(newer["task_code"], store)["accept_condition"] == "本地较新的受理条件"


def test_bad_document_from_the_hall_changes_nothing(hall, store, session):
    sync_catalog(session, hall.url, target=store)
    before = cache_rows(store), catalog_info(store)
    broken = demo_item("生育登记")
    broken.update(version=2, dept_code=broken["dept_code"][:-1] + "0")  # wrong check char
    publish(hall, document([broken]))
    with pytest.raises(CatalogFormatError, match="dept_code"):
        sync_catalog(session, hall.url, target=store)
    assert (cache_rows(store), catalog_info(store)) == before


def test_unknown_cursor_gets_a_snapshot_that_replaces_the_cache(shared_hall, store):
    from app.catalog.importer import import_catalog_document

    hall = shared_hall
    stale = make_item("早已取消的事项", "000199000001")
    import_catalog_document(document([stale], version="from-usb"), store)
    with requests.Session() as plain:  # any requests session will do
        report = sync_catalog(plain, hall.url, target=store, timeout=10)
    assert report.mode == "snapshot" and report.removed == 1
    assert get_item(stale["task_code"], store) is None
    assert report.item_count == 21
    assert get_item(demo_item("结婚登记")["task_code"], store) == demo_item("结婚登记")


def test_hall_unreachable_leaves_the_catalog_in_use(store, session):
    from app.catalog.importer import import_catalog_document

    import_catalog_document(demo_document(), store)
    before = cache_rows(store)
    with pytest.raises(HallFailure) as failure:
        sync_catalog(session, "http://127.0.0.1:9", target=store, timeout=2)
    assert failure.value.link_down and "无法连接" in str(failure.value)
    assert cache_rows(store) == before
    assert [h.display_name for h in CatalogIndex.load(store).search("食品")] == [
        "食品经营许可（新办）", "食品经营许可（变更）", "食品经营许可（延续）",
        "食品经营许可（注销）"]


def test_tls_hall_is_verified_against_its_ca(hall_factory, store):
    from tests.support.hall import demo_catalog_file

    tls_hall = hall_factory(catalog=demo_catalog_file(), tls=True)
    with HallSession(timeout=10) as untrusting, pytest.raises(HallFailure, match="TLS"):
        sync_catalog(untrusting, tls_hall.url, target=store)
    with HallSession(ca_bundle=str(tls_hall.ca_cert_path), timeout=10) as trusting:
        assert sync_catalog(trusting, tls_hall.url, target=store).item_count == 21


def test_the_environment_proxy_is_honoured_and_read_once(shared_hall, store, monkeypatch):
    """HallSession stops requests re-reading the environment on every request,
    but a street office's proxy (HTTP_PROXY / NO_PROXY) is still used."""
    import socket

    with socket.socket() as sock:  # a proxy that refuses: a request through it fails
        sock.bind(("127.0.0.1", 0))
        dead_proxy = f"http://127.0.0.1:{sock.getsockname()[1]}"
    monkeypatch.setenv("HTTP_PROXY", dead_proxy)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with HallSession(timeout=5) as proxied, pytest.raises(HallFailure):
        sync_catalog(proxied, shared_hall.url, target=store)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with HallSession(timeout=5) as bypassing:
        assert sync_catalog(bypassing, shared_hall.url, target=store).item_count == 21
        monkeypatch.setenv("NO_PROXY", "")  # read once per origin: still bypassed
        assert isinstance(sync_catalog(bypassing, shared_hall.url, target=store),
                          CatalogUnchanged)
