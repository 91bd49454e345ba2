"""Fees: amount in capitals, the confirmed amount at acceptance, the fee notice read
back with pdftotext and zbarimg, the payment applied once, and no conclusion while
a fee is unpaid.  Cases come from IntakeService over the demo catalog."""

from __future__ import annotations

import copy
import json

import pytest

from app.catalog.importer import import_catalog_document
from app.catalog.item_key import display_name
from app.fees import (
    FeeError,
    apply_payment_in_unit,
    capitals,
    confirm_fee,
    fee_status,
    parse_amount,
    payment_code_ok,
    record_refund,
    render_notice,
)
from app.intake import IntakeError, IntakeService
from app.intake.validation import Decision
from app.settings import Settings
from app.staff import PermissionRefused, StaffIdentity
from tests.support.catalog import item_ref
from tests.support.intake import (
    SENIOR_CARD,
    demo_catalog_document,
    fill_organisation,
    fill_person,
    receive_all_originals,
)
from tests.support.printing import decoded_symbols, pdf_text

OUTDOOR_AD = "户外广告设施设置许可"  # the demo catalog's item with a fee (占用费, by rule)
CLERK = StaffIdentity(account="clerk01", display_name="", role="clerk", station="350205001")


@pytest.mark.parametrize(("amount", "words"), [
    ("0.50", "伍角"),
    ("10.00", "壹拾元整"),
    ("1,005.07", "壹仟零伍元零柒分"),
    ("100,000", "壹拾万元整"),
    ("100010", "壹拾万零壹拾元整"),
    ("1000000.01", "壹佰万元零壹分"),
    ("20,000,000", "贰仟万元整"),
    ("0.09", "玖分"),
    ("3.20", "叁元贰角"),
])
def test_amount_in_capitals(amount, words):
    assert capitals(parse_amount(amount)) == words


