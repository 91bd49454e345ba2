"""Which station may use which blob, and the uploads each station has open.

Blobs are stored once by content, but a station only "has" a blob it uploaded
itself (or that a case it committed lists): HEAD and PUT answer "complete" for
those alone, so no station learns from the hall what another has sent, and a
case may list only its own station's blobs.  Open (started, unfinished)
uploads are counted per station; past ``max_open_uploads_per_station`` a new
one is refused with 429 until some finish or expire.
"""

from __future__ import annotations

import time
from datetime import datetime

from central_hall.auth import Session
from central_hall.blobstore import UploadState
from central_hall.errors import HallError
from central_hall.storage import utc_now


def _owns(conn, station: str, digest: str) -> bool:
    return conn.execute("SELECT 1 FROM blob_owners WHERE station = ? AND sha256 = ?",
                        (station, digest)).fetchone() is not None


def check_case_of_station(conn, session: Session, uuid: str) -> None:
    row = conn.execute("SELECT station FROM cases WHERE uuid = ?", (uuid,)).fetchone()
    if row is not None and row["station"] != session.station:
        raise HallError(403, "not_your_case", f"case {uuid} belongs to another station")


def state(hall, session: Session, uuid: str, digest: str) -> UploadState | None:
    with hall.db.reading() as conn:
        check_case_of_station(conn, session, uuid)
        owned = _owns(conn, session.station, digest)
    size = hall.blobs.size(digest) if owned else None
    if size is not None:
        return UploadState(size, size, True)
    return hall.blobs.partial_state(session.station, digest)


def _completed(hall, session: Session, digest: str) -> None:
    with hall.db.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO blob_owners (station, sha256) VALUES (?, ?)",
                     (session.station, digest))
        conn.execute("DELETE FROM uploads WHERE station = ? AND sha256 = ?",
                     (session.station, digest))


def _expire_old_uploads(hall, station: str) -> None:
    cutoff = time.time() - hall.config.upload_expiry_s
    with hall.db.reading() as conn:
        rows = conn.execute("SELECT sha256, started_at FROM uploads WHERE station = ?",
                            (station,)).fetchall()
    expired = [r["sha256"] for r in rows
               if datetime.fromisoformat(r["started_at"]).timestamp() < cutoff]
    for digest in expired:
        hall.blobs.discard(station, digest)
    if expired:
        with hall.db.transaction() as conn:
            conn.executemany("DELETE FROM uploads WHERE station = ? AND sha256 = ?",
                             [(station, digest) for digest in expired])


def start(hall, session: Session, uuid: str, digest: str, length: int) -> tuple[UploadState, bool]:
    """Begin (or resume) the station's upload; (state, whether it already had the blob)."""
    current = state(hall, session, uuid, digest)
    if current is not None and current.complete:
        return current, True
    if current is None:
        _expire_old_uploads(hall, session.station)
        limit = hall.config.max_open_uploads_per_station
        with hall.db.reading() as conn:
            open_count = conn.execute("SELECT COUNT(*) FROM uploads WHERE station = ?",
                                      (session.station,)).fetchone()[0]
        if open_count >= limit:
            raise HallError(429, "too_many_uploads",
                            f"station has {open_count} unfinished uploads (limit {limit})",
                            headers={"Retry-After": "30"})
    with hall.db.transaction() as conn:
        conn.execute(
            "INSERT INTO uploads (station, sha256, length, uuid, started_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (station, sha256) DO UPDATE SET "
            "length = excluded.length",
            (session.station, digest, length, uuid, utc_now()),
        )
    begun = hall.blobs.begin(session.station, digest, length)
    if begun.complete:
        _completed(hall, session, digest)
    return begun, False


def append(hall, session: Session, uuid: str, digest: str, offset: int, chunk: bytes,
           chunk_sha256: str) -> UploadState:
    current = state(hall, session, uuid, digest)
    if current is not None and current.complete:
        if offset == current.offset and not chunk:
            return current
        raise HallError(409, "offset_mismatch", "upload already complete",
                        headers={"Upload-Offset": str(current.offset)})
    appended = hall.blobs.append(session.station, digest, offset, chunk, chunk_sha256)
    if appended.complete:
        _completed(hall, session, digest)
    return appended


