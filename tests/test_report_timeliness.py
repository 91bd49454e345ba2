"""及时率 has one rule (issue 16): reported on time = the hall acknowledged the case's
first manifest within 12 hours of the decision it reports — not of the moment the
station queued it.  The summary, the console's breakdowns and the reporting-quality
view count by the same function (``app.reports.timeliness``) and agree case by case,
at the 12-hour edge too.  Cases come from the real IntakeService."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports.breakdown import DIMENSIONS, breakdowns
from app.reports.reporting_quality import TIMELY, reporting_quality
from app.reports.summary import WEEKLY, summarise
from app.reports.timeliness import REPORT_DEADLINE, decision_instant, reported_in_time
from local_store.instants import from_wire
from local_store.models import OutboxEntry
from tests.support.intake import FOOD_LICENCE, INDIVIDUAL_BUSINESS, SENIOR_CARD
from tests.test_report_breakdown import LI, WANG, take_in

MONDAY = dt.datetime(2026, 11, 23, 9, 0)
SECOND = dt.timedelta(seconds=1)


@pytest.fixture
def acknowledged(store, intake_catalog):
    """Five cases, each acknowledged at a chosen distance from its decision (or, for
    the last, from its queue time, which is weeks after the decision: the station
    took it in on the 23rd and queued it today)."""
    plan = [("at_deadline", WANG, INDIVIDUAL_BUSINESS, "accept"),
            ("a_second_late", WANG, FOOD_LICENCE, "accept"),
            ("half_a_second_over", LI, SENIOR_CARD, "conclude"),
            ("an_hour_after_queueing", LI, INDIVIDUAL_BUSINESS, "accept"),
            ("not_acknowledged", WANG, SENIOR_CARD, "conclude")]
    numbers = {}
    for n, (name, settings, item, action) in enumerate(plan):
        numbers[name] = take_in(store, intake_catalog, settings,
                                MONDAY + dt.timedelta(hours=n), item, action).case_number
    entries = {entry.case.number: entry for entry in OutboxEntry.select()}

    def acknowledge(entry, at):
        entry.state = "acknowledged"
        entry.acknowledged_at = at
        entry.save()

    def decided(name):
        return decision_instant(entries[numbers[name]])

    for name, at in (("at_deadline", decided("at_deadline") + REPORT_DEADLINE),
                     ("a_second_late", decided("a_second_late") + REPORT_DEADLINE + SECOND),
                     ("half_a_second_over", decided("half_a_second_over") + REPORT_DEADLINE
                      + dt.timedelta(milliseconds=500)),
                     ("an_hour_after_queueing",
                      entries[numbers["an_hour_after_queueing"]].enqueued_at
                      + dt.timedelta(hours=1))):
        store.writer.call(acknowledge, entries[numbers[name]], at)
    return numbers


def test_the_outbox_keeps_the_decision_the_manifest_reports(acknowledged):
    for entry in OutboxEntry.select():
        assert entry.decided_at == from_wire(entry.manifest["decided_at"])
        # Queued by the real clock, decided on the intake's: weeks apart here.
        assert entry.enqueued_at - entry.decided_at > dt.timedelta(days=1)


def test_one_rule_case_by_case_and_in_every_count(acknowledged):
    entries = {entry.case.number: entry for entry in OutboxEntry.select()}
    on_time = {name for name, number in acknowledged.items()
               if reported_in_time(decision_instant(entries[number]),
                                   entries[number].acknowledged_at)}
    # Whole seconds: 12 h 0.5 s is still the 12th hour's last second.
    assert on_time == {"at_deadline", "half_a_second_over"}

    week = summarise(WEEKLY, MONDAY.date())
    assert (week.received, week.reported, week.reported_on_time) == (5, 4, 2)
    for dimension, lines in breakdowns(WEEKLY, MONDAY.date()).items():
        assert sum(line.summary.reported_on_time for line in lines) == 2, dimension
    assert set(DIMENSIONS) == set(breakdowns(WEEKLY, MONDAY.date()))

    quality = reporting_quality(WEEKLY, MONDAY.date(), now=MONDAY + dt.timedelta(days=40))
    assert sum(line.on_time for line in quality) == 2
    late = {miss.case_number: miss.why for line in quality for miss in line.misses
            if miss.indicator == TIMELY}
    number = {value: key for key, value in acknowledged.items()}
    assert {number[n] for n in late} == {"a_second_late", "an_hour_after_queueing",
                                         "not_acknowledged"}
    # Counted from the queue, the last would have been on time: it was not.
    assert "超过 12 小时" in late[acknowledged["an_hour_after_queueing"]]


def test_per_station_the_summary_and_the_breakdown_agree(acknowledged):
    stations = {line.key[0]: line.summary for line in
                breakdowns(WEEKLY, MONDAY.date(), ("station",))["station"]}
    for station, line in stations.items():
        alone = summarise(WEEKLY, MONDAY.date(), station=station)
        assert (alone.reported, alone.reported_on_time) == (line.reported,
                                                            line.reported_on_time)
    assert sorted(line.reported_on_time for line in stations.values()) == [1, 1]


def test_0014_takes_the_decision_of_entries_queued_before_it(tmp_path):
    """A station upgraded with entries in its queue: each gets its manifest's
    decided_at (UTC); an entry whose manifest has none keeps NULL (queue time)."""
    from local_store import db as dbmod
    from local_store.migrations import STEPS, migrate
    from tests.test_migrations import _insert_case

    path = tmp_path / "cases.sqlite"
    db = dbmod.open_case_db(path)
    migrate(db, path, steps=[step for step in STEPS if step.version < 14])
    _insert_case(db, "N1", "T1", None, "老年人优待证办理")
    for key, manifest in (("k1", '{"decided_at": "2026-11-20T09:00:05+08:00"}'),
                          ("k2", '{"event": "accepted"}')):
        db.execute_sql(
            "INSERT INTO outbox_entry (case_id, idempotency_key, state, attempts, last_error,"
            " next_attempt_at, enqueued_at, manifest) VALUES (1, ?, 'queued', 0, '',"
            " '2026-11-20 01:00:05', '2026-11-20 03:00:00', ?)", (key, manifest))
    migrate(db, path)
    assert db.execute_sql("SELECT idempotency_key, decided_at FROM outbox_entry ORDER BY id"
                          ).fetchall() == [("k1", "2026-11-20 01:00:05"), ("k2", None)]
    first = OutboxEntry.get(OutboxEntry.idempotency_key == "k1")
    assert decision_instant(first) == dt.datetime(2026, 11, 20, 1, 0, 5)
    db.close()
