"""FileImporter and the byte-sniffing validation: good files in, bad ones refused clearly."""

from __future__ import annotations

import io
import os
import struct
import tracemalloc
import zlib

import img2pdf
import pikepdf
import pytest
from PIL import Image
from reportlab.pdfgen import canvas

from app.scanning import PdfPage
from app.scanning.file_import import FileImporter
from app.scanning.validation import FileKind, FileRefused, check_file


def _image(mode="L", size=(120, 160), colour=180):
    return Image.new(mode, size, colour)


def _pdf_with_text(pages: int) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for number in range(pages):
        sheet.drawString(100, 700, f"imported page {number + 1}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_jpeg_png_and_every_tiff_frame(tmp_path):
    _image().save(tmp_path / "a.jpg", "JPEG", dpi=(300, 300))
    _image("RGB", colour=(200, 10, 10)).save(tmp_path / "b.png")
    frames = [_image(colour=value) for value in (10, 120, 240)]
    frames[0].save(tmp_path / "c.tif", save_all=True, append_images=frames[1:])

    importer = FileImporter()
    (jpeg,) = importer.read(tmp_path / "a.jpg")
    assert jpeg.mode == "L" and jpeg.info["dpi"] == pytest.approx((300, 300))
    (png,) = importer.read(tmp_path / "b.png")
    assert png.mode == "RGB"
    tiff = importer.read(tmp_path / "c.tif")
    assert [frame.getpixel((0, 0)) for frame in tiff] == [10, 120, 240]


def test_pdf_pages_stay_pdf(tmp_path):
    document = _pdf_with_text(3)
    (tmp_path / "form.pdf").write_bytes(document)
    pages = list(FileImporter().scan(tmp_path / "form.pdf"))
    assert [page.index for page in pages] == [0, 1, 2]
    assert all(isinstance(page, PdfPage) and page.document is pages[0].document for page in pages)
    assert pages[0].page_count == 3


def test_type_comes_from_the_bytes_not_the_name(tmp_path):
    _image().save(tmp_path / "photo.jpg", "PNG")  # a PNG with the wrong extension
    assert check_file(tmp_path / "photo.jpg") is FileKind.PNG
    assert len(FileImporter().read(tmp_path / "photo.jpg")) == 1


def test_sixteen_bit_grey_keeps_its_tones(tmp_path):
    Image.new("I;16", (10, 10), 40000).save(tmp_path / "deep.png")
    (page,) = FileImporter().read(tmp_path / "deep.png")
    assert page.mode == "L" and page.getpixel((0, 0)) == 40000 // 256


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.pdf", b"", "空的 (0 字节)"),
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, "已损坏"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj garbage\n", "PDF 文件已损坏"),
        ("notice.pdf", b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
         "扩展名是 .pdf，但内容是网页 (HTML)"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 100, "不支持的文件类型：Word/Excel"),
        ("notes.txt", b"just some words", "不支持的文件类型 (.txt)"),
        ("scan.png", b"not really a png at all", "内容不是有效的 PNG"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRefused) as raised:
        FileImporter().read(path)
    assert name in str(raised.value)
    assert expected in str(raised.value)


def test_truncated_jpeg_is_refused(tmp_path):
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 40).save(buffer, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(FileRefused, match="已损坏或不完整"):
        FileImporter().read(tmp_path / "cut.jpg")


def test_encrypted_pdf_is_refused(tmp_path):
    with pikepdf.open(io.BytesIO(_pdf_with_text(1))) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(owner="o", user="u"))
    with pytest.raises(FileRefused, match="已加密"):
        FileImporter().read(tmp_path / "locked.pdf")


def test_a_300_mb_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as fh:  # sparse: costs no disk, but stat says 300 MB
        fh.write(b"%PDF-1.7\n")
        fh.truncate(300 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(FileRefused, match=r"文件过大 \(300.0 MB\)，单个文件上限 50 MB"):
            FileImporter().read(huge)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024


def test_one_bad_file_spoils_nothing_in_a_batch(tmp_path):
    _image().save(tmp_path / "1.png")
    (tmp_path / "2.pdf").write_bytes(b"<html>login expired</html>")
    (tmp_path / "3.pdf").write_bytes(img2pdf.convert(io.BytesIO(_png_bytes())))
    pages, refusals = FileImporter().read_many(
        [tmp_path / "1.png", tmp_path / "2.pdf", tmp_path / "3.pdf", tmp_path / "gone.png"]
    )
    assert len(pages) == 2
    assert [refusal.path.name for refusal in refusals] == ["2.pdf", "gone.png"]
    assert "不存在" in str(refusals[1])


def test_a_directory_is_not_a_file(tmp_path):
    os.mkdir(tmp_path / "folder.pdf")
    with pytest.raises(FileRefused, match="文件夹"):
        check_file(tmp_path / "folder.pdf")


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    _image().save(buffer, "PNG")
    return buffer.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG header announcing ``width`` x ``height`` pixels (no pixel data needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [12_000, 20_000])  # over our limit; over Pillow's too
def test_a_decompression_bomb_is_refused_from_its_header(tmp_path, side):
    (tmp_path / "bomb.png").write_bytes(_png_claiming(side, side))
    with pytest.raises(FileRefused, match="像素过多"):
        FileImporter().read(tmp_path / "bomb.png")


def test_a_sideways_phone_photo_is_turned_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; view rotated 90° clockwise
    Image.new("RGB", (400, 300), (90, 90, 90)).save(tmp_path / "photo.jpg", exif=exif)
    (page,) = FileImporter().read(tmp_path / "photo.jpg")
    assert page.size == (300, 400)


@pytest.mark.timeout(30)
def test_fifo_device_and_nul_path_are_refused_for_what_they_are(tmp_path):
    """A FIFO blocks the reader and /dev/zero never ends; both were called a folder."""
    fifo = tmp_path / "scan.png"
    os.mkfifo(fifo)
    for path, reason in ((fifo, "管道"), ("/dev/zero", "设备文件"), (tmp_path, "文件夹"),
                         (str(tmp_path / "a\x00.png"), "空字符")):
        with pytest.raises(FileRefused) as refused:
            FileImporter().read(path)
        assert reason in str(refused.value), (path, str(refused.value))
        assert "\x00" not in str(refused.value)


@pytest.mark.timeout(30)
def test_electronic_file_from_a_fifo_or_device_is_refused(tmp_path, store):
    from app.intake.electronic_file import attach_electronic_file

    fifo = tmp_path / "licence.pdf"
    os.mkfifo(fifo)
    for path, reason in ((fifo, "管道"), ("/dev/zero", "设备文件")):
        with pytest.raises(FileRefused, match=reason):
            attach_electronic_file(store.blobs, path, 50 * 1024 * 1024)
