"""Reference hall: resumable uploads, idempotent commits, status updates and
hall-side faults — over real HTTP against a hall subprocess.

Every manifest comes from the workstation's own producer (IntakeService →
outbox, tests/support/producers.py); refusals are tested by breaking one
field of such a manifest."""

from __future__ import annotations

import copy
import os
import sqlite3
import uuid as uuidlib

import pytest

import contracts
from tests.support.hall import (
    DEMO_ADMIN,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    hall_rows,
    start_hall,
)
from tests.support.hall_client import RawHall, sha256_hex


@pytest.fixture
def produce(module_case_producer):
    """``produce(shape="person", scanned_pages=0)``: a case taken in at the station."""
    return module_case_producer.take_in


def manifest_of(produce, shape: str = "person") -> dict:
    return copy.deepcopy(produce(shape).manifest)


@pytest.fixture(scope="module")
def faulty_hall(tmp_path_factory):
    handle = start_hall(tmp_path_factory.mktemp("cases") / "hall", faults=True)
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def client(faulty_hall):
    return RawHall(faulty_hall)


@pytest.fixture(scope="module")
def admin(faulty_hall):
    """The district's departments post case progress, not the stations' clerks."""
    return RawHall(faulty_hall, user=DEMO_ADMIN)


@pytest.fixture(autouse=True)
def no_faults_left(client):
    yield
    client.request("POST", "/admin/faults", json={
        "fail_after_commit": 0, "fail_before_commit": 0, "rate_limit": 0,
        "offset_conflict": 0, "checksum_mismatch": 0})


def case_uuid() -> str:
    return str(uuidlib.uuid4())


def test_upload_in_chunks_then_head_reports_complete(client, faulty_hall):
    data = os.urandom(300_000)
    digest = sha256_hex(data)
    owner = case_uuid()
    assert client.request("HEAD", f"/cases/{owner}/blobs/{digest}").status_code == 404
    start = client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                           headers={"Upload-Length": str(len(data))})
    assert start.status_code == 201 and start.json() == {"offset": 0, "complete": False}
    first = client.patch_chunk(owner, digest, 0, data[:100_000])
    assert first.status_code == 204
    assert first.headers["Upload-Offset"] == "100000" and first.headers["Upload-Complete"] == "0"
    head = client.request("HEAD", f"/cases/{owner}/blobs/{digest}")
    assert head.headers["Upload-Offset"] == "100000"
    assert head.headers["Upload-Length"] == str(len(data))
    # A second PUT keeps the partial upload (resume after a client restart).
    again = client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                           headers={"Upload-Length": str(len(data))})
    assert again.json() == {"offset": 100_000, "complete": False}
    last = client.patch_chunk(owner, digest, 100_000, data[100_000:])
    assert last.status_code == 204 and last.headers["Upload-Complete"] == "1"
    head = client.request("HEAD", f"/cases/{owner}/blobs/{digest}")
    assert head.headers["Upload-Complete"] == "1"
    stored = faulty_hall.data_dir / "blobs" / digest[:2] / digest
    assert stored.read_bytes() == data
    # Another case announcing the same content is answered "complete" at once.
    other = client.request("PUT", f"/cases/{case_uuid()}/blobs/{digest}",
                           headers={"Upload-Length": str(len(data))})
    assert other.status_code == 200 and other.json() == {"offset": len(data), "complete": True}


