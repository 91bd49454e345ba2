"""网上预审 end to end: submitted on the real hall, pulled by the station's lane,
decided each way at the station, delivered once, seen by the applicant."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
import requests

from app.prereview import PrereviewError, application_detail, decide, due_rule, load_queue
from local_store.models import Case, PrereviewApplication, PrereviewDecision
from sync.lanes import LaneTimings, SyncLanes
from tests.support.applications import (
    HEALTH_PERMIT,
    SECOND_PERSON_ID,
    SOLE_TRADER,
    application_record,
    submit,
)
from tests.support.sync_trials import sign_in_token

FAST = LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.2, status_s=0.1)
THIRD_PERSON_ID = "350205198001010016"


def lanes_for(store, settings, url, token) -> SyncLanes:
    return SyncLanes(store, url, timeout_s=15, timings=FAST, token_source=lambda: token,
                     prereview_due=due_rule(settings))


def run_prereview_lane(lanes) -> None:
    lanes.lanes["prereview"].run_once()


def hall_rows(hall_dir, sql, *params):
    connection = sqlite3.connect(hall_dir / "hall.sqlite3")
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def test_due_dates_count_two_working_days_with_weekends_and_tiaoxiu(
        hall, store, intake_catalog, intake_settings, tmp_path):
    # Friday afternoon: Saturday and Sunday do not count — due Tuesday.
    [friday] = submit(hall, tmp_path / "fri", [application_record("fri", HEALTH_PERMIT)],
                      at="2026-11-20T16:30:00+08:00")
    # Friday before the 调休 Saturday 10 Oct 2026 (a working day): due Monday, not Tuesday.
    [tiaoxiu] = submit(hall, tmp_path / "tx", [application_record(
        "tx", SOLE_TRADER, id_number=SECOND_PERSON_ID)], at="2026-10-09T10:00:00+08:00")
    # National Day: submitted on a holiday, the first two working days are 8 and 9 Oct.
    [holiday] = submit(hall, tmp_path / "hd", [application_record(
        "hd", HEALTH_PERMIT, id_number=THIRD_PERSON_ID)], at="2026-10-01T09:00:00+08:00")
    lanes = lanes_for(store, intake_settings, hall.url, sign_in_token(hall))
    run_prereview_lane(lanes)
    assert lanes.lanes["prereview"].state.status == "idle", lanes.lanes["prereview"].state
    due = {row.hall_id: row.due_date for row in load_queue(intake_settings,
                                                           today=dt.date(2026, 10, 9))}
    assert due == {friday["id"]: dt.date(2026, 11, 24), tiaoxiu["id"]: dt.date(2026, 10, 12),
                   holiday["id"]: dt.date(2026, 10, 9)}
    rows = load_queue(intake_settings, today=dt.date(2026, 10, 9))
    assert [row.hall_id for row in rows] == [holiday["id"], tiaoxiu["id"], friday["id"]]
    assert rows[0].urgency == "due_today" and rows[0].working_days_left == 0
    assert rows[1].working_days_left == 2  # Saturday the 10th and Monday the 12th
    assert rows[0].applicant_name == "张*" and "*" in rows[0].applicant_id_masked
    assert load_queue(intake_settings, today=dt.date(2026, 11, 25))[0].urgency == "overdue"
    # The files came down with the queue.
    assert all(row.files_missing == 0 for row in rows)
    lanes.stop()


def test_decide_each_way_deliver_once_and_the_applicant_sees_it(
        hall, store, intake_catalog, intake_settings, tmp_path):
    passed_visit, passed_online, returned, rejected = submit(hall, tmp_path, [
        application_record("p1", HEALTH_PERMIT),
        application_record("p2", SOLE_TRADER, id_number=SECOND_PERSON_ID),
        application_record("r1", SOLE_TRADER, id_number=THIRD_PERSON_ID),
        application_record("j1", HEALTH_PERMIT, id_number=SECOND_PERSON_ID),
    ], at="2026-11-20T16:30:00+08:00")
    lanes = lanes_for(store, intake_settings, hall.url, sign_in_token(hall))
    run_prereview_lane(lanes)

    detail = application_detail(store, intake_settings, passed_visit["id"])
    assert detail["applicant"]["id_number"].count("*") > 0
    assert all(f["downloaded"] for m in detail["materials"] for f in m["files"])
    assert {c["check"] for c in detail["checks"]} >= {"申请人证件号码", "材料文件"}

    # 预审通过, item needs a visit: a case in 收件, waiting for the originals.
    visit = decide(store, intake_settings, passed_visit["id"], "pass")
    case = Case.get(Case.number == visit.case_number)
    assert (case.state, case.channel) == ("received", "online")
    # The applicant comes with the originals: the window continues the same case.
    from app.intake import Decision, IntakeService

    window = IntakeService(store, intake_settings)
    draft = window.continue_case(visit.case_number)
    assert all(entry.received_form == "electronic" for entry in draft.materials if entry.needed)
    accepted = window.commit(draft, Decision("accept"))
    assert (accepted.case_number, accepted.state) == (visit.case_number, "accepted")
    # 预审通过, 全程网办 item (no visit): accepted at once, with its deadline.
    online = decide(store, intake_settings, passed_online["id"], "pass")
    case = Case.get(Case.number == online.case_number)
    assert case.state == "accepted" and case.deadline is not None
    # 退回补正: the whole list at once, with the text the applicant sees.
    decide(store, intake_settings, returned["id"], "return",
           reason="经营场所使用证明不清晰，请重新上传", missing_ids=["M03", "M01"])
    with pytest.raises(PrereviewError) as refused:
        decide(store, intake_settings, rejected["id"], "reject", reason="不属于本区管辖")
    assert "法律依据" in str(refused.value)
    decide(store, intake_settings, rejected["id"], "reject", reason="不属于本区管辖",
           basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项")
    with pytest.raises(PrereviewError):  # once per round
        decide(store, intake_settings, returned["id"], "return", reason="again",
               missing_ids=["M01"])

    # Each decision left its audit row (who, which application, what; no personal data).
    from local_store.models import AuditEvent

    audited = [(row.object, json.loads(row.detail)["decision"]) for row in
               AuditEvent.select().where(AuditEvent.event == "prereview_decision")]
    assert audited == [(passed_visit["id"], "pass"), (passed_online["id"], "pass"),
                       (returned["id"], "return"), (rejected["id"], "reject")]
    run_prereview_lane(lanes)
    assert {e.state for e in PrereviewDecision.select()} == {"acknowledged"}
    held = dict(hall_rows(hall.data_dir, "SELECT id, state FROM applications"))
    assert held == {passed_visit["id"]: "passed", passed_online["id"]: "passed",
                    returned["id"]: "returned", rejected["id"]: "rejected"}
    run_prereview_lane(lanes)  # nothing is sent twice
    assert hall_rows(hall.data_dir, "SELECT COUNT(*) FROM application_history "
                     "WHERE event LIKE 'decided:%'") == [(4,)]

    view = requests.get(f"{hall.api}/applications/{returned['id']}/status", timeout=10,
                        headers={"Application-Key": returned["access_key"]}).json()
    assert view["state"] == "returned" and view["message"] == "经营场所使用证明不清晰，请重新上传"
    assert [m["material_id"] for m in view["missing"]] == ["M03", "M01"]
    view = requests.get(f"{hall.api}/applications/{passed_visit['id']}/status", timeout=10,
                        headers={"Application-Key": passed_visit["access_key"]}).json()
    assert view["state"] == "passed" and view["case_number"] == visit.case_number

    # The applicant supplies the materials: same id, round 2, original submission time.
    [again] = submit(hall, tmp_path / "again", [application_record(
        "r1-2", SOLE_TRADER, id_number=THIRD_PERSON_ID)], at="2026-11-25T09:00:00+08:00")
    assert again["id"] == returned["id"] and again["round"] == 2
    run_prereview_lane(lanes)
    row = PrereviewApplication.get(PrereviewApplication.hall_id == returned["id"])
    assert (row.round, row.state) == (2, "pending")
    assert row.submitted_at == dt.datetime(2026, 11, 20, 8, 30)
    assert row.due_date == dt.date(2026, 11, 27)  # two working days after the resubmission
    decide(store, intake_settings, returned["id"], "pass")
    run_prereview_lane(lanes)
    assert hall_rows(hall.data_dir, "SELECT state, round FROM applications WHERE id = ?",
                     returned["id"]) == [("passed", 2)]
    lanes.stop()


def test_an_offline_decision_waits_in_the_queue_and_is_delivered_once(
        hall_factory, store, intake_catalog, intake_settings, tmp_path):
    from tests.support.hall import demo_catalog_file

    hall_dir = tmp_path / "hall"
    online = hall_factory(data_dir=hall_dir, catalog=demo_catalog_file())
    [application] = submit(online, tmp_path / "in", [application_record("o1", HEALTH_PERMIT)])
    token = sign_in_token(online)
    lanes = lanes_for(store, intake_settings, online.url, token)
    run_prereview_lane(lanes)
    lanes.stop()
    url = online.url
    online.stop()

    # The link is down: the queue and the downloaded files are still here.
    offline_lanes = lanes_for(store, intake_settings, url, token)
    [row] = load_queue(intake_settings)
    assert row.hall_id == application["id"] and row.files_missing == 0
    detail = application_detail(store, intake_settings, application["id"])
    assert all(f["downloaded"] for m in detail["materials"] for f in m["files"])
    decide(store, intake_settings, application["id"], "reject", reason="申请事项不属于本机关职权",
           basis="《中华人民共和国行政许可法》第三十二条")
    run_prereview_lane(offline_lanes)
    assert offline_lanes.lanes["prereview"].state.status == "offline"
    assert PrereviewDecision.get().state == "queued"
    assert load_queue(intake_settings) == []  # decided here; only delivery waits
    from app.prereview import queue_counts

    counts = queue_counts(intake_settings)
    assert (counts.pending, counts.unsent_decisions, counts.parked_decisions) == (0, 1, 0)
    offline_lanes.stop()

    back = hall_factory(data_dir=hall_dir)
    lanes = lanes_for(store, intake_settings, back.url, sign_in_token(back))
    run_prereview_lane(lanes)
    run_prereview_lane(lanes)
    sent = PrereviewDecision.get()
    assert sent.state == "acknowledged", (sent.last_error, sent.attempts, sent.next_attempt_at)
    assert queue_counts(intake_settings).unsent_decisions == 0
    assert hall_rows(hall_dir, "SELECT state FROM applications") == [("rejected",)]
    assert hall_rows(hall_dir, "SELECT COUNT(*) FROM application_history "
                     "WHERE event LIKE 'decided:%'") == [(1,)]
    lanes.stop()


def test_pass_takes_from_the_certificate_library_what_the_applicant_did_not_upload(
        hall, store, intake_catalog, intake_settings, memory_keyring, tmp_path):
    """张三's 身份证 and 不动产权证书 are in the demo library: he need not upload them."""
    from app.certificates import pin_hall_public_key
    from local_store.models import CaseMaterial
    from sync.credentials import sign_in
    from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER

    zhang_san = "350205199001011232"
    [application] = submit(hall, tmp_path, [application_record(
        "lib-1", SOLE_TRADER, id_number=zhang_san, skip=("M02", "M03"))])
    lanes = lanes_for(store, intake_settings, hall.url, sign_in_token(hall))
    run_prereview_lane(lanes)
    lanes.stop()
    detail = application_detail(store, intake_settings, application["id"])
    library = [c for c in detail["checks"] if "电子证照库" in c["message"]]
    assert len(library) == 2 and all(c["ok"] for c in library)

    intake_settings.hall_url = hall.url
    sign_in(hall.url, DEMO_STATION, DEMO_USER, DEMO_PASSWORD)
    pin_hall_public_key(intake_settings, save=False)
    result = decide(store, intake_settings, application["id"], "pass")
    case = Case.get(Case.number == result.case_number)
    assert case.state == "accepted"  # no visit needed, nothing missing
    forms = {m.material_id: m.received_form for m in
             CaseMaterial.select().where(CaseMaterial.case == case)}
    assert forms["M02"] == forms["M03"] == "ecert" and forms["M01"] == "electronic"
