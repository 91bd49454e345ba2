"""``python -m central_hall export``: cases, events, payments and evaluations in the
exchange naming, Beijing time, a completeness check per kind, incremental by cursor
— from a real hall that took the cases over HTTP (manifests from IntakeService),
the ratings through the workstation's evaluation lane and the applicant's QR page,
and the payments from the non-tax platform's confirmation (``central_hall pay``)
of a fee notice the workstation issued."""

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
    assert first["format"] == "onewindow-exchange/2" and first["standard"] == "GB/T 39046-2020"
    cases = {c["PROJID"]: c for c in first["cases"]}
    assert set(cases) == {complete["number"], rejected["number"]}
    record = cases[complete["number"]]
    assert record["RECEIVETIME"] == beijing(apply_time)
    assert record["ACCEPT_TIME"] == beijing(complete["accept_time"])
    assert record["PROMISE_ETIME"] == complete["promised_date"].replace("-", "") + "235959"
    assert (record["SERVICECODE"], record["APPLYNAME"], record["APPLY_CARDNUMBER"]) == (
        complete["task_code"], complete["applicant"]["name"],
        complete["applicant"]["id_number"])
    assert (record["APPLY_TYPE"], record["APPLYFROM"], record["INFOTYPE"]) == ("1", "1", "2")
    assert (record["BELONGSYSTEM"], record["AREACODE"]) == ("350205001", "350205")
    assert record["ACCEPT_MAN"] == record["RECEIVE_NAME"] == complete["clerk"]
    assert [m["ATTRNAME"] for m in record["MATERIALS"]] == [
        m["name"] for m in complete["materials"]]
    assert [m["TAKETYPE"] for m in record["MATERIALS"]] == [
        {"original": "原件", "not_applicable": "不适用"}[m["received_form"]]
        for m in complete["materials"]]
    assert set(record) <= set(first["fields"]["cases"])
    refused = cases[rejected["number"]]
    assert (refused["TRANSACT_RESULT"], refused["TRANSACT_DESCRIBE"]) == (
        "不予受理", rejected["decision"]["reason"])
    for moment in (record["CREATE_TIME"], *[e["END_TIME"] for e in first["events"]]):
        assert re.fullmatch(r"20\d{12}", moment)
    nodes = [(e["PROJID"], e["ACTION"]) for e in first["events"]]
    assert (complete["number"], "accept") in nodes and (complete["number"], "in_process") in nodes
    assert (rejected["number"], "reject") in nodes
    assert {k: first["completeness"][k] for k in ("records", "complete", "rate", "incomplete")
            } == {"records": 2, "complete": 1, "rate": 0.5,
                  "incomplete": [{"PROJID": rejected["number"], "missing": ["RECEIVE_NAME"]}]}
    assert "完整率 50.00%" in said and first["cursor"] in said

    nothing_new, _ = export(hall, tmp_path / "second.json", first["cursor"])
    assert nothing_new["cases"] == [] and nothing_new["events"] == []
    assert nothing_new["cursor"] == first["cursor"]
    later = produce()
    assert centre.commit(later, f"{later['uuid']}:1").status_code == 201
    third, _ = export(hall, tmp_path / "third.json", first["cursor"])
    assert [c["PROJID"] for c in third["cases"]] == [later["number"]]
    assert {e["PROJID"] for e in third["events"]} == {later["number"]}
    assert third["completeness"]["rate"] == 1.0

    only_street, _ = export(hall, tmp_path / "street.json", "", "--station", DEMO_STREET_STATION)
    assert [c["PROJID"] for c in only_street["cases"]] == [rejected["number"]]


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


