"""Payment lane: the non-tax platform's confirmations of this station's fee notices,
pulled from the hall (``GET /payments?since=``) and applied by the caller's rule
(``apply``, from ``app.fees``: it checks the hall's signature and marks the fee
paid once), each page and its cursor in one writer unit.  A confirmation
delivered twice (a page fetched again after a lost answer) changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import contracts
from local_store.models import SyncCursor, utcnow
from local_store.store import Store
from sync.http import HallClient, HallFailure

LANE = "payment"
PAGE_SIZE = 100
Apply = Callable[[dict], bool]


def _apply_page(records: list[dict], cursor: str, apply: Apply) -> int:
    applied = sum(bool(apply(record)) for record in records)
    SyncCursor.insert(lane=LANE, cursor=cursor, updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: cursor, SyncCursor.updated_at: utcnow()},
    ).execute()
    return applied


def pull_payments(store: Store, client: HallClient, apply: Apply,
                  page_size: int = PAGE_SIZE, since: str | None = None) -> int:
    """Apply every confirmation after the stored cursor (or ``since``); returns how many
    changed a fee."""
    applied = 0
    while True:
        row = SyncCursor.get_or_none(SyncCursor.lane == LANE)
        cursor = since if since is not None else (row.cursor if row else "")
        since = None
        page = client.get_json("/payments", params={"since": cursor, "limit": page_size})
        problems = contracts.violations("payment_confirmations", page)
        if problems:
            field, message = problems[0]
            raise HallFailure("contract", f"大厅的缴费确认不符合合同：{field}: {message}", True)
        records = page["payments"]
        applied += store.writer.call(_apply_page, records, page["cursor"], apply)
        if len(records) < page_size:
            return applied
