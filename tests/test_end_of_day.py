"""End of day (issue 16, part 4): the station's reconciliation and the supervisor's
sign-off, over cases taken in through IntakeService, printed through app.documents
and moved through the real queue functions of sync.outbox."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from app import documents
from app.reports.end_of_day import (
    SignoffRefused,
    reconcile,
    sign_day,
    supervisor_day_status,
    unsigned_days,
)
from app.staff import PermissionRefused, StaffIdentity
from local_store.models import AuditEvent, DaySignoff, OutboxEntry
from sync import outbox
from tests.support.intake import FOOD_LICENCE, INDIVIDUAL_BUSINESS, SENIOR_CARD
from tests.test_report_breakdown import REJECTION, WANG, take_in

STATION = "350205001"
SATURDAY = dt.datetime(2026, 11, 21, 10, 0)
MONDAY = dt.datetime(2026, 11, 23, 9, 0)
SUPERVISOR = StaffIdentity("supervisor", "科长", "supervisor", STATION)
CLERK = StaffIdentity("clerk01", "王窗口", "clerk", STATION)


@pytest.fixture
def monday(store, intake_catalog):
    """Saturday: one case.  Monday: accepted and printed and acknowledged; a 补正
    notice not printed, still queued; a rejection whose print failed, parked."""
    take_in(store, intake_catalog, WANG, SATURDAY, SENIOR_CARD, "conclude")
    accepted = take_in(store, intake_catalog, WANG, MONDAY, INDIVIDUAL_BUSINESS, "accept")
    notified = take_in(store, intake_catalog, WANG, MONDAY + dt.timedelta(hours=1),
                       FOOD_LICENCE, "notify", complete=False)
    rejected = take_in(store, intake_catalog, WANG, MONDAY + dt.timedelta(hours=2),
                       INDIVIDUAL_BUSINESS, "reject", **REJECTION)
    numbers = accepted.case_number, notified.case_number, rejected.case_number
    for number, kind, outcome in ((numbers[0], "acceptance", "printed"),
                                  (numbers[2], "rejection", "failed")):
        pdf, _ = documents.issue(store, number, kind)
        documents.archive_and_log(store, number, kind, pdf, clerk="clerk01", outcome=outcome,
                                  error="打印机缺纸" if outcome == "failed" else "")
    entries = {entry.case.number: entry.id for entry in OutboxEntry.select()}
    store.writer.call(outbox.mark_acknowledged, entries[numbers[0]])
    store.writer.call(outbox.park, entries[numbers[2]], "HTTP 422：字段不合规")
    return numbers


def test_reconciliation_flags_each_difference(monday):
    accepted, notified, rejected = monday
    (line,) = reconcile(MONDAY.date(), STATION)
    assert line.figures == {"taken_in": 3, "decided": 3, "printed": 1, "queued": 1,
                            "acknowledged": 1, "parked": 1}
    problems = {(d["case_number"], d["problem"]) for d in line.differences}
    assert problems == {
        (notified, "已决定，未出具文书"),
        (notified, "上报中，办事大厅尚未确认"),
        (rejected, "文书打印失败"),
        (rejected, "上报被搁置：HTTP 422：字段不合规"),
    }
    assert reconcile(MONDAY.date(), "350205999") == []
    assert reconcile(MONDAY.date() + dt.timedelta(days=1), STATION) == []


def test_a_clerk_is_refused_at_the_service_and_audited(store, monday):
    with pytest.raises(PermissionRefused, match="无权日结签核"):
        sign_day(store, CLERK, MONDAY.date(), STATION)
    with pytest.raises(PermissionRefused, match="无权查看日结"):
        supervisor_day_status(CLERK, MONDAY.date(), STATION)
    assert DaySignoff.select().count() == 0
    refused = AuditEvent.get(AuditEvent.event == "permission_refused")
    assert (refused.account, refused.object, refused.outcome) == (
        "clerk01", f"eod/{STATION}/2026-11-23", "refused")


def test_sign_off_is_stored_audited_and_the_next_morning_shows_what_is_unsigned(store, monday):
    tuesday = MONDAY.date() + dt.timedelta(days=1)
    assert unsigned_days(STATION, tuesday) == [SATURDAY.date(), MONDAY.date()]
    status = supervisor_day_status(SUPERVISOR, tuesday, STATION, today=tuesday)
    assert status["unsigned_days"] == ["2026-11-21", "2026-11-23"]

    line = sign_day(store, SUPERVISOR, MONDAY.date(), STATION, today=tuesday)
    assert line.signed_by == "supervisor" and line.signed_figures == line.figures
    row = AuditEvent.get(AuditEvent.event == "eod_sign")
    assert (row.account, row.object, row.outcome) == ("supervisor", f"eod/{STATION}/2026-11-23",
                                                      "ok")
    assert json.loads(row.detail)["differences"] == 4
    status = supervisor_day_status(SUPERVISOR, tuesday, STATION, today=tuesday)
    assert status["unsigned_days"] == ["2026-11-21"]
    with pytest.raises(SignoffRefused, match="已由 supervisor 签核"):
        sign_day(store, SUPERVISOR, MONDAY.date(), STATION, today=tuesday)
    with pytest.raises(SignoffRefused, match="尚未到来"):
        sign_day(store, SUPERVISOR, tuesday + dt.timedelta(days=1), STATION, today=tuesday)

    # A decision recorded after the sign-off shows against the signed figures.
    entries = {entry.case.number: entry.id for entry in OutboxEntry.select()}
    store.writer.call(outbox.mark_acknowledged, entries[monday[1]])
    (after,) = reconcile(MONDAY.date(), STATION)
    assert after.changed_since_signed and after.signed_figures["queued"] == 1


def test_cli_status_and_sign(monday, store, cli_login, capsys):
    from app.cli import main

    store.close()  # the CLI opens the station's store itself
    assert cli_login() == 0
    capsys.readouterr()
    assert main(["eod", "sign", "--date", "2026-11-23"]) == 1
    assert "无权日结签核" in capsys.readouterr().err
    assert cli_login("supervisor") == 0
    capsys.readouterr()
    assert main(["eod", "status", "--date", "2026-11-23", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    (line,) = status["stations"]
    assert (line["taken_in"], line["parked"], line["signed"]) == (3, 1, False)
    assert main(["eod", "sign", "--date", "2026-11-23"]) == 0
    assert "已签核" in capsys.readouterr().out
    assert main(["eod", "status", "--date", "2026-11-23"]) == 0
    out = capsys.readouterr().out
    assert "已由 supervisor 签核" in out and "上报被搁置" in out
    assert main(["eod", "sign", "--date", "2026-11-23"]) == 1
    assert "已由 supervisor 签核" in capsys.readouterr().err
