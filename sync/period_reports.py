"""Report lane: 周报/月报 and day sign-offs out to the hall (``POST /reports``).

Each queued ``PeriodReport`` is sent once; its uuid is the hall's idempotency key,
so a report whose answer was lost is sent again and kept once.  A body the
contract refuses, or the hall refuses for good (403 another station's, 422), is
parked with its reason for a person; anything else waits and is tried again.
"""

from __future__ import annotations

import datetime as dt

import contracts
from local_store.models import PeriodReport, utcnow
from local_store.store import Store
from sync.http import Backoff, HallClient, HallFailure, settle_refusal

QUEUED, ACKNOWLEDGED, PARKED = "queued", "acknowledged", "parked"
FINAL_ERRORS = {400, 403, 404, 413, 422}


def due_reports(now: dt.datetime | None = None) -> list[PeriodReport]:
    now = now or utcnow()
    return list(PeriodReport.select().where((PeriodReport.sync_state == QUEUED)
                                            & (PeriodReport.next_attempt_at <= now))
                .order_by(PeriodReport.id))


def _acknowledged(report_id: int) -> None:
    PeriodReport.update(sync_state=ACKNOWLEDGED, acknowledged_at=utcnow(), last_error="").where(
        PeriodReport.id == report_id).execute()


def _failed(report_id: int, message: str, park: bool, wait_s: float) -> None:
    row = PeriodReport.get_by_id(report_id)
    PeriodReport.update(sync_state=PARKED if park else QUEUED, attempts=row.attempts + 1,
                        last_error=message,
                        next_attempt_at=utcnow() + dt.timedelta(seconds=wait_s)).where(
        PeriodReport.id == report_id).execute()


def deliver_reports(store: Store, client: HallClient, backoff: Backoff | None = None) -> int:
    """Send every due report; returns how many the hall holds now."""
    backoff = backoff or Backoff()
    delivered = 0
    for row in due_reports():
        problems = contracts.violations("period_report", row.body)
        if problems:  # a defect of this release: a person must see it, the hall never
            field, message = problems[0]
            store.writer.call(_failed, row.id, f"合同校验未通过：{field}: {message}", True, 0)
            continue
        try:
            client.request("POST", "/reports", ok=(200, 201), json=row.body)
        except HallFailure as failure:
            store.writer.call(_failed, row.id,
                              *settle_refusal(failure, FINAL_ERRORS, backoff, row.attempts))
            if failure.link_down or failure.needs_sign_in:
                raise
            continue
        store.writer.call(_acknowledged, row.id)
        delivered += 1
    return delivered
