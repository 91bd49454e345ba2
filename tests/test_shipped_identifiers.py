"""Every identity number the product ships — demo data and the READMEs that tell a
new user what to type — passes the checks intake applies at the window.

A demo whose holders fail the workstation's own ID check refuses the headline demo
(take in 张三's case, satisfy materials from his e-certificates) at the applicant step.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from app.identity import RESIDENT_ID_TYPE, USCC_ID_TYPE, check_id

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = sorted([*ROOT.glob("app/data/*.json"), *ROOT.glob("central_hall/data/*.json")])
DOCUMENTS = [ROOT / "README.md", ROOT / "central_hall" / "README.md"]

# Keys whose value is an organisation's 统一社会信用代码 wherever they occur.
USCC_KEYS = {"dept_code", "issuer_code", "uscc"}
# 18 characters standing on their own: a resident ID or a USCC in running text.
_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Z]{17}[0-9A-Z](?![0-9A-Za-z])")
# An 18-character token shaped like a resident ID: 17 digits then digit/X, with a
# 19xx/20xx birth date where GB 11643 puts it.  Government USCCs are all digits too,
# but their positions 7–10 are part of an organisation code, never a year like that.
_RESIDENT_SHAPE = re.compile(r"^\d{6}(19|20)\d{2}(0[1-9]|1[0-2])\d{5}[\dX]$")


def _strings(node, key=None, parent=None):
    """(key, value, enclosing object) for every string in a JSON document."""
    if isinstance(node, dict):
        for child_key, child in node.items():
            yield from _strings(child, child_key, node)
    elif isinstance(node, list):
        for child in node:
            yield from _strings(child, key, parent)
    elif isinstance(node, str):
        yield key, node, parent


def _expected_type(token: str) -> str:
    return RESIDENT_ID_TYPE if _RESIDENT_SHAPE.match(token) else USCC_ID_TYPE


def _identifiers_in_text(text: str) -> list[tuple[str, str]]:
    return [(_expected_type(token), token) for token in _TOKEN.findall(text)
            if any(ch.isdigit() for ch in token)]


def _identifiers_in_json(document) -> list[tuple[str, str]]:
    found = []
    for key, value, parent in _strings(document):
        if key == "holder_id":
            holder_type = parent.get("holder_type")
            if holder_type is None:  # a certificate: its holder is listed with a type
                found.append((_expected_type(value), value))
            else:
                found.append((RESIDENT_ID_TYPE if holder_type == "person" else USCC_ID_TYPE,
                              value))
        elif key in USCC_KEYS:
            found.append((USCC_ID_TYPE, value))
        elif key == "task_code":
            found.append((USCC_ID_TYPE, value[:18]))  # 实施编码 begins with the body's USCC
        else:
            found += _identifiers_in_text(value)
    return found


def _shipped_identifiers() -> list[tuple[str, str, str]]:
    found = []
    for path in SHIPPED_DATA:
        document = json.loads(path.read_text(encoding="utf-8"))
        found += [(path.name, id_type, number)
                  for id_type, number in _identifiers_in_json(document)]
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        found += [(path.name, id_type, number) for id_type, number in _identifiers_in_text(text)]
    return found


IDENTIFIERS = _shipped_identifiers()


def test_the_sweep_finds_the_demo_holders():
    """Not vacuous: the demo people and the demo company are among what is checked."""
    numbers = {number for _where, _type, number in IDENTIFIERS}
    assert {"350205199001011232", "91350205MA31ABCD2U"} <= numbers
    files = {where for where, _type, _number in IDENTIFIERS}
    assert {"demo_certificates.json", "demo_catalog.json", "README.md"} <= files
    assert sum(1 for _w, id_type, _n in IDENTIFIERS if id_type == RESIDENT_ID_TYPE) >= 10


@pytest.mark.parametrize("where, id_type, number", sorted(set(IDENTIFIERS)))
def test_shipped_identifier_passes_the_intake_check(where, id_type, number):
    result = check_id(id_type, number)  # what intake's applicant check calls
    assert result.ok, f"{where}: {number}: {result.error}"


def test_every_demo_holder_is_a_valid_applicant():
    """Each holder of the demo e-certificate library can be taken in at the window."""
    from app.applicants import ApplicantInfo, PersonInfo
    from app.intake.draft import DraftState
    from app.intake.validation import ValidationReport, check_applicant

    library = json.loads((ROOT / "central_hall/data/demo_certificates.json").read_text("utf-8"))
    for holder in library["holders"]:
        if holder["holder_type"] == "person":
            applicant = ApplicantInfo(kind="person", name=holder["name"], id_type="111",
                                      id_number=holder["holder_id"], phone="13800000000")
        else:
            applicant = ApplicantInfo(
                kind="organisation", name=holder["name"], id_type="001",
                id_number=holder["holder_id"], phone="13800000000",
                legal_rep=PersonInfo(name="张三", id_type="111", id_number="350205199001011232"))
        draft = DraftState(task_code="", item={}, applicant=applicant)
        report = ValidationReport()
        check_applicant(draft, dt.date.today(), report)
        assert report.errors == [], (holder["name"], report.errors)
