"""Reference hall as the district's platform: stations kept apart, roles checked,
limits before work — each test is one attack of issue 13, over real HTTP."""

from __future__ import annotations

import copy
import os
import socket
import time
import uuid as uuidlib
from urllib.parse import urlsplit

import pytest
import requests
from stdnum.iso7064 import mod_37_36

from tests.support.hall import (
    DEMO_ADMIN,
    DEMO_PASSWORD,
    DEMO_STATION,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    DEMO_SUPERVISOR,
    DEMO_USER,
    start_hall,
)
from tests.support.hall_client import RawHall, sha256_hex


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    handle = start_hall(tmp_path_factory.mktemp("district") / "hall")
    yield handle
    handle.stop()


@pytest.fixture(scope="module")
def centre(district):
    """Station A: the district centre's clerk."""
    return RawHall(district)


@pytest.fixture(scope="module")
def street(district):
    """Station B: the street office's clerk."""
    return RawHall(district, station=DEMO_STREET_STATION, user=DEMO_STREET_USER)


@pytest.fixture
def produce(module_case_producer):
    """A case taken in at the centre (350205001) by the workstation's intake."""

    def take_in(**options) -> dict:
        return copy.deepcopy(module_case_producer.take_in(**options).manifest)

    return take_in


def at_station(manifest: dict, station: str) -> dict:
    """The same kind of case as another station's workstation numbers it: its own
    uuid, its station, and a number that begins with its code (check recomputed)."""
    body = station + manifest["number"][9:-1]
    return {**copy.deepcopy(manifest), "uuid": str(uuidlib.uuid4()), "station": station,
            "number": body + mod_37_36.calc_check_digit(body)}


def committed_case(client: RawHall, manifest: dict) -> dict:
    reply = client.commit(manifest, f"{manifest['uuid']}:1")
    assert reply.status_code == 201, reply.text
    return manifest


def sign_in(hall, station, user, password=DEMO_PASSWORD):
    return requests.post(f"{hall.api}/auth/token", timeout=10,
                         json={"station": station, "user": user, "password": password})


# --- station B and station A's cases ---------------------------------------------


def test_another_station_cannot_read_a_case(centre, street, produce):
    case = committed_case(centre, produce())
    mine = centre.request("GET", f"/cases/{case['uuid']}")
    assert mine.status_code == 200
    stolen = street.request("GET", f"/cases/{case['uuid']}")
    assert stolen.status_code == 404
    assert case["applicant"]["id_number"] not in stolen.text


def test_another_station_cannot_overwrite_a_case(centre, street, produce):
    case = committed_case(centre, produce())
    name = case["applicant"]["name"]
    forged = {**case, "station": DEMO_STREET_STATION, "applicant": {
        **case["applicant"], "name": "冒名"}}
    reply = street.commit(forged, "forged-1")
    assert reply.status_code == 403 and reply.json()["error"] == "not_your_case"
    # Even posing as station A in the manifest does not help.
    reply = street.commit({**case, "applicant": {**case["applicant"], "name": "冒名"}}, "f-2")
    assert reply.status_code == 403
    held = centre.request("GET", f"/cases/{case['uuid']}").json()
    assert held["revision"] == 1 and held["manifest"]["applicant"]["name"] == name


def test_a_station_cannot_post_status_updates(centre, street, district, produce):
    case = committed_case(centre, produce())
    for clerk in (street, centre):
        fake = clerk.request("POST", f"/admin/cases/{case['uuid']}/status",
                             json={"status": "concluded", "detail": "伪造办结"})
        assert fake.status_code == 403, fake.text
    feed = centre.request("GET", "/cases/updates").json()["updates"]
    assert [u["status"] for u in feed if u["uuid"] == case["uuid"]] == ["received"]
    admin = RawHall(district, user=DEMO_ADMIN)
    real = admin.request("POST", f"/admin/cases/{case['uuid']}/status",
                         json={"status": "in_process", "detail": "科室审查中"})
    assert real.status_code == 200
    feed = centre.request("GET", "/cases/updates").json()["updates"]
    assert [u["status"] for u in feed if u["uuid"] == case["uuid"]] == ["received", "in_process"]
    assert all(u["uuid"] != case["uuid"] for u in street.request(
        "GET", "/cases/updates").json()["updates"])


