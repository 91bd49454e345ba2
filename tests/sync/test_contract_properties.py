"""Property: the hall accepts every case the workstation accepts.

Hypothesis generates intake inputs within the contract — applicant kind,
names with rare characters and middle dots, identity documents, phones, agent,
materials received or missing, the decision — and takes each in through the
real IntakeService.  Whatever intake refuses is simply not a case; whatever
it commits is queued (so it passed the manifest contract at the station) and
must then be committed by the real hall over HTTP.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

import contracts
from app.applicants import ApplicantInfo, PersonInfo
from app.identity import check_id
from app.intake import Decision, IntakeError
from tests.support.hall_client import RawHall
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    NOW,
    SENIOR_CARD,
    VALID_USCC,
    scan_pages,
)

ITEMS = (INDIVIDUAL_BUSINESS, FOOD_LICENCE, SENIOR_CARD)
# Common and rare characters: CJK, Extension B (outside the BMP), the middle dot.
NAME_CHARS = "张王李赵阿依古丽买提欧阳陈𠇔𡒄𪚥龘"
MOBILE = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
LANDLINE = st.from_regex(r"0[1-9][0-9]{1,2}-[2-8][0-9]{6,7}", fullmatch=True)


@st.composite
def person_names(draw) -> str:
    parts = draw(st.lists(st.text(NAME_CHARS, min_size=1, max_size=6), min_size=1, max_size=3))
    return "·".join(parts)


@st.composite
def resident_ids(draw) -> str:
    born = draw(st.dates(dt.date(1930, 1, 1), dt.date(2008, 12, 31)))
    body = f"350205{born:%Y%m%d}{draw(st.integers(1, 999)):03d}"
    number = body + ric.calc_check_digit(body + "?")  # it reads the first 17 only
    assume(check_id("111", number, NOW.date()).ok)
    return number


@st.composite
def people(draw) -> PersonInfo:
    passport = draw(st.booleans()) and draw(st.booleans())
    if passport:
        id_type, id_number = "414", draw(st.from_regex(r"E[0-9]{8}", fullmatch=True))
    else:
        id_type, id_number = "111", draw(resident_ids())
    phone = draw(st.one_of(st.just(""), MOBILE, LANDLINE))
    return PersonInfo(name=draw(person_names()), id_type=id_type, id_number=id_number,
                      phone=phone)


@st.composite
def intake_inputs(draw) -> dict:
    kind = draw(st.sampled_from(("person", "organisation")))
    person = draw(people())
    if kind == "person":
        applicant = ApplicantInfo(kind="person", name=person.name, id_type=person.id_type,
                                  id_number=person.id_number, phone=draw(MOBILE))
    else:
        company = draw(st.text(NAME_CHARS, min_size=2, max_size=10)) + "有限公司"
        applicant = ApplicantInfo(kind="organisation", name=company, id_type="001",
                                  id_number=VALID_USCC, phone=draw(LANDLINE),
                                  legal_rep=person)
    return {
        "item": draw(st.sampled_from(ITEMS)),
        "applicant": applicant,
        "agent": draw(st.one_of(st.none(), people())),
        "contact_phone": draw(st.one_of(st.just(""), MOBILE)),
        "received": draw(st.lists(st.sampled_from(("original", "copy", "missing")),
                                  min_size=6, max_size=6)),
        "scanned_pages": draw(st.integers(0, 1)),
        "decision": draw(st.sampled_from(("accept", "notify", "reject", "conclude",
                                          "receive"))),
    }


def take_in(producer, inputs: dict):
    intake = producer.intake
    draft = intake.new_draft(producer.catalog[inputs["item"]])
    draft.applicant = inputs["applicant"]
    draft.agent = inputs["agent"]
    draft.contact_phone = inputs["contact_phone"]
    needed = [entry for entry in draft.materials if entry.needed or entry.requirement ==
              "conditional" and inputs["agent"] is not None]
    for entry, form in zip(needed, inputs["received"], strict=False):
        if entry.requirement == "conditional":
            entry.condition_applies = True
        entry.received_form = form
        entry.originals = 1 if form == "original" else 0
        entry.copies = 1 if form == "copy" else 0
    if inputs["scanned_pages"] and needed:
        scan_pages(producer.store, needed[0], inputs["scanned_pages"])
    decision = inputs["decision"]
    if decision == "reject":
        return intake.commit(draft, Decision("reject", reason="不属于本机关职权范围",
                                             basis="《行政许可法》第三十二条"))
    return intake.commit(draft, Decision(decision))


@pytest.fixture(scope="module")
def hall_client(shared_hall):
    return RawHall(shared_hall)


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(inputs=intake_inputs())
def test_the_hall_accepts_every_case_the_workstation_accepts(module_case_producer,
                                                            hall_client, inputs):
    try:
        result = take_in(module_case_producer, inputs)
    except IntakeError:
        assume(False)  # the workstation refused it: not a case
    case = module_case_producer.produced(result.uuid)
    manifest = case.manifest
    contracts.check("case_manifest", manifest)  # what the station queued is the contract's
    for digest, data in case.attachments.items():
        hall_client.upload(case.uuid, data)
        assert digest in {a["sha256"] for a in manifest["attachments"]}
    reply = hall_client.commit(manifest, f"{case.uuid}:{len(case.manifests)}")
    assert reply.status_code in (200, 201), (reply.text, manifest)
