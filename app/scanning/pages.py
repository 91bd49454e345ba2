"""A material's pages: stored as they arrive, edited cheaply, assembled once.

Each page's pixels go to the blob store the moment the page arrives (as a
high-quality JPEG, or the imported PDF file itself), so a crash loses nothing: the
draft only needs the list of :class:`Page` records.  Editing (reorder,
rotate, delete, replace) changes that list, never the stored bytes; rotation
is applied when thumbnails are drawn and when the PDF is assembled.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, replace
from typing import Literal

import img2pdf
import pikepdf
from PIL import Image

from app.scanning.cleanup import whiten_paper
from app.scanning.interface import PdfPage, SourcePage
from local_store.blobs import BlobStore

IMAGE = "image"
PDF = "pdf"
MM_PER_INCH = 25.4
A4_INCHES = (210 / MM_PER_INCH, 297 / MM_PER_INCH)
MB = 1024 * 1024

# JPEG quality for assembled pages: text stays crisp at 200 dpi while ten A4
# pages stay under the 5 MB default limit (ten dense text pages: ~3.6 MB).
# Not progressive: 10 % smaller, but six times the CPU per page.
GREY_JPEG_QUALITY = 65
COLOUR_JPEG_QUALITY = 65
STORED_JPEG_QUALITY = 90
# Page encoding releases the GIL in Pillow, so two workers use both cores.
ENCODE_WORKERS = 2

# Rotation in degrees clockwise -> the Pillow transpose that shows it.
_TRANSPOSE = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


@dataclass(frozen=True)
class Page:
    digest: str  # blob holding the page image (PNG/JPEG) or the whole imported PDF
    kind: Literal["image", "pdf"] = IMAGE
    rotation: int = 0  # degrees clockwise: 0, 90, 180, 270
    pdf_index: int = 0  # page number inside the PDF blob (kind == "pdf")

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Page:
        return cls(
            digest=data["digest"],
            kind=data.get("kind", IMAGE),
            rotation=int(data.get("rotation", 0)) % 360,
            pdf_index=int(data.get("pdf_index", 0)),
        )


def store_page(blobs: BlobStore, page: SourcePage) -> Page:
    """Write one arriving page to the blob store (call off the GUI thread).

    The store keeps the page's plaintext in memory for this process's later
    reads; whoever finishes with the draft hands its pages to ``forget_pages``."""
    if isinstance(page, PdfPage):
        if not blobs.reuse(page.digest):
            blobs.put_bytes(page.document, keep_plaintext=True)
        return Page(page.digest, PDF, 0, page.index)
    dpi = page.info.get("dpi")
    # Working copies are high-quality JPEG rather than PNG: scanner grain makes
    # a 200-dpi A4 PNG ~2.7 MB and 0.2 s to write, this ~1.2 MB and 15 ms, with
    # no visible loss before the final PDF encoding.
    data = encode_jpeg(page, quality=STORED_JPEG_QUALITY, subsampling=0,
                       **({"dpi": tuple(round(v) for v in dpi)} if dpi else {}))
    # Its thumbnail and, at 受理, the material PDF read it back in this process:
    # the store keeps the plaintext in memory until the draft is done with it
    # rather than decrypt it again each time (``BlobStore.forget``).
    return Page(blobs.put_bytes(data, keep_plaintext=True), IMAGE)


def forget_pages(blobs: BlobStore, pages: Iterable[dict | Page]) -> None:
    """The draft holding ``pages`` is committed or discarded: drop the plaintext
    the store kept of them (``store_page``)."""
    blobs.forget(page.digest if isinstance(page, Page) else page["digest"] for page in pages)


def encode_jpeg(image: Image.Image, **options) -> bytes:
    """JPEG bytes of ``image``, encoded without holding the GIL.

    Pillow encodes into an in-memory buffer in one call that keeps the GIL
    (80 ms for an optimised A4 page: the GUI thread stalls meanwhile); into
    a real file it encodes with the GIL released.  So: an anonymous temp file.
    """
    with tempfile.TemporaryFile() as fh:
        image.save(fh, "JPEG", **options)
        fh.seek(0)
        return fh.read()


class PageSet:
    """The ordered pages of one material.  Not thread-safe: edit on one thread."""

    def __init__(self, pages: Iterable[Page] = ()):
        self._pages: list[Page] = list(pages)

    def __len__(self) -> int:
        return len(self._pages)

    def __iter__(self) -> Iterator[Page]:
        return iter(self._pages)

    def __getitem__(self, index: int) -> Page:
        return self._pages[index]

    @property
    def pages(self) -> list[Page]:
        return list(self._pages)

    def append(self, page: Page) -> None:
        self._pages.append(page)

    def insert(self, index: int, page: Page) -> None:
        self._pages.insert(index, page)

    def move(self, source: int, target: int) -> None:
        """Move the page at ``source`` so that it ends up at ``target``."""
        self._check(source)
        target = max(0, min(target, len(self._pages) - 1))
        page = self._pages.pop(source)
        self._pages.insert(target, page)

    def rotate(self, index: int, quarter_turns: int = 1) -> None:
        """Turn a page clockwise by 90° steps (negative: anticlockwise)."""
        self._check(index)
        page = self._pages[index]
        self._pages[index] = replace(page, rotation=(page.rotation + 90 * quarter_turns) % 360)

    def delete(self, index: int) -> Page:
        self._check(index)
        return self._pages.pop(index)

    def replace(self, index: int, page: Page) -> None:
        """Put a rescanned page in place of the page at ``index``."""
        self._check(index)
        self._pages[index] = page

    def digests(self) -> list[str]:
        return [page.digest for page in self._pages]

    def to_json(self) -> list[dict]:
        return [page.to_json() for page in self._pages]

    @classmethod
    def from_json(cls, data: Iterable[dict]) -> PageSet:
        return cls(Page.from_json(item) for item in data)

    def _check(self, index: int) -> None:
        if not 0 <= index < len(self._pages):
            raise IndexError(f"no page {index} (the set has {len(self._pages)})")


def page_image(blobs: BlobStore, page: Page) -> Image.Image:
    """The stored image of an image page, turned as the clerk asked."""
    with Image.open(io.BytesIO(blobs.read(page.digest))) as stored:
        image = stored.copy()
        image.info["dpi"] = stored.info.get("dpi")
    if page.rotation:
        dpi = image.info.get("dpi")
        image = image.transpose(_TRANSPOSE[page.rotation])
        image.info["dpi"] = dpi
    return image


def _effective_dpi(image: Image.Image) -> float:
    """The image's resolution; without a usable one, assume it fills an A4 page."""
    dpi = image.info.get("dpi")
    if dpi and dpi[0] and dpi[0] >= 50:
        return float(dpi[0])
    width_in, height_in = A4_INCHES
    long_side, short_side = max(image.size), min(image.size)
    return max(long_side / height_in, short_side / width_in)


