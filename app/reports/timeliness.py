"""及时率: the one rule for "reported on time", used by every report.

Plan task 11: a case is reported on time when the hall has it within **12 hours of
the event it reports** — the decision the manifest carries (``decided_at``), not the
moment the station queued it: a decision entered late (补录) or queued from an
import is judged from when it was made.  The hall's acknowledgement of the case's
first manifest is the moment it was reported.

The rule exists twice in form only — as a Python comparison (``reported_in_time``,
for the per-case reasons of the quality view) and as the same comparison in SQL
(``on_time_sql``, for the grouped counts of the summary and the console); the
exactness tests hold the two to the same answer at the 12-hour edge.
"""

from __future__ import annotations

import datetime as dt

from peewee import fn

from local_store.models import OutboxEntry

REPORT_DEADLINE = dt.timedelta(hours=12)


def decision_instant(entry: OutboxEntry) -> dt.datetime:
    """When the decision the entry reports was made (stored form, UTC): the
    manifest's ``decided_at`` as queued; the queue time only for an entry queued
    before the station kept it (nothing older is known)."""
    return entry.decided_at or entry.enqueued_at


def reported_in_time(decided_at: dt.datetime, acknowledged_at: dt.datetime | None) -> bool:
    """Acknowledged within 12 hours of the decision, counted in whole seconds (the
    wire's resolution): both instants cut to their second, then compared."""
    if acknowledged_at is None:
        return False
    took = acknowledged_at.replace(microsecond=0) - decided_at.replace(microsecond=0)
    return took <= REPORT_DEADLINE


def _to_the_second(column):
    # Stored instants are text "YYYY-MM-DD HH:MM:SS[.ffffff]": cutting the text at the
    # second truncates exactly as the Python side does (SQLite's date functions
    # would first round to the millisecond).
    return fn.SUBSTR(column, 1, 19)


def on_time_sql():
    """``reported_in_time`` of an ``OutboxEntry`` row as an SQL expression (0/1):
    the acknowledgement's second, as text, no later than the decision's second plus
    12 hours — one date function per row, about what the earlier julianday
    difference cost (bench_console)."""
    decided = _to_the_second(fn.COALESCE(OutboxEntry.decided_at, OutboxEntry.enqueued_at))
    hours = int(REPORT_DEADLINE.total_seconds() // 3600)
    return _to_the_second(OutboxEntry.acknowledged_at) <= fn.datetime(decided, f"+{hours} hours")
