"""Content-addressed blob store for scanned pages, material PDFs, receipts.

A blob is named by the sha256 of its bytes and laid out as
``root/ab/cd/abcd…``.  Writes go to a temp file in the same directory, are
fsynced, then renamed, so a crash leaves either the whole blob or nothing
under its name.  Database rows hold only the digest.

Placing a blob under its name (or finding it there and marking it used now)
happens under a lock file shared by every process of the station; the sweep
of unreferenced blobs (``local_store.blob_sweep``) checks and deletes under
the same lock, so it never deletes a blob someone has just been handed.

Encryption at rest (issue 12): given a key (``key_source``: the station's blob
subkey while it is unlocked, see ``local_store.keys``) every new blob is
written SM4-GCM encrypted (``local_store.blob_cipher``); its name stays the
SHA-256 of the plaintext.  Reads take either form, so blobs written before
encryption was switched on stay readable until ``encrypt_plaintext`` has
turned them over, in bounded batches, each blob by an atomic rename: a crash
leaves it either the old plaintext file or the new encrypted one, both
readable.  Whoever needs a blob's bytes asks this class (``read``, ``open``,
``plaintext_copy``); the file under ``path()`` may be ciphertext.

Pages just scanned are read back moments later in the same process (their
thumbnails; the material PDF assembled at 受理), and decrypting them again is
most of what encryption adds to a commit.  A writer may therefore ask the store
to keep the plaintext it just encrypted (``put_bytes(..., keep_plaintext=True)``)
in memory only, bounded by bytes (``RecentPlaintext``) and forgotten when the
draft is committed or discarded (``forget``).  Nothing more is written to disk,
and a blob not kept (a draft resumed after a restart, another process) is
decrypted from its file as before.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from local_store.blob_cipher import (
    HEADER_BYTES,
    BlobCipher,
    looks_encrypted,
    plaintext_size,
)
from local_store.file_modes import make_private_dir

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

CHUNK = 1 << 20
# Plaintext kept of blobs just written: a few drafts' scanned pages (ten A4
# pages at the stored quality are ~12.5 MB).
RECENT_PLAINTEXT_BYTES = 64 << 20


def _private_opener(path, flags):
    return os.open(path, flags, 0o600)


class BlobNotFound(KeyError):
    pass


@dataclass
class EncryptionReport:
    encrypted: int = 0  # plaintext blobs turned over in this batch
    damaged: list[str] | None = None  # plaintext that no longer matches its name: left as is
    done: bool = False  # no plaintext blob left after this batch


class RecentPlaintext:
    """Plaintext of blobs this process has just written encrypted, by name.

    In memory only, at most ``limit_bytes`` (the least recently used go first;
    a blob larger than the limit is not kept).  The name is the SHA-256 of the
    plaintext, so what is kept is exactly what the file decrypts to.
    Thread-safe: pages are stored on worker threads and read by the PDF's."""

    def __init__(self, limit_bytes: int = RECENT_PLAINTEXT_BYTES):
        self.limit_bytes = limit_bytes
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, digest: str) -> bool:
        return digest in self._kept

    def keep(self, digest: str, data: bytes) -> None:
        if len(data) > self.limit_bytes:
            return
        with self._lock:
            if digest in self._kept:
                self._kept.move_to_end(digest)
                return
            self._kept[digest] = data
            self._bytes += len(data)
            while self._bytes > self.limit_bytes:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped)

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            data = self._kept.get(digest)
            if data is not None:
                self._kept.move_to_end(digest)
            return data

    def forget(self, digests: Iterable[str]) -> None:
        with self._lock:
            for digest in digests:
                dropped = self._kept.pop(digest, None)
                if dropped is not None:
                    self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0


