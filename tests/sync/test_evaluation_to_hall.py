"""好差评 reaches the real hall over HTTP once: a rating at the window through the
evaluation lane, and a rating by the receipt's QR code on the hall's page pulled
back to the station.  Cases come from IntakeService (``create_case``)."""

from __future__ import annotations

import sqlite3
from urllib.parse import parse_qs, urlparse

import requests

from app.documents import rating_link, render
from app.evaluation import evaluate, hall_rating_applier, rectifications
from app.settings import Settings
from app.staff import StaffIdentity
from local_store.models import Evaluation
from sync.lanes import LaneTimings, SyncLanes
from tests.support.printing import decoded_symbols
from tests.support.producers import create_case
from tests.support.sync_trials import drain, sign_in_token

CLERK = StaffIdentity(account="clerk01", display_name="", role="clerk", station="350205001")


def hall_ratings(hall) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(f"{(hall.data_dir / 'hall.sqlite3').resolve().as_uri()}?mode=ro",
                           uri=True)
    try:
        return conn.execute("SELECT number, point, origin FROM evaluations ORDER BY seq"
                            ).fetchall()
    finally:
        conn.close()


def lanes_for(store, hall, settings):
    token = sign_in_token(hall)
    return SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                     catalog_sync=lambda s, u: None,
                     rating_apply=hall_rating_applier(settings),
                     timings=LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05))


def run_until(lane, done, attempts: int = 200) -> None:
    for _ in range(attempts):
        lane.run_once()
        if done():
            return
    raise AssertionError("the evaluation lane did not finish")


def test_a_window_rating_reaches_the_hall_once(store, hall):
    settings = Settings()
    case = create_case(store)
    rated = evaluate(store, settings, CLERK, case.number, 4, "window", "等候时间太长")
    lanes = lanes_for(store, hall, settings)
    evaluation = lanes.lanes["evaluation"]
    # The case has not reached the hall yet: the rating waits (409), not parked.
    evaluation.run_once()
    waiting = Evaluation.get(Evaluation.uuid == rated.uuid)
    assert waiting.sync_state == "queued" and waiting.attempts == 1 and waiting.last_error
    drain(lanes, deadline_s=60)
    run_until(evaluation, lambda: Evaluation.get(Evaluation.uuid == rated.uuid).sync_state
              == "acknowledged")
    # Delivered again (its answer lost): the hall keeps it once.
    Evaluation.update(sync_state="queued", next_attempt_at=Evaluation.at).where(
        Evaluation.uuid == rated.uuid).execute()
    run_until(evaluation, lambda: Evaluation.get(Evaluation.uuid == rated.uuid).sync_state
              == "acknowledged")
    lanes.stop()
    assert hall_ratings(hall) == [(case.number, "decision", "station")]


def test_a_rating_by_the_receipts_qr_code_reaches_the_hall_and_the_station_once(
        store, hall, tmp_path, poppler_and_zbar):
    settings = Settings(hall_url=hall.url)
    case = create_case(store)
    link = rating_link(settings, case)
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(render(case.number, "receipt", settings=settings))
    assert f"QR-Code:{link}" in decoded_symbols(receipt, tmp_path)

    lanes = lanes_for(store, hall, settings)
    drain(lanes, deadline_s=60)  # the case reaches the hall
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and "服务评价" in page.text
    query = parse_qs(urlparse(link).query)
    body = {"case_number": query["c"][0], "signature": query["s"][0], "level_code": 5,
            "comment": "窗口人员态度差"}
    forged = requests.post(f"{hall.api}/rate", json={**body, "signature": "0" * 32},
                           timeout=10)
    assert forged.status_code == 404
    no_reason = requests.post(f"{hall.api}/rate", json={**body, "comment": ""}, timeout=10)
    assert no_reason.status_code == 422
    answer = requests.post(f"{hall.api}/rate", json=body, timeout=10)
    assert answer.status_code == 201 and answer.json()["level"] == "非常不满意"
    again = requests.post(f"{hall.api}/rate", json=body, timeout=10)
    assert again.status_code == 422 and again.json()["error"] == "already_rated"

    evaluation = lanes.lanes["evaluation"]
    evaluation.run_once()
    evaluation.run_once()  # pulled twice: applied once
    lanes.stop()
    [pulled] = Evaluation.select()
    assert (pulled.channel, pulled.level, pulled.sync_state, pulled.clerk, pulled.point) == (
        "qr", "非常不满意", "from_hall", "", "decision")
    [item] = rectifications()
    assert item.case_number == case.number and item.state == "open"
    assert hall_ratings(hall) == [(case.number, "decision", "qr")]
    # The window cannot rate the same decision point again (一事一评).
    try:
        evaluate(store, settings, CLERK, case.number, 1, "window")
    except ValueError as exc:
        assert "一事一评" in str(exc)
    else:
        raise AssertionError("a second rating of the decision was accepted")