def test_payments_and_evaluations_in_exchange_naming(store, hall, tmp_path):
    """A fee paid at the non-tax platform and two ratings (one at the window's
    evaluator, sent by the evaluation lane; one by the receipt's QR code) are
    exported once each.  The payment is complete: the payment lane sent the fee
    notice (case, payee, clerk, payer) the station printed, and the export joins it
    to the platform's confirmation."""
    from urllib.parse import parse_qs, urlparse

    import requests

    from app.documents import rating_link
    from app.evaluation import evaluate, hall_rating_applier
    from app.fees import confirm_fee, payment_applier
    from app.settings import Settings
    from app.staff import StaffIdentity
    from local_store.models import CaseFee, Evaluation
    from sync.evaluations import wire_rating
    from sync.lanes import LaneTimings, SyncLanes
    from tests.support.producers import create_case
    from tests.support.sync_trials import drain, sign_in_token
    from tests.test_fees import OUTDOOR_AD, catalog_with_fee_on_senior_card, take_in

    clerk = StaffIdentity(account="clerk01", display_name="", role="clerk",
                          station="350205001")
    settings = Settings(hall_url=hall.url)
    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    code = confirm_fee(store, settings, clerk, accepted.case_number, "1005.07").payment_code
    window_rated, qr_rated = create_case(store), create_case(store)
    rated = evaluate(store, settings, clerk, window_rated.number, 4, "window", "等候时间太长")

    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      rating_apply=hall_rating_applier(settings),
                      payment_apply=payment_applier(settings),
                      timings=LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05))
    try:
        drain(lanes, deadline_s=60)  # the cases reach the hall, then the rating may
        lanes.lanes["payment"].run_once()  # the fee notice: its case is at the hall now
        assert lanes.lanes["payment"].state.status == "idle", lanes.lanes["payment"].state
        for _ in range(200):
            lanes.lanes["evaluation"].run_once()
            if Evaluation.get(Evaluation.uuid == rated.uuid).sync_state == "acknowledged":
                break
        else:
            raise AssertionError("the window rating did not reach the hall")
    finally:
        lanes.stop()
    query = parse_qs(urlparse(rating_link(settings, qr_rated)).query)
    by_qr = requests.post(f"{hall.api}/rate", timeout=10, json={
        "case_number": query["c"][0], "signature": query["s"][0], "level_code": 1,
        "comment": ""})
    assert by_qr.status_code == 201, by_qr.text
    paid = subprocess.run([sys.executable, "-m", "central_hall", "pay", *hall_data(hall),
                           code, "--amount", "1005.07"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert paid.returncode == 0, paid.stderr

    first, said = export(hall, tmp_path / "first.json")
    [payment] = first["payments"]
    assert (payment["PAYMENT_NO"], payment["CHARGE_AMOUNT"], payment["PAY_CHANNEL"]) == (
        code, "1005.07", "网上缴费")
    assert re.fullmatch(r"20\d{12}", payment["CHARGE_TIME"])
    assert (payment["BELONGSYSTEM"], payment["AREACODE"]) == ("350205001", "350205")
    assert set(payment) <= set(first["fields"]["payments"])
    # The notice the station printed, as the station holds it, completes the payment.
    notice = CaseFee.get(CaseFee.payment_code == code)
    assert (payment["PROJID"], payment["CHARGE_DEPT"], payment["CHARGE_USER"],
            payment["PAYER"]) == (accepted.case_number, notice.payee, "clerk01", notice.payer)
    assert notice.payee and notice.payer
    assert first["completeness"]["payments"] == {
        "records": 1, "complete": 1, "rate": 1.0, "incomplete": []}

    ratings = {r["PROJID"]: r for r in first["evaluations"]}
    assert set(ratings) == {window_rated.number, qr_rated.number}
    at_window = ratings[window_rated.number]
    assert (at_window["EVAL_LEVEL"], at_window["EVAL_LEVEL_NAME"], at_window["EVAL_CHANNEL"],
            at_window["EVAL_CONTENT"], at_window["EVAL_NODE"], at_window["EVAL_ROUND"]) == (
        4, "不满意", "政务大厅评价器", "等候时间太长", "受理", 1)
    assert at_window["UNID"] == rated.uuid and at_window["WINDOW_USER"] == "clerk01"
    # The applicant rates; the clerk at the counter is never taken for the rater.
    assert at_window["RATER_NAME"] == window_rated.applicant_snapshot["name"]
    sent = wire_rating(Evaluation.get(Evaluation.uuid == rated.uuid))
    assert at_window["EVAL_TIME"] == beijing(sent["rated_at"])
    by_code = ratings[qr_rated.number]
    assert (by_code["EVAL_LEVEL"], by_code["EVAL_CHANNEL"], by_code["WINDOW_USER"]) == (
        1, "二维码", None)
    assert first["completeness"]["evaluations"] == {
        "records": 2, "complete": 2, "rate": 1.0, "incomplete": []}
    assert "1 payments, 2 evaluations" in said and "payments 100.00%" in said

    again, _ = export(hall, tmp_path / "again.json", first["cursor"])
    assert again["payments"] == [] and again["evaluations"] == []
    # A cursor of an export made before payments and evaluations were exported
    # (x<revision>.<update>) brings them all, once.
    revision, update = first["cursor"][1:].split(".")[:2]
    older, _ = export(hall, tmp_path / "older.json", f"x{revision}.{update}")
    assert older["cases"] == [] and older["events"] == []
    assert [p["UNID"] for p in older["payments"]] == [payment["UNID"]]
    assert len(older["evaluations"]) == 2 and older["cursor"] == first["cursor"]


CONCURRENT_CASES = 32
COMMITTERS = 8


def test_records_written_during_exports_are_exported_once(tmp_path, case_producer):
    """Stations commit cases and the district posts progress while exports run one
    after the other, each from the cursor of the last: every revision, status update
    and case comes out exactly once (with several worker processes on PostgreSQL,
    where rows can be numbered in one order and committed in another)."""
    import threading

    from central_hall.exchange import export_since
    from central_hall.storage import HallDatabase
    from tests.support.hall import fresh_test_database

    database_url = fresh_test_database()
    handle = start_hall(tmp_path / "racing-hall", database_url=database_url,
                        workers=2 if database_url else 1)
    try:
        # Half the cases come back after a completion notice: their second decision is a
        # second revision, committed without a status update of its own.
        cases = [case_producer.take_in("notify_then_accept" if index % 2 else "person")
                 for index in range(CONCURRENT_CASES)]
        admin = RawHall(handle, user=DEMO_ADMIN)
        failures: list[str] = []

        def commit_share(share) -> None:
            centre = RawHall(handle)
            for produced in share:
                for manifest in produced.manifests:
                    reply = centre.commit(manifest, f"{manifest['uuid']}:{manifest['event']}")
                    if reply.status_code not in (200, 201):
                        failures.append(reply.text)
                progress = admin.request("POST", f"/admin/cases/{produced.uuid}/status",
                                         json={"status": "in_process", "detail": "审查中"})
                if progress.status_code != 200:
                    failures.append(progress.text)

        committers = [threading.Thread(target=commit_share, args=(cases[i::COMMITTERS],))
                      for i in range(COMMITTERS)]
        db = HallDatabase.open(handle.data_dir, handle.database_url)
        documents, cursor = [], ""
        try:
            for thread in committers:
                thread.start()
            while any(thread.is_alive() for thread in committers):
                document = export_since(db, cursor)
                documents.append(document)
                cursor = document["cursor"]
            for thread in committers:
                thread.join()
            documents.append(export_since(db, cursor))
        finally:
            db.close()
        assert not failures, failures[:3]
        assert len(documents) > 3  # the exports did run while the stations committed
        events = [e["UNID"] for d in documents for e in d["events"]]
        assert len(events) == len(set(events)), "an event was exported twice"
        revisions = {e for e in events if e.startswith("r")}
        updates = {e for e in events if e.startswith("u")}
        stored_revisions = {f"r{seq}" for (seq,) in hall_rows(
            handle, "SELECT seq FROM case_revisions")}
        stored_updates = {f"u{seq}" for (seq,) in hall_rows(
            handle, "SELECT seq FROM status_updates")}
        assert revisions == stored_revisions
        assert len(revisions) == sum(len(produced.manifests) for produced in cases)
        assert updates == stored_updates
        assert len(updates) == 2 * CONCURRENT_CASES  # received + in_process
        # A case changed again after an export is exported again, in its new state.
        latest: dict[str, int] = {}
        for document in documents:
            for record in document["cases"]:
                assert record["DATAVERSION"] > latest.get(record["PROJID"], 0)
                latest[record["PROJID"]] = record["DATAVERSION"]
        assert latest == {produced.number: len(produced.manifests) for produced in cases}
    finally:
        handle.stop()
