"""Small previews of stored pages for the thumbnail strip (call off the GUI thread).

Previews are drawn upright; the view turns them by the page's rotation so a
rotate click never needs a new preview.
"""

from __future__ import annotations

import io
import shutil
import subprocess

from PIL import Image, ImageDraw

from app.scanning.pages import IMAGE, Page
from local_store.blobs import BlobStore

PDFTOPPM_TIMEOUT_S = 20


def thumbnail(blobs: BlobStore, page: Page, max_px: int = 160) -> Image.Image:
    """An RGB preview of ``page`` (unrotated) no larger than ``max_px`` square."""
    if page.kind == IMAGE:
        # The page belongs to the draft on screen, whose commit reads it again
        # (its material PDF): the store keeps what it decrypts until then.
        with Image.open(io.BytesIO(blobs.read(page.digest, keep_plaintext=True))) as stored:
            # JPEG draft mode decodes at 1/2…1/8 scale: a 200-dpi A4 in ~5 ms.
            stored.draft("RGB", (max_px, max_px))
            preview = stored.convert("RGB")
    else:
        preview = _pdf_page_preview(blobs, page, max_px)
    preview.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    return preview


def _pdf_page_preview(blobs: BlobStore, page: Page, max_px: int) -> Image.Image:
    """Render one PDF page with poppler (a preview only; the PDF itself stays vector)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return _placeholder(max_px, "PDF")
    number = str(page.pdf_index + 1)
    try:
        rendered = subprocess.run(
            [pdftoppm, "-f", number, "-l", number, "-scale-to", str(max_px), "-png", "-"],
            # Decrypted in memory, never to a file; kept for the commit, as above.
            input=blobs.read(page.digest, keep_plaintext=True),
            capture_output=True, check=True, timeout=PDFTOPPM_TIMEOUT_S,
        ).stdout
        return Image.open(io.BytesIO(rendered)).convert("RGB")
    except (subprocess.SubprocessError, OSError):
        return _placeholder(max_px, "PDF ?")


def _placeholder(max_px: int, label: str) -> Image.Image:
    image = Image.new("RGB", (round(max_px * 0.707), max_px), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, image.width - 1, image.height - 1), outline="grey")
    draw.text((10, max_px // 2 - 6), label, fill="black")
    return image
