"""A fee paid at the non-tax platform (``python -m central_hall pay CODE``) reaches the
station through the real hall over HTTP: the signed confirmation is applied once,
even when delivered twice, and not at all under a key the station did not pin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from app.fees import FeeError, confirm_fee, fee_status, payment_applier
from app.settings import Settings
from app.staff import StaffIdentity
from sync.http import HallClient
from sync.lanes import LaneTimings, SyncLanes
from sync.payments import pull_payments
from tests.support.sync_trials import sign_in_token
from tests.test_fees import OUTDOOR_AD, catalog_with_fee_on_senior_card, take_in

CLERK = StaffIdentity(account="clerk01", display_name="", role="clerk", station="350205001")


def pay(hall, code: str, amount: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "central_hall", "pay", "--data",
                           str(hall.data_dir), code, "--amount", amount],
                          capture_output=True, text=True, timeout=60)


def test_a_payment_confirmed_at_the_hall_is_applied_once(store, hall):
    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    code = confirm_fee(store, Settings(), CLERK, accepted.case_number, "10.00").payment_code

    refused = pay(hall, code[:-1] + str((int(code[-1]) + 1) % 10), "10.00")
    assert refused.returncode == 1 and "校验位" in refused.stderr
    first = pay(hall, code, "10.00")
    assert first.returncode == 0, first.stderr
    again = pay(hall, code, "10.00")  # the platform notifies twice: one confirmation
    assert json.loads(again.stdout) == json.loads(first.stdout)

    token = sign_in_token(hall)
    client = HallClient(hall.url, timeout_s=10)
    client.token = token.access_token
    # A station that pinned another key applies nothing, and keeps its cursor.
    stranger = Settings(hall_public_key="04" + "1" * 128)
    with pytest.raises(FeeError, match="签名无法"):
        pull_payments(store, client, payment_applier(stranger))
    assert fee_status(accepted.case_number).state == "unpaid"

    pinned = (hall.data_dir / "sm2_public_key.hex").read_text().strip()
    settings = Settings(hall_public_key=pinned)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None, payment_apply=payment_applier(settings),
                      timings=LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05))
    lanes.lanes["payment"].run_once()
    status = fee_status(accepted.case_number).to_json()
    assert (status["state"], status["paid_channel"]) == ("paid", "网上缴费")
    # Delivered again (the whole history fetched anew): nothing changes.
    assert pull_payments(store, client, payment_applier(settings), since="") == 0
    lanes.lanes["payment"].run_once()
    lanes.stop()
    client.close()
    assert fee_status(accepted.case_number).to_json() == status


def test_the_fee_notice_reaches_the_hall_once_after_its_case(store, hall):
    """The payment lane sends the notice (which case the code pays) once its case is at
    the hall; before that the hall answers 409, the notice waits and confirmations are
    still pulled.  Sent again, it is kept once; another station's code is refused."""
    from central_hall.storage import HallDatabase
    from local_store.models import CaseFee, SyncCursor
    from sync.http import HallFailure
    from sync.payments import NOTICE_LANE, send_fee_notices, wire_notice
    from tests.support.sync_trials import drain

    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    code = confirm_fee(store, Settings(), CLERK, accepted.case_number, "10.00").payment_code
    token = sign_in_token(hall)
    client = HallClient(hall.url, timeout_s=10)
    client.token = token.access_token
    assert send_fee_notices(store, client) == 0  # the case is not at the hall yet
    assert SyncCursor.get_or_none(SyncCursor.lane == NOTICE_LANE) is None

    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None,
                      timings=LaneTimings(backoff_start_s=0.01, backoff_cap_s=0.05))
    try:
        drain(lanes, deadline_s=60)
    finally:
        lanes.stop()
    assert send_fee_notices(store, client) == 1
    assert send_fee_notices(store, client) == 0  # nothing new
    SyncCursor.delete().where(SyncCursor.lane == NOTICE_LANE).execute()
    assert send_fee_notices(store, client) == 1  # sent again: the hall keeps it once
    notice = wire_notice(CaseFee.get(CaseFee.payment_code == code))
    with HallDatabase.open(hall.data_dir).snapshot() as conn:
        rows = conn.execute("SELECT case_number, record_json FROM fee_notices").fetchall()
    assert [(r["case_number"], json.loads(r["record_json"])) for r in rows] == [
        (accepted.case_number, notice)]
    # A code of another station is not this station's to link.
    foreign = dict(notice, payment_code="350205002" + code[9:])
    with pytest.raises(HallFailure) as refused:
        client.request("POST", "/fee-notices", ok=(200, 201), json=foreign)
    assert refused.value.status == 403
    client.close()
