"""``onewindow enroll`` / ``sync run`` / ``sync status`` as real subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from local_store.models import OutboxEntry
from sync import outbox
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
from tests.support.producers import create_case

ROOT = Path(__file__).resolve().parents[2]


def onewindow(*args, stdin: str = "", env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60,
    )


def test_enroll_run_and_status(store, shared_hall, file_keyring, home, key_agent):
    enrolled = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                         "--user", DEMO_USER, stdin=DEMO_PASSWORD + "\n")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "已登记" in enrolled.stdout
    settings = json.loads((home / "settings.json").read_text(encoding="utf-8"))
    assert settings["hall_url"] == shared_hall.url and settings["station_code"] == "001"
    assert DEMO_PASSWORD not in (home / "settings.json").read_text(encoding="utf-8")

    create_case(store, attachments=[b"scan"])
    create_case(store)
    status = onewindow("sync", "status", "--json")
    assert status.returncode == 0, status.stderr
    summary = json.loads(status.stdout)
    assert summary["queued"] == 2 and summary["acknowledged"] == 0
    assert summary["oldest_unsent_age_s"] >= 0 and "parked" in summary

    run = onewindow("sync", "run", "--once")
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(onewindow("sync", "status", "--json").stdout)
    assert summary["acknowledged"] == 2 and summary["queued"] == 0
    assert summary["oldest_unsent_age_s"] is None
    # Every lane did its work: the catalog lane brought the hall's catalog (it
    # once failed in the service for want of a registered importer).
    assert "事项目录（catalog）：正常" in run.stdout, run.stdout
    assert "本机清理（housekeeping）：正常" in run.stdout, run.stdout
    found = onewindow("catalog", "search", "gtgsh", "--json")
    assert json.loads(found.stdout)[0]["name"] == "个体工商户设立登记"


def _hall_key(hall) -> str:
    return (hall.data_dir / "sm2_public_key.hex").read_text(encoding="utf-8").strip()


def test_enroll_pins_the_hall_key_and_prints_its_fingerprint(shared_hall, file_keyring, home):
    """Without the pin every certificate read "未配置网上办事大厅公钥" after enrolment."""
    from app.certificates.hall_key import hall_key_fingerprint

    enrolled = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                         "--user", DEMO_USER, stdin=DEMO_PASSWORD + "\n")
    assert enrolled.returncode == 0, enrolled.stderr
    settings = json.loads((home / "settings.json").read_text(encoding="utf-8"))
    assert settings["hall_public_key"] == _hall_key(shared_hall)
    fingerprint = hall_key_fingerprint(_hall_key(shared_hall))
    assert f"指纹 {fingerprint}" in enrolled.stdout
    # The hall's operator reads the same fingerprint from the hall's side.
    published = onewindow("hall", "key", "--data", str(shared_hall.data_dir))
    assert published.returncode == 0 and fingerprint in published.stdout


def test_enroll_with_a_key_delivered_out_of_band(shared_hall, file_keyring, home, tmp_path):
    from gmssl import sm2

    from app.certificates.hall_key import hall_key_fingerprint

    delivered = tmp_path / "hall-key.hex"
    delivered.write_text(_hall_key(shared_hall) + "\n", encoding="utf-8")
    enrolled = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                         "--user", DEMO_USER, "--hall-key", str(delivered),
                         stdin=DEMO_PASSWORD + "\n")
    assert enrolled.returncode == 0, enrolled.stderr
    assert "来自公钥文件" in enrolled.stdout
    settings = json.loads((home / "settings.json").read_text(encoding="utf-8"))
    assert settings["hall_public_key"] == _hall_key(shared_hall)

    # Another key than the hall serves: refused, nothing pinned, one line.
    (home / "settings.json").unlink()
    other = sm2.CryptSM2(private_key="1" * 64, public_key="")._kg(int("1" * 64, 16),
                                                                   sm2.default_ecc_table["g"])
    delivered.write_text(other, encoding="utf-8")
    refused = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                        "--user", DEMO_USER, "--hall-key", str(delivered),
                        stdin=DEMO_PASSWORD + "\n")
    assert refused.returncode == 1
    assert "不符" in refused.stderr and hall_key_fingerprint(other) in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    settings = json.loads((home / "settings.json").read_text(encoding="utf-8"))
    assert not settings.get("hall_public_key")

    # Not a key at all: refused before the password is even read.
    delivered.write_text("not a key", encoding="utf-8")
    garbage = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                        "--user", DEMO_USER, "--hall-key", str(delivered), stdin="")
    assert garbage.returncode == 1 and "128 位十六进制" in garbage.stderr


def test_enroll_refuses_a_wrong_password_and_an_empty_one(shared_hall, file_keyring, home):
    wrong = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                      "--user", DEMO_USER, stdin="nope\n")
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr
    empty = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                      "--user", DEMO_USER, stdin="")
    assert empty.returncode == 1 and "密码" in empty.stderr
    assert not (home / "settings.json").exists()


def test_run_without_a_hall_says_what_to_do(home, key_agent):
    run = onewindow("sync", "run", "--once")
    assert run.returncode == 1 and "onewindow enroll" in run.stderr


def test_retry_parked_puts_entries_back(store, home, key_agent):
    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    store.writer.call(outbox.park, entry.id, "大厅拒绝")
    retried = onewindow("sync", "retry", "--parked")
    assert retried.returncode == 0 and "1" in retried.stdout
    assert OutboxEntry.get_by_id(entry.id).state == outbox.QUEUED


def test_sync_service_start_requeues_what_an_older_release_parked(store, home,
                                                                  key_agent):
    from local_store.models import SyncCursor
    from sync import parked

    case = create_case(store, applicant="organisation")
    entry = OutboxEntry.get(OutboxEntry.case == case)
    store.writer.call(outbox.park, entry.id, f"{parked.HALL_REFUSED}：applicant.legal_rep")
    SyncCursor.create(lane=parked.CONTRACT_STAMP_LANE, cursor="1")  # the older release's

    run = onewindow("sync", "run", "--once")  # no hall configured: re-queues, then stops
    assert "接口约定已更新：重新上报 1 条" in run.stdout, run.stdout + run.stderr
    assert OutboxEntry.get_by_id(entry.id).state == outbox.QUEUED
