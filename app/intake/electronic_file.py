"""Attach an electronic file (a PDF, possibly e-signed) to a material.

The file is checked like any imported file (``app.scanning.validation``:
empty, unreadable, an HTML page named ``.pdf``, over the size limit — each a
Chinese reason), must be a PDF, goes to the blob store byte for byte (so its
signature stays valid), and its signatures are verified against the
station's trust roots.  Runs off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.input_files import InputFileRefused, read_regular_file
from app.scanning.validation import FileKind, FileRefused, check_file
from app.signatures import SignatureStatus, verify_pdf


@dataclass(frozen=True)
class AttachedFile:
    digest: str
    size: int
    name: str
    signature_status: str  # valid|invalid|unknown|'' (unsigned)
    signature_detail: str


def attach_electronic_file(blobs, path: str | Path, limit_bytes: int,
                           trust_roots: list = ()) -> AttachedFile:
    path = Path(path)
    if check_file(path, max_bytes=limit_bytes) is not FileKind.PDF:
        raise FileRefused(path, "电子文件须为 PDF；图片请用“导入文件”作为扫描页")
    try:  # bounded: the file may have grown since the check
        data = read_regular_file(path, limit_bytes, "电子文件")
    except InputFileRefused as exc:
        raise FileRefused(path, exc.reason) from exc
    verdict = verify_pdf(data, trust_roots)
    status = "" if verdict.status is SignatureStatus.UNSIGNED else str(verdict.status)
    digest = blobs.put_bytes(data)
    return AttachedFile(digest, len(data), path.name, status, verdict.message if status else "")
