"""A parked case is never a dead end (issue 10 item 3).

Cases come from IntakeService and go to the real hall.  The "older release"
is simulated the only way it can be: its frozen manifest carries a defect the
current producer no longer has (instants without an offset, as build_manifest
wrote them before the contract), and the hall refuses it for real.
"""

from __future__ import annotations

import contracts
from local_store.models import OutboxEntry, SyncCursor
from sync import outbox, parked
from sync.lanes import LaneTimings, SyncLanes
from sync.summary import queue_rows
from tests.support.sync_trials import drain, sign_in_token


def lanes_for(store, hall) -> SyncLanes:
    token = sign_in_token(hall)
    return SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                     catalog_sync=lambda s, u: None,
                     timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))


def freeze_as_an_older_release_did(entry_id: int) -> None:
    """The old producer sent wall-clock times without an offset."""
    entry = OutboxEntry.get_by_id(entry_id)
    manifest = dict(entry.manifest, apply_time=entry.manifest["apply_time"][:19])
    OutboxEntry.update(manifest=manifest).where(OutboxEntry.id == entry_id).execute()


def test_a_release_that_fixes_the_defect_requeues_what_it_parked(store, case_producer,
                                                                 shared_hall):
    case = case_producer.take_in("notify_then_accept")
    notify_entry, accept_entry = OutboxEntry.select().order_by(OutboxEntry.id)
    store.writer.call(freeze_as_an_older_release_did, notify_entry.id)
    store.writer.call(freeze_as_an_older_release_did, accept_entry.id)
    # The older release ran its sync service with its own contract stamp.
    SyncCursor.create(lane=parked.CONTRACT_STAMP_LANE, cursor="1")

    lanes = lanes_for(store, shared_hall)
    try:
        lanes.lanes["upload"].run_once()
        notify_entry = OutboxEntry.get_by_id(notify_entry.id)
        assert notify_entry.state == outbox.PARKED
        assert notify_entry.last_error == f"{parked.HALL_REFUSED}：apply_time"
        # The later decision waits behind the parked one: the case is stuck.
        assert OutboxEntry.get_by_id(accept_entry.id).state == outbox.QUEUED
        [row] = [r for r in queue_rows() if r.entry_id == notify_entry.id]
        assert "申请时间（apply_time）" in row.explanation and "升级" in row.explanation

        # The new release starts its sync service.
        assert store.writer.call(parked.requeue_after_upgrade) == 2
        assert store.writer.call(parked.requeue_after_upgrade) == 0  # once per version
        drain(lanes, deadline_s=60)
    finally:
        lanes.stop()
    entries = list(OutboxEntry.select().order_by(OutboxEntry.id))
    assert [e.state for e in entries] == [outbox.ACKNOWLEDGED] * 2
    assert [e.manifest["event"] for e in entries] == ["notify", "accept"]
    # What was decided at the time is kept: the notify still lists the missing material.
    assert any(m["received_form"] == "missing" for m in entries[0].manifest["materials"])
    assert entries[0].manifest["state"] == "needs_completion"
    for entry in entries:
        contracts.check("case_manifest", entry.manifest)
    assert SyncCursor.get(SyncCursor.lane == parked.CONTRACT_STAMP_LANE).cursor == str(
        contracts.CONTRACT_VERSION)
    assert case.uuid == entries[0].manifest["uuid"]


def test_retry_rebuilds_and_a_still_broken_case_says_which_field(store, case_producer):
    case = case_producer.take_in("organisation").case
    [entry] = OutboxEntry.select()
    store.writer.call(outbox.park, entry.id, f"{parked.HALL_REFUSED}：applicant.legal_rep")
    # A defect this release does not fix: the stored snapshot itself is wrong.
    case.applicant_snapshot = dict(case.applicant_snapshot, legal_rep="李四")
    case.save()

    assert store.writer.call(parked.retry, entry.id) is False
    entry = OutboxEntry.get_by_id(entry.id)
    assert entry.state == outbox.PARKED
    assert entry.last_error == f"{outbox.LOCAL_CONTRACT_REFUSAL}：applicant.legal_rep"
    assert "法定代表人（applicant.legal_rep）" in parked.advice(entry.last_error)

    case.applicant_snapshot = dict(case.applicant_snapshot,
                                   legal_rep={"name": "李四", "id_type": "111",
                                              "id_number": "35020519880715107X", "phone": ""})
    case.save()
    assert store.writer.call(parked.retry_parked) == (1, 0)
    entry = OutboxEntry.get_by_id(entry.id)
    assert entry.state == outbox.QUEUED and entry.last_error == ""
    assert entry.manifest["applicant"]["legal_rep"]["name"] == "李四"


def test_other_refusals_wait_for_a_person(store, case_producer):
    case_producer.take_in("person")
    [entry] = OutboxEntry.select()
    store.writer.call(outbox.park, entry.id, "办件编号已被另一办件使用（编号冲突），请联系管理员")
    assert store.writer.call(parked.requeue_after_upgrade) == 0
    assert OutboxEntry.get_by_id(entry.id).state == outbox.PARKED
    assert "管理员核对" in parked.advice(OutboxEntry.get_by_id(entry.id).last_error)
