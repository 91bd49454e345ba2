"""PageSet editing, assembly into one PDF (checked with poppler), and the size limit."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile

import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from app.scanning.file_import import FileImporter
from app.scanning.pages import IMAGE, PDF, Page, PageSet, assemble_pdf, check_size, store_page

MB = 1024 * 1024


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    """Run a poppler tool on ``pdf`` (they want a file name, not stdin)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(pdf)
        fh.flush()
        extra = ["-"] if tool == "pdftotext" else []
        return subprocess.run([tool, *args, fh.name, *extra], capture_output=True,
                              check=True).stdout.decode()


def page_sizes_pt(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size as shown, i.e. after its /Rotate."""
    info = _poppler("pdfinfo", pdf, "-f", "1", "-l", "999")
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    rotations = [int(r) for r in re.findall(r"Page\s+\d+ rot:\s+(\d+)", info)]
    shown = []
    for (width, height), rotation in zip(sizes, rotations, strict=True):
        width, height = float(width), float(height)
        shown.append((height, width) if rotation % 180 else (width, height))
    return shown


def embedded_images(pdf: bytes) -> list[dict]:
    rows = []
    for line in _poppler("pdfimages", pdf, "-list").splitlines()[2:]:
        cols = line.split()
        rows.append({"width": int(cols[3]), "height": int(cols[4]), "color": cols[5],
                     "enc": cols[8], "x_ppi": int(cols[12])})
    return rows


def pdf_text(pdf: bytes) -> str:
    return _poppler("pdftotext", pdf)


def _pdf_with_text(*lines: str) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for line in lines:
        sheet.drawString(100, 700, line)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_pages_are_in_the_blob_store_as_soon_as_they_arrive(store, make_document_page):
    page = store_page(store.blobs, make_document_page(1, dpi=100))
    assert page.kind == IMAGE and store.blobs.verify(page.digest)
    with Image.open(io.BytesIO(store.blobs.read(page.digest))) as stored:
        assert stored.format == "JPEG" and round(stored.info["dpi"][0]) == 100


def test_reorder_rotate_delete_replace_and_json_round_trip():
    a, b, c, d = (Page(f"{n}" * 64) for n in "abcd")
    pages = PageSet([a, b, c])
    pages.move(0, 2)
    assert pages.digests() == [b.digest, c.digest, a.digest]
    pages.rotate(1)
    pages.rotate(1)
    pages.rotate(1, quarter_turns=-3)
    assert pages[1].rotation == 270
    assert pages.delete(0) == b
    pages.replace(1, d)
    assert pages.digests() == [c.digest, d.digest]
    assert pages[1].rotation == 0  # a rescanned page starts upright
    restored = PageSet.from_json(pages.to_json())
    assert restored.pages == pages.pages
    with pytest.raises(IndexError):
        pages.delete(5)


def test_ten_a4_pages_become_one_small_grey_pdf(store, make_document_page):
    pages = PageSet(store_page(store.blobs, make_document_page(n)) for n in range(10))
    pdf = assemble_pdf(store.blobs, pages)
    assert len(pdf) < 3.5 * MB
    assert check_size(len(pdf), 5 * MB) is None
    sizes = page_sizes_pt(pdf)
    assert len(sizes) == 10
    assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in sizes)  # A4
    images = embedded_images(pdf)
    assert {row["color"] for row in images} == {"gray"}
    assert {row["enc"] for row in images} == {"jpeg"}
    assert {row["x_ppi"] for row in images} == {200}


def test_colour_on_request_and_high_resolution_is_brought_down(store, make_document_page):
    page = store_page(store.blobs, make_document_page(1, dpi=240, colour=True))
    grey = embedded_images(assemble_pdf(store.blobs, [page]))
    colour = embedded_images(assemble_pdf(store.blobs, [page], dpi=150, colour=True))
    assert grey[0]["color"] == "gray" and grey[0]["x_ppi"] == 200
    assert colour[0]["color"] == "rgb" and colour[0]["x_ppi"] == 150


def test_rotation_turns_the_page(store):
    portrait = Image.new("L", (827, 1169), 200)  # A4 at 100 dpi
    portrait.info["dpi"] = (100, 100)
    pages = PageSet([store_page(store.blobs, portrait)])
    pages.rotate(0)
    (size,) = page_sizes_pt(assemble_pdf(store.blobs, pages))
    assert size[0] > size[1]  # landscape now


def test_an_image_without_resolution_fits_on_a4(store):
    photo = Image.new("RGB", (3000, 4000), (240, 240, 240))  # phone photo, no dpi
    (size,) = page_sizes_pt(assemble_pdf(store.blobs, [store_page(store.blobs, photo)]))
    assert size[0] <= 596 and size[1] <= 843  # inside A4 …
    assert size[0] > 590  # … and as large as fits


def test_imported_pdf_pages_are_merged_as_pdf_in_order(store, tmp_path, make_document_page):
    (tmp_path / "form.pdf").write_bytes(_pdf_with_text("first form page", "second form page"))
    imported = FileImporter().read(tmp_path / "form.pdf")
    pdf_pages = [store_page(store.blobs, page) for page in imported]
    assert {page.kind for page in pdf_pages} == {PDF}
    assert len({page.digest for page in pdf_pages}) == 1  # the file is stored once
    scanned = store_page(store.blobs, make_document_page(1, dpi=100))
    pages = PageSet([pdf_pages[1], scanned, pdf_pages[0]])
    pages.rotate(2)

    pdf = assemble_pdf(store.blobs, pages)

    text = pdf_text(pdf)  # real text: the PDF pages were not rasterised
    assert text.index("second form page") < text.index("first form page")
    sizes = page_sizes_pt(pdf)
    assert len(sizes) == 3
    assert sizes[2][0] > sizes[2][1]  # the turned letter-size page is landscape
    assert len(embedded_images(pdf)) == 1


def test_an_empty_page_set_cannot_be_assembled(store):
    with pytest.raises(ValueError):
        assemble_pdf(store.blobs, [])


def test_check_size_names_both_sizes():
    assert check_size(5 * MB, 5 * MB) is None
    message = check_size(int(6.25 * MB), 5 * MB)
    assert "6.25 MB" in message and "5.0 MB" in message and "超过上限" in message


def test_thumbnails_of_image_and_pdf_pages(store, tmp_path, make_document_page):
    from app.scanning.thumbnails import thumbnail

    scanned = store_page(store.blobs, make_document_page(1, dpi=100))
    (tmp_path / "form.pdf").write_bytes(_pdf_with_text("x"))
    (imported,) = [store_page(store.blobs, p) for p in FileImporter().read(tmp_path / "form.pdf")]
    for page in (scanned, imported):
        preview = thumbnail(store.blobs, page, max_px=120)
        assert preview.mode == "RGB" and max(preview.size) == 120
        assert preview.height > preview.width  # portrait, as stored
    # The PDF page was really rendered: white paper with a line of dark text on it.
    assert thumbnail(store.blobs, imported, 400).convert("L").getextrema()[0] < 128
