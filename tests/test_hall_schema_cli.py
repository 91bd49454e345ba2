"""The published hall schema matches the running server; the ``onewindow hall``
commands start a hall and list what it holds."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from app.cli import CommandError, hall_cmd
from app.embedded_hall import EmbeddedHall
from tests.support.hall_client import RawHall

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED_SCHEMA = ROOT / "central_hall" / "openapi.json"


def test_running_server_schema_equals_the_committed_file(shared_hall):
    served = requests.get(f"{shared_hall.url}/openapi.json", timeout=10).json()
    committed = json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    assert served == committed, (
        "central_hall/openapi.json is stale: run "
        "`.venv/bin/python -m central_hall openapi > central_hall/openapi.json`"
    )


def test_schema_documents_every_contract_route():
    paths = json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))["paths"]
    for path, method in [
        ("/api/v1/health", "get"), ("/api/v1/auth/token", "post"),
        ("/api/v1/catalog", "get"), ("/api/v1/admin/catalog", "post"),
        ("/api/v1/cases/{uuid}/blobs/{sha256}", "head"),
        ("/api/v1/cases/{uuid}/blobs/{sha256}", "put"),
        ("/api/v1/cases/{uuid}/blobs/{sha256}", "patch"),
        ("/api/v1/cases/{uuid}", "put"), ("/api/v1/cases/{uuid}", "get"),
        ("/api/v1/cases/updates", "get"), ("/api/v1/admin/cases/{uuid}/status", "post"),
        ("/api/v1/certificates", "get"), ("/api/v1/certificates/{certificate_id}/file", "get"),
        ("/api/v1/certificates/public-key", "get"),
    ]:
        assert method in paths.get(path, {}), f"{method.upper()} {path} missing"


def run_hall_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="onewindow")
    hall_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(argv)
    return args.handler(args)


def test_hall_cases_lists_number_uuid_revision_and_attachments(shared_hall, capsys,
                                                               module_case_producer):
    if shared_hall.database_url:
        pytest.skip("onewindow hall cases reads a hall's SQLite file (not its PostgreSQL)")
    client = RawHall(shared_hall)
    case = module_case_producer.take_in("notify_then_accept", scanned_pages=1)
    [(digest, data)] = case.attachments.items()
    client.upload(case.uuid, data)
    for revision, manifest in enumerate(case.manifests, start=1):
        assert client.commit(manifest, f"{case.uuid}:{revision}").ok
    manifest = case.manifest

    assert run_hall_command(["hall", "cases", "--data", str(shared_hall.data_dir), "--json"]) == 0
    listed = {c["uuid"]: c for c in json.loads(capsys.readouterr().out)}
    case = listed[case.uuid]
    assert case["number"] == manifest["number"] and case["revision"] == 2
    assert case["event"] == "accept"
    assert case["attachments"] == [{"sha256": digest, "size": len(data)}]

    assert run_hall_command(["hall", "cases", "--data", str(shared_hall.data_dir)]) == 0
    assert manifest["number"] in capsys.readouterr().out


def test_hall_cases_on_a_directory_without_a_hall_says_so(tmp_path):
    with pytest.raises(CommandError, match="不是参考大厅的数据目录"):
        run_hall_command(["hall", "cases", "--data", str(tmp_path)])


def test_onewindow_hall_serve_forwards_to_the_hall(tmp_path):
    port_file = tmp_path / "port"
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "hall", "serve", "--port", "0",
         "--data", str(tmp_path / "data"), "--port-file", str(port_file)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_file.exists() and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.05)
        port = int(port_file.read_text())
        while time.monotonic() < deadline:
            try:
                reply = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert reply.json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(15)
    assert (tmp_path / "data" / "hall.sqlite3").exists()


def test_hall_serve_refuses_a_missing_catalog_file(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        run_hall_command(["hall", "serve", "--data", str(tmp_path),
                          "--catalog", str(tmp_path / "nope.json")])


def test_embedded_hall_starts_with_demo_data_and_stops(tmp_path):
    embedded = EmbeddedHall(tmp_path / "home")
    url = embedded.start()
    try:
        assert url.startswith("http://127.0.0.1:")
        assert requests.get(f"{url}/api/v1/health", timeout=10).json()["status"] == "ok"
        catalog = requests.get(f"{url}/api/v1/catalog", timeout=10).json()
        assert catalog["items"], "demo catalog not published"
        assert embedded.start() == url  # idempotent while running
    finally:
        embedded.stop()
    assert (tmp_path / "home" / "hall" / "hall.sqlite3").exists()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/api/v1/health", timeout=2)


def test_tls_hall_serves_with_the_generated_certificate(hall_factory):
    secure = hall_factory(tls=True)
    assert secure.url.startswith("https://") and secure.ca_cert_path.exists()
    reply = requests.get(f"{secure.api}/health", verify=str(secure.ca_cert_path), timeout=10)
    assert reply.json()["status"] == "ok"
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{secure.api}/health", verify=True, timeout=10)
    assert RawHall(secure).request("GET", "/cases/updates").status_code == 200


def test_embedded_hall_exits_when_the_workstation_is_killed(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from app.embedded_hall import launch_hall;"
         "h = launch_hall(Path(sys.argv[1]), exit_with_parent=True);"
         "print(h.url, flush=True); time.sleep(120)",
         str(tmp_path / "hall")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    url = parent.stdout.readline().strip()
    assert requests.get(f"{url}/api/v1/health", timeout=10).ok
    parent.kill()
    parent.wait(10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}/api/v1/health", timeout=1)
        except requests.ConnectionError:
            return
        time.sleep(0.2)
    pytest.fail("the hall outlived the process that started it")


def test_serve_on_a_busy_port_fails_with_one_line(tmp_path, capsys):
    import socket

    from central_hall.__main__ import main as hall_main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status = hall_main(["serve", "--port", str(port), "--data", str(tmp_path / "data")])
    assert status == 1
    assert capsys.readouterr().err.strip().startswith(f"cannot listen on 127.0.0.1:{port}")
