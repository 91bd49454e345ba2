"""auto_satisfy on a real intake draft (app.intake DraftState from the demo
catalog): only valid, verified, own certificates make a material 免提交; a
failed look-up or a well-formed USCC alone satisfies nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.applicants import ApplicantInfo, PersonInfo
from app.catalog.item_key import display_name
from app.certificates import (
    attach_certificate_file,
    auto_satisfy,
    override_material,
    satisfy_with,
)
from app.certificates.service import LookupResult
from app.certificates.verification import verify_certificate
from app.intake.draft import DraftState
from tests.support.certificates import TEST_PUBLIC_KEY, make_certificate

DEMO_CATALOG = Path(__file__).resolve().parents[2] / "app" / "data" / "demo_catalog.json"
PERSON = "350205199003071239"
OTHER_PERSON = "35020519880715107X"
USCC = "91350205MA31ABCD2U"


def draft_for(item_name: str, applicant: ApplicantInfo) -> DraftState:
    items = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))["items"]
    draft = DraftState.from_catalog_item(next(i for i in items if display_name(i) == item_name))
    draft.applicant = applicant
    return draft


def person() -> ApplicantInfo:
    return ApplicantInfo(kind="person", name="张三", id_type="111", id_number=PERSON)


def organisation() -> ApplicantInfo:
    return ApplicantInfo(kind="organisation", name="示范餐饮有限公司", id_type="001",
                         id_number=USCC)


def lookup_of(holder: str, holder_type: str, *raws: dict) -> LookupResult:
    return LookupResult(certs=[verify_certificate(raw, TEST_PUBLIC_KEY, holder, holder_type)
                               for raw in raws])


def test_valid_certificates_satisfy_their_materials():
    draft = draft_for("残疾人证新办", person())  # M02 身份证 CT001, M03 户口簿 CT002
    result = lookup_of(PERSON, "person",
                       make_certificate(PERSON, "CT001"),
                       make_certificate(PERSON, "CT002", "户口簿", valid_until=None))
    changed = auto_satisfy(draft, result)
    assert changed == ["M02", "M03"]
    for material_id, cert in zip(changed, result.certs, strict=True):
        material = draft.material(material_id)
        assert material.received_form == "ecert" and material.satisfied
        assert material.cert_ref["identifier"] == cert.identifier
        assert set(material.cert_ref) >= {"identifier", "type", "issuer", "number",
                                          "verified_at"}
    # Materials without a certificate type are still to be brought on paper.
    paper = [m.material_id for m in draft.materials if m.received_form == "missing"]
    assert "M02" not in paper and "M03" not in paper and paper
    assert auto_satisfy(draft, result) == []  # idempotent


@pytest.mark.parametrize(
    "raw",
    [
        make_certificate(PERSON, "CT001", status="expired", valid_until="2020-01-01"),
        make_certificate(PERSON, "CT001", valid_until="2021-06-30"),  # lapsed by date
        make_certificate(PERSON, "CT001", status="revoked"),
        make_certificate(OTHER_PERSON, "CT001"),  # someone else's
        {**make_certificate(PERSON, "CT001"), "valid_until": "2099-01-01"},  # altered
    ],
    ids=["expired", "lapsed", "revoked", "someone_else", "tampered"],
)
def test_unusable_certificates_satisfy_nothing(raw):
    draft = draft_for("临时救助", person())
    result = lookup_of(PERSON, "person", raw)
    assert auto_satisfy(draft, result) == []
    assert draft.material("M02").received_form == "missing"
    with pytest.raises(ValueError, match="不能用作申请材料"):
        satisfy_with(draft, "M02", result.certs[0])


def test_newest_of_several_valid_certificates_is_used():
    draft = draft_for("临时救助", person())
    old = make_certificate(PERSON, "CT001", valid_from="2016-01-01")
    new = make_certificate(PERSON, "CT001", valid_from="2024-01-01")
    auto_satisfy(draft, [lookup_of(PERSON, "person", old, new)])
    assert draft.material("M02").cert_ref["identifier"] == new["identifier"]


@pytest.mark.parametrize(
    "result",
    [LookupResult(offline=True, message="证照库暂时无法连接"),
     LookupResult(message="证照库拒绝了查询"),
     LookupResult()],
    ids=["offline", "refused", "nothing_found"],
)
def test_a_failed_or_empty_look_up_satisfies_nothing_not_even_from_the_uscc(result):
    # The USCC's check digit is right; that proves the code is well formed,
    # not that a business licence exists: 营业执照 stays to be handed in.
    draft = draft_for("食品经营许可（新办）", organisation())
    assert auto_satisfy(draft, result) == []
    assert all(m.received_form != "ecert" for m in draft.materials)
    assert draft.material("M02").received_form == "missing"


def test_a_material_marked_from_an_unverified_reference_is_refused_at_commit(
    intake, intake_catalog
):
    """A draft autosaved by an older version (a USCC-only "reference") or edited
    by hand cannot be committed with that material counted as received."""
    from app.intake import Decision, IntakeError
    from app.intake.validation import missing_materials
    from tests.support.intake import FOOD_LICENCE, fill_organisation, receive_all_originals

    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    licence = draft.material("M02")
    licence.received_form = "ecert"
    licence.cert_ref = {"type": "CT003", "basis": "uscc", "uscc": draft.applicant.id_number}
    assert licence in missing_materials(draft)
    with pytest.raises(IntakeError) as refused:
        intake.commit(draft, Decision("accept"))
    fields = {e.field for e in refused.value.errors}
    assert "materials[M02].cert_ref" in fields


def test_organisation_licence_from_the_library_is_referenced():
    draft = draft_for("食品经营许可（新办）", organisation())
    licence = make_certificate(USCC, "CT003", "营业执照", holder_type="organisation",
                               valid_until=None)
    auto_satisfy(draft, lookup_of(USCC, "organisation", licence))
    assert draft.material("M02").cert_ref["identifier"] == licence["identifier"]


def test_person_is_not_exempted_by_the_uscc_rule():
    draft = draft_for("食品经营许可（新办）", person())
    assert auto_satisfy(draft, LookupResult(offline=True)) == []


def test_each_material_takes_the_certificate_of_the_person_it_names():
    draft = draft_for("食品经营许可（新办）", organisation())
    draft.applicant.legal_rep = PersonInfo(name="张三", id_type="111", id_number=PERSON)
    draft.agent = PersonInfo(name="李四", id_type="111", id_number=OTHER_PERSON)
    reps_id = lookup_of(PERSON, "person", make_certificate(PERSON, "CT001"))
    # M07 授权委托书及代理人身份证明 is conditional: left alone until it applies.
    assert auto_satisfy(draft, reps_id) == ["M03"]  # 营业执照 needs its own certificate
    assert draft.material("M03").cert_ref["identifier"] == reps_id.certs[0].identifier
    assert draft.material("M07").received_form == "not_applicable"

    draft.material("M07").condition_applies = True
    draft.material("M07").received_form = "missing"
    assert auto_satisfy(draft, reps_id) == []  # the representative's ID is not the agent's
    agents_id = lookup_of(OTHER_PERSON, "person", make_certificate(OTHER_PERSON, "CT001"))
    assert auto_satisfy(draft, [reps_id, agents_id]) == ["M07"]
    assert draft.material("M07").cert_ref["identifier"] == agents_id.certs[0].identifier


def test_materials_of_several_people_are_left_to_the_clerk():
    for item, material_id in [("最低生活保障审批", "M02"), ("结婚登记", "M02"),
                              ("生育登记", "M01")]:
        draft = draft_for(item, person())
        result = lookup_of(PERSON, "person", make_certificate(PERSON, "CT001"))
        assert material_id not in auto_satisfy(draft, result), item
        satisfy_with(draft, material_id, result.certs[0])  # the clerk may still choose it
        assert draft.material(material_id).received_form == "ecert"


def test_person_applicants_certificate_does_not_cover_someone_else():
    draft = draft_for("临时救助", person())
    other = lookup_of(OTHER_PERSON, "person", make_certificate(OTHER_PERSON, "CT001"))
    assert other.certs[0].usable  # looked up as OTHER_PERSON: theirs, valid
    assert auto_satisfy(draft, other) == []


def test_clerk_override_needs_a_reason_and_sticks():
    draft = draft_for("临时救助", person())
    result = lookup_of(PERSON, "person", make_certificate(PERSON, "CT001"))
    auto_satisfy(draft, result)
    for reason in ("", "   "):
        with pytest.raises(ValueError, match="原因"):
            override_material(draft, "M02", reason, "original")
    assert draft.material("M02").received_form == "ecert"
    override_material(draft, "M02", "申请人坚持提交纸质原件", "original")
    material = draft.material("M02")
    assert (material.received_form, material.cert_ref) == ("original", None)
    assert auto_satisfy(draft, result) == []  # the clerk's decision stands
    assert draft.material("M02").received_form == "original"
    # Choosing the certificate explicitly again clears the override.
    satisfy_with(draft, "M02", result.certs[0])
    assert draft.material("M02").override_reason == ""


def test_certificate_file_is_attached_only_to_a_satisfied_material():
    draft = draft_for("临时救助", person())
    with pytest.raises(ValueError, match="请先用证照满足该材料"):
        attach_certificate_file(draft, "M02", "ab" * 32, 1234)
    result = lookup_of(PERSON, "person", make_certificate(PERSON, "CT001"))
    satisfy_with(draft, "M02", result.certs[0])
    attach_certificate_file(draft, "M02", "ab" * 32, 1234)
    assert (draft.material("M02").file_digest, draft.material("M02").file_size) == (
        "ab" * 32, 1234)


def test_certificate_of_another_type_cannot_be_used_for_the_material():
    draft = draft_for("临时救助", person())
    hukou = lookup_of(PERSON, "person", make_certificate(PERSON, "CT002", "户口簿"))
    with pytest.raises(ValueError, match="证照类型"):
        satisfy_with(draft, "M02", hukou.certs[0])


def test_draft_with_certificates_round_trips_through_json():
    draft = draft_for("临时救助", person())
    auto_satisfy(draft, lookup_of(PERSON, "person", make_certificate(PERSON, "CT001")))
    again = DraftState.from_json(json.loads(json.dumps(draft.to_json(), ensure_ascii=False)))
    assert again.material("M02").cert_ref == draft.material("M02").cert_ref
    assert dt.datetime.fromisoformat(again.material("M02").cert_ref["verified_at"])


def test_chosen_certificate_goes_to_the_material_about_its_holder():
    from app.certificates.materials import material_for

    draft = draft_for("个体工商户设立登记", person())  # M02 经营者身份证明, M05 代理人身份证明
    draft.agent = PersonInfo(name="李四", id_type="111", id_number=OTHER_PERSON)
    agents_id = lookup_of(OTHER_PERSON, "person", make_certificate(OTHER_PERSON, "CT001"))
    assert material_for(draft, agents_id.certs[0]).material_id == "M05"
    own_id = lookup_of(PERSON, "person", make_certificate(PERSON, "CT001"))
    assert material_for(draft, own_id.certs[0]).material_id == "M02"
    hukou = lookup_of(PERSON, "person", make_certificate(PERSON, "CT002", "户口簿"))
    assert material_for(draft, hukou.certs[0]) is None
