"""The sync area's queue read (sync.summary.queue_rows): every unsent entry oldest
first, acknowledged ones only when asked, and found through the outbox's state
index — never by reading past every acknowledged entry (years of them at a busy
station) — by one plain statement (the area re-reads it as the queue drains)."""

from __future__ import annotations

import datetime as dt

from app.intake import Decision
from local_store.models import Case, OutboxEntry
from sync import outbox
from sync.summary import queue_rows
from tests.support.intake import INDIVIDUAL_BUSINESS, fill_person, receive_all_originals
from tests.support.query_plans import plan_lines, record_statements


def _take_in(intake, task_code, action="accept"):
    draft = intake.new_draft(task_code)
    fill_person(draft)
    receive_all_originals(draft)
    return intake.commit(draft, Decision(action))


def _rows_and_plans(store, monkeypatch, **kwargs):
    rows, sent = record_statements(store.case_db, monkeypatch, lambda: queue_rows(**kwargs))
    return rows, [plan_lines(store.case_db, statement) for statement in sent]

def test_unsent_entries_oldest_first_through_the_state_index(
        store, intake, intake_catalog, monkeypatch):
    code = intake_catalog[INDIVIDUAL_BUSINESS]
    committed = [_take_in(intake, code) for _ in range(3)]
    entries = [OutboxEntry.select().join(Case).where(Case.uuid == result.uuid).get()
               for result in committed]
    store.writer.call(lambda: outbox.mark_acknowledged(entries[0].id))
    store.writer.call(lambda: outbox.park(entries[2].id, "由 王窗口 人工搁置"))

    rows, plans = _rows_and_plans(store, monkeypatch)
    assert [(row.entry_id, row.case_number, row.state, row.event) for row in rows] == [
        (entries[1].id, committed[1].case_number, outbox.QUEUED, "accept"),
        (entries[2].id, committed[2].case_number, outbox.PARKED, "accept")]
    assert rows[0].item_name == "个体工商户设立登记"
    assert isinstance(rows[0].enqueued_at, dt.datetime)
    assert isinstance(rows[0].next_attempt_at, dt.datetime)
    assert rows[1].last_error == "由 王窗口 人工搁置"
    [plan] = plans
    assert any("USING INDEX outbox_entry_state" in line for line in plan), plan
    assert not [line for line in plan if line.startswith("SCAN")], plan

    everything, _ = _rows_and_plans(store, monkeypatch, include_acknowledged=True)
    assert [row.entry_id for row in everything] == [entry.id for entry in entries]
    assert everything[0].state == outbox.ACKNOWLEDGED
    assert [row.entry_id for row in queue_rows(limit=1)] == [entries[1].id]
