"""Every printed document, read back as a person (and a scanner) would read it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from app import documents
from app.identity import mask_id
from app.settings import Settings
from local_store.models import PrintLog
from printing.fonts import FONTS, MAIN_FONT
from tests.support.intake import FOOD_LICENCE
from tests.support.printing import (
    DEMO_CATALOG,
    FULL_ID,
    RARE_NAME,
    SOLE_TRADER,
    decoded_symbols,
    demo_item,
    make_case,
    pdf_text,
)

NOW = dt.datetime(2026, 11, 27, 9, 42)
MASKED = mask_id(FULL_ID)


def squeeze(text: str) -> str:
    """pdftotext breaks lines and pads columns; a reader doesn't see those."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def settings():
    return Settings(clerk_name="李窗口")


def write_pdf(tmp_path, name: str, data: bytes):
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    return path


def test_receipt_lists_every_received_material_with_form_and_count(store, settings, tmp_path,
                                                                   poppler_and_zbar):
    case = make_case(store, received_forms={"M02": "ecert"})
    path = write_pdf(tmp_path, "receipt", documents.render(case.number, "receipt",
                                                           settings=settings, now=NOW))
    text = squeeze(pdf_text(path))
    assert "收件回执" in text
    assert "厦门市海沧区行政服务中心" in text and "综合受理1号窗口" in text
    assert "个体工商户设立登记" in text and case.task_code in text
    for material in demo_item()["materials"][:3]:
        assert squeeze(material["name"]) in text
    assert "电子证照" in text and "纸质原件" in text
    assert "委托书" not in text  # not applicable → not claimed as received
    assert "李窗口" in text and "2026年11月27日09:42" in text
    assert "0592-6892345" in text  # catalog link_way
    assert "12345" in text


AGENT_ID = "35020519880715107X"
AGENT = {"name": "赵代理", "id_type": "111", "id_number": AGENT_ID}
# The decision behind each document, for a case with an agent.
CASE_FOR_DOCUMENT = {
    "receipt": dict(state="accepted"),
    "acceptance": dict(state="accepted"),
    "completion": dict(state="needs_completion", received_forms={"M04": "missing"}),
    "deficiency": dict(state="accepted", item_name=FOOD_LICENCE,
                       received_forms={"M04": "deficiency"},
                       promised_date=dt.date(2026, 12, 2)),
}


@pytest.mark.parametrize("kind", list(CASE_FOR_DOCUMENT))
def test_masked_id_printed_full_id_never(store, settings, tmp_path, kind):
    case = make_case(store, agent=AGENT, **CASE_FOR_DOCUMENT[kind])
    text = pdf_text(write_pdf(tmp_path, kind, documents.render(case.number, kind,
                                                               settings=settings, now=NOW)))
    flat = squeeze(text)
    assert MASKED in flat
    assert FULL_ID not in flat and AGENT_ID not in flat
    assert mask_id(AGENT_ID) in flat


def test_rare_extension_b_name_is_in_the_text_and_has_a_glyph(store, settings, tmp_path):
    case = make_case(store)
    path = write_pdf(tmp_path, "r", documents.render(case.number, "receipt", settings=settings))
    assert RARE_NAME in pdf_text(path)
    # Printed in a font that has the glyph (not the main font's blank box) ...
    rare = RARE_NAME[1]
    assert not FONTS.covers(rare)
    fallback = FONTS.font_for(rare)
    assert fallback != MAIN_FONT
    # ... and that font is embedded in the document.
    family = FONTS.fallback_files[fallback].family.replace(" ", "")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout
    assert family in fonts.replace(" ", ""), fonts


def test_codes_decode_to_the_case_number(store, settings, tmp_path, poppler_and_zbar):
    case = make_case(store)
    for layout in ("a4", "roll"):
        path = write_pdf(tmp_path, f"receipt-{layout}",
                         documents.render(case.number, "receipt", layout, settings=settings))
        symbols = decoded_symbols(path, tmp_path)
        assert f"CODE-128:{case.number}" in symbols, symbols
        qr = [s for s in symbols if s.startswith("QR-Code:")]
        assert qr == [f"QR-Code:{settings.status_query_url}{case.number}"]


def test_completion_notice_lists_every_missing_material_at_once(store, settings, tmp_path):
    case = make_case(store, state="needs_completion",
                     received_forms={"M03": "missing", "M04": "missing", "M05": "missing"})
    text = squeeze(pdf_text(write_pdf(tmp_path, "c", documents.render(
        case.number, "completion", settings=settings))))
    assert "一次性告知书" in text
    for material in demo_item()["materials"][2:]:
        assert squeeze(material["name"]) in text
    assert "共3项" in text
    assert f"{settings.completion_days_allowed}个工作日内" in text
    assert "授权委托书" in text  # how to supply: the blank form to use
    assert "行政许可法" in text


