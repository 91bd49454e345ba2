"""Copies of certificate PDFs handed to the desktop's PDF viewer.

The blob store names files by digest; a viewer wants a ``.pdf`` name, so a
copy goes to a private folder (0700, files 0600) inside the station home.
Copies are personal data outside the case: they are removed when the look-up
that opened them closes, when the window closes, and at start-up (after a
crash nothing else would).  The blob itself stays until the housekeeping
sweep purges expired look-ups.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from local_store.file_modes import make_private_dir

VIEWING_DIR = "viewing"


def viewing_folder(home: Path) -> Path:
    folder = Path(home) / VIEWING_DIR
    make_private_dir(folder)
    return folder


def viewing_copy(service, cert, purpose: str) -> Path:
    """Fetch the certificate's file (into the blob store, audited) and copy it out."""
    digest, _size = service.store_file(cert, purpose)
    target = viewing_folder(service.store.home) / f"{cert.type_code}-{digest[:12]}.pdf"
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(service.store.blobs.read(digest))
    return target


def remove_viewing_copies(home: Path, copies: list[Path] | None = None) -> int:
    """Remove the given copies, or (None) the whole folder; return how many files went."""
    folder = Path(home) / VIEWING_DIR
    if copies is None:
        count = sum(1 for _ in folder.glob("*")) if folder.exists() else 0
        shutil.rmtree(folder, ignore_errors=True)
        return count
    removed = 0
    for path in copies:
        try:
            Path(path).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed
