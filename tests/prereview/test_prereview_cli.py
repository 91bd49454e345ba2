"""``onewindow prereview list/show/decide`` and ``onewindow hall submit/applications``."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from app.catalog.importer import import_catalog_document
from app.cli import CommandError, prereview_cmd
from app.prereview import due_rule
from app.settings import load_settings
from local_store.store import Store
from sync.lanes import LaneTimings, SyncLanes
from tests.support.applications import HEALTH_PERMIT, application_record, write_submission
from tests.support.intake import demo_catalog_document
from tests.support.sync_trials import sign_in_token

ONEWINDOW = [sys.executable, "-m", "app.cli"]


@pytest.fixture(autouse=True)
def clerk(signed_in_cli) -> str:
    return signed_in_cli


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="onewindow")
    prereview_cmd.register(parser.add_subparsers(dest="group"))
    args = parser.parse_args(argv)
    try:
        status = args.handler(args)
    except CommandError as exc:
        print(f"onewindow: {exc}", file=sys.stderr)
        status = 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_the_queue_from_the_command_line(home, shared_hall, tmp_path, capsys):
    path = write_submission(tmp_path, [application_record("cli-1", HEALTH_PERMIT,
                                                          name="王五")])
    done = subprocess.run([*ONEWINDOW, "hall", "submit", "--data", str(shared_hall.data_dir),
                           str(path), "--at", "2026-11-20T16:30:00+08:00"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    [submitted] = json.loads(done.stdout)
    assert submitted["ok"] and submitted["id"].startswith("YS")

    store = Store.open(home)
    import_catalog_document(demo_catalog_document(), store)
    settings = load_settings(home)
    lanes = SyncLanes(store, shared_hall.url, timeout_s=5, timings=LaneTimings(),
                      token_source=lambda: sign_in_token(shared_hall),
                      prereview_due=due_rule(settings))
    lanes.lanes["prereview"].run_once()
    lanes.stop()
    store.close()

    status, out, _ = run(["prereview", "list", "--json"], capsys)
    assert status == 0
    [row] = [r for r in json.loads(out) if r["id"] == submitted["id"]]
    assert {"id", "item", "applicant", "submitted_at", "due", "state", "round"} <= set(row)
    assert (row["item"], row["applicant"], row["due"], row["state"], row["round"]) == (
        HEALTH_PERMIT, "王*", "2026-11-24", "pending", 1)
    assert row["submitted_at"] == "2026-11-20T16:30:00+08:00"
    assert "*" in row["applicant_id_masked"]

    status, out, _ = run(["prereview", "show", submitted["id"], "--json"], capsys)
    detail = json.loads(out)
    assert status == 0 and detail["applicant"]["name"] == "王五"
    assert "*" in detail["applicant"]["id_number"]
    assert [m["material_id"] for m in detail["materials"] if m["provided"]] == [
        "M01", "M02", "M03", "M04", "M05"]

    status, _, err = run(["prereview", "decide", submitted["id"], "return",
                          "--reason", "请补交"], capsys)
    assert status == 1 and "一次性列明" in err
    status, out, _ = run(["prereview", "decide", submitted["id"], "return", "--reason",
                          "检测报告已过期", "--missing", "M03", "M05", "--json"], capsys)
    result = json.loads(out)
    assert status == 0 and result["state"] == "returned"
    assert [m["name"] for m in result["missing"]] == ["公共场所卫生检测（评价）报告",
                                                      "从业人员健康合格证明"]
    status, _, err = run(["prereview", "decide", submitted["id"], "pass"], capsys)
    assert status == 1 and "每轮只能决定一次" in err
    status, out, _ = run(["prereview", "list", "--json"], capsys)
    assert submitted["id"] not in {r["id"] for r in json.loads(out)}

    listing = subprocess.run([*ONEWINDOW, "hall", "applications", "--data",
                              str(shared_hall.data_dir), "--json"],
                             capture_output=True, text=True, timeout=60)
    [held] = [a for a in json.loads(listing.stdout) if a["id"] == submitted["id"]]
    assert (held["ref"], held["state"], held["round"]) == ("cli-1", "pending", 1)


def test_an_unknown_application_is_a_one_line_refusal(capsys):
    status, _, err = run(["prereview", "show", "YS20260101000001"], capsys)
    assert status == 1 and "本工位没有网上申请" in err
