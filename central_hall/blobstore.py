"""Content-addressed attachments with resumable uploads.

A complete blob lives at ``blobs/<aa>/<sha256>`` and only ever gets there after
its SHA-256 has been checked, so "the file exists" means "verified".  An
upload in progress is ``uploads/<station>/<sha256>.<length>.part``; its size
*is* the upload offset.  Each station uploads into its own directory, so no
station can see, extend or reset another's upload; which station may use a
complete blob is kept in the database (``blob_owners``).  Each chunk is
checked against its own checksum before it is appended, so after a crash of
the hall the part file holds a correct prefix.
Chunks are not fsynced one by one: should a power cut lose or garble the tail,
HEAD reports the shorter offset, and the whole-blob digest check catches any
garbling before the blob is fsynced and renamed into place.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from central_hall.errors import HallError

DIGEST = re.compile(r"^[0-9a-f]{64}$")
_READ_SIZE = 1024 * 1024
# Upload directory of what the hall itself receives whole (online applications):
# not a station code, so no station can reach it.
HALL_UPLOADS = "_hall"


def normalise_digest(digest: str) -> str:
    digest = (digest or "").strip().lower()
    if not DIGEST.match(digest):
        raise HallError(400, "invalid_digest", "sha256 must be 64 hexadecimal characters")
    return digest


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX; Windows cannot open a directory for this)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_READ_SIZE):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class UploadState:
    offset: int
    length: int
    complete: bool


class BlobStore:
    def __init__(self, root: Path):
        self.blob_dir = root / "blobs"
        self.upload_dir = root / "uploads"
        self.blob_dir.mkdir(parents=True, exist_ok=True)
        self.upload_dir.mkdir(parents=True, exist_ok=True)
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._locks_guard = threading.Lock()

    def _lock(self, digest: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks[digest]

    def path(self, digest: str) -> Path:
        return self.blob_dir / digest[:2] / digest

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def size(self, digest: str) -> int | None:
        try:
            return self.path(digest).stat().st_size
        except FileNotFoundError:
            return None

    def _station_dir(self, station: str) -> Path:
        return self.upload_dir / station

    def _part(self, station: str, digest: str) -> Path | None:
        found = sorted(self._station_dir(station).glob(f"{digest}.*.part"))
        return found[0] if found else None

    def partial_state(self, station: str, digest: str) -> UploadState | None:
        """Where the station's upload of ``digest`` stands, or None if it has none."""
        part = self._part(station, digest)
        if part is None:
            return None
        length = int(part.name.split(".")[1])
        return UploadState(part.stat().st_size, length, False)

    def begin(self, station: str, digest: str, length: int) -> UploadState:
        """Create (or keep) the station's upload of ``length`` bytes."""
        with self._lock(f"{station}/{digest}"):
            part = self._part(station, digest)
            if part is not None and part.name == f"{digest}.{length}.part":
                return UploadState(part.stat().st_size, length, False)
            if part is not None:  # a different length cannot be the same content
                part.unlink()
            directory = self._station_dir(station)
            directory.mkdir(exist_ok=True)
            part = directory / f"{digest}.{length}.part"
            part.touch()
            _fsync_dir(directory)
            if length == 0:
                return self._finish(station, digest, part, 0)
            return UploadState(0, length, False)

    def append(self, station: str, digest: str, offset: int, chunk: bytes,
               chunk_sha256: str) -> UploadState:
        with self._lock(f"{station}/{digest}"):
            part = self._part(station, digest)
            if part is None:
                raise HallError(404, "upload_unknown", "no upload started (PUT first)")
            length = int(part.name.split(".")[1])
            current = part.stat().st_size
            if offset != current:
                raise HallError(409, "offset_mismatch", f"hall has {current} bytes",
                                headers={"Upload-Offset": str(current)})
            if hashlib.sha256(chunk).hexdigest() != (chunk_sha256 or "").strip().lower():
                raise HallError(409, "checksum_mismatch", "chunk checksum does not match",
                                headers={"Upload-Offset": str(current)})
            if current + len(chunk) > length:
                raise HallError(400, "chunk_exceeds_length",
                                f"upload is {length} bytes; chunk ends at {current + len(chunk)}")
            with open(part, "ab") as fh:
                fh.write(chunk)
            if current + len(chunk) < length:
                return UploadState(current + len(chunk), length, False)
            return self._finish(station, digest, part, length)

    def _finish(self, station: str, digest: str, part: Path, length: int) -> UploadState:
        if file_sha256(part) != digest:
            # The bytes do not add up to the announced content: start over.
            part.unlink()
            fresh = part.parent / f"{digest}.{length}.part"
            fresh.touch()
            raise HallError(409, "digest_mismatch", "whole blob does not match its sha256",
                            headers={"Upload-Offset": "0"})
        target = self.path(digest)
        with self._lock(digest):
            if target.is_file():
                # Another station sent the same content: this one has proved it holds it.
                part.unlink()
                return UploadState(length, length, True)
            with open(part, "rb") as fh:
                os.fsync(fh.fileno())
            target.parent.mkdir(exist_ok=True)
            os.replace(part, target)
            _fsync_dir(target.parent)
        return UploadState(length, length, True)

    def put_bytes(self, content: bytes) -> str:
        """Store a whole blob the hall received in one piece (an online
        application's file); returns its digest.  Same fsync-then-rename path,
        through the hall's own upload directory."""
        digest = hashlib.sha256(content).hexdigest()
        if self.has(digest):
            return digest
        with self._lock(f"{HALL_UPLOADS}/{digest}"):
            directory = self._station_dir(HALL_UPLOADS)
            directory.mkdir(exist_ok=True)
            part = directory / f"{digest}.{len(content)}.part"
            part.write_bytes(content)
            self._finish(HALL_UPLOADS, digest, part, len(content))
        return digest

    def discard(self, station: str, digest: str) -> None:
        """Drop the station's unfinished upload of ``digest`` (expired)."""
        with self._lock(f"{station}/{digest}"):
            for part in self._station_dir(station).glob(f"{digest}.*.part"):
                part.unlink(missing_ok=True)

    def drop_partial_uploads(self) -> int:
        """Forget every upload in progress (a fault for tests); returns how many."""
        dropped = 0
        for part in self.upload_dir.glob("*/*.part"):
            with self._lock(f"{part.parent.name}/{part.name.split('.')[0]}"):
                part.unlink(missing_ok=True)
                dropped += 1
        return dropped
