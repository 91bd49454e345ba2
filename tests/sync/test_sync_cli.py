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
from tests.support.sync_cases import create_case

ROOT = Path(__file__).resolve().parents[2]


def onewindow(*args, stdin: str = "", env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60,
    )


def test_enroll_run_and_status(store, shared_hall, file_keyring, home):
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


def test_enroll_refuses_a_wrong_password_and_an_empty_one(shared_hall, file_keyring, home):
    wrong = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                      "--user", DEMO_USER, stdin="nope\n")
    assert wrong.returncode == 1 and "用户名或密码错误" in wrong.stderr
    empty = onewindow("enroll", "--hall", shared_hall.url, "--station", DEMO_STATION,
                      "--user", DEMO_USER, stdin="")
    assert empty.returncode == 1 and "密码" in empty.stderr
    assert not (home / "settings.json").exists()


def test_run_without_a_hall_says_what_to_do(home):
    run = onewindow("sync", "run", "--once")
    assert run.returncode == 1 and "onewindow enroll" in run.stderr


def test_retry_parked_puts_entries_back(store, home):
    case = create_case(store)
    entry = OutboxEntry.get(OutboxEntry.case == case)
    store.writer.call(outbox.park, entry.id, "大厅拒绝")
    retried = onewindow("sync", "retry", "--parked")
    assert retried.returncode == 0 and "1" in retried.stdout
    assert OutboxEntry.get_by_id(entry.id).state == outbox.QUEUED
