"""Retention (issue 18): personal data leaves the station only once the hall holds
the case, N days after its last acknowledgement — cases made by the real intake
service and acknowledged by the real hall over HTTP through the upload lane."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from app.cases import case_detail
from app.documents import DocumentError, issue
from app.intake import Decision
from app.reports.summary import item_breakdown, summarise
from app.retention import ARCHIVED_LABEL, change_retention, retention_status, run_retention
from app.settings import Settings, load_settings
from app.staff import PermissionRefused, StaffIdentity, audit
from local_store.instants import station_date
from local_store.models import AuditEvent, Case, OutboxEntry, utcnow
from sync import outbox
from sync.lanes import LaneTimings, SyncLanes
from tests.support.intake import INDIVIDUAL_BUSINESS, fill_person, receive_all_originals
from tests.support.producers import REJECT_BASIS, REJECT_REASON
from tests.support.station_keys import plaintext_copy
from tests.support.sync_trials import drain, sign_in_token

NINETY = Settings(retention_days=90)
AFTER_91_DAYS = dt.timedelta(days=91)
NO_GRACE = dt.timedelta(0)


def send_to_hall(store, hall) -> None:
    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.05, backoff_cap_s=0.5))
    try:
        drain(lanes, deadline_s=60)
    finally:
        lanes.stop()


def database_text(store) -> str:
    """Every value in the case database, as SQL text (of a decrypted copy)."""
    import sqlite3
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "cases-plain.sqlite"
        plaintext_copy(store.home / "cases.sqlite", plain)
        connection = sqlite3.connect(plain)
        try:
            return "\n".join(connection.iterdump())
        finally:
            connection.close()


def purge_later(store, days_later: dt.timedelta = AFTER_91_DAYS, **kwargs):
    return run_retention(store, NINETY, now=utcnow() + days_later, sweep_grace=NO_GRACE,
                         **kwargs)


def test_a_case_the_hall_holds_keeps_its_personal_data_until_n_days_after_the_ack(
        store, case_producer, hall):
    concluded = case_producer.take_in("conclude", scanned_pages=2, name="欧阳娜娜")
    rejected = case_producer.take_in("reject", name="司马光")
    send_to_hall(store, hall)
    day = station_date(Case.get(Case.uuid == concluded.uuid).received_at)
    summary_before = summarise("daily", day).as_dict()
    items_before = item_breakdown("daily", day)
    page_digests = [d for d in case_detail(concluded.number)["materials"]
                    for d in d["page_digests"]]
    attachments = [a["sha256"] for a in concluded.manifest["attachments"]]
    assert attachments and page_digests
    id_numbers = {concluded.manifest["applicant"]["id_number"],
                  rejected.manifest["applicant"]["id_number"]}

    early = purge_later(store, dt.timedelta(days=89))
    assert early.purged == 0
    assert "欧阳娜娜" in database_text(store)

    report = purge_later(store)
    assert report.purged_by_state == {"concluded": 1, "rejected": 1}
    assert report.bytes_freed > 0 and report.blobs_removed >= len(page_digests)
    text = database_text(store)
    raw = b"".join(path.read_bytes() for path in store.home.glob("cases.sqlite*"))
    for personal in ("欧阳娜娜", "司马光", *id_numbers, "13800000000"):
        assert personal not in text
        # Not in the file's free space or the WAL either.
        assert personal.encode() not in raw, personal
    for digest in attachments + page_digests:
        assert not store.blobs.has(digest)

    detail = case_detail(concluded.number)
    assert detail["archived"] == ARCHIVED_LABEL and detail["purged_at"]
    assert detail["applicant"] == {"kind": "person"} and detail["agent"] is None
    assert all(m["digest"] is None and m["page_digests"] == [] for m in detail["materials"])
    # What stays: number, item, state, clerk, the hall's acknowledgement, digests.
    case = Case.get(Case.uuid == concluded.uuid)
    assert (case.number, case.state, case.task_code) == (
        concluded.number, "concluded", concluded.manifest["task_code"])
    assert sorted(attachments) == sorted(json.loads(case.archived_digests))
    assert [e.state for e in OutboxEntry.select().where(OutboxEntry.case == case)] == [
        outbox.ACKNOWLEDGED]
    # The summaries count exactly as before.
    assert summarise("daily", day).as_dict() == summary_before
    assert item_breakdown("daily", day) == items_before
    # Audited, chain intact; a document for it is refused, not printed blank.
    [row] = AuditEvent.select().where(AuditEvent.event == "retention_purge")
    assert concluded.number in row.detail and rejected.number in row.detail
    assert audit.verify(store.home)[1] == []
    with pytest.raises(DocumentError, match=ARCHIVED_LABEL):
        issue(store, concluded.number, "receipt", reprint=True)
    # A second run finds nothing more.
    assert purge_later(store).purged == 0


def test_nothing_unsent_or_unacknowledged_is_purged(store, case_producer, intake, hall):
    acknowledged = case_producer.take_in("reject")
    # A 补正 case: notified and acknowledged by the hall, then reopened and rejected.
    draft = intake.new_draft(case_producer.catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name="补正人")
    receive_all_originals(draft)
    waiting = [entry for entry in draft.materials if entry.needed][-1]
    waiting.received_form, waiting.originals = "missing", 0
    notified = intake.commit(draft, Decision("notify"))
    send_to_hall(store, hall)
    resumed = intake.continue_case(notified.case_number)
    intake.commit(resumed, Decision("reject", reason=REJECT_REASON, basis=REJECT_BASIS))
    reopened = Case.get(Case.uuid == notified.uuid)
    assert reopened.state == "rejected"
    assert [e.state for e in OutboxEntry.select().where(OutboxEntry.case == reopened)
            .order_by(OutboxEntry.id)] == [outbox.ACKNOWLEDGED, outbox.QUEUED]
    never_sent = case_producer.take_in("conclude")
    parked = case_producer.take_in("reject")
    [parked_entry] = OutboxEntry.select().where(OutboxEntry.case == parked.case)
    store.writer.call(outbox.park, parked_entry.id, "大厅拒收")

    report = purge_later(store)
    assert report.purged_numbers == [acknowledged.number]
    assert report.held_back == {"unsent": 1}  # the reopened case, acknowledged once
    for kept in (reopened.uuid, never_sent.uuid, parked.uuid):
        assert Case.get(Case.uuid == kept).purged_at is None
    assert "补正人" in database_text(store)
    assert retention_status(NINETY)["final_with_unacknowledged_entries"] == 3

    # Once the hall holds the rest (the parked one after a person's retry), they go too.
    store.writer.call(outbox.retry_now, parked_entry.id)
    send_to_hall(store, hall)
    report = purge_later(store)
    assert sorted(report.purged_numbers) == sorted(
        [never_sent.number, parked.number, notified.case_number])
    assert "补正人" not in database_text(store)


def test_retention_switched_off_or_not_yet_due_keeps_everything(store, case_producer, hall):
    case_producer.take_in("conclude")
    send_to_hall(store, hall)
    off = dataclasses.replace(NINETY, retention_enabled=False)
    report = run_retention(store, off, now=utcnow() + dt.timedelta(days=3650))
    assert report.purged == 0 and report.batches == 0
    dry = run_retention(store, NINETY, now=utcnow() + AFTER_91_DAYS, dry_run=True)
    assert dry.purged_by_state == {"concluded": 1}
    assert Case.select().where(Case.purged_at.is_null(False)).count() == 0
    status = retention_status(NINETY, now=utcnow() + AFTER_91_DAYS)
    assert status["due_now"] == 1 and status["cases_purged"] == 0
    assert retention_status(NINETY)["due_now"] == 0


def test_purges_in_bounded_batches(store, case_producer, hall):
    numbers = {case_producer.take_in(shape).number
               for shape in ("conclude", "reject", "conclude", "reject", "conclude")}
    send_to_hall(store, hall)
    report = purge_later(store, batch_size=2)
    assert report.batches == 3 and set(report.purged_numbers) == numbers
    assert AuditEvent.select().where(AuditEvent.event == "retention_purge").count() == 3


def test_only_an_administrator_changes_the_policy(store, home):
    settings = load_settings(home)
    clerk = StaffIdentity("clerk1", "窗口一", "clerk", "350205001")
    with pytest.raises(PermissionRefused):
        change_retention(store, clerk, settings, days=30)
    assert load_settings(home).retention_days == 90
    admin = StaffIdentity("admin1", "管理员", "administrator", "350205001")
    change_retention(store, admin, settings, days=30, enabled=False)
    saved = load_settings(home)
    assert (saved.retention_days, saved.retention_enabled) == (30, False)
    [row] = AuditEvent.select().where((AuditEvent.event == audit.SETTINGS_CHANGE)
                                      & (AuditEvent.object == "retention"))
    assert row.account == "admin1" and '"days": 30' in row.detail


def cli(argv: list[str], capsys) -> tuple[int, str, str]:
    from app.cli import main

    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_retention_from_the_command_line(store, case_producer, shared_hall, cli_login, home,
                                         capsys):
    from app.embedded_hall import DEMO_ADMIN

    assert cli_login() == 0  # the demo clerk
    concluded = case_producer.take_in("conclude", scanned_pages=1, name="命令行")
    send_to_hall(store, shared_hall)
    store.close()

    status, _out, err = cli(["retention", "set", "--days", "0"], capsys)
    assert status == 1 and "无权" in err and "系统管理员" in err
    assert cli_login(DEMO_ADMIN) == 0
    assert cli(["retention", "set", "--days", "0"], capsys)[0] == 0
    assert load_settings(home).retention_days == 0

    status, out, _err = cli(["retention", "status", "--json"], capsys)
    assert status == 0
    before = json.loads(out)
    assert before["due_now"] == 1 and before["cases_purged"] == 0 and before["enabled"]

    status, out, _err = cli(["retention", "run", "--dry-run", "--json"], capsys)
    dry = json.loads(out)
    assert status == 0 and dry["dry_run"] and dry["purged_by_state"] == {"concluded": 1}
    assert dry["bytes_held_by_due_cases"] > 0
    assert json.loads(cli(["retention", "status", "--json"], capsys)[1])["cases_purged"] == 0

    status, out, _err = cli(["retention", "run", "--json"], capsys)
    done = json.loads(out)
    assert status == 0 and done["purged"] == 1 and done["purged_by_state"] == {"concluded": 1}
    after = json.loads(cli(["retention", "status", "--json"], capsys)[1])
    assert after["cases_purged"] == 1 and after["due_now"] == 0 and after["last_purge_at"]

    status, out, _err = cli(["case", "show", concluded.number, "--json"], capsys)
    shown = json.loads(out)
    assert status == 0 and shown["archived"] == ARCHIVED_LABEL
    assert "命令行" not in out
    status, out, _err = cli(["case", "show", concluded.number], capsys)
    assert ARCHIVED_LABEL in out
    [row] = AuditEvent.select().where(AuditEvent.event == "retention_purge")
    assert row.account == DEMO_ADMIN

    # Fetched back read-only from the hall: the person is there, nothing comes back here.
    status, out, err = cli(["case", "show", concluded.number, "--json", "--from-hall"], capsys)
    assert status == 0, err
    held = json.loads(out)
    assert held["from_hall"] and held["archived"] == ARCHIVED_LABEL
    assert held["applicant"]["name"] == "命令行" and "*" in held["applicant"]["id_number"]
    assert held["state"] == "concluded" and held["digests_match"]
    assert [a["sha256"] for a in held["attachments"]] == [
        a["sha256"] for a in concluded.manifest["attachments"]]
    assert Case.get(Case.uuid == concluded.uuid).applicant_snapshot == {"kind": "person"}
    assert AuditEvent.select().where(AuditEvent.event == "archive_fetch").count() == 1
    status, out, _err = cli(["case", "show", concluded.number, "--from-hall"], capsys)
    assert status == 0 and "命令行" in out and "只读" in out


def test_fetch_back_needs_the_hall_to_hold_the_case(store, case_producer, shared_hall,
                                                    cli_login, capsys):
    assert cli_login() == 0
    unsent = case_producer.take_in("conclude")
    store.close()
    status, _out, err = cli(["case", "show", unsent.number, "--json", "--from-hall"], capsys)
    assert status == 1 and "没有办件" in err


def test_the_housekeeping_lane_purges_what_is_due(store, case_producer, hall):
    from app.housekeeping import tidy_station

    rejected = case_producer.take_in("reject", name="清理")
    send_to_hall(store, hall)
    assert tidy_station(store, NINETY).retention.purged == 0  # acknowledged just now
    report = tidy_station(store, Settings(retention_days=0))
    assert report.retention.purged_numbers == [rejected.number]
    assert "归档办件 1 件" in report.summary()
    assert Case.get(Case.uuid == rejected.uuid).purged_at is not None


def test_a_case_concluded_at_the_hall_goes_after_the_status_lane_says_so(
        store, case_producer, hall):
    from app.embedded_hall import DEMO_ADMIN
    from sync.http import HallClient
    from sync.status import pull_status
    from tests.support.hall_client import RawHall

    accepted = case_producer.take_in("person", name="大厅办结")
    send_to_hall(store, hall)
    assert purge_later(store).purged == 0  # accepted here, still in process at the hall

    admin = RawHall(hall, user=DEMO_ADMIN)
    reply = admin.request("POST", f"/admin/cases/{accepted.uuid}/status",
                          json={"status": "concluded", "detail": "已办结"})
    assert reply.status_code == 200, reply.text
    client = HallClient(hall.url, token=sign_in_token(hall).access_token)
    try:
        assert pull_status(store, client) == 2  # received, then concluded
    finally:
        client.close()
    case = Case.get(Case.uuid == accepted.uuid)
    assert (case.state, case.hall_status) == ("accepted", "concluded")
    # Concluded by the department at the hall: not overdue once its promised date passes.
    from app.reports.summary import DAILY, summarise

    later = case.deadline + dt.timedelta(days=10)
    assert summarise(DAILY, later, today=later).overdue == 0
    assert purge_later(store, dt.timedelta(days=89)).purged == 0
    report = purge_later(store)
    assert report.purged_numbers == [accepted.number]
    assert "大厅办结" not in database_text(store)


def test_a_rating_the_hall_has_not_confirmed_keeps_the_case(store, case_producer, hall):
    from app.evaluation import evaluate
    from sync.evaluations import deliver_ratings
    from sync.http import HallClient

    concluded = case_producer.take_in("conclude", name="评价人")
    send_to_hall(store, hall)
    clerk = StaffIdentity("clerk01", "窗口一", "clerk", "350205001")
    evaluate(store, Settings(), clerk, concluded.number, 2, "window")  # 满意, queued
    report = purge_later(store)
    assert report.purged == 0 and report.held_back == {"unsent": 1}

    client = HallClient(hall.url, token=sign_in_token(hall).access_token)
    try:
        assert deliver_ratings(store, client) == 1
    finally:
        client.close()
    assert purge_later(store).purged_numbers == [concluded.number]
