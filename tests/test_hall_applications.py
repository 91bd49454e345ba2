"""Online applications on the real hall: submission (CLI and HTTP), routing,
the station's pull and file download, one decision per round, resubmission."""

from __future__ import annotations

import json
import uuid

import requests

from tests.support.applications import (
    HEALTH_PERMIT,
    SECOND_PERSON_ID,
    application_record,
    hall_submit,
    inline_body,
    signed_decision,
    submit,
    write_submission,
)
from tests.support.hall import register_station
from tests.support.hall_client import RawHall, sha256_hex

OTHER_DISTRICT_STATION = "350206001"


def decision(round_: int, kind: str, **fields) -> dict:
    return {"decision_id": str(uuid.uuid4()), "round": round_, "decision": kind,
            "decided_by": "clerk01", "decided_at": "2026-11-24T10:00:00+08:00", **fields}


def test_submit_pull_decide_and_resubmit(hall, tmp_path):
    results = submit(hall, tmp_path / "a", [application_record("r-1", HEALTH_PERMIT)],
                     at="2026-11-20T16:30:00+08:00")
    assert results[0]["ok"] and results[0]["round"] == 1
    application_id = results[0]["id"]
    assert application_id.startswith("YS20261120")

    station = RawHall(hall)
    pulled = station.request("GET", "/applications").json()
    [record] = [a for a in pulled["applications"] if a["id"] == application_id]
    assert record["state"] == "pending" and record["item_name"] == HEALTH_PERMIT
    assert record["submitted_at"] == "2026-11-20T08:30:00+00:00"
    file = record["materials"][0]["files"][0]
    content = station.request("GET", f"/applications/{application_id}/files/{file['sha256']}")
    assert content.status_code == 200 and sha256_hex(content.content) == file["sha256"]
    assert content.content.startswith(b"%PDF-")
    # Nothing new after the cursor.
    again = station.request("GET", "/applications", params={"since": pulled["cursor"]}).json()
    assert again["applications"] == []

    # A second application of the same applicant for the same item while pending: refused.
    code, refused = hall_submit(hall.data_dir, write_submission(
        tmp_path / "b", [application_record("r-2", HEALTH_PERMIT)]),
        database_url=hall.database_url)
    assert code == 1 and refused[0]["errors"][0]["code"] == "application_pending"

    back = signed_decision(station, application_id, decision(
        1, "return", reason="检测报告已过期，请补交一年内的报告",
        missing=[{"material_id": "M03", "name": "公共场所卫生检测（评价）报告"}]))
    answer = station.request("POST", f"/applications/{application_id}/decision", json=back)
    assert answer.status_code == 200 and answer.json()["state"] == "returned"
    replay = station.request("POST", f"/applications/{application_id}/decision", json=back)
    assert replay.json() == answer.json()  # delivered twice, recorded once
    second = station.request("POST", f"/applications/{application_id}/decision",
                             json=signed_decision(station, application_id, decision(1, "pass")))
    assert second.status_code == 409 and second.json()["error"] == "already_decided"

    # The applicant resubmits after 退回: same id, round 2, original submission time.
    [resubmitted] = submit(hall, tmp_path / "c", [application_record("r-3", HEALTH_PERMIT)],
                           at="2026-11-25T09:00:00+08:00")
    assert resubmitted["id"] == application_id and resubmitted["round"] == 2
    changed = station.request("GET", "/applications", params={"since": pulled["cursor"]}).json()
    [record] = changed["applications"]
    assert record["round"] == 2 and record["state"] == "pending"
    assert record["submitted_at"] == "2026-11-20T08:30:00+00:00"
    assert record["round_submitted_at"] == "2026-11-25T01:00:00+00:00"
    stale = station.request("POST", f"/applications/{application_id}/decision",
                            json=signed_decision(station, application_id, decision(1, "pass")))
    assert stale.status_code == 409 and stale.json()["error"] == "round_mismatch"
    reject = signed_decision(station, application_id,
                             decision(2, "reject", reason="经营场所不在本区"))
    assert station.request("POST", f"/applications/{application_id}/decision",
                           json=reject).status_code == 422  # no legal basis
    reject = signed_decision(station, application_id,
                             {**reject, "basis": "《公共场所卫生管理条例实施细则》第二十二条"})
    assert station.request("POST", f"/applications/{application_id}/decision",
                           json=reject).json()["state"] == "rejected"


