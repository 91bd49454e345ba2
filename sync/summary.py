"""Queue summary for the status bar, the CLI and the daily report.

The plan demands every case reported within 12 hours: the oldest unsent case's
age drives a warning (default 8 h) and an alarm (default 12 h).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from peewee import fn

from local_store.models import OutboxEntry, utcnow
from sync import outbox

OK, WARNING, ALARM = "ok", "warning", "alarm"


@dataclass
class QueueSummary:
    queued: int
    uploading: int
    sent: int
    parked: int
    acknowledged: int
    oldest_unsent_age_s: float | None
    level: str  # ok | warning | alarm

    @property
    def unsent(self) -> int:
        return self.queued + self.uploading + self.sent + self.parked

    @property
    def warning(self) -> bool:
        return self.level in (WARNING, ALARM)

    @property
    def alarm(self) -> bool:
        return self.level == ALARM

    def as_dict(self) -> dict:
        return {**asdict(self), "unsent": self.unsent}


def queue_summary(warning_hours: float = 8.0, alarm_hours: float = 12.0,
                  now: dt.datetime | None = None) -> QueueSummary:
    counts = dict.fromkeys(outbox.STATES, 0)
    rows = OutboxEntry.select(OutboxEntry.state, fn.COUNT(OutboxEntry.id).alias("n")).group_by(
        OutboxEntry.state
    )
    for row in rows:
        counts[row.state] = row.n
    # INDEXED BY: with years of acknowledged entries the planner's statistics
    # (an average per state) make the four unsent states look like most of
    # the table, and it read every entry, manifests and all: 1.8 s at 500 k
    # cases (tests/bench/bench_scale.py).  The unsent are few: read those.
    marks = ", ".join("?" * len(outbox.UNSENT_STATES))
    table = OutboxEntry._meta.table_name
    oldest = OutboxEntry._meta.database.execute_sql(
        f'SELECT MIN(enqueued_at) FROM "{table}" INDEXED BY "{table}_state" '
        f"WHERE state IN ({marks})", outbox.UNSENT_STATES).fetchone()[0]
    age = None
    level = OK
    if oldest is not None:
        if isinstance(oldest, str):
            oldest = dt.datetime.fromisoformat(oldest)
        age = max(0.0, ((now or utcnow()) - oldest).total_seconds())
        if age >= alarm_hours * 3600:
            level = ALARM
        elif age >= warning_hours * 3600:
            level = WARNING
    return QueueSummary(
        queued=counts[outbox.QUEUED],
        uploading=counts[outbox.UPLOADING],
        sent=counts[outbox.SENT],
        parked=counts[outbox.PARKED],
        acknowledged=counts[outbox.ACKNOWLEDGED],
        oldest_unsent_age_s=age,
        level=level,
    )


@dataclass
class QueueRow:
    """One outbox entry as the sync view shows it."""

    entry_id: int
    case_number: str
    item_name: str
    event: str
    state: str
    enqueued_at: dt.datetime
    attempts: int
    last_error: str
    next_attempt_at: dt.datetime | None

    @property
    def state_label(self) -> str:
        return outbox.STATE_LABELS.get(self.state, self.state)

    @property
    def explanation(self) -> str:
        """One line: the reason, and for a parked entry the refused field and what to do."""
        if self.state != outbox.PARKED:
            return self.last_error
        from sync.parked import headline

        return headline(self.last_error)

    @property
    def explanation_detail(self) -> str:
        """The hall's own words and the full advice (a tooltip)."""
        if self.state != outbox.PARKED:
            return self.last_error
        from sync.parked import advice

        return f"{self.last_error}\n{advice(self.last_error)}".strip()

    def age_s(self, now: dt.datetime | None = None) -> float:
        return max(0.0, ((now or utcnow()) - self.enqueued_at).total_seconds())


def queue_rows(include_acknowledged: bool = False, limit: int = 1000) -> list[QueueRow]:
    """Entries oldest first (unsent ones; with acknowledged ones when asked).

    Read by the sync view each time the sync service reports progress, so it stays
    cheap: plain SQL and tuples (peewee's per-field conversions were a third of
    the read, held under the GIL the window's thread waits for), the decision read
    by SQLite from the manifest instead of parsing every manifest in Python, and
    the unsent entries found through the state index, not by reading past every
    acknowledged one.
    """
    from local_store.models import Case

    table, cases = OutboxEntry._meta.table_name, Case._meta.table_name
    states = outbox.STATES if include_acknowledged else outbox.UNSENT_STATES
    marks = ", ".join("?" * len(states))
    cursor = OutboxEntry._meta.database.execute_sql(
        # A 办理项's own name (食品经营许可（新办）) where the case has one.
        f"SELECT o.id, c.number, COALESCE(c.handle_item_name, c.item_name), "
        f"json_extract(o.manifest, '$.event'), o.state, o.enqueued_at, o.attempts, "
        f'o.last_error, o.next_attempt_at FROM "{table}" AS o '
        f'JOIN "{cases}" AS c ON c.id = o.case_id WHERE o.state IN ({marks}) '
        f"ORDER BY o.enqueued_at, o.id LIMIT ?", (*states, limit))
    return [
        QueueRow(entry_id, number, item_name, event or "", state, _as_datetime(enqueued_at),
                 attempts, last_error, _as_datetime(next_attempt_at))
        for (entry_id, number, item_name, event, state, enqueued_at, attempts, last_error,
             next_attempt_at) in cursor
    ]


def _as_datetime(value) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)
