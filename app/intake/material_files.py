"""Turn a material's scanned pages into its PDF, before the database unit.

Blobs are content-addressed, so writing them first is safe: a crash between
here and the case commit leaves at most an unreferenced blob, never a row
that points at a missing one.

Assembly is the slow part of a commit (10 A4 pages ≈ 0.8 s of CPU), so a
``MaterialPdfCache`` remembers the PDF of a page list: the screen can build
it in the background as soon as a material's pages are done (and show its
size), and the commit then only checks that the blob is still there.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from app.intake.draft import SATISFYING_FORMS, DraftState, MaterialEntry
from app.intake.validation import FieldError
from app.scanning.pages import Page, assemble_pdf

MB = 1024 * 1024


@dataclass(frozen=True)
class MaterialFile:
    digest: str
    size: int
    page_count: int


class MaterialPdfCache:
    """Assembled PDFs by (pages, dpi, colour); bounded, thread-safe."""

    def __init__(self, capacity: int = 64):
        self.capacity = capacity
        self._entries: OrderedDict[str, MaterialFile] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(pages: list[dict], dpi: int, colour: bool) -> str:
        return json.dumps([pages, dpi, colour], sort_keys=True)

    def get(self, key: str, blobs) -> MaterialFile | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        return found if found is not None and blobs.has(found.digest) else None

    def put(self, key: str, material_file: MaterialFile) -> None:
        with self._lock:
            self._entries[key] = material_file
            self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)


def material_pdf(
    entry: MaterialEntry, blobs, settings, cache: MaterialPdfCache | None = None
) -> MaterialFile | None:
    """The material's PDF in the blob store (assembled from pages, or its file)."""
    if entry.pages:
        key = MaterialPdfCache.key(entry.pages, settings.scan_dpi, settings.scan_colour)
        cached = cache.get(key, blobs) if cache else None
        if cached is not None:
            return cached
        pages = [Page.from_json(page) for page in entry.pages]
        pdf = assemble_pdf(blobs, pages, dpi=settings.scan_dpi, colour=settings.scan_colour)
        material_file = MaterialFile(blobs.put_bytes(pdf), len(pdf), len(entry.pages))
        if cache is not None:
            cache.put(key, material_file)
        return material_file
    if entry.file_digest:
        return MaterialFile(entry.file_digest, blobs.size(entry.file_digest), 0)
    return None


def size_error(nbytes: int, limit_bytes: int) -> str | None:
    if nbytes <= limit_bytes:
        return None
    return (
        f"文件大小 {nbytes / MB:.2f} MB，超过每份材料 {limit_bytes / MB:.1f} MB 的上限，"
        "请改用灰度、降低分辨率或删除多余页面"
    )


def prepare_material_files(
    draft: DraftState, blobs, settings, cache: MaterialPdfCache | None = None
) -> tuple[dict[str, MaterialFile], list[FieldError]]:
    """The PDF (digest, size, pages) of every material that came with pages or a file.

    Scanned pages are assembled into one PDF; a file imported as it is (an
    electronically signed PDF must stay byte-for-byte intact) is used as is.
    """
    files: dict[str, MaterialFile] = {}
    errors: list[FieldError] = []
    limit = settings.material_size_limit_bytes
    for entry in draft.materials:
        if entry.received_form not in SATISFYING_FORMS:
            continue
        material_file = material_pdf(entry, blobs, settings, cache)
        if material_file is None:
            continue  # validation has already said what is missing
        problem = size_error(material_file.size, limit)
        if problem:
            errors.append(
                FieldError(f"materials[{entry.material_id}].pages", f"「{entry.name}」{problem}")
            )
        files[entry.material_id] = material_file
    return files, errors
