"""好差评 lane: the station's ratings out, the ratings given by QR on the hall in.

1. Every queued rating is sent once (``POST /evaluations``; its uuid is the hall's
   idempotency key, so a rating whose answer was lost is sent again and kept
   once).  A case the hall has not received yet is answered 409 and retried
   later; an answer no retry can change (already rated by QR, not this
   station's case, refused by the contract) parks the rating with its reason.
2. The ratings applicants gave on the hall's page for this station's cases are
   pulled (``GET /evaluations?since=``) and applied by the caller's rule
   (``apply``, from ``app.evaluation``: it opens rectification items on the
   station's calendar, which this layer does not know), page and cursor in one
   writer unit.  A rating already here (same uuid) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable

import contracts
from local_store.instants import to_wire
from local_store.models import Evaluation, SyncCursor, utcnow
from local_store.store import Store
from sync.http import Backoff, HallClient, HallFailure
from sync.queued_rows import QueuedKind, deliver

LANE = "evaluation"
PAGE_SIZE = 100
FROM_HALL = "from_hall"
LEVEL_CODES = {"非常满意": 1, "满意": 2, "基本满意": 3, "不满意": 4, "非常不满意": 5}
# 409: the case is not at the hall yet — the upload lane brings it; try again.
FINAL_ERRORS = {400, 403, 404, 422}
Apply = Callable[[dict], bool]


def wire_rating(row: Evaluation) -> dict:
    """The rating as the contract ``evaluation`` states it."""
    return {"uuid": row.uuid, "case_number": row.case.number, "point": row.point,
            "round": row.round, "level": row.level, "level_code": LEVEL_CODES[row.level],
            "channel": row.channel, "comment": row.comment, "rated_by": row.clerk,
            "rated_at": to_wire(row.at)}


RATINGS = QueuedKind(model=Evaluation, contract="evaluation", path="/evaluations",
                     body_of=wire_rating, final_errors=FINAL_ERRORS)


def deliver_ratings(store: Store, client: HallClient, backoff: Backoff | None = None) -> int:
    """Send every due rating; returns how many the hall holds now."""
    return deliver(RATINGS, store, client, backoff)


def _apply_page(records: list[dict], cursor: str, apply: Apply) -> int:
    applied = 0
    for record in records:
        if Evaluation.get_or_none(Evaluation.uuid == record["uuid"]) is None:
            applied += bool(apply(record))
    SyncCursor.insert(lane=LANE, cursor=cursor, updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: cursor, SyncCursor.updated_at: utcnow()},
    ).execute()
    return applied


def pull_ratings(store: Store, client: HallClient, apply: Apply,
                 page_size: int = PAGE_SIZE) -> int:
    """Apply every rating given on the hall since the stored cursor; returns how many."""
    applied = 0
    while True:
        row = SyncCursor.get_or_none(SyncCursor.lane == LANE)
        page = client.get_json("/evaluations",
                               params={"since": row.cursor if row else "", "limit": page_size})
        problems = contracts.violations("evaluation_updates", page)
        if problems:
            field, message = problems[0]
            raise HallFailure("contract", f"大厅的评价数据不符合合同：{field}: {message}", True)
        records = page["evaluations"]
        applied += store.writer.call(_apply_page, records, page["cursor"], apply)
        if len(records) < page_size:
            return applied


def run_lane(store: Store, client: HallClient, apply: Apply,
             backoff: Backoff | None = None) -> None:
    deliver_ratings(store, client, backoff)
    pull_ratings(store, client, apply)