def test_a_station_cannot_take_another_stations_case_numbers(centre, street, produce):
    own = produce()  # A's next number, not yet at the hall
    squatted = {**at_station(own, DEMO_STREET_STATION), "number": own["number"]}
    reply = street.commit(squatted, f"{squatted['uuid']}:1")
    assert reply.status_code == 403 and reply.json()["error"] == "number_not_of_station"
    posing = {**own, "uuid": str(uuidlib.uuid4())}  # even claiming to be station A
    assert street.commit(posing, f"{posing['uuid']}:1").status_code == 403
    assert centre.commit(own, f"{own['uuid']}:1").status_code == 201


def test_idempotency_keys_are_per_station(centre, street, produce):
    case = produce()
    key = f"{case['uuid']}:1"
    theirs = at_station(produce(), DEMO_STREET_STATION)
    # B uses A's next key first: A's commit is not refused as a reused key.
    assert street.commit(theirs, key).status_code == 201
    assert centre.commit(case, key).status_code == 201


def test_supervisor_reads_every_station_and_changes_nothing(district, street, produce):
    case = committed_case(street, at_station(produce(), DEMO_STREET_STATION))
    supervisor = RawHall(district, user=DEMO_SUPERVISOR)
    assert supervisor.request("GET", f"/cases/{case['uuid']}").status_code == 200
    feed = supervisor.request("GET", "/cases/updates", params={"limit": 1000}).json()
    assert case["uuid"] in {u["uuid"] for u in feed["updates"]}
    changed = supervisor.commit(case, "sup-1")
    assert changed.status_code == 403 and changed.json()["error"] == "read_only"
    status = supervisor.request("POST", f"/admin/cases/{case['uuid']}/status",
                                json={"status": "concluded"})
    assert status.status_code == 403
    data = b"supervisor upload"
    assert supervisor.request("PUT", f"/cases/{case['uuid']}/blobs/{sha256_hex(data)}",
                              headers={"Upload-Length": str(len(data))}).status_code == 403


def test_admin_routes_check_the_role(centre, district):
    assert centre.request("GET", "/admin/certificates/audit").status_code == 403
    minimal = {"format": "onewindow-catalog/1", "items": [], "removed": []}
    assert centre.request("POST", "/admin/catalog", json=minimal).status_code == 403
    supervisor = RawHall(district, user=DEMO_SUPERVISOR)
    assert supervisor.request("GET", "/admin/certificates/audit").status_code == 200
    assert supervisor.request("POST", "/admin/catalog", json=minimal).status_code == 403


# --- sign-in --------------------------------------------------------------------


@pytest.mark.parametrize("station", [
    "३५०२०५००१",  # Devanagari digits: str.isdigit() and \d take them
    "350205001\n",  # a regex with $ takes the trailing newline
    "３５０２０５００１",  # fullwidth digits
    "350205009",  # nine digits, but no such station
    "35020500",
])
def test_sign_in_only_at_registered_stations_in_ascii_digits(district, station):
    reply = sign_in(district, station, DEMO_USER)
    assert reply.status_code == 401, reply.text


def test_an_account_signs_in_only_at_its_own_stations(district):
    assert sign_in(district, DEMO_STATION, DEMO_STREET_USER).json()["error"] == (
        "station_not_allowed")
    assert sign_in(district, DEMO_STREET_STATION, DEMO_USER).status_code == 401
    reply = sign_in(district, DEMO_STREET_STATION, DEMO_STREET_USER)
    body = reply.json()
    assert (body["station"], body["user"], body["role"]) == (
        DEMO_STREET_STATION, DEMO_STREET_USER, "clerk")