def _encode_for_pdf(blobs: BlobStore, page: Page, dpi: int, colour: bool) -> bytes:
    image = page_image(blobs, page)
    source_dpi = _effective_dpi(image)
    if not colour and image.mode != "L":
        image = image.convert("L")
    elif image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    image = whiten_paper(image)
    out_dpi = source_dpi
    if source_dpi > dpi * 1.05:  # never upsample; downsample to the asked resolution
        scale = dpi / source_dpi
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        out_dpi = dpi
    quality = COLOUR_JPEG_QUALITY if image.mode == "RGB" else GREY_JPEG_QUALITY
    return encode_jpeg(image, quality=quality, optimize=True,
                       dpi=(round(out_dpi), round(out_dpi)))


def assemble_pdf(
    blobs: BlobStore, pages: Sequence[Page] | PageSet, dpi: int = 200, colour: bool = False
) -> bytes:
    """One PDF of ``pages`` in order (call off the GUI thread).

    Image pages are resampled to at most ``dpi`` and JPEG-compressed, greyscale
    unless ``colour``; imported PDF pages are copied as they are (only turned).
    """
    pages = list(pages)
    if not pages:
        raise ValueError("no pages to assemble")
    image_pages = [page for page in pages if page.kind == IMAGE]
    with ThreadPoolExecutor(ENCODE_WORKERS) as pool:
        encoded = dict(zip(
            (id(page) for page in image_pages),
            pool.map(lambda page: _encode_for_pdf(blobs, page, dpi, colour), image_pages),
            strict=True,
        ))
    if len(image_pages) == len(pages):
        return img2pdf.convert([encoded[id(page)] for page in pages])
    return _merge_with_pdf_pages(blobs, pages, encoded)


def _merge_with_pdf_pages(blobs: BlobStore, pages: list[Page], encoded: dict) -> bytes:
    output = pikepdf.Pdf.new()
    sources: dict[str, pikepdf.Pdf] = {}
    try:
        for page in pages:
            if page.kind == PDF:
                if page.digest not in sources:
                    sources[page.digest] = pikepdf.open(io.BytesIO(blobs.read(page.digest)))
                output.pages.append(sources[page.digest].pages[page.pdf_index])
                if page.rotation:
                    added = output.pages[-1].obj
                    added.Rotate = (int(added.get("/Rotate", 0)) + page.rotation) % 360
            else:
                single = pikepdf.open(io.BytesIO(img2pdf.convert(encoded[id(page)])))
                sources[f"image:{id(page)}"] = single
                output.pages.append(single.pages[0])
        buffer = io.BytesIO()
        output.remove_unreferenced_resources()
        output.save(buffer, compress_streams=True,
                    object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for source in sources.values():
            source.close()
        output.close()


def check_size(nbytes: int, limit_bytes: int) -> str | None:
    """A Chinese message when an assembled material is over its size limit."""
    if nbytes <= limit_bytes:
        return None
    return (
        f"材料 PDF 大小为 {nbytes / MB:.2f} MB，超过上限 {format_limit(limit_bytes)}。"
        "请改用灰度、降低分辨率或删除多余页面后重试。"
    )


def format_limit(limit_bytes: int) -> str:
    """A size limit as the clerk reads it: "5.0 MB", or "0.25 MB" for small ones."""
    return f"{limit_bytes / MB:.1f} MB" if limit_bytes >= MB else f"{limit_bytes / MB:.2f} MB"
