"""Rows a station queues for the hall and sends once each: the ratings lane and
the report lane share this rule.

A row model for it has ``sync_state`` (queued|acknowledged|parked), ``attempts``,
``last_error``, ``next_attempt_at`` and ``acknowledged_at``.  Each due row is
checked against its contract first (a body the contract refuses is a defect of
this release: parked for a person, never sent), then POSTed; its uuid in the body
is the hall's idempotency key, so a row whose answer was lost is sent again and
kept once.  A refusal no retry can change parks the row with the hall's reason
(``settle_refusal``); anything else waits with back-off.  A link that is down or
a sign-in that ran out ends the round (raised to the lane).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass

import contracts
from local_store.models import utcnow
from local_store.store import Store
from sync.http import Backoff, HallClient, HallFailure, settle_refusal

QUEUED, ACKNOWLEDGED, PARKED = "queued", "acknowledged", "parked"


@dataclass(frozen=True)
class QueuedKind:
    """One kind of queued row: where it goes and what the wire body is."""

    model: type  # a peewee model with the sync fields above
    contract: str  # the contract the body must meet
    path: str  # the hall route it is POSTed to
    body_of: Callable  # row → wire body
    final_errors: Collection[int]  # HTTP statuses that park instead of retrying

    def due(self, now: dt.datetime | None = None) -> list:
        now = now or utcnow()
        model = self.model
        return list(model.select().where((model.sync_state == QUEUED)
                                         & (model.next_attempt_at <= now))
                    .order_by(model.id))

    def acknowledged(self, row_id: int) -> None:
        model = self.model
        model.update(sync_state=ACKNOWLEDGED, acknowledged_at=utcnow(), last_error="").where(
            model.id == row_id).execute()

    def failed(self, row_id: int, message: str, park: bool, wait_s: float) -> None:
        model = self.model
        row = model.get_by_id(row_id)
        model.update(sync_state=PARKED if park else QUEUED, attempts=row.attempts + 1,
                     last_error=message,
                     next_attempt_at=utcnow() + dt.timedelta(seconds=wait_s)).where(
            model.id == row_id).execute()


def deliver(kind: QueuedKind, store: Store, client: HallClient,
            backoff: Backoff | None = None) -> int:
    """Send every due row of ``kind``; returns how many the hall holds now."""
    backoff = backoff or Backoff()
    delivered = 0
    for row in kind.due():
        body = kind.body_of(row)
        problems = contracts.violations(kind.contract, body)
        if problems:  # a defect of this release: a person must see it, the hall never
            field, message = problems[0]
            store.writer.call(kind.failed, row.id, f"合同校验未通过：{field}: {message}", True, 0)
            continue
        try:
            client.request("POST", kind.path, ok=(200, 201), json=body)
        except HallFailure as failure:
            store.writer.call(kind.failed, row.id,
                              *settle_refusal(failure, kind.final_errors, backoff, row.attempts))
            if failure.link_down or failure.needs_sign_in:
                raise
            continue
        store.writer.call(kind.acknowledged, row.id)
        delivered += 1
    return delivered
