"""Reference hall: sign-in, health and the catalog's cursor/ETag protocol, over real HTTP."""

from __future__ import annotations

import json

import pytest
import requests

from tests.support.hall import (
    DEMO_ADMIN,
    DEMO_PASSWORD,
    DEMO_STATION,
    DEMO_STREET_STATION,
    DEMO_USER,
    demo_catalog_file,
    fresh_test_database,
    hall_rows,
)

pytestmark = pytest.mark.skipif(demo_catalog_file() is None, reason="demo catalog missing")


def sign_in(hall, user=DEMO_USER, password=DEMO_PASSWORD, station=DEMO_STATION):
    return requests.post(
        f"{hall.api}/auth/token",
        json={"station": station, "user": user, "password": password},
        timeout=10,
    )


@pytest.fixture(scope="module")
def token(shared_hall):
    """Publishing the catalog is the district administrator's."""
    reply = sign_in(shared_hall, user=DEMO_ADMIN)
    assert reply.status_code == 200, reply.text
    return reply.json()["access_token"]


def test_health_answers_ok_with_a_time(shared_hall):
    body = requests.get(f"{shared_hall.api}/health", timeout=10).json()
    assert body["status"] == "ok" and body["time"].startswith("20")


def test_demo_accounts_sign_in_and_wrong_password_is_refused(shared_hall):
    for user, station, role in (("clerk01", DEMO_STATION, "clerk"),
                                ("clerk02", DEMO_STREET_STATION, "clerk"),
                                ("supervisor", DEMO_STATION, "supervisor"),
                                ("admin", DEMO_STATION, "admin")):
        reply = sign_in(shared_hall, user=user, station=station)
        assert reply.status_code == 200
        body = reply.json()
        assert body["token_type"] == "bearer" and body["station"] == station
        assert body["user"] == user and body["expires_in"] > 0 and body["role"] == role
    wrong = sign_in(shared_hall, password="wrong")
    assert wrong.status_code == 401 and wrong.json()["error"] == "bad_credentials"
    assert sign_in(shared_hall, user="nobody").json()["error"] == "bad_credentials"
    assert sign_in(shared_hall, station="35020500").status_code == 401


def test_passwords_are_stored_only_as_scrypt_hashes(shared_hall):
    hashes = [row[0] for row in hall_rows(shared_hall, "SELECT password_hash FROM accounts")]
    assert len(hashes) == 4
    assert all(h.startswith("scrypt$") and DEMO_PASSWORD not in h for h in hashes)


def test_protected_endpoint_needs_a_valid_token(shared_hall, token):
    minimal = {"format": "onewindow-catalog/1", "items": [], "removed": []}
    url = f"{shared_hall.api}/admin/catalog"
    assert requests.post(url, json=minimal, timeout=10).json()["error"] == "unauthorized"
    bad = requests.post(url, json=minimal, timeout=10, headers={"Authorization": "Bearer x"})
    assert bad.status_code == 401 and bad.json()["error"] == "unauthorized"


def test_snapshot_then_delta_then_304(shared_hall, token):
    demo = json.loads(demo_catalog_file().read_text(encoding="utf-8"))
    snapshot = requests.get(f"{shared_hall.api}/catalog", timeout=10)
    assert snapshot.status_code == 200
    body = snapshot.json()
    assert body["mode"] == "snapshot" and body["format"] == "onewindow-catalog/1"
    assert {i["task_code"] for i in body["items"]} == {i["task_code"] for i in demo["items"]}
    assert snapshot.headers["ETag"] == f'"{body["version"]}"'
    cursor = body["version"]

    unchanged = requests.get(
        f"{shared_hall.api}/catalog", params={"since": cursor},
        headers={"If-None-Match": snapshot.headers["ETag"]}, timeout=10,
    )
    assert unchanged.status_code == 304 and unchanged.content == b""

    changed_item = dict(demo["items"][0], version=demo["items"][0]["version"] + 1)
    removed_code = demo["items"][5]["task_code"]  # an item without 办理项
    headers = {"Authorization": f"Bearer {token}"}
    published = requests.post(
        f"{shared_hall.api}/admin/catalog", headers=headers, timeout=10,
        json={"format": "onewindow-catalog/1", "version": "x",
              "generated_at": "2026-11-27T10:00:00+08:00",
              "items": [changed_item], "removed": [removed_code]},
    )
    assert published.status_code == 200
    new_cursor = published.json()["version"]
    assert new_cursor != cursor

    delta = requests.get(
        f"{shared_hall.api}/catalog", params={"since": cursor},
        headers={"If-None-Match": snapshot.headers["ETag"]}, timeout=10,
    )
    assert delta.status_code == 200
    body = delta.json()
    assert body["mode"] == "delta" and body["version"] == new_cursor
    assert [i["task_code"] for i in body["items"]] == [changed_item["task_code"]]
    assert body["items"][0]["version"] == changed_item["version"]
    assert body["removed"] == [removed_code]

    unknown = requests.get(f"{shared_hall.api}/catalog", params={"since": "r999"}, timeout=10)
    body = unknown.json()
    assert body["mode"] == "snapshot" and body["removed"] == []
    assert removed_code not in {i["task_code"] for i in body["items"]}
    assert len(body["items"]) == len(demo["items"]) - 1