def test_routing_keeps_other_districts_and_unserved_stations_out(hall, tmp_path):
    [result] = submit(hall, tmp_path, [application_record("r-9", HEALTH_PERMIT)])
    register_station(hall, OTHER_DISTRICT_STATION, "huli01")  # a clerk of another district
    other = RawHall(hall, station=OTHER_DISTRICT_STATION, user="huli01")
    assert other.request("GET", "/applications").json()["applications"] == []
    file = RawHall(hall).request("GET", "/applications").json()["applications"][0][
        "materials"][0]["files"][0]
    assert other.request("GET", f"/applications/{result['id']}/files/{file['sha256']}"
                         ).status_code == 404
    assert other.request("POST", f"/applications/{result['id']}/decision",
                         json=signed_decision(other, result["id"], decision(1, "pass"))
                         ).status_code == 404


def test_the_applicant_submits_over_http_and_sees_the_clerks_message(hall, tmp_path):
    record = application_record("web-1", HEALTH_PERMIT, name="李四", id_number=SECOND_PERSON_ID)
    write_submission(tmp_path, [record])
    answer = requests.post(f"{hall.api}/applications", json=inline_body(record, tmp_path),
                           timeout=10)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    status = requests.get(f"{hall.api}/applications/{created['id']}/status",
                          headers={"Application-Key": created["access_key"]}, timeout=10)
    assert status.json()["state_label"] == "待预审"
    wrong = requests.get(f"{hall.api}/applications/{created['id']}/status",
                         headers={"Application-Key": "guess"}, timeout=10)
    assert wrong.status_code == 404

    station = RawHall(hall)
    station.request("POST", f"/applications/{created['id']}/decision",
                    json=signed_decision(station, created["id"], decision(
                        1, "return", reason="请补交从业人员健康合格证明",
                        missing=[{"material_id": "M05", "name": "从业人员健康合格证明"}])))
    view = requests.get(f"{hall.api}/applications/{created['id']}/status",
                        headers={"Application-Key": created["access_key"]}, timeout=10).json()
    assert view["state"] == "returned" and view["message"] == "请补交从业人员健康合格证明"
    assert view["missing"] == [{"material_id": "M05", "name": "从业人员健康合格证明"}]


def test_every_bad_field_is_reported_at_once(hall, tmp_path):
    record = application_record("bad-1", HEALTH_PERMIT, id_number="350205199003071230")
    record["materials"].append({"material_id": "M99", "files": ["x.pdf"]})
    unknown = f"materials[{len(record['materials']) - 1}].material_id"
    path = write_submission(tmp_path, [record])
    (tmp_path / "bad-1-M01.pdf").write_bytes(b"not a pdf at all")
    code, [result] = hall_submit(hall.data_dir, path, database_url=hall.database_url)
    assert code == 1 and not result["ok"]
    fields = {error["field"] for error in result["errors"]}
    assert {"applicant.id_number", "materials[0].files[0]", unknown} <= fields
    listing = RawHall(hall).request("GET", "/applications").json()["applications"]
    assert listing == []  # nothing stored from a refused submission


def test_bodies_outside_the_contract_are_refused_with_the_field(hall, tmp_path):
    record = application_record("shape-1", HEALTH_PERMIT)
    path = write_submission(tmp_path, [record])
    document = json.loads(path.read_text(encoding="utf-8"))
    document["applications"][0]["materials"][1]["files"] = [7]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    code, [result] = hall_submit(hall.data_dir, path, database_url=hall.database_url)
    assert code == 1 and [e["field"] for e in result["errors"]] == ["materials[1].files[0]"]

    [submitted] = submit(hall, tmp_path / "ok", [application_record("shape-2", HEALTH_PERMIT)])
    station = RawHall(hall)
    body = signed_decision(station, submitted["id"], decision(
        1, "return", reason="请补交", missing=[]))  # the list may not be empty
    answer = station.request("POST", f"/applications/{submitted['id']}/decision", json=body)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_decision"
    assert answer.json()["problems"][0]["field"] == "missing"


