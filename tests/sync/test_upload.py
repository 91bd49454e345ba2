"""Upload against the real reference hall on loopback."""

from __future__ import annotations

import os

import pytest
import requests

from local_store.models import OutboxEntry
from sync import outbox
from sync.http import Backoff, HallClient
from sync.upload import AdaptiveChunker, CaseUploader
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
from tests.support.producers import create_case, material_digest, material_pdf


def signed_in(hall) -> HallClient:
    client = HallClient(hall.url, ca_bundle=str(hall.ca_cert_path or ""), timeout_s=10)
    reply = client.request("POST", "/auth/token", json={
        "station": DEMO_STATION, "user": DEMO_USER, "password": DEMO_PASSWORD})
    client.token = reply.json()["access_token"]
    return client


def hall_case(client: HallClient, case_uuid: str) -> dict:
    return client.get_json(f"/cases/{case_uuid}")


def fetch_blob_state(client, case_uuid, digest) -> requests.Response:
    return client.session.head(client.url(f"/cases/{case_uuid}/blobs/{digest}"),
                               headers={"Authorization": f"Bearer {client.token}"}, timeout=5)


@pytest.fixture
def client(shared_hall):
    client = signed_in(shared_hall)
    yield client
    client.close()


def test_case_with_attachments_is_acknowledged_and_held_once(store, client):
    data = os.urandom(700_000)
    case = create_case(store, attachments=[data, b"small page"])
    uploader = CaseUploader(store, client, AdaptiveChunker(initial=128 * 1024))
    entry = OutboxEntry.get(OutboxEntry.case == case)
    outcome = uploader.process(entry.id)
    assert outcome.state == outbox.ACKNOWLEDGED, outcome.message
    entry = OutboxEntry.get_by_id(entry.id)
    assert entry.state == outbox.ACKNOWLEDGED and entry.attempts == 1
    held = hall_case(client, case.uuid)
    assert held["number"] == case.number and held["revision"] == 1
    # The same entry again (a crash after the hall committed): a replay, still one revision.
    store.writer.call(outbox.retry_now, entry.id)
    OutboxEntry.update(state=outbox.SENT).where(OutboxEntry.id == entry.id).execute()
    assert uploader.process(entry.id).state == outbox.ACKNOWLEDGED
    assert hall_case(client, case.uuid)["revision"] == 1


def test_upload_resumes_from_the_halls_offset(store, client):
    payload = os.urandom(300_000)
    case = create_case(store, attachments=[payload])
    data = material_pdf(payload)  # the file as attached at the window
    digest = material_digest(payload)
    # An earlier run got 100 000 bytes across before dying.
    uploader = CaseUploader(store, client)
    client.request("PUT", f"/cases/{case.uuid}/blobs/{digest}", ok=(201,),
                   headers={"Upload-Length": str(len(data))})
    import hashlib
    client.request("PATCH", f"/cases/{case.uuid}/blobs/{digest}", ok=(204,), data=data[:100_000],
                   headers={"Upload-Offset": "0",
                            "Content-Type": "application/offset+octet-stream",
                            "Chunk-SHA256": hashlib.sha256(data[:100_000]).hexdigest()})
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert uploader.process(entry.id).state == outbox.ACKNOWLEDGED
    assert uploader.bytes_sent == len(data) - 100_000


def test_blob_the_hall_already_has_is_not_sent_again(store, client):
    payload = os.urandom(50_000)
    data = material_pdf(payload)  # the same file attached to two cases
    first = create_case(store, attachments=[payload])
    second = create_case(store, attachments=[payload])
    uploader = CaseUploader(store, client)
    for case in (first, second):
        entry = OutboxEntry.get(OutboxEntry.case == case)
        assert uploader.process(entry.id).state == outbox.ACKNOWLEDGED
    assert uploader.bytes_sent == len(data)


def test_number_conflict_parks_the_entry_with_its_reason(store, client):
    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    uploader = CaseUploader(store, client)
    assert uploader.process(entry.id).state == outbox.ACKNOWLEDGED
    clash = create_case(store)
    clash_entry = OutboxEntry.get(OutboxEntry.case == clash)
    # Another station's numbering gone wrong: a second case under the same number.
    manifest = dict(clash_entry.manifest, number=case.number)
    OutboxEntry.update(manifest=manifest).where(OutboxEntry.id == clash_entry.id).execute()
    outcome = uploader.process(clash_entry.id)
    assert outcome.state == outbox.PARKED
    parked = OutboxEntry.get_by_id(clash_entry.id)
    assert parked.state == outbox.PARKED and "编号冲突" in parked.last_error


def test_missing_local_attachment_parks_with_a_plain_reason(store, client):
    case = create_case(store, attachments=[b"will vanish"])
    digest = material_digest(b"will vanish")
    store.blobs.path(digest).unlink()
    entry = OutboxEntry.get(OutboxEntry.case == case)
    outcome = CaseUploader(store, client).process(entry.id)
    assert outcome.state == outbox.PARKED
    assert "本机附件缺失" in OutboxEntry.get_by_id(entry.id).last_error


def test_hall_down_keeps_the_entry_queued_with_backoff(store):
    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    client = HallClient("http://127.0.0.1:9", timeout_s=1)
    outcome = CaseUploader(store, client, backoff=Backoff(start_s=30)).process(entry.id)
    assert outcome.state == outbox.QUEUED and outcome.failure.link_down
    entry = OutboxEntry.get_by_id(entry.id)
    assert entry.state == outbox.QUEUED and "无法连接大厅" in entry.last_error
    assert entry.next_attempt_at > entry.enqueued_at
    assert store.writer.call(outbox.due_entry_ids) == []


def test_chunker_grows_on_fast_links_and_halves_on_timeouts():
    chunker = AdaptiveChunker()
    chunker.record(256 * 1024, 1.0)  # 256 KiB/s → aim for 12 s, at most ×4
    assert chunker.size == 1024 * 1024
    chunker.record(1024 * 1024, 4.0)
    assert chunker.size == 3 * 1024 * 1024
    chunker.timed_out()
    assert chunker.size == 1536 * 1024
    assert chunker.next_size(2_000_000) == 2_000_000  # short tail goes with this chunk
    for _ in range(20):
        chunker.record(chunker.size, 0.001)
    assert chunker.size == chunker.maximum
