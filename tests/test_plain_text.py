"""Names, numbers and codes without hidden characters (issue 11, item 8), checked
where the clerk's entries are checked: intake validation, for the window and the
batch import alike."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from app.applicants import ApplicantInfo, PersonInfo
from app.intake.draft import DraftState
from app.intake.validation import Decision, ValidationReport, check_applicant, check_decision
from app.plain_text import _SUSPECT, hidden_character, json_text_escaped, visible

TODAY = dt.date(2026, 11, 27)


def applicant_errors(**fields) -> dict[str, str]:
    applicant = ApplicantInfo(**{"kind": "person", "name": "张三", "id_type": "111",
                                 "id_number": "350205199001011232", "phone": "13800000000",
                                 **fields})
    report = ValidationReport()
    check_applicant(DraftState(task_code="", item={}, applicant=applicant), TODAY, report)
    return {error.field: error.message for error in report.errors}


@pytest.mark.parametrize("name, shown", [
    ("张三\u202e", "U+202E"),      # right-to-left override: prints reversed
    ("张\u200b三", "U+200B"),      # zero-width space: two "张三" that differ
    ("张\u200d三", "U+200D"),
    ("张\ufeff三", "U+FEFF"),
    ("张\x00三", "U+0000"),
    ("张\x1b[2J三", "U+001B"),     # ESC: clears the screen it is printed on
    ("张\u2066三\u2069", "U+2066"),
    ("张\x85三", "U+0085"),        # a C1 control
])
def test_hidden_characters_in_a_name_are_refused(name, shown):
    message = applicant_errors(name=name)["applicant.name"]
    assert shown in message and "不可见" in message


@pytest.mark.parametrize("name", ["阿依古丽·买买提", "王\U000201d4", "\U0002a6d6明",
                                  "Zhang San-Li", "欧阳·娜娜"])
def test_middle_dot_and_extension_b_names_stay(name):
    assert "applicant.name" not in applicant_errors(name=name)


def test_lengths_are_capped_by_field():
    assert "过长" in applicant_errors(name="张" * 101)["applicant.name"]
    assert "applicant.name" not in applicant_errors(name="张" * 100)
    assert "过长" in applicant_errors(address="路" * 10_000_000)["applicant.address"]
    organisation = applicant_errors(kind="organisation", id_type="001",
                                    id_number="91350205MA31ABCD2U", name="公" * 201,
                                    legal_rep=PersonInfo("张三", "111", "350205199001011232"))
    assert "过长" in organisation["applicant.name"]


def test_agent_and_decision_text_are_checked_too():
    report = ValidationReport()
    draft = DraftState(task_code="", item={}, applicant=ApplicantInfo(
        kind="person", name="张三", id_type="111", id_number="350205199001011232",
        phone="13800000000"), agent=PersonInfo("李\u202e四", "111", "350205198505152018"))
    check_applicant(draft, TODAY, report)
    check_decision(draft, Decision("reject", reason="材料不全\u202e", basis="第\x1b条"),
                   TODAY, report)
    fields = {error.field for error in report.errors}
    assert {"agent.name", "decision.reason", "decision.basis"} <= fields
    # Line breaks stay allowed in free text.
    report = ValidationReport()
    check_decision(draft, Decision("reject", reason="一、材料不全\n二、超出范围", basis="第十条"),
                   TODAY, report)
    assert report.errors == []


def test_the_quick_pattern_covers_every_control_and_format_character():
    """The regex is the fast path; a character it missed would slip through."""
    missed = [hex(code) for code in range(0x110000)
              if unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp")
              and not _SUSPECT.match(chr(code))]
    assert missed == []


def test_terminal_and_json_output_show_escapes_not_effects():
    import json

    assert visible("ref\x1b]0;x\x07\u202e") == "ref\\x1b]0;x\\x07\\u202e"
    assert hidden_character("阿依古丽·买买提") is None
    payload = {"ref": "a\u202eb\u200bc\U000e0041", "name": "王\U000201d4"}
    text = json_text_escaped(json.dumps(payload, ensure_ascii=False, indent=2))
    assert "\u202e" not in text and "\u200b" not in text and "\U000e0041" not in text
    assert "王\U000201d4" in text and json.loads(text) == payload
