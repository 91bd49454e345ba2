"""End to end: cases committed by the real intake service reach the real hall."""

from __future__ import annotations

import json

import pytest
import requests

from app.cli.hall_cmd import read_hall_cases
from app.intake import Decision
from local_store.models import OutboxEntry
from sync import outbox
from sync.lanes import LaneTimings, SyncLanes
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    fill_organisation,
    fill_person,
    receive_all_originals,
    scan_pages,
)
from tests.support.producers import SHAPES
from tests.support.sync_trials import drain, hall_blob_path, sign_in_token


def test_notify_then_accept_with_scans_reaches_the_hall_in_order(store, intake, intake_catalog,
                                                                hall):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name="欧阳·𠇔")
    draft.material("M01").received_form = "original"
    draft.material("M01").originals = 1
    notified = intake.commit(draft, Decision("notify"))
    resumed = intake.continue_case(notified.case_number)
    scan_pages(store, resumed.material("M02"), 2)
    for material_id in ("M03",):
        resumed.material(material_id).received_form = "copy"
        resumed.material(material_id).copies = 1
    intake.commit(resumed, Decision("accept"))

    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    drain(lanes, deadline_s=60)
    lanes.stop()

    entries = list(OutboxEntry.select().order_by(OutboxEntry.id))
    assert [e.state for e in entries] == [outbox.ACKNOWLEDGED] * 2
    [held] = read_hall_cases(hall.data_dir)
    assert held["uuid"] == notified.uuid and held["number"] == notified.case_number
    assert held["revision"] == 2 and held["event"] == "accept"  # notify first, then accept
    attachments = entries[1].manifest["attachments"]
    assert attachments and held["attachments"] == attachments
    for attachment in attachments:
        assert (hall_blob_path(hall, attachment["sha256"]).read_bytes()
                == store.blobs.read(attachment["sha256"]))


def test_an_organisation_case_with_its_legal_representative_reaches_the_hall(
        store, intake, intake_catalog, hall):
    """Issue 10: the hall refused every organisation (``applicant.legal_rep``)."""
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    accepted = intake.commit(draft, Decision("accept"))

    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    drain(lanes, deadline_s=60)
    lanes.stop()

    [entry] = OutboxEntry.select()
    assert entry.state == outbox.ACKNOWLEDGED, entry.last_error
    reply = requests.get(f"{hall.api}/cases/{accepted.uuid}", timeout=10,
                         headers={"Authorization": f"Bearer {token.access_token}"})
    assert reply.status_code == 200, reply.text
    applicant = reply.json()["manifest"]["applicant"]
    assert applicant["kind"] == "organisation"
    assert applicant["legal_rep"]["name"] == "李四"


@pytest.mark.parametrize("shape", SHAPES)
def test_every_kind_of_case_and_decision_reaches_the_hall(store, case_producer, hall, shape):
    """Person, organisation with legal representative, agent, 补正 then accept, reject,
    conclude of a 即办件 (and a scan on each): taken in, queued, sent by the real lane."""
    case = case_producer.take_in(shape, scanned_pages=1)
    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    try:
        drain(lanes, deadline_s=60)
    finally:
        lanes.stop()
    entries = list(OutboxEntry.select().order_by(OutboxEntry.id))
    assert [e.state for e in entries] == [outbox.ACKNOWLEDGED] * len(case.manifests)
    reply = requests.get(f"{hall.api}/cases/{case.uuid}", timeout=10,
                         headers={"Authorization": f"Bearer {token.access_token}"})
    held = reply.json()
    assert held["revision"] == len(case.manifests) and held["manifest"] == case.manifest
    for digest, data in case.attachments.items():
        assert hall_blob_path(hall, digest).read_bytes() == data


def test_cases_entered_from_a_paper_batch_reach_the_hall(store, intake, intake_catalog, hall,
                                                         tmp_path):
    """补录 through ``case import``: a person, an organisation with its legal
    representative and a person through an agent, each delivered by the real lane."""
    from app.case_import import import_cases
    from tests.support.intake import (
        INDIVIDUAL_BUSINESS,
        SENIOR_CARD,
        VALID_AGENT_ID,
        VALID_PERSON_ID,
        VALID_USCC,
    )

    def originals(*ids):
        return [{"material_id": m, "received": "original", "count": 1} for m in ids]

    person = {"kind": "person", "name": "阿依古丽·买买提", "id_type": "111",
              "id_number": VALID_PERSON_ID, "phone": "13800000000"}
    batch = {"format": "onewindow-cases/1", "cases": [
        {"ref": "paper-person", "task_code": intake_catalog[INDIVIDUAL_BUSINESS],
         "received_at": "2026-11-26T09:00:00+08:00", "applicant": person,
         "materials": originals("M01", "M02", "M03"), "decision": {"action": "accept"}},
        {"ref": "paper-organisation", "task_code": intake_catalog[SENIOR_CARD],
         "received_at": "2026-11-26T10:00:00+08:00",
         "applicant": {"kind": "organisation", "name": "厦门海沧示例餐饮有限公司",
                       "uscc": VALID_USCC, "phone": "13900000000",
                       "legal_rep": {"name": "李四", "id_type": "111",
                                     "id_number": VALID_AGENT_ID}},
         "materials": originals("M01", "M02"), "decision": {"action": "conclude"}},
        {"ref": "paper-agent", "task_code": intake_catalog[INDIVIDUAL_BUSINESS],
         "received_at": "2026-11-26T11:00:00+08:00", "applicant": person,
         "agent": {"name": "王五", "id_type": "111", "id_number": VALID_AGENT_ID},
         "materials": originals("M01", "M02", "M03", "M04", "M05"),
         "decision": {"action": "accept"}},
    ]}
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    results = import_cases(intake, path)
    assert all(r.ok for r in results), [r.to_json() for r in results]

    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    try:
        drain(lanes, deadline_s=60)
    finally:
        lanes.stop()
    held = {case["number"]: case for case in read_hall_cases(hall.data_dir)}
    assert set(held) == {r.case_number for r in results}
    assert all(case["revision"] == 1 for case in held.values())
