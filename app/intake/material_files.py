"""Turn a material's scanned pages into its PDF, before the database unit.

Blobs are content-addressed, so writing them first is safe: a crash between
here and the case commit leaves at most an unreferenced blob, never a row
that points at a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.intake.draft import SATISFYING_FORMS, DraftState
from app.intake.validation import FieldError
from app.scanning.pages import Page, assemble_pdf

MB = 1024 * 1024


@dataclass(frozen=True)
class MaterialFile:
    digest: str
    size: int
    page_count: int


def _size_error(nbytes: int, limit_bytes: int) -> str | None:
    if nbytes <= limit_bytes:
        return None
    return (
        f"文件大小 {nbytes / MB:.2f} MB，超过每份材料 {limit_bytes / MB:.1f} MB 的上限，"
        "请改用灰度、降低分辨率或删除多余页面"
    )


def prepare_material_files(
    draft: DraftState, blobs, settings
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
        if entry.pages:
            pages = [Page.from_json(page) for page in entry.pages]
            pdf = assemble_pdf(blobs, pages, dpi=settings.scan_dpi, colour=settings.scan_colour)
            material_file = MaterialFile(blobs.put_bytes(pdf), len(pdf), len(entry.pages))
        elif entry.file_digest:
            material_file = MaterialFile(
                entry.file_digest, blobs.size(entry.file_digest), len(entry.pages)
            )
        else:
            continue  # validation has already said what is missing
        problem = _size_error(material_file.size, limit)
        if problem:
            errors.append(
                FieldError(f"materials[{entry.material_id}].pages", f"「{entry.name}」{problem}")
            )
        files[entry.material_id] = material_file
    return files, errors