def test_publishing_identical_content_makes_no_new_revision(shared_hall, token):
    current = requests.get(f"{shared_hall.api}/catalog", timeout=10).json()
    again = requests.post(
        f"{shared_hall.api}/admin/catalog", headers={"Authorization": f"Bearer {token}"},
        json=dict(current, items=current["items"][:3], removed=[]),
        timeout=10,
    )
    assert again.json()["version"] == current["version"]


def test_bad_catalog_document_is_refused_with_the_field(shared_hall, token):
    reply = requests.post(
        f"{shared_hall.api}/admin/catalog", headers={"Authorization": f"Bearer {token}"},
        json={"format": "onewindow-catalog/1", "version": "x",
              "generated_at": "2026-11-27T10:00:00+08:00", "items": [{"name": "无编码"}]},
        timeout=10,
    )
    assert reply.status_code == 422
    body = reply.json()
    assert body["error"] == "invalid_catalog"
    assert body["detail"].startswith("catalog.v1.json: items[0].task_code: required")


def test_republishing_the_same_file_keeps_the_cursor(tmp_path):
    # In-process: what a restart with the same --catalog file does to the database.
    from central_hall import catalog
    from central_hall.storage import HallDatabase

    db = HallDatabase.open(tmp_path / "hall")
    first = catalog.publish_file(db, demo_catalog_file())
    db.close()
    reopened = HallDatabase.open(tmp_path / "hall")
    assert catalog.publish_file(reopened, demo_catalog_file()) == first == "r1"
    reopened.close()


def test_faults_endpoint_absent_without_the_flag(shared_hall):
    reply = requests.post(f"{shared_hall.api}/admin/faults", json={"rate_limit": 1}, timeout=10)
    assert reply.status_code == 404 and reply.json()["error"] == "not_found"


def test_account_command_replaces_the_demo_accounts(tmp_path, hall_factory, monkeypatch,
                                                    capsys):
    import io
    import sys

    from central_hall.__main__ import main as hall_main

    data = tmp_path / "pilot"
    database = fresh_test_database()  # None: the SQLite file in data
    where = ["--data", str(data), *(["--database", database] if database else [])]

    def account(*argv, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        return hall_main(["account", *where, *argv])

    assert hall_main(["station", "add", *where, "--code", DEMO_STATION,
                      "--name", "试点中心"]) == 0
    at_centre = ("--station", DEMO_STATION)
    assert account("--user", "zhouqi", *at_centre, stdin="short\n") == 1
    assert "8 characters" in capsys.readouterr().err
    assert account("--user", "zhouqi", "--role", "supervisor", *at_centre,
                   stdin="a-pilot-secret\n") == 0
    assert account("--user", "temp", *at_centre, stdin="temporary-secret\n") == 0
    assert account("--user", "temp", "--remove") == 0
    assert account("--user", "temp", "--remove") == 1
    assert "no account temp" in capsys.readouterr().err

    pilot = hall_factory(data_dir=data, database_url=database)
    # A data directory that already has accounts gets no demo accounts.
    assert sign_in(pilot).json()["error"] == "bad_credentials"
    assert sign_in(pilot, user="zhouqi", password="a-pilot-secret").status_code == 200
    assert sign_in(pilot, user="temp", password="temporary-secret").status_code == 401


def test_catalog_is_gzip_compressed_when_the_client_accepts_it(shared_hall):
    compressed = requests.get(f"{shared_hall.api}/catalog", timeout=10,
                              headers={"Accept-Encoding": "gzip"})
    assert compressed.headers["Content-Encoding"] == "gzip"
    plain = requests.get(f"{shared_hall.api}/catalog", timeout=10,
                         headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert compressed.json() == plain.json()
    assert int(compressed.headers["Content-Length"]) < len(plain.content) / 3
