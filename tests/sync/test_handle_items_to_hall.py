"""Issue 10 item 4, end to end: one item with two 业务办理项 goes from the hall's
catalog to the station's search, a case is taken in on each 办理项, both reach the
hall under their own handle_item_code and the reports count them apart."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
import requests

import app.catalog  # noqa: F401 - registers the importer with sync.catalog_sync
from app.catalog.item_key import ItemKey
from app.catalog.repository import get_item
from app.catalog.search import CatalogIndex
from app.intake import Decision, IntakeService
from app.intake.validation import IntakeError
from app.reports.summary import DAILY, item_breakdown
from app.settings import Settings
from central_hall.storage import DATABASE_FILE, HallDatabase
from local_store.models import Case, OutboxEntry
from sync import outbox
from sync.catalog_sync import sync_catalog
from sync.http import HallSession
from sync.lanes import LaneTimings, SyncLanes
from tests.support.catalog import document, make_item
from tests.support.hall import DEMO_ADMIN
from tests.support.hall_client import RawHall
from tests.support.intake import fill_organisation, receive_all_originals
from tests.support.sync_trials import drain, sign_in_token

NOW = dt.datetime(2026, 11, 27, 10, 0, 0)
ITEM = "排污许可"
TASK_CODE = make_item(ITEM, "000111000008")["task_code"]
NEW, CHANGE = TASK_CODE + "001", TASK_CODE + "002"


def material(material_id: str, name: str) -> dict:
    return {"id": material_id, "name": name, "required": True, "originals": 1, "copies": 0}


def handle_item(code: str, label: str, promised: int, materials: list[dict]) -> dict:
    return make_item(ITEM, "000111000008", handle_item_code=code,
                     handle_item_name=f"{ITEM}（{label}）", project_type="2",
                     promise_limit={"value": promised, "unit": "working_day"},
                     legal_limit={"value": 20, "unit": "working_day"}, materials=materials)


CATALOG = document([
    handle_item(NEW, "新办", 10, [material("M01", "排污许可证申请表"),
                                 material("M02", "排污口设置情况说明")]),
    handle_item(CHANGE, "变更", 5, [material("M01", "排污许可证变更申请表"),
                                   material("M03", "排污许可证正本")]),
])


def test_two_handle_items_of_one_item_from_catalog_to_hall_to_reports(store, hall_factory,
                                                                     tmp_path):
    catalog_file = tmp_path / "catalog.json"
    catalog_file.write_text(json.dumps(CATALOG, ensure_ascii=False), encoding="utf-8")
    hall = hall_factory(catalog=catalog_file)
    session = HallSession()
    try:
        report = sync_catalog(session, hall.url, target=store)
    finally:
        session.close()
    assert report.added == 2 == report.item_count

    # Search: both 办理项, under their item's name.
    hits = CatalogIndex.load(store).search("排污")
    assert [(h.name, h.handle_item_code, h.display_name) for h in hits] == [
        (ITEM, NEW, "排污许可（新办）"), (ITEM, CHANGE, "排污许可（变更）")]
    assert [h.handle_item_code for h in CatalogIndex.load(store).search(CHANGE)] == [CHANGE]

    # Intake: the task code alone is ambiguous; each 办理项 has its own checklist.
    intake = IntakeService(store, Settings(clerk_name="窗口测试员"), clock=lambda: NOW)
    with pytest.raises(IntakeError) as refused:
        intake.new_draft(TASK_CODE)
    assert "2 个办理项" in refused.value.errors[0].message
    committed = {}
    for hit in hits:
        draft = intake.new_draft(ItemKey(hit.task_code, hit.handle_item_code))
        assert [m.material_id for m in draft.materials] == [
            m["id"] for m in get_item(ItemKey(TASK_CODE, hit.handle_item_code), store)[
                "materials"]]
        fill_organisation(draft)
        receive_all_originals(draft)
        committed[hit.handle_item_code] = intake.commit(draft, Decision("accept"))
    assert committed[NEW].deadline != committed[CHANGE].deadline  # 10 vs 5 working days
    for code, result in committed.items():
        case = Case.get(Case.uuid == result.uuid)
        assert (case.task_code, case.handle_item_code) == (TASK_CODE, code)

    # The hall: each case under its own 办理项.
    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    drain(lanes, deadline_s=60)
    lanes.stop()
    assert {e.state for e in OutboxEntry.select()} == {outbox.ACKNOWLEDGED}
    for code, result in committed.items():
        reply = requests.get(f"{hall.api}/cases/{result.uuid}", timeout=10,
                             headers={"Authorization": f"Bearer {token.access_token}"})
        assert reply.status_code == 200, reply.text
        held = reply.json()
        assert (held["task_code"], held["handle_item_code"]) == (TASK_CODE, code)
        manifest = held["manifest"]
        assert (manifest["task_code"], manifest["handle_item_code"]) == (TASK_CODE, code)
        assert manifest["item_name"] == ITEM
        assert manifest["handle_item_name"] == ("排污许可（新办）" if code == NEW
                                                else "排污许可（变更）")

    # Reports: one line per 办理项.
    lines = {(f.task_code, f.handle_item_code): f for f in item_breakdown(DAILY, NOW.date())}
    assert set(lines) == {(TASK_CODE, NEW), (TASK_CODE, CHANGE)}
    assert all((f.received, f.accepted) == (1, 1) for f in lines.values())

    # The hall withdraws one 办理项: the delta names it alone, the other stays.
    published = RawHall(hall, user=DEMO_ADMIN).request("POST", "/admin/catalog", json=document(
        [], removed=[{"task_code": TASK_CODE, "handle_item_code": CHANGE}]))
    assert published.status_code == 200, published.text
    delta = requests.get(f"{hall.api}/catalog", params={"since": report.version}, timeout=10)
    assert delta.json()["removed"] == [{"task_code": TASK_CODE, "handle_item_code": CHANGE}]
    session = HallSession()
    try:
        report = sync_catalog(session, hall.url, target=store)
    finally:
        session.close()
    assert (report.mode, report.removed, report.item_count) == ("delta", 1, 1)
    assert [h.handle_item_code for h in CatalogIndex.load(store).search("排污")] == [NEW]

    # A data directory of the hall before cases had item columns: upgraded from
    # the manifests it holds.
    hall.stop()
    path = hall.data_dir / DATABASE_FILE
    connection = sqlite3.connect(path)
    connection.execute("DROP INDEX cases_by_item")
    for column in ("task_code", "handle_item_code"):
        connection.execute(f"ALTER TABLE cases DROP COLUMN {column}")
    connection.execute("DELETE FROM hall_migrations WHERE version = 3")  # cases_by_item
    connection.commit()
    connection.close()
    database = HallDatabase(path)
    try:
        with database.reading() as conn:
            filed = {(row["task_code"], row["handle_item_code"]) for row in conn.execute(
                "SELECT task_code, handle_item_code FROM cases")}
    finally:
        database.close()
    assert filed == {(TASK_CODE, NEW), (TASK_CODE, CHANGE)}
