"""Payment lane, both ways.

1. Out: every fee notice this station confirmed (``CaseFee``: which case its 缴款码
   pays, amount, payee, clerk, payer) is sent once to the hall
   (``POST /fee-notices``), in the order confirmed, the last one the hall holds
   kept as the lane's cursor ``fee_notice``.  The payment code is the hall's
   idempotency key, so a notice whose answer was lost is sent again and kept once.
   A notice of a case the hall has not received yet (409) waits for the upload
   lane: the cursor stays, the lane tries again on its next run, and the
   confirmations are pulled meanwhile (a payment never waits for a notice).
   The hall joins the notice to the platform's confirmation in its exchange
   export (docs/exchange.md).
2. In: the non-tax platform's confirmations of this station's fee notices,
   pulled from the hall (``GET /payments?since=``) and applied by the caller's rule
   (``apply``, from ``app.fees``: it checks the hall's signature and marks the fee
   paid once), each page and its cursor in one writer unit.  A confirmation
   delivered twice (a page fetched again after a lost answer) changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import contracts
from local_store.instants import to_wire
from local_store.models import CaseFee, SyncCursor, utcnow
from local_store.store import Store
from sync.http import HallClient, HallFailure

LANE = "payment"
NOTICE_LANE = "fee_notice"
PAGE_SIZE = 100
Apply = Callable[[dict], bool]


def wire_notice(fee: CaseFee) -> dict:
    """The fee notice as the contract ``fee_notice`` states it."""
    yuan, fen = divmod(fee.amount_fen, 100)
    return {"payment_code": fee.payment_code, "notice_no": fee.notice_no,
            "case_uuid": fee.case.uuid, "case_number": fee.case.number,
            "amount": f"{yuan}.{fen:02d}", "payee": fee.payee, "clerk": fee.confirmed_by,
            "payer": fee.payer, "confirmed_at": to_wire(fee.confirmed_at)}


def _notices_after(after: int, limit: int) -> list[tuple[int, dict]]:
    fees = CaseFee.select().where(CaseFee.id > after).order_by(CaseFee.id).limit(limit)
    return [(fee.id, wire_notice(fee)) for fee in fees]


def _sent_up_to(fee_id: int) -> None:
    SyncCursor.insert(lane=NOTICE_LANE, cursor=str(fee_id), updated_at=utcnow()).on_conflict(
        conflict_target=[SyncCursor.lane],
        update={SyncCursor.cursor: str(fee_id), SyncCursor.updated_at: utcnow()},
    ).execute()


def send_fee_notices(store: Store, client: HallClient, page_size: int = PAGE_SIZE) -> int:
    """Send every notice confirmed since the last one the hall holds; returns how many
    were sent.  Stops quietly at a notice whose case is not at the hall yet (409);
    raises HallFailure (the cursor before the notice) on any other refusal."""
    sent = 0
    while True:
        row = SyncCursor.get_or_none(SyncCursor.lane == NOTICE_LANE)
        after = int(row.cursor) if row and row.cursor else 0
        notices = _notices_after(after, page_size)
        for fee_id, notice in notices:
            contracts.check("fee_notice", notice)
            try:
                client.request("POST", "/fee-notices", ok=(200, 201), json=notice)
            except HallFailure as failure:
                if failure.status == 409:
                    return sent  # its case is on its way (upload lane): next run
                raise
            store.writer.call(_sent_up_to, fee_id)
            sent += 1
        if len(notices) < page_size:
            return sent


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