def test_acceptance_notice_gives_the_promised_date(store, settings, tmp_path):
    case = make_case(store)  # Friday 27 Nov + 1 working day → Monday 30 Nov
    assert case.deadline == dt.date(2026, 11, 30) and not case.deadline_uncertain
    text = squeeze(pdf_text(write_pdf(tmp_path, "a", documents.render(
        case.number, "acceptance", settings=settings))))
    assert "受理通知书" in text and "予以受理" in text
    assert "承诺于2026年11月30日前办结" in text and "1个工作日" in text
    assert "到厦门市海沧区行政服务中心（海沧区钟林路8号）市场监管窗口（3—6号）领取办理结果" in text
    assert "尚未公布" not in text


def test_uncertain_promised_date_is_flagged_on_paper(store, settings, tmp_path):
    # Taken in on the last working day of 2026: the deadline falls in a year
    # whose holidays the station's calendar does not know yet.
    case = make_case(store, received_at=dt.datetime(2026, 12, 31, 10, 0))
    assert case.deadline.year == 2027 and case.deadline_uncertain
    text = squeeze(pdf_text(write_pdf(tmp_path, "u", documents.render(
        case.number, "acceptance", settings=settings))))
    assert f"承诺于2027年1月{case.deadline.day}日前办结" in text
    assert "法定节假日安排尚未公布" in text


def test_rejection_notice_gives_reason_basis_and_remedies(store, settings, tmp_path):
    case = make_case(store, state="rejected", reason="申请事项不属于本机关职权范围",
                     basis="《中华人民共和国行政许可法》第三十二条第一款第（二）项")
    text = squeeze(pdf_text(write_pdf(tmp_path, "j", documents.render(
        case.number, "rejection", settings=settings))))
    assert "不予受理通知书" in text
    assert "不属于本机关职权范围" in text and "第三十二条第一款第（二）项" in text
    assert "六十日内向厦门市海沧区人民政府申请行政复议" in text
    assert "六个月内依法向人民法院提起行政诉讼" in text


def test_deficiency_promise_lists_what_is_owed_and_by_when(store, settings, tmp_path):
    case = make_case(store, item_name=FOOD_LICENCE, received_forms={"M05": "deficiency"},
                     promised_date=dt.date(2026, 12, 2))
    text = squeeze(pdf_text(write_pdf(tmp_path, "d", documents.render(
        case.number, "deficiency", settings=settings))))
    assert "容缺受理承诺书" in text and "经营场所平面图" in text
    assert "于2026年12月2日前补齐" in text and "承诺人" in text


def test_documents_that_would_be_untrue_are_refused(store, settings):
    case = make_case(store, state="received")
    with pytest.raises(documents.DocumentError, match="无需出具一次性告知书"):
        documents.render(case.number, "completion", settings=settings)
    with pytest.raises(documents.DocumentError, match="未作不予受理决定"):
        documents.render(case.number, "rejection", settings=settings)
    with pytest.raises(documents.DocumentError, match="尚未受理"):
        documents.render(case.number, "acceptance", settings=settings)
    with pytest.raises(documents.DocumentError, match="只有 A4 版式"):
        documents.render(case.number, "rejection", "roll", settings=settings)
    with pytest.raises(documents.DocumentError, match="校验位不符"):
        documents.render("NOPE", "receipt", settings=settings)
    # Typed in lower case: the same case.
    assert documents.render(case.number.lower(), "receipt", settings=settings)


def test_long_material_list_flows_onto_a_second_page(store, settings, tmp_path):
    # A catalog whose item asks for 40 further (optional) papers, all handed in.
    document = json.loads(DEMO_CATALOG.read_text(encoding="utf-8"))
    item = next(i for i in document["items"] if i["name"] == SOLE_TRADER)
    item["materials"] += [
        {**item["materials"][0], "id": f"X{n:02d}", "name": f"补充证明材料第{n}份",
         "required": False, "form": "paper", "originals": 0, "copies": 1}
        for n in range(40)]
    extra = {f"X{n:02d}": "copy" for n in range(40)}
    case = make_case(store, catalog=document, received_forms=extra)
    path = write_pdf(tmp_path, "long", documents.render(case.number, "receipt",
                                                        settings=settings))
    text = squeeze(pdf_text(path))
    assert "第2页" in text and "补充证明材料第39份" in text


def test_seal_image_is_drawn(store, tmp_path):
    from PIL import Image, ImageDraw

    seal = tmp_path / "seal.png"
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((5, 5, 195, 195), outline=(220, 0, 0, 255), width=8)
    image.save(seal)
    case = make_case(store)
    with_seal = documents.render(case.number, "acceptance", settings=Settings(seal_image=str(seal)))
    without = documents.render(case.number, "acceptance", settings=Settings())
    assert b"/Subtype /Image" in with_seal and b"/Subtype /Image" not in without


