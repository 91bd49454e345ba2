"""Turn a material's scanned pages into its PDF, before the database unit.

Blobs are content-addressed, so writing them first is safe: a crash between
here and the case commit leaves at most an unreferenced blob, never a row
that points at a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.intake.draft import ELECTRONIC, SCANNED, DraftState
from app.intake.validation import FieldError

MB = 1024 * 1024


@dataclass(frozen=True)
class MaterialFile:
    digest: str
    size: int
    page_count: int


def _assemble(blobs, pages: list[dict], dpi: int, colour: bool) -> bytes:
    try:
        from app.scanning.pages import Page, assemble_pdf
    except ImportError:  # scanning not installed in this build: plain img2pdf
        import img2pdf

        return img2pdf.convert([str(blobs.path(page["digest"])) for page in pages])
    return assemble_pdf(blobs, [Page.from_json(page) for page in pages], dpi=dpi, colour=colour)


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
    """The PDF (digest, size, pages) of every material received as a file."""
    files: dict[str, MaterialFile] = {}
    errors: list[FieldError] = []
    limit = settings.material_size_limit_bytes
    for entry in draft.materials:
        if entry.received_form not in (SCANNED, ELECTRONIC):
            continue
        if entry.received_form == SCANNED and entry.pages:
            pdf = _assemble(blobs, entry.pages, settings.scan_dpi, settings.scan_colour)
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
