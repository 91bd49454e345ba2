"""Import JPEG/PNG/TIFF (every frame) and PDF files as pages.

A file is decoded completely before its first page is handed out, so a
file that turns out to be broken half-way adds no pages at all.  PDFs are
kept as PDF: pikepdf only counts and checks the pages.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

import pikepdf
from PIL import Image, ImageOps, ImageSequence

from app.scanning.interface import DEFAULT_OPTIONS, DeviceInfo, PdfPage, ScanOptions, SourcePage
from app.scanning.validation import DEFAULT_MAX_FILE_MB, MB, FileKind, FileRefused, check_file

IMPORT_PATTERNS = "*.jpg *.jpeg *.png *.tif *.tiff *.pdf"

# A 40-megapixel photo of an A4 page is plausible, 100 megapixels per frame is
# a decompression bomb; checked from the header, before decoding.
MAX_IMAGE_PIXELS = 100_000_000


class FileImporter:
    """``Scanner`` whose device is a file path (from a dialog or a drop)."""

    def __init__(self, max_file_mb: float = DEFAULT_MAX_FILE_MB):
        self.max_file_bytes = int(max_file_mb * MB)

    def list_devices(self) -> list[DeviceInfo]:
        # Files are chosen by the clerk, not discovered.
        return []

    def scan(
        self, device: str | Path, options: ScanOptions = DEFAULT_OPTIONS
    ) -> Iterator[SourcePage]:
        return iter(self.read(Path(device)))

    def read_many(self, paths: Iterable[Path]) -> tuple[list[SourcePage], list[FileRefused]]:
        """Pages of every good file in order, and the refusals; one bad file spoils nothing."""
        pages: list[SourcePage] = []
        refusals: list[FileRefused] = []
        for path in paths:
            try:
                pages.extend(self.read(Path(path)))
            except FileRefused as refusal:
                refusals.append(refusal)
        return pages, refusals

    def read(self, path: Path) -> list[SourcePage]:
        """All pages of ``path``, or :class:`FileRefused` and nothing."""
        kind = check_file(path, self.max_file_bytes)
        if kind is FileKind.PDF:
            return _read_pdf(path)
        return _read_image(path)


def _read_image(path: Path) -> list[Image.Image]:
    try:
        with warnings.catch_warnings():
            # Our own pixel limit below decides; Pillow's warning would only be noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            frames = []
            for frame in ImageSequence.Iterator(image):
                if frame.width * frame.height > MAX_IMAGE_PIXELS:
                    raise FileRefused(path, "图像像素过多，疑似异常文件，请重新扫描或拍照")
                # Phone photos are stored sideways with an EXIF note; turn them upright.
                upright = ImageOps.exif_transpose(frame)
                frames.append(_normalise(upright, image.info.get("dpi")))
    except Image.DecompressionBombError as exc:
        raise FileRefused(path, "图像像素过多，疑似异常文件，请重新扫描或拍照") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise FileRefused(path, "图像文件已损坏或不完整，无法读取") from exc
    if not frames:
        raise FileRefused(path, "图像文件中没有页面")
    return frames


def _normalise(frame: Image.Image, dpi) -> Image.Image:
    """Greyscale or RGB 8-bit, which is what the page store and PDFs take."""
    frame.load()
    if frame.mode.startswith("I;16"):  # 16-bit grey: keep the high byte, do not clip
        frame = frame.convert("I").point(lambda value: value / 256).convert("L")
    elif frame.mode in ("1", "L", "I", "F"):
        frame = frame.convert("L")
    elif frame.mode != "RGB":
        frame = frame.convert("RGB")  # CMYK, P, LA, RGBA, YCbCr…
    if dpi:
        frame.info["dpi"] = dpi
    return frame


def _read_pdf(path: Path) -> list[PdfPage]:
    document = path.read_bytes()
    try:
        with pikepdf.open(io.BytesIO(document)) as pdf:
            page_count = len(pdf.pages)
            for page in pdf.pages:
                page.mediabox  # noqa: B018 - a page without a usable box is broken
    except pikepdf.PasswordError as exc:
        raise FileRefused(path, "PDF 已加密 (需要密码)，请索取未加密的文件") from exc
    except (pikepdf.PdfError, KeyError, ValueError, RecursionError) as exc:
        raise FileRefused(path, "PDF 文件已损坏，无法读取") from exc
    if page_count == 0:
        raise FileRefused(path, "PDF 文件中没有页面")
    digest = hashlib.sha256(document).hexdigest()
    return [PdfPage(document, digest, index, page_count) for index in range(page_count)]
