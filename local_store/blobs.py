"""Content-addressed blob store for scanned pages, material PDFs, receipts.

A blob is named by the sha256 of its bytes and laid out as
``root/ab/cd/abcd…``.  Writes go to a temp file in the same directory, are
fsynced, then renamed, so a crash leaves either the whole blob or nothing
under its name.  Database rows hold only the digest.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

CHUNK = 1 << 20


class BlobNotFound(KeyError):
    pass


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sha256 hex digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest

    def has(self, digest: str) -> bool:
        return self.path(digest).exists()

    def size(self, digest: str) -> int:
        try:
            return self.path(digest).stat().st_size
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc

    def read(self, digest: str) -> bytes:
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc

    def open(self, digest: str):
        try:
            return self.path(digest).open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc

    def put_bytes(self, data: bytes) -> str:
        return self._put_chunks([data])

    def put_file(self, source: Path) -> str:
        with open(source, "rb") as fh:
            return self._put_chunks(iter(lambda: fh.read(CHUNK), b""))

    def _put_chunks(self, chunks: Iterable[bytes]) -> str:
        tmp_dir = self.root / "tmp"
        tmp_dir.mkdir(exist_ok=True)
        hasher = hashlib.sha256()
        fd, tmp = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                for chunk in chunks:
                    hasher.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            digest = hasher.hexdigest()
            final = self.path(digest)
            if final.exists():
                os.unlink(tmp)
                return digest
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return digest
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def verify(self, digest: str) -> bool:
        hasher = hashlib.sha256()
        with self.open(digest) as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                hasher.update(chunk)
        return hasher.hexdigest() == digest


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