def test_blank_form_from_the_catalog(store, settings, tmp_path):
    item = make_case(store) and demo_item()
    text = squeeze(pdf_text(write_pdf(tmp_path, "form", documents.render_blank_form(
        item["task_code"], settings=settings))))
    assert "个体工商户登记（备案）申请书" in text
    assert "申请人姓名（名称）" in text and item["task_code"] in text
    with pytest.raises(documents.DocumentError, match="没有空白表格"):
        documents.render_blank_form(item["task_code"], material_id="M02", settings=settings)


def test_archive_and_log_counts_reprints(store, settings):
    case = make_case(store)
    pdf = documents.render(case.number, "receipt", settings=settings)
    first = documents.archive_and_log(store, case.number, "receipt", pdf, clerk="李窗口")
    second = documents.archive_and_log(store, case.number, "receipt", pdf, clerk="李窗口",
                                       printer="OneWindowPDF", outcome="printed")
    assert (first.reprint, second.reprint) == (0, 1)
    assert store.blobs.read(first.blob_digest) == pdf
    documents.record_print_outcome(store, first.log_id, "failed", "Front", "卡纸")
    row = PrintLog.get_by_id(first.log_id)
    assert (row.outcome, row.printer, row.error, row.case.number) == (
        "failed", "Front", "卡纸", case.number)


def test_each_document_fits_one_page_and_is_kept_for_review(store, artifacts):
    """A usual case prints on one sheet; the PDFs stay in tests/artifacts to look at."""
    settings = Settings(clerk_name="李窗口")
    documents_of = [("receipt", "a4", "receipt"), ("receipt", "roll", "receipt"),
                    ("acceptance", "a4", "acceptance"), ("completion", "a4", "completion"),
                    ("deficiency", "a4", "deficiency")]
    cases = {shape: make_case(store, agent=AGENT, **fields)
             for shape, fields in CASE_FOR_DOCUMENT.items()}
    for kind, layout, shape in documents_of:
        path = artifacts / f"{kind}-{layout}.pdf"
        path.write_bytes(documents.render(cases[shape].number, kind, layout,
                                          settings=settings, now=NOW))
        pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                               check=True).stdout
        assert re.search(r"^Pages:\s+1$", pages, re.M), (kind, layout, pages)
    rejected = make_case(store, state="rejected", reason="申请事项依法不需要取得行政许可",
                         basis="《中华人民共和国行政许可法》第三十二条第一款第（一）项")
    rejection = artifacts / "rejection-a4.pdf"
    rejection.write_bytes(documents.render(rejected.number, "rejection", settings=settings,
                                           now=NOW))
    (artifacts / "blank-form-a4.pdf").write_bytes(
        documents.render_blank_form(rejected.task_code, settings=settings, now=NOW))


def test_item_gone_from_the_catalog_still_prints_from_the_case(store, settings, tmp_path):
    """A cancelled item may leave the catalog cache; its cases keep their papers."""
    from local_store.catalog_models import CatalogItem

    case = make_case(store)
    with store.catalog_db.atomic():
        CatalogItem.delete().execute()
    text = squeeze(pdf_text(write_pdf(tmp_path, "gone", documents.render(
        case.number, "receipt", settings=settings))))
    assert "个体工商户设立登记" in text and case.task_code in text
    assert "咨询电话0592-6051000" in text  # the station's own channels remain


def test_missing_seal_file_prints_without_seal_and_says_why(store, caplog):
    case = make_case(store)
    with caplog.at_level("WARNING", logger="printing.frame"):
        pdf = documents.render(case.number, "acceptance",
                               settings=Settings(seal_image="/nonexistent/seal.png"))
    assert b"/Subtype /Image" not in pdf
    assert "/nonexistent/seal.png" in caplog.text


def test_documents_rendered_from_several_threads_at_once(store, settings, tmp_path):
    """Two print buttons pressed together: both papers come out whole."""
    from concurrent.futures import ThreadPoolExecutor

    case = make_case(store, state="needs_completion", received_forms={"M03": "missing"})
    kinds = ["receipt", "completion", "completion", "receipt"] * 2
    with ThreadPoolExecutor(4) as pool:
        pdfs = list(pool.map(lambda kind: documents.render(case.number, kind,
                                                           settings=settings), kinds))
    for n, (kind, pdf) in enumerate(zip(kinds, pdfs, strict=True)):
        text = squeeze(pdf_text(write_pdf(tmp_path, f"t{n}", pdf)))
        assert {"receipt": "收件回执", "completion": "一次性告知书"}[kind] in text
        assert RARE_NAME in text and MASKED in text
