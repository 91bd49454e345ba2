"""``python -m central_hall export``: cases and events in the exchange naming,
Beijing time, a completeness check, incremental by cursor — from a real hall
that took the cases over HTTP."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import uuid as uuidlib
from pathlib import Path

import pytest
from stdnum.iso7064 import mod_37_36

from tests.support.hall import (
    DEMO_ADMIN,
    DEMO_STREET_STATION,
    DEMO_STREET_USER,
    hall_rows,
    start_hall,
)
from tests.support.hall_client import RawHall

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def hall(tmp_path):
    handle = start_hall(tmp_path / "hall")
    yield handle
    handle.stop()


@pytest.fixture
def produce(module_case_producer):
    def take_in(shape: str = "person") -> dict:
        return copy.deepcopy(module_case_producer.take_in(shape).manifest)

    return take_in


def at_station(manifest: dict, station: str) -> dict:
    body = station + manifest["number"][9:-1]
    return {**manifest, "uuid": str(uuidlib.uuid4()), "station": station,
            "number": body + mod_37_36.calc_check_digit(body)}


def hall_data(hall) -> list[str]:
    """Where the hall keeps its data, as the hall's commands take it."""
    database = ["--database", hall.database_url] if hall.database_url else []
    return ["--data", str(hall.data_dir), *database]


def export(hall, out: Path, since: str = "", *extra) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-m", "central_hall", "export", *hall_data(hall),
         "--since", since, "--out", str(out), *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_export_names_times_completeness_and_cursor(hall, tmp_path, produce):
    centre = RawHall(hall)
    street = RawHall(hall, station=DEMO_STREET_STATION, user=DEMO_STREET_USER)
    complete = produce()
    # The workstation writes instants with an offset; a UTC one must come out the same.
    apply_time = complete["apply_time"]
    assert centre.commit(complete, f"{complete['uuid']}:1").status_code == 201
    rejected = at_station(produce("reject"), DEMO_STREET_STATION)
    assert street.commit(rejected, f"{rejected['uuid']}:1").status_code == 201
    # A record the core-data check must catch: the hall checks every manifest
    # against the contract now, but a case it took before the contract existed
    # may lack the clerk — as this stored row is made to.
    [(stored,)] = hall_rows(hall, "SELECT manifest_json FROM cases WHERE uuid = ?",
                            (rejected["uuid"],))
    hall_rows(hall, "UPDATE cases SET manifest_json = ? WHERE uuid = ?",
              (json.dumps({**json.loads(stored), "clerk": ""}, ensure_ascii=False),
               rejected["uuid"]))
    admin = RawHall(hall, user=DEMO_ADMIN)
    assert admin.request("POST", f"/admin/cases/{complete['uuid']}/status",
                         json={"status": "in_process", "detail": "科室审查中"}).status_code == 200

    first, said = export(hall, tmp_path / "first.json")
    assert first["format"] == "onewindow-exchange/1" and first["standard"] == "GB/T 39046-2020"
    cases = {c["PROJECT_NO"]: c for c in first["cases"]}
    assert set(cases) == {complete["number"], rejected["number"]}
    record = cases[complete["number"]]
    assert record["APPLY_DATE"] == beijing(apply_time)
    assert record["ACCEPT_DATE"] == beijing(complete["accept_time"])
    assert record["PROMISE_DATE"] == complete["promised_date"].replace("-", "") + "235959"
    assert (record["TASK_CODE"], record["APPLICANT_NAME"], record["APPLICANT_PAPER_CODE"]) == (
        complete["task_code"], complete["applicant"]["name"],
        complete["applicant"]["id_number"])
    assert record["APPLICANT_TYPE"] == "1" and record["ACCEPT_STATION"] == "350205001"
    assert [m["MATERIAL_NAME"] for m in record["MATERIALS"]] == [
        m["name"] for m in complete["materials"]]
    assert set(record) <= set(first["fields"]["cases"])
    assert cases[rejected["number"]]["REJECT_REASON"] == rejected["decision"]["reason"]
    for moment in (record["HALL_RECEIVE_DATE"], *[e["HANDLE_TIME"] for e in first["events"]]):
        assert re.fullmatch(r"20\d{12}", moment)
    nodes = [(e["PROJECT_NO"], e["NODE_CODE"]) for e in first["events"]]
    assert (complete["number"], "accept") in nodes and (complete["number"], "in_process") in nodes
    assert (rejected["number"], "reject") in nodes
    assert first["completeness"] == {
        "records": 2, "complete": 1, "rate": 0.5,
        "incomplete": [{"PROJECT_NO": rejected["number"], "missing": ["HANDLE_USER_NAME"]}]}
    assert "完整率 50.00%" in said and first["cursor"] in said

    nothing_new, _ = export(hall, tmp_path / "second.json", first["cursor"])
    assert nothing_new["cases"] == [] and nothing_new["events"] == []
    assert nothing_new["cursor"] == first["cursor"]
    later = produce()
    assert centre.commit(later, f"{later['uuid']}:1").status_code == 201
    third, _ = export(hall, tmp_path / "third.json", first["cursor"])
    assert [c["PROJECT_NO"] for c in third["cases"]] == [later["number"]]
    assert {e["PROJECT_NO"] for e in third["events"]} == {later["number"]}
    assert third["completeness"]["rate"] == 1.0

    only_street, _ = export(hall, tmp_path / "street.json", "", "--station", DEMO_STREET_STATION)
    assert [c["PROJECT_NO"] for c in only_street["cases"]] == [rejected["number"]]


def beijing(iso: str) -> str:
    from datetime import datetime, timedelta, timezone

    moment = datetime.fromisoformat(iso)
    return moment.astimezone(timezone(timedelta(hours=8))).strftime("%Y%m%d%H%M%S")


def test_a_bad_cursor_is_refused(hall, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "central_hall", "export", *hall_data(hall),
         "--since", "r12", "--out", str(tmp_path / "x.json")],
        capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2 and "cursor" in done.stderr
    assert not (tmp_path / "x.json").exists()
