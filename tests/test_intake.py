"""Intake core: checklist, validation, decisions, the atomic commit, 补正 return."""

import datetime as dt
import hashlib
import io
import threading

import pikepdf
import pytest

from app.applicants import PersonInfo
from app.intake import Decision, IntakeError, IntakeService
from app.numbering import verify_case_number
from local_store.models import (
    Applicant,
    Case,
    CaseEvent,
    CaseMaterial,
    CaseNumberSequence,
    CasePage,
    Draft,
    OutboxEntry,
)
from tests.support.intake import (
    FOOD_LICENCE,
    INDIVIDUAL_BUSINESS,
    NOW,
    NOW_STORED,
    SENIOR_CARD,
    fill_organisation,
    fill_person,
    receive_all_originals,
    scan_pages,
)


def errors_of(excinfo) -> dict[str, str]:
    return {error.field: error.message for error in excinfo.value.errors}


def test_checklist_comes_from_the_catalog(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    by_id = {entry.material_id: entry for entry in draft.materials}
    assert [entry.material_id for entry in draft.materials] == ["M01", "M02", "M03", "M04", "M05"]
    assert by_id["M01"].requirement == "required" and by_id["M01"].received_form == "missing"
    assert by_id["M04"].requirement == "conditional"
    assert by_id["M04"].condition == "委托代理人办理的"
    assert not by_id["M04"].needed and by_id["M04"].received_form == "not_applicable"
    assert by_id["M02"].cert_type_code == "CT001"
    assert draft.item["deficiency_allowed"] is False
    assert draft.project_type == "2"


def test_unknown_item_is_a_clear_error(intake):
    with pytest.raises(IntakeError, match="找不到事项"):
        intake.new_draft("NOPE")


def test_accept_commits_the_whole_case(intake, intake_catalog, store):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    intake.autosave(draft).result()
    assert Draft.select().count() == 1

    result = intake.commit(draft, Decision("accept"))

    assert verify_case_number(result.case_number)
    assert result.case_number.startswith("35020500120261127")
    assert result.state == "accepted"
    # Accepted Friday 27 Nov 2026, 1 working day → Monday 30 Nov.
    assert result.deadline == dt.date(2026, 11, 30) and not result.deadline_uncertain
    case = Case.get(Case.uuid == result.uuid)
    assert case.number == result.case_number and case.accepted_at == NOW_STORED
    assert case.applicant_snapshot["id_number"] == "350205199003071239"
    assert CaseMaterial.select().where(CaseMaterial.case == case).count() == 5
    assert [e.kind for e in CaseEvent.select().where(CaseEvent.case == case)] == [
        "received",
        "accepted",
    ]
    entry = OutboxEntry.get(OutboxEntry.case == case)
    assert entry.idempotency_key == f"{case.uuid}:1" and entry.manifest["event"] == "accept"
    assert Draft.select().count() == 0  # the draft is gone with the commit
    assert Applicant.select().count() == 1


def test_commit_twice_returns_the_same_case(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    first = intake.commit(draft, Decision("accept"))
    second = intake.commit(draft, Decision("accept"))
    assert second.case_number == first.case_number and second.already_committed
    assert Case.select().count() == 1 and OutboxEntry.select().count() == 1


def test_notify_lists_every_missing_material_then_the_applicant_returns(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    draft.agent = PersonInfo(name="王五", id_type="111", id_number="35020519880715107x")
    draft.material("M01").received_form = "original"
    draft.material("M01").originals = 1
    draft.material("M04").condition_applies = True  # agent: 委托书 now needed
    draft.material("M04").received_form = "missing"

    report = intake.check(draft, Decision("notify"))
    assert report.ok
    assert [entry.material_id for entry in report.missing] == ["M02", "M03", "M04"]
    notified = intake.commit(draft, Decision("notify"))
    assert notified.state == "needs_completion" and notified.deadline is None
    event = CaseEvent.get(CaseEvent.kind == "notified")
    assert [m["name"] for m in event.detail["missing"]] == [
        "经营者身份证明",
        "经营场所使用证明",
        "委托代理人证明（委托书）",
    ]

    resumed = intake.continue_case(notified.case_number.lower())
    assert resumed.case_uuid == notified.uuid and resumed.case_number == notified.case_number
    assert resumed.agent.id_number == "35020519880715107X"
    assert resumed.material("M01").received_form == "original"
    assert resumed.material("M04").condition_applies
    for material_id in ("M02", "M03", "M04"):
        resumed.material(material_id).received_form = "copy"
        resumed.material(material_id).copies = 1
    accepted = intake.commit(resumed, Decision("accept"))

    assert (accepted.case_number, accepted.uuid) == (notified.case_number, notified.uuid)
    assert accepted.state == "accepted" and accepted.deadline == dt.date(2026, 11, 30)
    assert Case.select().count() == 1
    case = Case.get(Case.uuid == notified.uuid)
    kinds = [e.kind for e in CaseEvent.select().where(CaseEvent.case == case)]
    assert kinds == ["received", "notified", "accepted"]
    keys = [e.idempotency_key for e in OutboxEntry.select().order_by(OutboxEntry.id)]
    assert keys == [f"{case.uuid}:1", f"{case.uuid}:2"]
    assert CaseNumberSequence.get().last_seq == 1


def test_continue_case_refuses_a_case_not_waiting_for_completion(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("accept"))
    with pytest.raises(IntakeError, match="不是待补正状态"):
        intake.continue_case(result.case_number)
    with pytest.raises(IntakeError, match="找不到办件"):
        intake.continue_case("350205001202611270009X")


def test_conclude_an_immediate_item_on_the_spot(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[SENIOR_CARD])
    fill_person(draft, name="陈老伯", id_number="350205195001011234")
    receive_all_originals(draft)
    result = intake.commit(draft, Decision("conclude"))
    assert result.state == "concluded" and result.deadline == NOW.date()
    case = Case.get(Case.uuid == result.uuid)
    assert case.concluded_at == NOW_STORED and case.accepted_at == NOW_STORED


def test_accept_with_deficiency_where_the_item_allows_it(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    last = [entry for entry in draft.materials if entry.needed][-1]
    last.received_form = "deficiency"

    with pytest.raises(IntakeError) as excinfo:
        intake.commit(draft, Decision("accept"))
    assert "承诺补交" in errors_of(excinfo)["decision.promised_date"]

    result = intake.commit(draft, Decision("accept", promised_date=dt.date(2026, 12, 4)))
    assert result.state == "accepted"
    case = Case.get(Case.uuid == result.uuid)
    assert case.deficiency_promise_date == dt.date(2026, 12, 4)
    event = CaseEvent.get(CaseEvent.kind == "accepted_with_deficiencies")
    assert event.detail["deficiencies"] == [{"material_id": last.material_id, "name": last.name}]
    assert case.applicant_snapshot["legal_rep"]["id_number"] == "35020519880715107X"
    assert result.has_deficiencies  # the window offers the 容缺承诺书 to print


@pytest.mark.parametrize("promised", [dt.date(2026, 12, 7), dt.date(2028, 1, 3)])
def test_deficiency_promise_after_the_case_deadline_is_refused(intake, intake_catalog, promised):
    """Accepted Fri 27 Nov 2026, 5 working days: the case is due Fri 4 Dec, so the
    applicant cannot promise the missing material for later than that."""
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    [entry for entry in draft.materials if entry.needed][-1].received_form = "deficiency"
    with pytest.raises(IntakeError) as excinfo:
        intake.commit(draft, Decision("accept", promised_date=promised))
    message = errors_of(excinfo)["decision.promised_date"]
    assert "不能晚于本件承诺办结日期 2026-12-04" in message and "建议 2026-12-02" in message
    assert Case.select().count() == 0


def test_rare_characters_and_middle_dot_survive_the_round_trip(intake, intake_catalog, store):
    name = "阿卜杜·热合曼𠇔𡒄"
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name=name)
    receive_all_originals(draft)
    intake.autosave(draft).result()
    assert intake.open_drafts()[0].applicant.name == name
    result = intake.commit(draft, Decision("accept"))
    case = Case.get(Case.uuid == result.uuid)
    assert case.applicant_snapshot["name"] == name
    assert Applicant.get().name == name
    # In the file itself, not only through peewee: the non-BMP code point is intact.
    raw = store.case_db.execute_sql("SELECT name FROM applicant").fetchone()[0]
    assert raw == name and chr(0x201D4) in raw and "\u00b7" in raw


def test_returning_applicant_is_prefilled(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft, name="张𠇔")
    draft.applicant.address = "厦门市海沧区钟林路8号"
    receive_all_originals(draft)
    intake.commit(draft, Decision("accept"))

    again = intake.new_draft(intake_catalog[FOOD_LICENCE])
    again.applicant.id_number = "350205 1990 0307 1239"
    assert intake.prefill_applicant(again)
    assert again.applicant.name == "张𠇔"
    assert again.applicant.phone == "13800000000"
    assert again.applicant.address == "厦门市海沧区钟林路8号"
    stranger = intake.new_draft(intake_catalog[FOOD_LICENCE])
    stranger.applicant.id_number = "35020519880715107X"
    assert not intake.prefill_applicant(stranger)


def test_scanned_pages_become_the_material_pdf(intake, intake_catalog, store):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    scan_pages(store, draft.material("M01"), 3)
    result = intake.commit(draft, Decision("accept"))

    material = CaseMaterial.get(
        (CaseMaterial.case == Case.get(Case.uuid == result.uuid).id)
        & (CaseMaterial.material_id == "M01")
    )
    assert material.received_form == "scanned" and material.page_count == 3
    pdf = store.blobs.read(material.blob_digest)
    assert material.blob_size == len(pdf)
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 3
    pages = list(CasePage.select().where(CasePage.material == material).order_by(CasePage.position))
    assert [p.blob_digest for p in pages] == draft.material("M01").page_digests


def test_autosave_coalesces_and_open_drafts_resume(intake, intake_catalog, store):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    # Hold the writer so the saves pile up behind it.
    release = threading.Event()
    blocker = store.writer.submit(release.wait)
    futures = []
    for index in range(20):
        draft.applicant.name = f"申请人{index}"
        futures.append(intake.autosave(draft))
    release.set()
    blocker.result()
    for future in futures:
        future.result()
    assert len({id(future) for future in futures}) == 1  # one write for twenty saves
    resumed = intake.open_drafts()
    assert len(resumed) == 1 and resumed[0].applicant.name == "申请人19"
    assert resumed[0].to_json() == draft.to_json()
    intake.discard(draft)
    assert intake.open_drafts() == []


# --- bad input: a clear Chinese message, and the draft is left as it was ---


def _refused(intake, draft, decision) -> dict[str, str]:
    before = draft.to_json()
    intake.autosave(draft).result()
    with pytest.raises(IntakeError) as excinfo:
        intake.commit(draft, decision)
    assert draft.to_json() == before
    assert intake.open_drafts()[0].to_json() == before
    assert Case.select().count() == 0 and OutboxEntry.select().count() == 0
    return errors_of(excinfo)


@pytest.fixture
def complete_draft(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    receive_all_originals(draft)
    return draft


@pytest.mark.parametrize(
    "id_number, fragment",
    [
        ("350205199003071238", "校验位"),
        ("350205199002301231", "不存在"),
        ("350205202701010016", "晚于今天"),
        ("350205900307123", "15 位"),
    ],
)
def test_bad_applicant_ids_refused(intake, complete_draft, id_number, fragment):
    complete_draft.applicant.id_number = id_number
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert fragment in errors["applicant.id_number"] and "申请人" in errors["applicant.id_number"]


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_with_forbidden_letters_refused(intake, intake_catalog, letter):
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    draft.applicant.id_number = "91350205MA2" + letter + "123407"
    errors = _refused(intake, draft, Decision("accept"))
    assert letter in errors["applicant.id_number"]


def test_bad_agent_and_legal_rep_named(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[FOOD_LICENCE])
    fill_organisation(draft)
    receive_all_originals(draft)
    draft.applicant.legal_rep.id_number = "350205199003071238"
    draft.agent = PersonInfo(name="", id_type="111", id_number="35020519880715107X")
    errors = _refused(intake, draft, Decision("accept"))
    assert "法定代表人" in errors["applicant.legal_rep.id_number"]
    assert errors["agent.name"] == "请填写代理人姓名"


def test_reject_needs_reason_and_basis(intake, complete_draft):
    errors = _refused(intake, complete_draft, Decision("reject"))
    assert errors["decision.reason"] == "不予受理须填写理由"
    assert errors["decision.basis"] == "不予受理须填写法律依据"
    errors = _refused(intake, complete_draft, Decision("reject", reason="不属于本机关职权范围"))
    assert list(errors) == ["decision.basis"]


def test_reject_with_reason_and_basis(intake, complete_draft):
    result = intake.commit(
        complete_draft,
        Decision("reject", reason="不属于本机关职权范围", basis="《行政许可法》第三十二条"),
    )
    case = Case.get(Case.uuid == result.uuid)
    assert case.state == "rejected" and case.decision_basis == "《行政许可法》第三十二条"
    assert OutboxEntry.get().manifest["decision"]["reason"] == "不属于本机关职权范围"


def test_notify_with_nothing_missing_refused(intake, complete_draft):
    errors = _refused(intake, complete_draft, Decision("notify"))
    assert "材料已齐全" in errors["decision.action"]


def test_accept_with_missing_materials_refused_naming_them(intake, complete_draft):
    complete_draft.material("M02").received_form = "missing"
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "「经营者身份证明」" in errors["materials"] and "一次性告知" in errors["materials"]


def test_conclude_on_a_promised_item_refused(intake, complete_draft):
    errors = _refused(intake, complete_draft, Decision("conclude"))
    assert "承诺件" in errors["decision.action"]


def test_deficiency_on_an_item_that_does_not_allow_it_refused(intake, complete_draft):
    complete_draft.material("M03").received_form = "deficiency"
    errors = _refused(
        intake, complete_draft, Decision("accept", promised_date=dt.date(2026, 12, 4))
    )
    assert "不允许容缺" in errors["materials[M03].received_form"]


@pytest.mark.parametrize(
    "form, field, fragment",
    [
        ("original", "originals", "份数"),
        ("scanned", "pages", "还没有扫描"),
        ("electronic", "file_digest", "还没有导入"),
        ("ecert", "cert_ref", "没有关联"),
    ],
)
def test_material_form_must_be_backed(intake, complete_draft, form, field, fragment):
    entry = complete_draft.material("M01")
    entry.received_form, entry.originals = form, 0
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert fragment in errors[f"materials[M01].{field}"]


def test_missing_page_blob_refused(intake, complete_draft, store):
    entry = complete_draft.material("M01")
    scan_pages(store, entry, 2)
    store.blobs.path(entry.pages[1]["digest"]).unlink()
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "找不到" in errors["materials[M01].pages"]


def test_material_over_the_size_limit_refused(intake, complete_draft, store):
    intake.settings.material_size_limit_mb = 0.001
    scan_pages(store, complete_draft.material("M01"), 2)
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "超过" in errors["materials[M01].pages"]


def test_incomplete_core_data_rolls_back_everything(intake, complete_draft):
    complete_draft.item["dept_code"] = ""
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "受理部门统一社会信用代码" in errors["case"]
    assert CaseNumberSequence.select().count() == 0  # no number consumed
    assert Applicant.select().count() == 0


def test_missing_phone_refused(intake, complete_draft):
    complete_draft.applicant.phone = ""
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "联系电话" in errors["applicant.phone"]


def test_material_pdf_assembled_ahead_is_reused_by_the_commit(intake, complete_draft, store):
    entry = complete_draft.material("M01")
    scan_pages(store, entry, 2)
    material_file, problem = intake.material_pdf(entry)
    assert problem is None and material_file.page_count == 2
    assert store.blobs.size(material_file.digest) == material_file.size
    result = intake.commit(complete_draft, Decision("accept"))
    case = Case.get(Case.uuid == result.uuid)
    stored = CaseMaterial.get((CaseMaterial.case == case) & (CaseMaterial.material_id == "M01"))
    assert stored.blob_digest == material_file.digest

    intake.settings.material_size_limit_mb = 0.001
    _file, problem = intake.material_pdf(entry)
    assert "超过每份材料" in problem


def test_a_late_autosave_does_not_resurrect_a_committed_draft(intake, intake_catalog):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    draft.material("M01").received_form = "original"
    draft.material("M01").originals = 1
    notified = intake.commit(draft, Decision("notify"))
    intake.autosave(draft).result()  # the screen's timer fires once more
    assert intake.open_drafts() == []

    resumed = intake.continue_case(notified.case_number)
    intake.autosave(resumed).result()
    assert [d.case_number for d in intake.open_drafts()] == [notified.case_number]
    receive_all_originals(resumed)
    intake.commit(resumed, Decision("accept"))
    intake.autosave(resumed).result()
    assert intake.open_drafts() == []


def test_continued_case_keeps_the_item_as_it_was_at_intake(intake, intake_catalog, store):
    from app.catalog.importer import import_catalog_document
    from tests.support.intake import demo_catalog_document

    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    notified = intake.commit(draft, Decision("notify"))

    document = demo_catalog_document()
    document["generated_at"] = "2099-01-01T00:00:00+08:00"
    document["version"] = "later"
    for item in document["items"]:
        if item["name"] == INDIVIDUAL_BUSINESS:
            item["version"] += 1
            item["promise_limit"] = {"value": 10, "unit": "working_day"}
    import_catalog_document(document, store)

    resumed = intake.continue_case(notified.case_number)
    assert resumed.item["promise_limit"] == {"value": 1, "unit": "working_day"}
    receive_all_originals(resumed)
    accepted = intake.commit(resumed, Decision("accept"))
    assert accepted.deadline == dt.date(2026, 11, 30)  # 1 working day, as promised at intake
    assert Case.get(Case.uuid == notified.uuid).item_version == 1


def test_bad_number_pattern_or_limit_is_a_clear_error(intake, complete_draft):
    intake.settings.case_number_pattern = "{region}{station}{seq:05d}"
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "{date}" in errors["case_number"]
    intake.settings.case_number_pattern = "{region}{station}{date}{seq:05d}"
    complete_draft.item["promise_limit"] = {"value": 3, "unit": "month"}
    errors = _refused(intake, complete_draft, Decision("accept"))
    assert "单位无效" in errors["task_code"]


def test_discard_while_a_save_is_waiting_leaves_no_draft(intake, intake_catalog, store):
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    release = threading.Event()
    blocker = store.writer.submit(release.wait)
    waiting = intake.autosave(draft)
    discarding = threading.Thread(target=intake.discard, args=(draft,))
    discarding.start()
    release.set()
    blocker.result()
    waiting.result()  # no error: the save found nothing left to write
    discarding.join()
    assert intake.open_drafts() == []


def test_continued_case_keeps_imported_pdf_pages_and_rotations(intake, intake_catalog, store,
                                                              tmp_path):
    """CasePage kept only the digest, and continue_case rebuilt every page as an image:
    accepting a 补正 case whose first visit had an imported PDF page raised PIL's
    UnidentifiedImageError, and every rotation was lost."""
    from app.scanning.file_import import FileImporter
    from app.scanning.pages import PageSet, store_page

    source = tmp_path / "营业执照.pdf"
    with pikepdf.new() as document:
        document.add_blank_page(page_size=(595, 842))
        document.add_blank_page(page_size=(420, 595))
        document.save(source)
    draft = intake.new_draft(intake_catalog[INDIVIDUAL_BUSINESS])
    fill_person(draft)
    entry = draft.material("M01")
    scan_pages(store, entry, 1)
    pages = PageSet.from_json(entry.pages)
    for page in FileImporter().read(source):  # as the clerk's 导入文件 does
        pages.append(store_page(store.blobs, page))
    pages.rotate(2, 1)  # the second PDF page, a quarter turn clockwise
    pages.rotate(0, 2)  # the scanned page upside down
    entry.pages = pages.to_json()
    notified = intake.commit(draft, Decision("notify"))
    first_visit = list(entry.pages)

    resumed = intake.continue_case(notified.case_number)
    assert resumed.material("M01").pages == first_visit
    assert [(p["kind"], p["rotation"], p["pdf_index"]) for p in first_visit] == [
        ("image", 180, 0), ("pdf", 0, 0), ("pdf", 90, 1)]
    for other in resumed.materials:
        if other.needed and other.material_id != "M01":
            other.received_form, other.originals = "original", 1
    accepted = intake.commit(resumed, Decision("accept"))

    case = Case.get(Case.uuid == accepted.uuid)
    material = CaseMaterial.get((CaseMaterial.case == case) & (CaseMaterial.material_id == "M01"))
    with pikepdf.open(io.BytesIO(store.blobs.read(material.blob_digest))) as assembled:
        assert len(assembled.pages) == 3
        assert int(assembled.pages[0].obj.get("/Rotate", 0)) % 360 in (0, 180)
        assert int(assembled.pages[2].obj.get("/Rotate", 0)) == 90
        assert [float(v) for v in assembled.pages[2].mediabox][2:] == [420, 595]


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("13800138000", True), ("1380013800", False), ("138001380001", False),
     ("+86 138 0013 8000", True), ("+86 1380013800", False), ("0592-6000000", True),
     ("12800138000", False), ("+1 415 555 0100", True), ("008613800138000", True)],
)
def test_mobile_numbers_have_eleven_digits(intake, complete_draft, phone, ok):
    complete_draft.applicant.phone = phone
    report = intake.check(complete_draft, Decision("accept"))
    messages = [e.message for e in report.errors if e.field == "applicant.phone"]
    assert (messages == []) is ok, messages
    if not ok:
        assert "格式不正确" in messages[0]


class _DecryptCounter:
    """Which blobs the store decrypts (whole, or through a reader)."""

    def __init__(self, monkeypatch):
        from local_store.blob_cipher import BlobCipher

        self.digests: list[str] = []
        decrypt, reader = BlobCipher.decrypt, BlobCipher.reader

        def counted_decrypt(cipher, digest, data):
            self.digests.append(digest)
            return decrypt(cipher, digest, data)

        def counted_reader(cipher, digest, fh, size):
            self.digests.append(digest)
            return reader(cipher, digest, fh, size)

        monkeypatch.setattr(BlobCipher, "decrypt", counted_decrypt)
        monkeypatch.setattr(BlobCipher, "reader", counted_reader)


def _scan_through_the_panel_path(store, entry, count: int) -> list[str]:
    """Pages stored as the scan panel stores them (``store_page``), in this process."""
    from app.scanning.pages import store_page
    from tests.support.scanning import document_page

    entry.received_form = "scanned"
    entry.pages = [store_page(store.blobs, document_page(n, dpi=50)).to_json()
                   for n in range(1, count + 1)]
    return [page["digest"] for page in entry.pages]


def test_pages_scanned_in_this_process_are_not_decrypted_again_at_commit(
        intake, complete_draft, store, monkeypatch):
    """Encryption at rest made the 10-page commit 30 % slower (bench_encryption), most of
    it decrypting the pages the scan panel had encrypted moments before: the store keeps
    their plaintext in memory until the draft is committed, then drops it."""
    digests = _scan_through_the_panel_path(store, complete_draft.material("M01"), 3)
    assert all(store.blobs.is_encrypted(digest) for digest in digests)
    decrypted = _DecryptCounter(monkeypatch)

    result = intake.commit(complete_draft, Decision("accept"))
    assert decrypted.digests == []
    assert not any(digest in store.blobs.recent for digest in digests)
    case = Case.get(Case.uuid == result.uuid)
    material = CaseMaterial.get((CaseMaterial.case == case) & (CaseMaterial.material_id == "M01"))
    assert store.blobs.is_encrypted(material.blob_digest)
    with pikepdf.open(io.BytesIO(store.blobs.read(material.blob_digest))) as assembled:
        assert len(assembled.pages) == 3
    for digest in digests:  # read again after the commit: decrypted from the file
        assert hashlib.sha256(store.blobs.read(digest)).hexdigest() == digest
    assert sorted(decrypted.digests) == sorted([material.blob_digest, *digests])


def test_a_draft_resumed_after_a_restart_decrypts_its_pages(
        intake, complete_draft, store, monkeypatch):
    from local_store.blobs import BlobStore
    from local_store.store import held_blob_key

    digests = _scan_through_the_panel_path(store, complete_draft.material("M01"), 2)
    intake.autosave(complete_draft).result()
    # The window restarts: the new process's blob store has kept nothing in memory.
    store.blobs = BlobStore(store.blobs.root, key_source=held_blob_key)
    resumed = IntakeService(store, intake.settings, clock=intake.clock).open_drafts()[0]
    decrypted = _DecryptCounter(monkeypatch)

    result = intake.commit(resumed, Decision("accept"))
    assert sorted(decrypted.digests) == sorted(digests)
    case = Case.get(Case.uuid == result.uuid)
    material = CaseMaterial.get((CaseMaterial.case == case) & (CaseMaterial.material_id == "M01"))
    with pikepdf.open(io.BytesIO(store.blobs.read(material.blob_digest))) as assembled:
        assert len(assembled.pages) == 2


def test_a_resumed_draft_shown_in_the_scan_panel_decrypts_each_page_once(
        intake, complete_draft, store, monkeypatch):
    """The scan panel draws a resumed draft's previews from the pages' plaintext: the
    store keeps what it decrypted for them, so the commit does not decrypt it again."""
    from app.scanning.pages import Page
    from app.scanning.thumbnails import thumbnail
    from local_store.blobs import BlobStore
    from local_store.store import held_blob_key

    digests = _scan_through_the_panel_path(store, complete_draft.material("M01"), 2)
    intake.autosave(complete_draft).result()
    store.blobs = BlobStore(store.blobs.root, key_source=held_blob_key)  # a restart
    resumed = IntakeService(store, intake.settings, clock=intake.clock).open_drafts()[0]
    decrypted = _DecryptCounter(monkeypatch)
    for page in resumed.material("M01").pages:  # as the panel's preview worker does
        thumbnail(store.blobs, Page.from_json(page))
    assert sorted(decrypted.digests) == sorted(digests)

    intake.commit(resumed, Decision("accept"))
    assert sorted(decrypted.digests) == sorted(digests)  # not a second time
    assert not any(digest in store.blobs.recent for digest in digests)


def test_discarding_a_draft_drops_the_plaintext_kept_of_its_pages(
        intake, complete_draft, store):
    digests = _scan_through_the_panel_path(store, complete_draft.material("M01"), 2)
    assert all(digest in store.blobs.recent for digest in digests)
    intake.discard(complete_draft)
    assert not any(digest in store.blobs.recent for digest in digests)
    assert store.blobs.recent.nbytes == 0
    assert all(hashlib.sha256(store.blobs.read(d)).hexdigest() == d for d in digests)