def test_an_item_served_by_one_station_reaches_that_station_only(hall, tmp_path):
    """Routing by the item's stations, scoping by the token's station and role."""
    import subprocess
    import sys

    from tests.support.applications import demo_items
    from tests.support.hall import DEMO_STREET_STATION, DEMO_STREET_USER

    task_code = demo_items()[HEALTH_PERMIT]["task_code"]
    database = ["--database", hall.database_url] if hall.database_url else []
    subprocess.run([sys.executable, "-m", "central_hall", "item-stations", "--data",
                    str(hall.data_dir), *database, "--task-code", task_code, "--station",
                    DEMO_STREET_STATION], check=True, timeout=60)
    [result] = submit(hall, tmp_path, [application_record("street-1", HEALTH_PERMIT)])

    centre = RawHall(hall)  # clerk01 at the district centre
    street = RawHall(hall, station=DEMO_STREET_STATION, user=DEMO_STREET_USER)
    supervisor = RawHall(hall, user="supervisor")
    assert centre.request("GET", "/applications").json()["applications"] == []
    [seen] = street.request("GET", "/applications").json()["applications"]
    assert seen["id"] == result["id"]
    assert [a["id"] for a in supervisor.request("GET", "/applications").json()[
        "applications"]] == [result["id"]]  # a district supervisor reads every station's
    refused = supervisor.request("POST", f"/applications/{result['id']}/decision",
                                 json=decision(1, "pass"))
    assert refused.status_code == 403  # … and decides nothing
    assert centre.request("POST", f"/applications/{result['id']}/decision",
                          json=signed_decision(centre, result["id"], decision(1, "pass"))
                          ).status_code == 404
    assert street.request("POST", f"/applications/{result['id']}/decision",
                          json=signed_decision(street, result["id"], decision(1, "pass"))
                          ).json()["state"] == "passed"


def test_an_organisation_applicant_is_checked_with_chinese_messages(hall, tmp_path):
    from tests.support.intake import VALID_PERSON_ID, VALID_USCC

    record = application_record("org-1", HEALTH_PERMIT)
    write_submission(tmp_path, [record])
    body = inline_body(record, tmp_path)
    body["applicant"] = {"kind": "organisation", "name": "", "phone": "0592-6000000"}
    answer = requests.post(f"{hall.api}/applications", json=body, timeout=10)
    assert answer.status_code == 422
    messages = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert messages["applicant.name"] == "请填写单位名称"
    assert messages["applicant.uscc"] == "请填写统一社会信用代码"
    assert messages["applicant.legal_rep"] == "请填写法定代表人信息"
    # A legal representative is a person: a credit code is no ID of theirs.
    body["applicant"] = {"kind": "organisation", "name": "厦门海沧示例餐饮有限公司",
                         "uscc": VALID_USCC, "phone": "0592-6000000",
                         "legal_rep": {"name": "王五", "id_type": "001",
                                       "id_number": VALID_USCC}}
    answer = requests.post(f"{hall.api}/applications", json=body, timeout=10)
    [problem] = answer.json()["errors"]
    assert problem["field"] == "applicant.legal_rep.id_type"
    assert problem["message"].startswith("法定代表人证件类型无效（应为居民身份证、户口簿")
    body["applicant"]["legal_rep"].update(id_type="111", id_number=VALID_PERSON_ID)
    answer = requests.post(f"{hall.api}/applications", json=body, timeout=10)
    assert answer.status_code == 201, answer.text
    codes = requests.get(f"{hall.api}/applicant/codes", timeout=10).json()
    assert [k["code"] for k in codes["applicant_kind"]] == ["person", "organisation"]
    assert "001" not in [t["code"] for t in codes["person_id_type"]]
