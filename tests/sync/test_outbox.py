"""Outbox enqueue: same transaction as the case, completeness check, keys, ordering."""

from __future__ import annotations

import pytest

from local_store.models import OutboxEntry
from sync import outbox
from sync.manifest import build_manifest, missing_core_fields
from tests.support.producers import (
    create_case,
    material_digest,
    material_pdf,
    station_intake,
)


def test_enqueue_builds_complete_manifest_with_attachment_digests(store):
    case = create_case(store, attachments=[b"page-one", b"page-two"])
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert entry.state == outbox.QUEUED
    assert entry.idempotency_key == f"{case.uuid}:1"
    manifest = entry.manifest
    assert manifest["number"] == case.number
    assert manifest["applicant"]["name"] == case.applicant_snapshot["name"]
    assert sorted((a["sha256"], a["size"]) for a in manifest["attachments"]) == sorted(
        (material_digest(page), len(material_pdf(page))) for page in (b"page-one", b"page-two"))
    assert missing_core_fields(manifest) == []


def test_incomplete_case_is_not_queued_and_names_the_fields(store):
    case = create_case(store)
    # A case row damaged after intake (intake itself refuses such a case).
    case.dept_code, case.contact_phone = "", ""
    case.applicant_snapshot = dict(case.applicant_snapshot, id_number="", phone="")
    queued = OutboxEntry.select().count()
    with pytest.raises(outbox.IncompleteCase) as info:
        store.writer.call(outbox.enqueue, case, "conclude")
    assert info.value.fields == ["受理部门统一社会信用代码", "申请人证件号码", "联系电话"]
    assert "受理部门统一社会信用代码" in str(info.value)
    assert OutboxEntry.select().count() == queued


def test_reject_needs_reason_and_basis_and_accept_needs_promised_date(store):
    case = create_case(store)
    manifest = build_manifest(case, "reject")
    assert missing_core_fields(manifest) == ["不予受理理由", "不予受理法律依据"]
    manifest = build_manifest(case, "accept")
    manifest["promised_date"] = None
    assert missing_core_fields(manifest) == ["承诺办结日期"]


def test_scanned_material_without_digest_is_reported_by_name(store):
    case = create_case(store, attachments=[b"x"])
    manifest = build_manifest(case, "accept")
    [electronic] = [m for m in manifest["materials"] if m["received_form"] == "electronic"]
    electronic["digest"] = None
    assert missing_core_fields(manifest) == [f"材料「{electronic['name']}」的文件摘要"]


def test_each_decision_gets_the_next_key_and_waits_for_the_previous(store):
    # 补正 then accept: two decisions on one case, queued one after the other.
    case = station_intake(store).take_in("notify_then_accept").case
    entry2 = OutboxEntry.get(OutboxEntry.idempotency_key == f"{case.uuid}:2")
    assert entry2.idempotency_key == f"{case.uuid}:2"
    due = store.writer.call(outbox.due_entry_ids)
    first = OutboxEntry.get(OutboxEntry.idempotency_key == f"{case.uuid}:1")
    assert due == [first.id]
    store.writer.call(outbox.park, first.id, "大厅拒绝")
    assert store.writer.call(outbox.due_entry_ids) == []
    store.writer.call(outbox.mark_acknowledged, first.id)
    assert store.writer.call(outbox.due_entry_ids) == [entry2.id]


def test_unknown_event_is_refused(store):
    case = create_case(store)
    with pytest.raises(ValueError):
        build_manifest(case, "approve")
