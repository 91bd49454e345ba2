"""Documents for cases committed by the real intake service, end to end."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app import documents
from app.applicants import PersonInfo
from app.identity import mask_id
from app.intake.validation import Decision
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    SENIOR_CARD,
    VALID_AGENT_ID,
    VALID_PERSON_ID,
    VALID_USCC,
    fill_organisation,
    fill_person,
    receive_all_originals,
)
from tests.support.printing import pdf_text


def read(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return re.sub(r"\s+", "", pdf_text(path))


def test_notify_then_print_the_completion_notice(intake, intake_catalog, intake_settings,
                                                 tmp_path):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name="阿卜杜·热合曼\U000201d4")
    draft.agent = PersonInfo(name="王五", id_type="111", id_number=VALID_AGENT_ID)
    draft.material("M01").received_form = "original"
    draft.material("M01").originals = 1
    draft.material("M04").condition_applies = True
    draft.material("M04").received_form = "missing"
    notified = intake.commit(draft, Decision("notify"))

    notice = read(tmp_path, documents.render(notified.case_number, "completion",
                                             settings=intake_settings))
    for name in ("经营者身份证明", "经营场所使用证明", "委托代理人证明（委托书）"):
        assert name in notice
    assert "共3项" in notice and "阿卜杜·热合曼\U000201d4" in notice
    assert mask_id(VALID_PERSON_ID) in notice and VALID_PERSON_ID not in notice
    assert mask_id(VALID_AGENT_ID) in notice and VALID_AGENT_ID not in notice
    receipt = read(tmp_path, documents.render(notified.case_number, "receipt",
                                              settings=intake_settings))
    assert "个体工商户登记（备案）申请书" in receipt and "尚缺材料" in receipt


def test_accept_with_deficiency_then_print_promise_and_acceptance(intake, intake_catalog,
                                                                  intake_settings, tmp_path):
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    owed = [entry for entry in draft.materials if entry.needed][-1]
    owed.received_form = "deficiency"
    result = intake.commit(draft, Decision("accept", promised_date=dt.date(2026, 12, 4)))

    promise = read(tmp_path, documents.render(result.case_number, "deficiency",
                                              settings=intake_settings))
    assert owed.name in promise and "于2026年12月4日前补齐" in promise
    assert "统一社会信用代码" in promise and mask_id(VALID_USCC) in promise
    assert "法定代表人：李四" in promise
    assert VALID_USCC not in promise
    acceptance = read(tmp_path, documents.render(result.case_number, "acceptance",
                                                 settings=intake_settings))
    assert f"承诺于{result.deadline.year}年{result.deadline.month}月{result.deadline.day}日前办结" \
        in acceptance
    assert "窗口测试员" in acceptance  # the clerk who took the case


def test_rejected_case_prints_its_reason(intake, intake_catalog, intake_settings, tmp_path):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("reject", reason="申请人不具备经营能力",
                                           basis="《促进个体工商户发展条例》第二条"))
    text = read(tmp_path, documents.render(result.case_number, "rejection",
                                           settings=intake_settings))
    assert "申请人不具备经营能力" in text and "《促进个体工商户发展条例》第二条" in text
    assert "申请行政复议" in text and "提起行政诉讼" in text


def test_immediate_item_concluded_on_the_spot(intake, intake_catalog, intake_settings,
                                              tmp_path):
    draft = intake.new_draft(intake_catalog[SENIOR_CARD])
    fill_person(draft)
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("conclude"))
    text = read(tmp_path, documents.render(result.case_number, "acceptance",
                                           settings=intake_settings))
    assert "本事项为即办件，已于2026年11月27日10:00当场办结" in text
    assert "承诺于" not in text


def test_acceptance_notice_fits_one_sheet(intake, intake_catalog, intake_settings, artifacts):
    """An organisation's food licence (seven materials, a legal representative, an
    agent): the notice, its material table and the signature block on one A4 sheet."""
    import subprocess

    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    draft.agent = PersonInfo(name="王五", id_type="111", id_number=VALID_PERSON_ID,
                             phone="13900139000")
    for entry in draft.materials:
        entry.condition_applies = True
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("accept"))
    path = artifacts / "acceptance_one_sheet.pdf"
    path.write_bytes(documents.render(result.case_number, "acceptance",
                                      settings=intake_settings))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info


def test_papers_of_a_handle_item_name_it_and_its_code(intake, intake_catalog, intake_settings,
                                                     tmp_path):
    change = intake_catalog["食品经营许可（变更）"]
    draft = intake.new_draft(change)
    fill_organisation(draft)
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("accept"))
    for kind in ("receipt", "acceptance"):
        text = read(tmp_path, documents.render(result.case_number, kind,
                                               settings=intake_settings))
        assert "食品经营许可（变更）" in text, kind
        assert change.handle_item_code in text, kind
        assert "食品经营许可证正、副本" in text, kind  # 变更's own material
    roll = read(tmp_path, documents.render(result.case_number, "receipt", layout="roll",
                                           settings=intake_settings))
    assert "办理项编码" in roll and change.handle_item_code in roll
    # Each 办理项 has its own blank forms: the 办理项 code picks them.
    form = read(tmp_path, documents.render_blank_form(change.handle_item_code,
                                                      settings=intake_settings))
    assert "食品经营许可变更申请书" in form and change.handle_item_code in form
    with pytest.raises(documents.DocumentError, match="有 4 个办理项，请给出办理项编码"):
        documents.render_blank_form(change.task_code, settings=intake_settings)