def test_offset_conflict_reports_the_halls_offset(client):
    data = os.urandom(50_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    client.patch_chunk(owner, digest, 0, data[:20_000])
    wrong = client.patch_chunk(owner, digest, 10_000, data[10_000:30_000])
    assert wrong.status_code == 409
    assert wrong.json()["error"] == "offset_mismatch"
    assert wrong.headers["Upload-Offset"] == "20000"


def test_chunk_checksum_mismatch_leaves_the_offset(client):
    data = os.urandom(40_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    bad = client.patch_chunk(owner, digest, 0, data[:10_000], chunk_sha="0" * 64)
    assert bad.status_code == 409 and bad.json()["error"] == "checksum_mismatch"
    head = client.request("HEAD", f"/cases/{owner}/blobs/{digest}")
    assert head.headers["Upload-Offset"] == "0"


def test_whole_digest_mismatch_restarts_the_upload(client):
    data = os.urandom(30_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    tampered = bytes([data[0] ^ 0xFF]) + data[1:]
    reply = client.patch_chunk(owner, digest, 0, tampered)  # chunk checksum itself is right
    assert reply.status_code == 409 and reply.json()["error"] == "digest_mismatch"
    head = client.request("HEAD", f"/cases/{owner}/blobs/{digest}")
    assert head.headers["Upload-Offset"] == "0" and head.headers["Upload-Complete"] == "0"
    client.upload(owner, data)
    assert client.request("HEAD", f"/cases/{owner}/blobs/{digest}").headers[
        "Upload-Complete"] == "1"


def test_patch_without_put_is_unknown_and_bad_requests_are_named(client):
    data = b"never announced"
    digest = sha256_hex(data)
    reply = client.patch_chunk(case_uuid(), digest, 0, data)
    assert reply.status_code == 404 and reply.json()["error"] == "upload_unknown"
    bad_digest = client.request("HEAD", f"/cases/{case_uuid()}/blobs/xyz")
    assert bad_digest.status_code == 400
    no_length = client.request("PUT", f"/cases/{case_uuid()}/blobs/{digest}")
    assert no_length.json()["error"] == "upload_length_required"


def test_commit_replay_reuse_and_next_revision(client, produce):
    case = produce("notify_then_accept", scanned_pages=1)
    notified, accepted = case.manifests
    [(digest, data)] = case.attachments.items()
    key = f"{case.uuid}:1"

    missing = client.commit(notified, key)
    assert missing.status_code == 409
    assert missing.json()["error"] == "blobs_missing"
    assert missing.json()["missing"] == [digest]

    client.upload(case.uuid, data)
    first = client.commit(notified, key)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["revision"] == 1 and body["number"] == case.number
    assert "Idempotent-Replayed" not in first.headers

    replay = client.commit(notified, key)
    assert replay.status_code == 201 and replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"

    changed = dict(notified, contact_phone="13900000000")
    reused = client.commit(changed, key)
    assert reused.status_code == 422 and reused.json()["error"] == "idempotency_key_reused"

    second = client.commit(accepted, f"{case.uuid}:2")
    assert second.status_code == 200 and second.json()["revision"] == 2

    held = client.request("GET", f"/cases/{case.uuid}").json()
    assert held["revision"] == 2 and held["manifest"] == accepted
    assert held["attachments"] == [{"sha256": digest, "size": len(data)}]


def test_every_shape_of_case_the_workstation_produces_is_committed(client, produce):
    for shape in ("person", "organisation", "agent", "reject", "conclude"):
        case = produce(shape)
        reply = client.commit(case.manifest, f"{case.uuid}:1")
        assert reply.status_code == 201, (shape, reply.text)
        held = client.request("GET", f"/cases/{case.uuid}").json()
        assert held["manifest"] == case.manifest


def test_number_conflict_and_invalid_manifest(client, produce):
    first = manifest_of(produce)
    assert client.commit(first, f"{first['uuid']}:1").status_code == 201
    thief = dict(manifest_of(produce), number=first["number"])
    reply = client.commit(thief, f"{thief['uuid']}:1")
    assert reply.status_code == 422 and reply.json()["error"] == "number_conflict"

    def broken(shape="person", **changes):
        manifest = manifest_of(produce, shape)
        for path, value in changes.items():
            *parents, leaf = path.split("__")
            target = manifest
            for part in parents:
                target = target[part]
            target[leaf] = value
        return manifest

    for manifest, field in [
        (broken(task_code=""), "task_code"),
        (broken(applicant={"kind": "person", "name": "张三"}), "applicant.id_type"),
        (broken(event="reject", state="rejected"), "decision.reason"),
        (broken(materials=[]), "materials"),
        # The defect of issue 10: a legal representative sent as a bare name.
        (broken("organisation", applicant__legal_rep="李四"), "applicant.legal_rep"),
        (broken("organisation", applicant__legal_rep=None), "applicant.legal_rep"),
        (broken(apply_time="2026-11-27T10:00:00"), "apply_time"),  # no offset
        (broken(channel="1"), "channel"),
        (broken(applicant__id_type="112"), "applicant.id_type"),
        (broken(unknown_field=1), "unknown_field"),
    ]:
        reply = client.commit(manifest, f"{manifest['uuid']}:1")
        assert reply.status_code == 422, reply.text
        assert reply.json() == {"error": "invalid_manifest", "detail": field}
    typed = broken(event="approve")
    assert client.commit(typed, "k-typed").json() == {
        "error": "invalid_manifest", "detail": "event"}
    other_uuid = manifest_of(produce)
    reply = client.request("PUT", f"/cases/{case_uuid()}", json=other_uuid,
                           headers={"Idempotency-Key": "k-uuid"})
    assert reply.json()["detail"] == "uuid"
    no_key = client.request("PUT", f"/cases/{other_uuid['uuid']}", json=other_uuid)
    assert no_key.status_code == 400 and no_key.json()["error"] == "idempotency_key_required"


def test_status_updates_follow_a_cursor_per_station(client, admin, faulty_hall, produce):
    manifest = manifest_of(produce)
    assert client.commit(manifest, f"{manifest['uuid']}:1").status_code == 201
    feed = client.request("GET", "/cases/updates").json()
    contracts.check("status_updates", feed)
    mine = [u for u in feed["updates"] if u["uuid"] == manifest["uuid"]]
    assert [u["status"] for u in mine] == ["received"]
    cursor = feed["cursor"]
    assert client.request("GET", "/cases/updates", params={"since": cursor}).json() == {
        "cursor": cursor, "updates": []}

    for status in ("in_process", "concluded"):
        reply = admin.request("POST", f"/admin/cases/{manifest['uuid']}/status",
                              json={"status": status, "detail": "测试"})
        assert reply.status_code == 200
    feed = client.request("GET", "/cases/updates", params={"since": cursor, "limit": 1}).json()
    assert [u["status"] for u in feed["updates"]] == ["in_process"]
    feed = client.request("GET", "/cases/updates", params={"since": feed["cursor"]}).json()
    assert [u["status"] for u in feed["updates"]] == ["concluded"]
    assert feed["updates"][0]["number"] == manifest["number"]

    elsewhere = RawHall(faulty_hall, station=DEMO_STREET_STATION, user=DEMO_STREET_USER)
    assert elsewhere.request("GET", "/cases/updates").json()["updates"] == []
    unknown = admin.request("POST", f"/admin/cases/{case_uuid()}/status",
                            json={"status": "concluded"})
    assert unknown.status_code == 404
    bad = admin.request("POST", f"/admin/cases/{manifest['uuid']}/status",
                        json={"status": "approved"})
    assert bad.status_code == 422


def test_fail_after_commit_commits_then_replay_returns_the_result(client, faulty_hall, produce):
    client.request("POST", "/admin/faults", json={"fail_after_commit": 1})
    manifest = manifest_of(produce)
    key = f"{manifest['uuid']}:1"
    failed = client.commit(manifest, key)
    assert failed.status_code == 500
    held = client.request("GET", f"/cases/{manifest['uuid']}")
    assert held.status_code == 200 and held.json()["revision"] == 1
    retried = client.commit(manifest, key)
    assert retried.status_code == 201 and retried.headers["Idempotent-Replayed"] == "true"
    [(count,)] = hall_rows(faulty_hall, "SELECT COUNT(*) FROM case_revisions WHERE uuid = ?",
                           (manifest["uuid"],))
    assert count == 1


def test_fail_before_commit_commits_nothing(client, produce):
    client.request("POST", "/admin/faults", json={"fail_before_commit": 1})
    manifest = manifest_of(produce)
    assert client.commit(manifest, f"{manifest['uuid']}:1").status_code == 500
    assert client.request("GET", f"/cases/{manifest['uuid']}").status_code == 404
    assert client.commit(manifest, f"{manifest['uuid']}:1").status_code == 201


def test_rate_limit_answers_429_with_retry_after(client):
    state = client.request("POST", "/admin/faults",
                           json={"rate_limit": 2, "retry_after_s": 7}).json()
    assert state["rate_limit"] == 2
    for _ in range(2):
        reply = client.request("GET", "/cases/updates")
        assert reply.status_code == 429 and reply.headers["Retry-After"] == "7"
        assert reply.json()["error"] == "rate_limited"
    assert client.request("GET", "/cases/updates").status_code == 200


def test_injected_upload_faults(client):
    data = os.urandom(10_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    client.request("POST", "/admin/faults", json={"offset_conflict": 1, "checksum_mismatch": 1})
    assert client.patch_chunk(owner, digest, 0, data).json()["error"] == "offset_mismatch"
    assert client.patch_chunk(owner, digest, 0, data).json()["error"] == "checksum_mismatch"
    assert client.patch_chunk(owner, digest, 0, data).status_code == 204


def test_truncate_uploads_drops_partial_uploads(client):
    data = os.urandom(10_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    client.patch_chunk(owner, digest, 0, data[:5_000])
    client.request("POST", "/admin/faults", json={"truncate_uploads": True})
    assert client.request("HEAD", f"/cases/{owner}/blobs/{digest}").status_code == 404


def test_hall_killed_mid_upload_keeps_commits_and_resumes(tmp_path, produce):
    data_dir = tmp_path / "hall"
    first = start_hall(data_dir)
    client = RawHall(first)
    committed = manifest_of(produce)
    assert client.commit(committed, f"{committed['uuid']}:1").status_code == 201
    data = os.urandom(200_000)
    digest, owner = sha256_hex(data), case_uuid()
    client.request("PUT", f"/cases/{owner}/blobs/{digest}",
                   headers={"Upload-Length": str(len(data))})
    for offset in (0, 50_000):
        client.patch_chunk(owner, digest, offset, data[offset:offset + 50_000])
    first.kill()  # SIGKILL: no shutdown code runs

    second = start_hall(data_dir, database_url=first.database_url)
    try:
        client = RawHall(second)
        head = client.request("HEAD", f"/cases/{owner}/blobs/{digest}")
        assert head.headers["Upload-Offset"] == "100000"
        client.upload(owner, data)
        assert (data_dir / "blobs" / digest[:2] / digest).read_bytes() == data
        replay = client.commit(committed, f"{committed['uuid']}:1")
        assert replay.status_code == 201 and replay.headers["Idempotent-Replayed"] == "true"
    finally:
        second.stop()
    if first.database_url is None:
        conn = sqlite3.connect(data_dir / "hall.sqlite3")
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()


def test_wrongly_typed_manifest_field_is_named(client, produce):
    manifest = manifest_of(produce)
    manifest["attachments"] = [{"sha256": "a" * 64, "size": "big"}]
    reply = client.commit(manifest, f"{manifest['uuid']}:1")
    assert reply.status_code == 422
    assert reply.json() == {"error": "invalid_manifest", "detail": "attachments[0].size"}
    not_json = client.request("PUT", f"/cases/{manifest['uuid']}", data=b"{not json",
                              headers={"Idempotency-Key": "k", "Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json()["error"] == "invalid_json"


def test_empty_blob_is_complete_at_once(client):
    digest = sha256_hex(b"")
    reply = client.request("PUT", f"/cases/{case_uuid()}/blobs/{digest}",
                           headers={"Upload-Length": "0"})
    assert reply.status_code in (200, 201) and reply.json() == {"offset": 0, "complete": True}


def test_concurrent_identical_commits_commit_once(client, faulty_hall, produce):
    from concurrent.futures import ThreadPoolExecutor

    manifest = manifest_of(produce)
    key = f"{manifest['uuid']}:1"
    clients = [RawHall(faulty_hall) for _ in range(6)]
    with ThreadPoolExecutor(len(clients)) as pool:
        replies = list(pool.map(lambda c: c.commit(manifest, key), clients))
    assert {r.status_code for r in replies} == {201}
    assert len({r.text for r in replies}) == 1
    assert sum("Idempotent-Replayed" not in r.headers for r in replies) == 1
    [(revisions,)] = hall_rows(faulty_hall, "SELECT COUNT(*) FROM case_revisions "
                               "WHERE uuid = ?", (manifest["uuid"],))
    assert revisions == 1