class BlobStore:
    def __init__(self, root: Path, key_source: Callable[[], bytes | None] | None = None,
                 recent_plaintext_bytes: int = RECENT_PLAINTEXT_BYTES):
        self.root = Path(root)
        make_private_dir(self.root)
        self._lock_path = self.root / ".lock"
        self._thread_lock = threading.Lock()  # the file lock is per process
        self._key_source = key_source or (lambda: None)
        self._ciphers: dict[bytes, BlobCipher] = {}
        self._encrypt_after = ""  # the last name a batch of ``encrypt_plaintext`` reached
        self.recent = RecentPlaintext(recent_plaintext_bytes)

    # -- keys -----------------------------------------------------------------------
    def cipher(self) -> BlobCipher | None:
        """The cipher of the key held now (None: write plaintext, read plaintext only)."""
        key = self._key_source()
        if key is None:
            return None
        cipher = self._ciphers.get(key)
        if cipher is None:
            cipher = self._ciphers[key] = BlobCipher(key)
        return cipher

    def _required_cipher(self, digest: str) -> BlobCipher:
        cipher = self.cipher()
        if cipher is None:
            from local_store.keys import StationLocked

            raise StationLocked(f"附件 {digest[:12]}… 已加密，请先登录 / the station is locked")
        return cipher

    def is_encrypted(self, digest: str) -> bool:
        try:
            with self.path(digest).open("rb") as fh:
                return looks_encrypted(fh.read(HEADER_BYTES))
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc

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
        """The size of the blob's plaintext."""
        try:
            stored = self.path(digest).stat().st_size
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc
        return plaintext_size(stored) if self.is_encrypted(digest) else stored

    def _kept_plaintext(self, digest: str) -> bytes | None:
        """The plaintext kept of a blob written encrypted in this process, if any.

        Only while the file is still there and the key is held: a swept blob is
        not found and a locked station refuses, exactly as when decrypting."""
        kept = self.recent.get(digest)
        if kept is None or not self.path(digest).exists() or self.cipher() is None:
            return None
        return kept

    def forget(self, digests: Iterable[str]) -> None:
        """Drop the plaintext kept of these blobs (their draft is committed or
        discarded); reading them again decrypts their files."""
        self.recent.forget(digests)

    def read(self, digest: str, keep_plaintext: bool = False) -> bytes:
        """The blob's plaintext.  ``keep_plaintext``: it will be read again in this
        process soon (a page of a draft resumed after a restart, shown in the scan
        panel before its commit): keep what was decrypted, as ``put_bytes`` does."""
        kept = self._kept_plaintext(digest)
        if kept is not None:
            # A fresh copy, as a file read would give: decoding the page from it took
            # ~2 ms of CPU less than from the kept bytes themselves (10 A4 pages
            # assembled: 315 vs 335 ms, the same as from plaintext files; measured
            # 2026-12-06 on the 2-core test machine) — the copy streams the bytes
            # into the cache that the JPEG decoder then reads from.
            return bytes(memoryview(kept))
        try:
            data = self.path(digest).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc
        if looks_encrypted(data[:HEADER_BYTES]):
            plain = self._required_cipher(digest).decrypt(digest, data)
            if keep_plaintext:
                self.recent.keep(digest, plain)
            return plain
        return data

    def open(self, digest: str):
        """A seekable binary file of the blob's plaintext."""
        kept = self._kept_plaintext(digest)
        if kept is not None:
            return io.BytesIO(kept)
        try:
            fh = self.path(digest).open("rb")
        except FileNotFoundError as exc:
            raise BlobNotFound(digest) from exc
        try:
            encrypted = looks_encrypted(fh.read(HEADER_BYTES))
            fh.seek(0)
            if not encrypted:
                return fh
            size = os.fstat(fh.fileno()).st_size
            return self._required_cipher(digest).reader(digest, fh, size)
        except BaseException:
            fh.close()
            raise

    @contextmanager
    def plaintext_copy(self, digest: str, suffix: str = "") -> Iterator[Path]:
        """The blob as a file of its own for a tool that wants a path, in a private
        temporary folder removed afterwards (the stored file may be ciphertext)."""
        with tempfile.TemporaryDirectory(prefix="onewindow-blob-") as folder:
            os.chmod(folder, 0o700)
            path = Path(folder) / f"{digest[:16]}{suffix}"
            with self.open(digest) as source, open(path, "wb", opener=_private_opener) as out:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    out.write(chunk)
            yield path

    def reuse(self, digest: str) -> bool:
        """Whether the blob is stored; if so, it counts as used now (see ``exclusive``)."""
        with self.exclusive():
            try:
                os.utime(self.path(digest))
            except FileNotFoundError:
                return False
            return True

    def put_bytes(self, data: bytes, keep_plaintext: bool = False) -> str:
        """Store ``data``; its name.  ``keep_plaintext``: it will be read back in
        this process soon (a page of the draft being entered): keep its plaintext
        in memory (``recent``) until ``forget``, instead of decrypting it then."""
        cipher = self.cipher()
        if cipher is None:
            return self._put_chunks([data])
        data = bytes(data)  # kept as it is: no caller's buffer may change it later
        digest = sha256_hex(data)
        self._put_encrypted(digest, lambda fh: cipher.encrypt_bytes(digest, data, fh))
        if keep_plaintext:
            self.recent.keep(digest, data)
        return digest

    def put_file(self, source: Path) -> str:
        cipher = self.cipher()

        def chunks():
            with open(source, "rb") as fh:
                yield from iter(lambda: fh.read(CHUNK), b"")

        if cipher is None:
            return self._put_chunks(chunks())
        # The name (the plaintext's digest) is part of what each frame authenticates:
        # one pass to hash, one to encrypt.  No plaintext copy is written.
        hasher = hashlib.sha256()
        for chunk in chunks():
            hasher.update(chunk)
        digest = hasher.hexdigest()
        return self._put_encrypted(digest, lambda fh: cipher.encrypt(digest, chunks(), fh))

    def _put_encrypted(self, digest: str, encrypt: Callable[[object], int]) -> str:
        """Store the blob ``encrypt(file)`` writes encrypted, unless it is there already."""
        final = self.path(digest)
        if self.reuse(digest):  # already stored (either form): nothing to encrypt
            return digest
        tmp = self._write_temp(encrypt)
        return self._place(tmp, digest, final)

    def _write_temp(self, write) -> str:
        tmp_dir = self.root / "tmp"
        make_private_dir(tmp_dir)
        fd, tmp = tempfile.mkstemp(dir=tmp_dir)
        try:
            with os.fdopen(fd, "wb") as fh:
                write(fh)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            os.unlink(tmp)
            raise
        return tmp

    def _place(self, tmp: str, digest: str, final: Path) -> str:
        try:
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

    # -- turning plaintext blobs over ------------------------------------------------
    def encrypt_plaintext(self, limit: int = 100) -> EncryptionReport:
        """Encrypt up to ``limit`` blobs still stored in plaintext (one batch).

        Each is read, checked against its name, written encrypted to a temp file
        (fsynced, its times kept: the sweep's grace period counts from them) and
        renamed over the plaintext under the station-wide lock, so a crash at any
        point leaves every blob readable in one form or the other.  Batches go on
        from where the last one stopped; ``done`` once a pass finds none left."""
        cipher = self.cipher()
        report = EncryptionReport(damaged=[])
        if cipher is None:
            return report
        for digest in self._names_after(self._encrypt_after):
            if report.encrypted >= limit:
                return report
            self._encrypt_after = digest
            try:
                if self.is_encrypted(digest):
                    continue
                if not self._encrypt_one(cipher, digest):
                    report.damaged.append(digest)
                    continue
            except BlobNotFound:
                continue  # swept meanwhile
            report.encrypted += 1
        self._encrypt_after = ""
        report.done = True
        return report

    def _encrypt_one(self, cipher: BlobCipher, digest: str) -> bool:
        final = self.path(digest)
        if not self.verify(digest):
            return False  # not what its name says: left for a person (audit verify, rescan)
        before = final.stat()

        def chunks():
            with open(final, "rb") as fh:
                yield from iter(lambda: fh.read(CHUNK), b"")

        tmp = self._write_temp(lambda fh: cipher.encrypt(digest, chunks(), fh))
        try:
            os.utime(tmp, ns=(before.st_atime_ns, before.st_mtime_ns))
            with self.exclusive():
                if not final.exists() or self.is_encrypted(digest):
                    os.unlink(tmp)  # swept, or another process turned it over first
                    return True
                os.replace(tmp, final)
            _fsync_dir(final.parent)
            return True
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def _names_after(self, after: str) -> Iterator[str]:
        """Every blob name in sorted order, from the first one after ``after``."""
        for first in sorted(_subdirs(self.root)):
            if after and first < after[:2]:
                continue
            for second in sorted(_subdirs(self.root / first)):
                if after and first + second < after[:4]:
                    continue
                for entry in sorted(os.listdir(self.root / first / second)):
                    if len(entry) == 64 and entry > after and entry.startswith(first + second):
                        yield entry

    def plaintext_count(self) -> int:
        """How many blobs are still stored in plaintext (a full scan: for tests, doctor)."""
        return sum(1 for digest in self._names_after("") if not self.is_encrypted(digest))

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
        except BaseException:
            os.unlink(tmp)
            raise
        digest = hasher.hexdigest()
        return self._place(tmp, digest, self.path(digest))

    def verify(self, digest: str) -> bool:
        hasher = hashlib.sha256()
        with self.open(digest) as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                hasher.update(chunk)
        return hasher.hexdigest() == digest


def _subdirs(folder: Path) -> list[str]:
    try:
        return [entry.name for entry in os.scandir(folder)
                if entry.is_dir() and len(entry.name) == 2]
    except FileNotFoundError:
        return []


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
