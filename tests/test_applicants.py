"""Returning applicants: found by ID, prefilled without overwriting, names intact."""

from app.applicants import ApplicantInfo, PersonInfo, find_applicant, prefill, upsert_applicant
from local_store.models import Applicant

PERSON_ID = "35020519880715107X"


def _save(store, info):
    return store.writer.call(upsert_applicant, info)


def test_upsert_normalises_the_id_and_keeps_the_name_as_typed(store):
    name = "  热依拉·买买提𡒄 "
    _save(store, ApplicantInfo(name=name, id_number="35020519880715107x", phone="138 0000 0000"))
    row = Applicant.get()
    assert row.id_number == PERSON_ID
    assert row.name == name.strip()  # only the surrounding spaces go


def test_upsert_updates_but_keeps_what_this_visit_left_blank(store):
    _save(
        store,
        ApplicantInfo(
            name="王五", id_number=PERSON_ID, phone="13800000000", address="海沧区钟林路8号"
        ),
    )
    _save(store, ApplicantInfo(name="王五", id_number=PERSON_ID, phone="13900000000"))
    row = Applicant.get()
    assert Applicant.select().count() == 1
    assert row.phone == "13900000000" and row.address == "海沧区钟林路8号"


def test_find_and_prefill(store):
    _save(
        store,
        ApplicantInfo(
            kind="organisation",
            name="示例公司",
            id_type="001",
            id_number="91350205MA2Y123407",
            phone="0592-6000000",
            legal_rep=PersonInfo(name="李四", id_number=PERSON_ID),
        ),
    )
    found = find_applicant("001", "91350205ma2y123407")
    assert found.name == "示例公司" and found.legal_rep.name == "李四"
    assert find_applicant("111", "91350205MA2Y123407") is None  # type matters
    assert find_applicant("001", "") is None

    typed = ApplicantInfo(
        kind="organisation",
        name="示例公司（新名称）",
        id_type="001",
        id_number="91350205MA2Y123407",
    )
    filled = prefill(typed)
    assert filled.name == "示例公司（新名称）"  # what the clerk typed wins
    assert filled.phone == "0592-6000000" and filled.legal_rep.id_number == PERSON_ID
    assert filled.known_applicant_id == Applicant.get().id
    stranger = ApplicantInfo(id_number="350205199003071239")
    assert prefill(stranger) is stranger


def test_json_round_trip():
    info = ApplicantInfo(
        kind="organisation",
        name="𠇔·公司",
        id_type="001",
        id_number="91350205MA2Y123407",
        legal_rep=PersonInfo(name="阿·𠇔", id_number=PERSON_ID, phone="1"),
    )
    again = ApplicantInfo.from_json(info.to_json())
    assert again == info and again.legal_rep.name == "阿·𠇔"
    assert "known_applicant_id" not in info.snapshot()