@pytest.mark.parametrize("text", ["-1", "1.005", "十元", "", "1e3", "1,0.0.5"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(FeeError, match="金额"):
        parse_amount(text)


def catalog_with_fee_on_senior_card(store) -> dict[str, str]:
    """The demo catalog, its 即办件 老年人优待证 charging a fee (a province's variant),
    imported through the catalog importer as a catalog file would be."""
    document = copy.deepcopy(demo_catalog_document())
    for item in document["items"]:
        if item["name"] == SENIOR_CARD:
            item["fees"] = [{"name": "工本费", "standard": "每证 10 元", "amount_yuan": 10,
                             "basis": "省物价局核定"}]
    import_catalog_document(document, store)
    return {display_name(item): item_ref(item) for item in document["items"]}


def take_in(store, catalog, item, action="accept", organisation=False):
    service = IntakeService(store, Settings(clerk_name="窗口测试员"))
    draft = service.new_draft(catalog[item])
    fill_organisation(draft) if organisation else fill_person(draft)
    receive_all_originals(draft)
    return service, draft, service.commit(draft, Decision(action)) if action else None


def test_fee_confirmed_at_acceptance_and_its_notice(store, tmp_path, poppler_and_zbar):
    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    number = accepted.case_number
    before = fee_status(number)
    assert before.state == "unconfirmed" and before.items[0]["name"] == "城市道路（公共场地）占用费"
    with pytest.raises(FeeError, match="金额格式"):
        confirm_fee(store, Settings(), CLERK, number, "十元")
    status = confirm_fee(store, Settings(), CLERK, number, "1,005.07")
    assert status.state == "unpaid" and status.amount_fen == 100507
    code = status.payment_code
    assert len(code) == 20 and code.startswith("350205001") and payment_code_ok(code)
    assert not payment_code_ok(code[:-1] + str((int(code[-1]) + 1) % 10))
    with pytest.raises(FeeError, match="已确认过"):
        confirm_fee(store, Settings(), CLERK, number, "10.00")

    notice = tmp_path / "fee.pdf"
    notice.write_bytes(render_notice(number, Settings()))
    text = pdf_text(notice).replace("\n", "")  # a table cell may wrap
    assert "缴款通知书" in text and "人民币壹仟零伍元零柒分" in text and "¥1,005.07" in text
    assert " ".join(code[i:i + 4] for i in range(0, 20, 4)) in text
    assert "城市道路（公共场地）占用费" in text and status.to_json()["notice_no"] in text
    symbols = decoded_symbols(notice, tmp_path)
    assert f"QR-Code:{code}" in symbols and f"CODE-128:{number}" in symbols


def test_payment_applies_once_and_must_match_the_notice(store):
    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    status = confirm_fee(store, Settings(), CLERK, accepted.case_number, "10.00")
    paid = {"confirmation_id": "FS2026120600001", "payment_code": status.payment_code,
            "amount": "10.00", "paid_at": "2026-12-06T10:15:00+08:00", "channel": "微信"}
    with pytest.raises(FeeError, match="不符"):
        store.writer.call(apply_payment_in_unit, {**paid, "amount": "1.00"})
    assert fee_status(accepted.case_number).state == "unpaid"
    assert store.writer.call(apply_payment_in_unit, paid) is True
    assert store.writer.call(apply_payment_in_unit, paid) is False  # delivered twice
    after = fee_status(accepted.case_number).to_json()
    assert (after["state"], after["paid_channel"], after["paid_at"]) == (
        "paid", "微信", "2026-12-06T10:15:00+08:00")

    # The application refused after payment: a supervisor records the refund.
    supervisor = StaffIdentity(account="supervisor", display_name="", role="supervisor",
                               station="350205001")
    with pytest.raises(PermissionRefused):
        record_refund(store, CLERK, accepted.case_number, "不予许可，原路退回")
    with pytest.raises(FeeError, match="退费原因"):
        record_refund(store, supervisor, accepted.case_number, " ")
    refunded = record_refund(store, supervisor, accepted.case_number,
                             "不予许可，原路退回，退付书 TF001").to_json()
    assert refunded["state"] == "refunded" and "TF001" in refunded["refund_note"]
    with pytest.raises(FeeError, match="只有已缴费"):
        record_refund(store, supervisor, accepted.case_number, "再退一次")


def test_summaries_count_fees_due_and_paid(store):
    from app.reports.presentation import formatted_rows
    from app.reports.summary import DAILY, summarise
    from local_store.instants import station_today, to_wire, utcnow

    catalog = catalog_with_fee_on_senior_card(store)
    numbers = [take_in(store, catalog, OUTDOOR_AD, organisation=True)[2].case_number
               for _ in range(2)]
    codes = [confirm_fee(store, Settings(), CLERK, number, amount).payment_code
             for number, amount in zip(numbers, ("10.00", "1,005.07"), strict=True)]
    store.writer.call(apply_payment_in_unit, {
        "confirmation_id": "FS1", "payment_code": codes[1], "amount": "1005.07",
        "paid_at": to_wire(utcnow()), "channel": "银行柜台"})
    today = summarise(DAILY, station_today())
    assert (today.fees_due, today.fees_due_fen, today.fees_paid, today.fees_paid_fen) == (
        2, 101507, 1, 100507)
    rows = dict(formatted_rows(today))
    assert rows["　应缴金额（元）"] == "1,015.07" and rows["已缴费（笔）"] == "1"


def test_a_case_with_an_unpaid_fee_is_not_concluded(store):
    catalog = catalog_with_fee_on_senior_card(store)
    service, draft, _ = take_in(store, catalog, SENIOR_CARD, action=None)
    with pytest.raises(IntakeError) as refused:
        service.commit(draft, Decision("conclude"))
    assert "缴费" in refused.value.errors[0].message
    assert refused.value.errors[0].field == "fees"


def test_fee_cli(store, tmp_path, cli_login, capsys):
    from app.cli import main

    catalog = catalog_with_fee_on_senior_card(store)
    _, _, accepted = take_in(store, catalog, OUTDOOR_AD, organisation=True)
    number = accepted.case_number
    store.close()
    assert cli_login() == 0
    capsys.readouterr()
    assert main(["print", "fee-notice", number, "--out", str(tmp_path / "n.pdf")]) == 1
    assert "尚未确认收费金额" in capsys.readouterr().err
    assert main(["fee", "confirm", number, "--amount", "100,000"]) == 0
    assert "壹拾万元整" in capsys.readouterr().out
    assert main(["fee", "status", number, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert (status["state"], status["amount"], status["amount_in_capitals"]) == (
        "unpaid", "100,000.00", "壹拾万元整")
    assert main(["print", "fee-notice", number, "--out", str(tmp_path / "n.pdf")]) == 0
    assert "缴款通知书" in capsys.readouterr().out
    assert "人民币壹拾万元整" in pdf_text(tmp_path / "n.pdf")
