"""Content-addressed blob store for scanned pages, material PDFs, receipts.

A blob is named by the sha256 of its bytes and laid out as
``root/ab/cd/abcd…``.  Writes go to a temp file in the same directory, are
fsynced, then renamed, so a crash leaves either the whole blob or nothing
under its name.  Database rows hold only the digest.

Placing a blob under its name (or finding it there and marking it used now)
happens under a lock file shared by every process of the station; the sweep
of unreferenced blobs (``local_store.blob_sweep``) checks and deletes under
the same lock, so it never deletes a blob someone has just been handed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from local_store.file_modes import make_private_dir

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

CHUNK = 1 << 20


def _private_opener(path, flags):
    return os.open(path, flags, 0o600)


class BlobNotFound(KeyError):
    pass


class BlobStore:
    def __init__(self, root: Path):
        self.root = Path(root)
        make_private_dir(self.root)
        self._lock_path = self.root / ".lock"
        self._thread_lock = threading.Lock()  # the file lock is per process

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the station-wide blob lock (short: a rename, a check + unlink)."""
        with self._thread_lock, open(self._lock_path, "a+b", opener=_private_opener
                                     ) as lock_file:
            _lock(lock_file)
            try:
                yield
            finally:
                _unlock(lock_file)

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

    def reuse(self, digest: str) -> bool:
        """Whether the blob is stored; if so, it counts as used now (see ``exclusive``)."""
        with self.exclusive():
            try:
                os.utime(self.path(digest))
            except FileNotFoundError:
                return False
            return True

    def put_bytes(self, data: bytes) -> str:
        return self._put_chunks([data])

    def put_file(self, source: Path) -> str:
        with open(source, "rb") as fh:
            return self._put_chunks(iter(lambda: fh.read(CHUNK), b""))

    def _put_chunks(self, chunks: Iterable[bytes]) -> str:
        tmp_dir = self.root / "tmp"
        make_private_dir(tmp_dir)
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
            with self.exclusive():
                if final.exists():
                    os.utime(final)  # used again now: the sweep's grace starts afresh
                    os.unlink(tmp)
                    return digest
                make_private_dir(final.parent)
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


def _lock(lock_file) -> None:
    if fcntl is not None:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_EX)
    else:
        lock_file.seek(0)
        msvcrt.locking(lock_file.fileno(), msvcrt.LK_LOCK, 1)


def _unlock(lock_file) -> None:
    if fcntl is not None:
        fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    else:
        lock_file.seek(0)
        msvcrt.locking(lock_file.fileno(), msvcrt.LK_UNLCK, 1)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
