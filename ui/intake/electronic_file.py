"""Attach an electronic file (a PDF, possibly e-signed) to a material.

No Qt here: the materials page runs ``attach_electronic_file`` through
``run_in_background``.  The file is refused with a Chinese reason when it is
empty, not really a PDF (an HTML page named ``.pdf``), or over the size
limit; otherwise it goes to the blob store and its signatures are verified
with pyHanko (``app.signatures``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PDF_MAGIC = b"%PDF-"
MB = 1024 * 1024


class FileRefused(ValueError):
    pass


@dataclass(frozen=True)
class AttachedFile:
    digest: str
    size: int
    name: str
    signature_status: str  # valid|invalid|unknown|'' (unsigned)
    signature_detail: str


def attach_electronic_file(blobs, path: str | Path, limit_bytes: int) -> AttachedFile:
    from app.signatures import SignatureStatus, verify_pdf

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limit_bytes:
            raise FileRefused(
                f"文件「{path.name}」大小 {size / MB:.1f} MB，超过每份材料 "
                f"{limit_bytes / MB:.1f} MB 的上限"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"文件「{path.name}」无法读取：{exc.strerror or exc}") from exc
    if not data:
        raise FileRefused(f"文件「{path.name}」是空文件（0 字节）")
    if not data.lstrip()[:1024].startswith(PDF_MAGIC):
        raise FileRefused(f"文件「{path.name}」不是 PDF 文件（内容与扩展名不符）")
    verdict = verify_pdf(data)
    status = "" if verdict.status is SignatureStatus.UNSIGNED else str(verdict.status)
    digest = blobs.put_bytes(data)
    return AttachedFile(digest, len(data), path.name, status, verdict.message if status else "")
