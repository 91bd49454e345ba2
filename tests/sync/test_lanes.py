"""Lanes against the real hall: drain, status pull, outage and recovery, independence."""

from __future__ import annotations

import time

import pytest
import requests

from local_store.models import Case, CaseEvent, OutboxEntry
from sync import credentials, outbox
from sync.lanes import OFFLINE, SIGN_IN, LaneTimings, SyncLanes
from sync.summary import queue_summary
from tests.support.fault_proxy import Fault
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER, admin_token
from tests.support.producers import create_case

FAST = LaneTimings(catalog_s=3600, upload_idle_s=0.5, status_s=0.5, purge_s=3600,
                   backoff_start_s=0.05, backoff_cap_s=0.5)


def wait_until(predicate, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def all_acknowledged() -> bool:
    summary = queue_summary()
    return summary.unsent == 0 and summary.acknowledged > 0


@pytest.fixture
def signed_in(shared_hall, memory_keyring):
    credentials.sign_in(shared_hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    return shared_hall


def make_lanes(store, url, token_url=None, **options) -> SyncLanes:
    token_url = token_url or url
    options.setdefault("catalog_sync", lambda session, base: None)
    return SyncLanes(store, url, timeout_s=5, timings=FAST,
                     token_source=lambda: credentials.load_token(token_url), **options)


def test_lanes_drain_the_queue_and_pull_status(store, signed_in):
    cases = [create_case(store, attachments=[f"page {i}".encode()]) for i in range(5)]
    lanes = make_lanes(store, signed_in.url)
    lanes.start()
    try:
        wait_until(all_acknowledged, what="queue drained")
        # The department (an admin account at the hall) posts the progress.
        reply = requests.post(f"{signed_in.api}/admin/cases/{cases[0].uuid}/status",
                              json={"status": "in_process", "detail": "科室审查中"},
                              headers={"Authorization": f"Bearer {admin_token(signed_in)}"},
                              timeout=5)
        assert reply.status_code == 200, reply.text
        lanes.sync_now()
        wait_until(lambda: Case.get_by_id(cases[0].id).hall_status == "in_process",
                   what="status pulled")
        events = CaseEvent.select().where(
            (CaseEvent.case == cases[0].id) & (CaseEvent.kind == "hall_status")
        ).order_by(CaseEvent.id)
        assert [e.detail["label"] for e in events] == ["大厅已收件", "办理中"]
    finally:
        lanes.stop()
    assert {s.status for s in lanes.snapshot().values()} == {"stopped"}


def test_outage_then_automatic_drain_when_the_hall_returns(store, signed_in,
                                                           fault_proxy_factory):
    proxy = fault_proxy_factory(signed_in)
    proxy.set_offline(True)
    credentials.save_token(proxy.url(), credentials.load_token(signed_in.url))
    lanes = make_lanes(store, proxy.url())
    lanes.start()
    try:
        create_case(store, attachments=[b"offline intake"])
        wait_until(lambda: lanes.snapshot()["upload"].status == OFFLINE, what="offline seen")
        entry = OutboxEntry.get()
        assert entry.state == outbox.QUEUED and "无法连接大厅" in entry.last_error
        create_case(store)  # intake keeps working while offline
        proxy.set_offline(False)
        wait_until(all_acknowledged, what="drain after outage")
    finally:
        lanes.stop()


def test_one_failing_lane_does_not_block_the_others(store, signed_in):
    def broken_catalog(session, base):
        raise RuntimeError("catalog endpoint broken")

    create_case(store)
    lanes = make_lanes(store, signed_in.url, catalog_sync=broken_catalog)
    lanes.start()
    try:
        wait_until(all_acknowledged, what="upload despite catalog failure")
        wait_until(lambda: lanes.snapshot()["catalog"].status == "error", what="catalog error")
        assert "catalog endpoint broken" in lanes.snapshot()["catalog"].message
    finally:
        lanes.stop()


def test_not_signed_in_keeps_everything_queued_and_says_so(store, shared_hall, memory_keyring):
    create_case(store)
    lanes = make_lanes(store, shared_hall.url)
    states = lanes.run_once()
    assert states["upload"].status == SIGN_IN and "登录" in states["upload"].message
    assert OutboxEntry.get().state == outbox.QUEUED


def test_reset_mid_upload_then_resume(store, signed_in, fault_proxy_factory):
    import os

    proxy = fault_proxy_factory(signed_in)
    credentials.save_token(proxy.url(), credentials.load_token(signed_in.url))
    create_case(store, attachments=[os.urandom(400_000)])
    proxy.arm(Fault("reset", "up", after_bytes=200_000))
    lanes = make_lanes(store, proxy.url())
    lanes.start()
    try:
        wait_until(all_acknowledged, what="resumed upload")
    finally:
        lanes.stop()
    assert proxy.faults_fired and OutboxEntry.get().attempts >= 2


def test_rejected_token_asks_for_sign_in_and_parks_nothing(store, shared_hall):
    create_case(store)
    bogus = credentials.HallToken("not-a-token", DEMO_STATION, DEMO_USER, "2099-01-01T00:00:00")
    lanes = SyncLanes(store, shared_hall.url, timeout_s=5, timings=FAST,
                      token_source=lambda: bogus, catalog_sync=lambda s, u: None)
    states = lanes.run_once()
    lanes.stop()
    assert states["upload"].status == SIGN_IN and "重新登录" in states["upload"].message
    entry = OutboxEntry.get()
    assert entry.state == outbox.QUEUED and "重新登录" in entry.last_error


def test_429_retry_after_is_honoured(store, hall_factory):
    from tests.support.sync_trials import set_hall_faults, sign_in_token

    hall = hall_factory(faults=True)
    token = sign_in_token(hall)
    set_hall_faults(hall, rate_limit=1, retry_after_s=3)
    case = create_case(store)
    lanes = SyncLanes(store, hall.url, timeout_s=5, timings=FAST,
                      token_source=lambda: token, catalog_sync=lambda s, u: None)
    started = time.monotonic()
    wait = lanes.lanes["upload"].run_once()
    assert wait >= 3  # the lane itself waits as long as the hall asked
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert entry.state == outbox.QUEUED and "限流" in entry.last_error
    assert (entry.next_attempt_at - entry.enqueued_at).total_seconds() >= 2.5
    assert store.writer.call(outbox.due_entry_ids) == []  # not before Retry-After
    while store.writer.call(outbox.due_entry_ids) == []:
        time.sleep(0.1)
    assert time.monotonic() - started >= 2.5
    lanes.lanes["upload"].run_once()
    lanes.stop()
    assert OutboxEntry.get_by_id(entry.id).state == outbox.ACKNOWLEDGED