def test_repeated_wrong_passwords_lock_the_account(tmp_path):
    hall = start_hall(tmp_path / "hall")
    try:
        for _ in range(5):
            assert sign_in(hall, DEMO_STREET_STATION, DEMO_STREET_USER, "guess").status_code == 401
        locked = sign_in(hall, DEMO_STREET_STATION, DEMO_STREET_USER)  # right password
        assert locked.status_code == 429 and locked.json()["error"] == "account_locked"
        assert 1 <= int(locked.headers["Retry-After"]) <= 300
        # Another account is not locked by it.
        assert sign_in(hall, DEMO_STATION, DEMO_USER).status_code == 200
    finally:
        hall.stop()


def test_one_address_guessing_many_accounts_is_slowed_down(tmp_path):
    hall = start_hall(tmp_path / "hall")
    try:
        started = time.monotonic()
        answers = [sign_in(hall, DEMO_STATION, f"guess{i}", "guess").status_code
                   for i in range(21)]
        assert answers[:20] == [401] * 20 and answers[20] == 429
        refused = sign_in(hall, DEMO_STATION, DEMO_USER)
        assert refused.status_code == 429 and refused.json()["error"] == "too_many_attempts"
        assert int(refused.headers["Retry-After"]) <= 60
        assert time.monotonic() - started < 30
    finally:
        hall.stop()


# --- uploads --------------------------------------------------------------------


def test_another_station_cannot_reset_or_see_an_upload(centre, street, produce):
    data = os.urandom(200_000)
    digest, owner = sha256_hex(data), str(uuidlib.uuid4())
    assert centre.request("PUT", f"/cases/{owner}/blobs/{digest}",
                          headers={"Upload-Length": str(len(data))}).status_code == 201
    assert centre.patch_chunk(owner, digest, 0, data[:100_000]).status_code == 204
    # B knows the digest: it sees nothing, and its attempts do not touch A's upload.
    assert street.request("HEAD", f"/cases/{owner}/blobs/{digest}").status_code in (403, 404)
    other = str(uuidlib.uuid4())
    assert street.request("HEAD", f"/cases/{other}/blobs/{digest}").status_code == 404
    street.request("PUT", f"/cases/{other}/blobs/{digest}", headers={"Upload-Length": "5"})
    street.patch_chunk(other, digest, 0, b"xxxxx")
    head = centre.request("HEAD", f"/cases/{owner}/blobs/{digest}")
    assert head.headers["Upload-Offset"] == "100000", head.headers
    assert centre.patch_chunk(owner, digest, 100_000, data[100_000:]).status_code == 204
    # A's complete blob is not B's: B sees only its own (failed) attempt, and B's
    # case cannot list the blob without sending the bytes.
    seen_by_b = street.request("HEAD", f"/cases/{other}/blobs/{digest}").headers
    assert (seen_by_b["Upload-Complete"], seen_by_b["Upload-Length"]) == ("0", "5")
    theirs = at_station(produce(scanned_pages=1), DEMO_STREET_STATION)
    # B's case lists A's blob in place of its own scanned page.
    scanned = theirs["attachments"][0]["sha256"]
    theirs["attachments"] = [{"sha256": digest, "size": len(data)}]
    for material in theirs["materials"]:
        if material.get("digest") == scanned:
            material["digest"], material["size"] = digest, len(data)
    refused = street.commit(theirs, f"{theirs['uuid']}:1")
    assert refused.status_code == 409 and refused.json()["missing"] == [digest]
    # Sending the bytes proves B holds them; then its case may list the blob.
    street.upload(theirs["uuid"], data)
    assert street.commit(theirs, f"{theirs['uuid']}:1").status_code == 201


def test_uploads_to_another_stations_case_are_refused(centre, street, produce):
    case = committed_case(centre, produce())
    data = b"into A's case"
    reply = street.request("PUT", f"/cases/{case['uuid']}/blobs/{sha256_hex(data)}",
                           headers={"Upload-Length": str(len(data))})
    assert reply.status_code == 403 and reply.json()["error"] == "not_your_case"


