"""Report lane: 周报/月报 and day sign-offs out to the hall (``POST /reports``).

Each queued ``PeriodReport`` is sent once; its uuid is the hall's idempotency key,
so a report whose answer was lost is sent again and kept once.  A body the
contract refuses, or the hall refuses for good (403 another station's, 422), is
parked with its reason for a person; anything else waits and is tried again.
"""

from __future__ import annotations

from local_store.models import PeriodReport
from local_store.store import Store
from sync.http import Backoff, HallClient
from sync.queued_rows import QueuedKind, deliver

REPORTS = QueuedKind(model=PeriodReport, contract="period_report", path="/reports",
                     body_of=lambda row: row.body,
                     final_errors={400, 403, 404, 413, 422})


def deliver_reports(store: Store, client: HallClient, backoff: Backoff | None = None) -> int:
    """Send every due report; returns how many the hall holds now."""
    return deliver(REPORTS, store, client, backoff)
