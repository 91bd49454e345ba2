"""Randomized sync fault trials: cases → faults → drain → "nothing lost, nothing doubled".

One trial = a fresh client store with a few cases (small attachments, some
shared between cases, some with a second decision), one fault (a TCP fault in
the proxy, a hall-side fault, an outage, or none), then the real upload lane
runs until the queue is drained.  ``verify_trial`` then checks the hall's
own storage: every case exactly once at the right revision, attachments
byte-identical, every local entry acknowledged, ``PRAGMA integrity_check`` ok.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from app.cli.hall_cmd import read_hall_cases
from local_store.db import integrity_check
from local_store.models import Case, OutboxEntry
from local_store.store import Store
from sync import outbox
from sync.credentials import HallToken
from sync.lanes import LaneTimings, SyncLanes
from sync.summary import queue_summary
from tests.support.fault_proxy import DOWN, UP, Fault, FaultProxy
from tests.support.hall import DEMO_PASSWORD, DEMO_STATION, DEMO_USER
from tests.support.producers import APPLICANTS, create_case

TRIAL_TIMINGS = LaneTimings(catalog_s=3600, upload_idle_s=0.2, status_s=3600, purge_s=3600,
                            backoff_start_s=0.01, backoff_cap_s=0.1)
HALL_FAULTS = ("fail_after_commit", "fail_before_commit", "rate_limit", "offset_conflict",
               "checksum_mismatch", "truncate_uploads")
PROXY_FAULTS = ("reset_up", "reset_down", "cut_up", "cut_down", "stall")
ALL_FAULTS = (*HALL_FAULTS, *PROXY_FAULTS, "outage", "none")


def sign_in_token(hall) -> HallToken:
    verify = str(hall.ca_cert_path) if hall.ca_cert_path else True
    reply = requests.post(f"{hall.api}/auth/token", timeout=10, verify=verify, json={
        "station": DEMO_STATION, "user": DEMO_USER, "password": DEMO_PASSWORD})
    reply.raise_for_status()
    body = reply.json()
    return HallToken(body["access_token"], DEMO_STATION, DEMO_USER, "2099-01-01T00:00:00+00:00")


def set_hall_faults(hall, **counters) -> None:
    body = {name: 0 for name in HALL_FAULTS if name != "truncate_uploads"}
    body.update(counters)
    reply = requests.post(f"{hall.api}/admin/faults", json=body, timeout=10)
    reply.raise_for_status()


def hall_blob_path(hall, digest: str) -> Path:
    # The reference hall's content-addressed layout (central_hall/blobstore.py).
    return Path(hall.data_dir) / "blobs" / digest[:2] / digest


@dataclass
class Trial:
    number: int
    fault: str
    cases: list[Case] = field(default_factory=list)
    attachments: dict[str, bytes] = field(default_factory=dict)
    elapsed_s: float = 0.0


def make_cases(store: Store, rng: random.Random, trial: Trial, max_size: int) -> None:
    shared = rng.randbytes(rng.randint(1, max_size)) if rng.random() < 0.3 else None
    for _ in range(rng.randint(1, 2)):
        blobs = [rng.randbytes(rng.randint(1, max_size)) for _ in range(rng.randint(0, 2))]
        if shared is not None:
            blobs.append(shared)
        # Persons, organisations with their legal representative, and agents.
        case = create_case(store, attachments=blobs, applicant=rng.choice(APPLICANTS))
        for attachment in OutboxEntry.get(OutboxEntry.case == case).manifest["attachments"]:
            trial.attachments[attachment["sha256"]] = store.blobs.read(attachment["sha256"])
        if rng.random() < 0.25:
            # A later decision on the same case: must reach the hall after the first.
            store.writer.call(lambda c=case: outbox.enqueue(Case.get_by_id(c.id), "conclude"))
        trial.cases.append(case)


def arm_fault(rng: random.Random, fault: str, hall, proxy: FaultProxy, upload_bytes: int,
              stall_s: float) -> None:
    if fault in HALL_FAULTS:
        if fault == "truncate_uploads":
            # The hall forgets its partial uploads at some moment during the upload.
            timer = threading.Timer(rng.uniform(0, 0.3), set_hall_faults, (hall,),
                                    {"truncate_uploads": True})
            timer.daemon = True
            timer.start()
        else:
            set_hall_faults(hall, **{fault: rng.randint(1, 2), "retry_after_s": 0})
    elif fault in ("reset_up", "cut_up"):
        proxy.arm(Fault(fault.split("_")[0], UP, rng.randint(0, max(1, upload_bytes))))
    elif fault in ("reset_down", "cut_down"):
        proxy.arm(Fault(fault.split("_")[0], DOWN, rng.randint(0, 1500)))
    elif fault == "stall":
        proxy.arm(Fault("stall", rng.choice((UP, DOWN)), rng.randint(0, 2000), stall_s))


def drain(lanes: SyncLanes, deadline_s: float, proxy: FaultProxy | None = None,
          outage_passes: int = 0) -> None:
    """Run the real upload lane until nothing is left to send (parked counts as left)."""
    upload = lanes.lanes["upload"]
    deadline = time.monotonic() + deadline_s
    passes = 0
    while True:
        if proxy is not None and outage_passes and passes == outage_passes:
            proxy.set_offline(False)
        wait = upload.run_once()
        passes += 1
        summary = queue_summary()
        if summary.unsent == 0:
            return
        # Parked entries wait for a person: once only they are left, waiting is futile.
        only_parked = summary.unsent == summary.parked
        if only_parked or time.monotonic() > deadline:
            stuck = [(e.idempotency_key, e.state, e.last_error) for e in OutboxEntry.select()
                     .where(OutboxEntry.state != outbox.ACKNOWLEDGED)]
            raise AssertionError(f"queue not drained: {summary}; lane: {upload.state}; {stuck}")
        time.sleep(min(max(wait, 0.0), 0.05))


def verify_trial(store: Store, hall, trial: Trial) -> None:
    entries = list(OutboxEntry.select())
    not_acked = [(e.idempotency_key, e.state, e.last_error) for e in entries
                 if e.state != outbox.ACKNOWLEDGED]
    assert not not_acked, f"trial {trial.number} ({trial.fault}): {not_acked}"
    held = read_hall_cases(hall.data_dir)
    numbers = [row["number"] for row in held]
    assert len(numbers) == len(set(numbers)), "a case number is held twice"
    by_uuid = {row["uuid"]: row for row in held}
    for case in trial.cases:
        row = by_uuid.get(case.uuid)
        assert row is not None, f"trial {trial.number} ({trial.fault}): {case.number} lost"
        expected_revisions = OutboxEntry.select().where(OutboxEntry.case == case).count()
        assert row["revision"] == expected_revisions, (
            f"trial {trial.number} ({trial.fault}): {case.number} revision {row['revision']}"
            f" != {expected_revisions}"
        )
        assert row["number"] == case.number
        manifest = OutboxEntry.get(OutboxEntry.case == case).manifest
        expected = sorted((a["sha256"], a["size"]) for a in manifest["attachments"])
        assert sorted((a["sha256"], a["size"]) for a in row["attachments"]) == expected
        for digest, _size in expected:
            assert hall_blob_path(hall, digest).read_bytes() == trial.attachments[digest], (
                f"trial {trial.number}: attachment {digest[:12]} differs at the hall"
            )
    assert integrity_check(store.case_db) == "ok"


def run_trial(number: int, rng: random.Random, hall, proxy: FaultProxy, token: HallToken,
              store: Store, *, timeout_s: float = 0.5, max_size: int = 64 * 1024,
              fault: str | None = None) -> Trial:
    """One trial on ``store`` (a batch shares one store; earlier trials are all acknowledged)."""
    fault = fault or rng.choice(ALL_FAULTS)
    trial = Trial(number, fault)
    started = time.monotonic()
    lanes = None
    try:
        make_cases(store, rng, trial, max_size)
        upload_bytes = sum(len(data) for data in trial.attachments.values())
        arm_fault(rng, fault, hall, proxy, upload_bytes, stall_s=timeout_s * 1.5)
        outage_passes = 0
        if fault == "outage":
            proxy.set_offline(True)
            outage_passes = rng.randint(1, 3)
        lanes = SyncLanes(store, proxy.url(), timeout_s=timeout_s, timings=TRIAL_TIMINGS,
                          token_source=lambda: token, catalog_sync=lambda s, u: None)
        drain(lanes, deadline_s=30, proxy=proxy, outage_passes=outage_passes)
        verify_trial(store, hall, trial)
    finally:
        proxy.clear()
        proxy.set_offline(False)
        set_hall_faults(hall)
        if lanes is not None:
            lanes.stop(timeout_s=2)
    trial.elapsed_s = time.monotonic() - started
    return trial