def test_open_uploads_per_station_are_bounded(tmp_path):
    hall = start_hall(tmp_path / "hall")
    try:
        street = RawHall(hall, station=DEMO_STREET_STATION, user=DEMO_STREET_USER)
        answers = []
        for index in range(65):
            digest = sha256_hex(f"never finished {index}".encode())
            answers.append(street.request(
                "PUT", f"/cases/{uuidlib.uuid4()}/blobs/{digest}",
                headers={"Upload-Length": str(512 * 1024 * 1024)}))
        assert [a.status_code for a in answers[:64]] == [201] * 64
        assert answers[64].status_code == 429 and "Retry-After" in answers[64].headers
        # The other station is not starved by it.
        centre = RawHall(hall)
        data = b"still fine"
        centre.upload(str(uuidlib.uuid4()), data)
    finally:
        hall.stop()


# --- limits before work ------------------------------------------------------------


def _raw_request(url: str, head: str, body_part: bytes, timeout: float = 5.0) -> tuple[int, float]:
    """Send the head and only part of the body; return (status, seconds to the answer)."""
    parts = urlsplit(url)
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + body_part)
        answer = sock.recv(4096)
    assert answer, "connection closed without an answer"
    return int(answer.split(b" ", 2)[1]), time.monotonic() - started


def test_a_body_without_a_token_is_refused_before_it_is_read(district):
    head = (f"PUT /api/v1/cases/{uuidlib.uuid4()} HTTP/1.1\r\nHost: hall\r\n"
            "Content-Type: application/json\r\nContent-Length: 90000000\r\n"
            "Idempotency-Key: k\r\n")
    status, seconds = _raw_request(district.url, head, b'{"uuid": "' + b"x" * 60_000)
    assert status == 401 and seconds < 2


def test_a_declared_oversized_chunk_is_refused_before_it_is_read(district, centre):
    data = os.urandom(1000)
    digest, owner = sha256_hex(data), str(uuidlib.uuid4())
    centre.request("PUT", f"/cases/{owner}/blobs/{digest}", headers={"Upload-Length": "1000"})
    token = centre.session.headers["Authorization"]
    head = (f"PATCH /api/v1/cases/{owner}/blobs/{digest} HTTP/1.1\r\nHost: hall\r\n"
            f"Authorization: {token}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Upload-Offset: 0\r\nChunk-SHA256: {digest}\r\n"
            f"Content-Length: {300 * 1024 * 1024}\r\n")
    status, seconds = _raw_request(district.url, head, b"\0" * 60_000)
    assert status == 413 and seconds < 2


def test_a_streamed_body_is_cut_off_at_the_route_limit(centre, produce):
    def chunks():
        piece = b" " * (256 * 1024)
        for _ in range(12):  # 3 MB of JSON whitespace; the manifest limit is 2 MB
            yield piece

    case = produce()
    reply = centre.request("PUT", f"/cases/{case['uuid']}", data=chunks(),
                           headers={"Idempotency-Key": "big", "Content-Type": "application/json"})
    assert reply.status_code == 413 and reply.json()["error"] == "too_large"
    assert centre.commit(case, f"{case['uuid']}:1").status_code == 201


# --- the station register on the command line ---------------------------------------


def test_station_and_account_commands(tmp_path, monkeypatch, capsys):
    import io
    import sys

    from central_hall.__main__ import main as hall_main

    data = str(tmp_path / "pilot")
    assert hall_main(["station", "add", "--data", data, "--code", "३५०२०५००१",
                      "--name", "假"]) == 1
    assert hall_main(["station", "add", "--data", data, "--code", "350206001",
                      "--name", "湖里区行政服务中心"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-pilot-secret\n"))
    assert hall_main(["account", "--data", data, "--user", "lin", "--station", "350206009"]) == 1
    assert "not registered" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("a-pilot-secret\n"))
    assert hall_main(["account", "--data", data, "--user", "lin", "--station", "350206001"]) == 0
    assert hall_main(["station", "list", "--data", data]) == 0
    assert capsys.readouterr().out.splitlines() == ["350206001\t湖里区行政服务中心\tlin"]
