"""Status pull: the hall's progress on our cases, applied to the local cases.

``GET /cases/updates?since=CURSOR`` pages through updates for this station;
each page is applied in one writer transaction together with the new cursor
(kept in ``SyncCursor`` under the lane name), so a crash never skips or
re-applies an update.  A case gets ``hall_status``/``hall_status_at`` and a
``CaseEvent`` of kind ``hall_status`` for its history.
"""

from __future__ import annotations

import datetime as dt

import contracts
from local_store.instants import NoOffset, from_wire
from local_store.models import Case, CaseEvent, SyncCursor, utcnow
from local_store.store import Store
from sync.http import HallClient, HallFailure

LANE = "status"
PAGE_SIZE = 200

HALL_STATUS_LABELS = {
    "received": "大厅已收件",
    "pre_review_passed": "预审通过",
    "pre_review_returned": "预审退回",
    "in_process": "办理中",
    "concluded": "已办结",
    "result_ready": "结果可领取",
    "delivered": "已送达",
}


def _naive_utc(text: str | None) -> dt.datetime:
    """The stored form (naive UTC) of the hall's ``at``; the hall sends an offset."""
    if not text:
        return utcnow()
    try:
        return from_wire(text)
    except NoOffset:
        return dt.datetime.fromisoformat(text)  # the hall's clock is UTC (hall_api)
    except ValueError:
        return utcnow()


def current_cursor(lane: str = LANE) -> str:
    row = SyncCursor.get_or_none(SyncCursor.lane == lane)
    return row.cursor if row else ""


def apply_updates(updates: list[dict], cursor: str, lane: str = LANE) -> int:
    """Writer unit: apply one page of updates and advance the cursor. Returns cases changed."""
    changed = 0
    for update in updates:
        case = Case.get_or_none(Case.uuid == update.get("uuid"))
        if case is None and update.get("number"):
            case = Case.get_or_none(Case.number == update["number"])
        if case is None:
            continue  # not taken at this workstation (the hall reports per station)
        status = str(update.get("status") or "")
        at = _naive_utc(update.get("at"))
        if case.hall_status_at is not None and at < case.hall_status_at:
            continue  # older than what we show; keep the newest
        Case.update(hall_status=status, hall_status_at=at, updated_at=utcnow()).where(
            Case.id == case.id
        ).execute()
        CaseEvent.create(
            case=case, at=at, kind="hall_status",
            detail={"status": status, "label": HALL_STATUS_LABELS.get(status, status),
                    "detail": update.get("detail") or ""},
        )
        changed += 1
    SyncCursor.insert(lane=lane, cursor=cursor, updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: cursor, SyncCursor.updated_at: utcnow()},
    ).execute()
    return changed


def pull_status(store: Store, client: HallClient, page_size: int = PAGE_SIZE) -> int:
    """Fetch and apply every update since the stored cursor. Returns cases changed."""
    changed = 0
    cursor = current_cursor()
    while True:
        params = {"limit": page_size}
        if cursor:
            params["since"] = cursor
        body = client.get_json("/cases/updates", params=params)
        try:  # the answer's contract: contracts/status_updates.v1.json
            contracts.check("status_updates", body)
        except contracts.ContractViolation as violation:
            raise HallFailure("truncated", f"大厅的状态更新格式不对（{violation.field}）",
                              True) from None
        updates, new_cursor = body["updates"], body["cursor"]
        changed += store.writer.call(apply_updates, updates, new_cursor)
        if len(updates) < page_size or new_cursor == cursor:
            return changed
        cursor = new_cursor
