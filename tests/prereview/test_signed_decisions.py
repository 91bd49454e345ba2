"""Every pre-review decision is signed by the station when the clerk decides,
verified by the hall against the key the station enrolled, and shown to the
applicant as signed — a decision changed after signing is refused."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import requests

from app.decision_signing import _new_key_pair, station_signing_key
from app.prereview import decide, due_rule
from contracts.signed import decision_bytes
from local_store.models import PrereviewDecision, StationSigningKey
from sync.lanes import LaneTimings, SyncLanes
from sync.prereview import wire_decision
from tests.support.applications import HEALTH_PERMIT, SECOND_PERSON_ID, application_record, submit
from tests.support.hall_client import RawHall
from tests.support.sync_trials import sign_in_token

FAST = LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.2, status_s=0.1)


def pulled(store, settings, hall, tmp_path, records):
    applications = submit(hall, tmp_path, records, at="2026-11-20T16:30:00+08:00")
    lanes = SyncLanes(store, hall.url, timeout_s=15, timings=FAST,
                      token_source=lambda: sign_in_token(hall),
                      prereview_due=due_rule(settings))
    lanes.lanes["prereview"].run_once()
    return applications, lanes


def applicant_view(hall, application) -> dict:
    return requests.get(f"{hall.api}/applications/{application['id']}/status", timeout=10,
                        headers={"Application-Key": application["access_key"]}).json()


def test_a_signed_decision_is_accepted_and_the_applicant_sees_who_signed_it(
        hall, store, intake_catalog, intake_settings, tmp_path):
    [application], lanes = pulled(store, intake_settings, hall, tmp_path,
                                  [application_record("s1", HEALTH_PERMIT)])
    decide(store, intake_settings, application["id"], "return",
           reason="检测报告须为一年内出具", missing_ids=["M03"])
    entry = PrereviewDecision.get()
    key = station_signing_key(store, intake_settings)
    # The signature covers exactly what is sent, made with the station's key.
    from app.certificates.sm2 import verify_sm3_signature

    assert verify_sm3_signature(key.public_key, entry.signature,
                                decision_bytes(application["id"], wire_decision(entry)))
    lanes.lanes["prereview"].run_once()
    assert PrereviewDecision.get().state == "acknowledged", PrereviewDecision.get().last_error
    assert StationSigningKey.get().registered_hall == hall.url.rstrip("/")

    view = applicant_view(hall, application)
    assert view["state"] == "returned" and view["decided_by"] == "窗口测试员"
    assert view["signed"] is True and view["signature_algorithm"] == "SM2"
    assert view["key_fingerprint"] == hashlib.sha256(
        key.public_key.encode("ascii")).hexdigest()[:16]
    lanes.stop()


def test_a_decision_changed_after_signing_is_refused_at_the_hall(
        hall, store, intake_catalog, intake_settings, tmp_path):
    [first, second], lanes = pulled(store, intake_settings, hall, tmp_path, [
        application_record("t1", HEALTH_PERMIT),
        application_record("t2", HEALTH_PERMIT, id_number=SECOND_PERSON_ID)])
    decide(store, intake_settings, first["id"], "reject", reason="不属于本区管辖",
           basis="《中华人民共和国行政许可法》第三十二条")
    # Someone edits the queued decision in the station's database: pass instead.
    PrereviewDecision.update(decision="pass", reason="", basis="").execute()
    lanes.lanes["prereview"].run_once()
    refused = PrereviewDecision.get()
    assert refused.state == "parked" and "签名" in refused.last_error, refused.last_error
    assert applicant_view(hall, first)["state"] == "pending"

    # A decision signed with a key the station never enrolled is refused the same way.
    station = RawHall(hall)
    private_key, public_key = _new_key_pair()
    from app.decision_signing import StationKey, sign_decision

    body = {"decision_id": "forged-1", "round": 1, "decision": "pass", "reason": "",
            "basis": "", "missing": [], "case_number": None, "decided_by": "clerk01",
            "decided_at": "2026-11-24T02:00:00+00:00"}
    forged = {**body, "signature": sign_decision(
        StationKey("350205001", private_key, public_key), second["id"], body)}
    answer = station.request("POST", f"/applications/{second['id']}/decision", json=forged)
    assert answer.status_code == 422 and answer.json()["error"] == "signature_invalid"
    # … and an unsigned one breaks the contract.
    answer = station.request("POST", f"/applications/{second['id']}/decision", json=body)
    assert answer.status_code == 422 and answer.json()["error"] == "invalid_decision"
    # The station's enrolled key cannot be swapped for another by a token alone.
    answer = station.request("PUT", "/stations/signing-key",
                             json={"algorithm": "SM2", "public_key": public_key})
    assert answer.status_code == 409 and answer.json()["error"] == "signing_key_conflict"
    assert applicant_view(hall, second)["state"] == "pending"
    # A reinstalled station: the hall's operator forgets the old key, the new one enrols.
    database = ["--database", hall.database_url] if hall.database_url else []
    subprocess.run([sys.executable, "-m", "central_hall", "station", "forget-key", "--data",
                    str(hall.data_dir), *database, "--code", "350205001"], check=True,
                   timeout=60)
    answer = station.request("PUT", "/stations/signing-key",
                             json={"algorithm": "SM2", "public_key": public_key})
    assert answer.status_code == 200, answer.text
    answer = station.request("POST", f"/applications/{second['id']}/decision", json=forged)
    assert answer.status_code == 200 and answer.json()["state"] == "passed"
    lanes.stop()
