"""Idempotent case commits.

A commit is one SQLite transaction: the case row, its revision, its
attachment list, the idempotency record (with the exact response) and, for a
new case, the "received" status update.  A client that lost the answer sends
the same key and body again and gets the stored answer back; nothing is
committed twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

import contracts
from central_hall.auth import Session
from central_hall.blobstore import BlobStore
from central_hall.errors import HallError
from central_hall.status_updates import append_update
from central_hall.storage import HallDatabase, lock_keys, lock_sequence, utc_now

_UUID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{7,63}$")


def canonical_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def check_case_uuid(uuid: str) -> str:
    if not _UUID.match(uuid or ""):
        raise HallError(400, "invalid_uuid", "case uuid must be 8–64 letters, digits or '-'")
    return uuid


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _invalid(field: str) -> HallError:
    return HallError(422, "invalid_manifest", field)


def validate_manifest(uuid: str, manifest) -> list[dict]:
    """Raise invalid_manifest naming the first bad field; return the attachments.

    The shape, the code tables and the per-event rules are the contract's
    (contracts/case_manifest.v1.json, the file the workstation checks before it
    queues); what a schema cannot say is checked here.
    """
    try:
        contracts.check("case_manifest", manifest)
    except contracts.ContractViolation as violation:
        raise _invalid(violation.field) from violation
    if manifest["uuid"] != uuid:
        raise _invalid("uuid")
    sizes = {a["sha256"]: a["size"] for a in manifest["attachments"]}
    if len(sizes) != len(manifest["attachments"]):
        raise _invalid("attachments")  # one digest listed twice with different sizes
    for index, material in enumerate(manifest["materials"]):
        digest = material["digest"]
        if digest and digest not in sizes:
            raise _invalid(f"materials[{index}].digest")
    return [{"sha256": digest, "size": size} for digest, size in sorted(sizes.items())]


def _check_owner(conn, session: Session, uuid: str) -> None:
    """A case belongs to the station that first committed it; no other may change it."""
    row = conn.execute("SELECT station FROM cases WHERE uuid = ?", (uuid,)).fetchone()
    if row is not None and row["station"] != session.station:
        raise HallError(403, "not_your_case", f"case {uuid} belongs to another station")


def _check_station_fields(session: Session, manifest: dict) -> None:
    """The manifest speaks for the token's station, and its number is one of the
    station's own (numbers begin with region + station code), so no station can
    take another's numbers."""
    if manifest["station"] != session.station:
        raise HallError(403, "station_mismatch",
                        f"manifest station {manifest['station']} is not the signed-in "
                        f"station {session.station}")
    if not str(manifest["number"]).startswith(session.station):
        raise HallError(403, "number_not_of_station",
                        f"case numbers of station {session.station} begin with its code")


def owned_blobs(conn, station: str, digests) -> set[str]:
    """Which of ``digests`` the station has uploaded (or listed in a committed case)."""
    digests = list(digests)
    owned: set[str] = set()
    for start in range(0, len(digests), 500):
        part = digests[start:start + 500]
        marks = ",".join("?" * len(part))
        owned.update(r[0] for r in conn.execute(
            f"SELECT sha256 FROM blob_owners WHERE station = ? AND sha256 IN ({marks})",
            (station, *part)))
    return owned


@dataclass(frozen=True)
class CommitOutcome:
    status: int
    body: dict
    replayed: bool


def _stored_outcome(conn, key: str, request_hash: str) -> CommitOutcome | None:
    row = conn.execute(
        "SELECT request_sha256, status, response_json FROM idempotency WHERE key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    if row["request_sha256"] != request_hash:
        raise HallError(422, "idempotency_key_reused",
                        "this Idempotency-Key was used with a different body")
    return CommitOutcome(row["status"], json.loads(row["response_json"]), True)


def commit_case(
    db: HallDatabase,
    blobs: BlobStore,
    session: Session,
    uuid: str,
    manifest,
    idempotency_key: str | None,
    fail_before_commit=lambda: False,
) -> CommitOutcome:
    if _blank(idempotency_key):
        raise HallError(400, "idempotency_key_required", "header Idempotency-Key is required")
    # Keys are the station's own: another station cannot replay or block them.
    idempotency_key = f"{session.station}:{idempotency_key}"
    request_hash = hashlib.sha256(canonical_json(manifest).encode("utf-8")).hexdigest()
    with db.reading() as conn:
        _check_owner(conn, session, uuid)
        stored = _stored_outcome(conn, idempotency_key, request_hash)
    if stored:
        return stored
    attachments = validate_manifest(uuid, manifest)
    _check_station_fields(session, manifest)
    with db.reading() as conn:
        owned = owned_blobs(conn, session.station, [a["sha256"] for a in attachments])
    missing = [a["sha256"] for a in attachments
               if a["sha256"] not in owned or not blobs.has(a["sha256"])]
    if missing:
        raise HallError(409, "blobs_missing", f"{len(missing)} attachment(s) not uploaded",
                        missing=missing)
    for index, attachment in enumerate(attachments):
        if blobs.size(attachment["sha256"]) != attachment["size"]:
            raise _invalid(f"attachments[{index}].size")
    if fail_before_commit():
        raise HallError(500, "injected_fault", "injected fault before commit")

    def commit(conn) -> CommitOutcome:
        # Re-check inside the transaction: two identical requests may race (on
        # PostgreSQL in two worker processes: the second waits for the first).
        lock_keys(conn, f"case:{uuid}", f"number:{manifest['number']}")
        _check_owner(conn, session, uuid)
        stored = _stored_outcome(conn, idempotency_key, request_hash)
        if stored:
            return stored
        other = conn.execute(
            "SELECT uuid FROM cases WHERE number = ? AND uuid != ?", (manifest["number"], uuid)
        ).fetchone()
        if other:
            raise HallError(422, "number_conflict",
                            f"case number {manifest['number']} belongs to another case")
        existing = conn.execute(
            "SELECT number, revision, station, first_committed_at FROM cases WHERE uuid = ?",
            (uuid,),
        ).fetchone()
        if existing and existing["number"] != manifest["number"]:
            raise HallError(422, "number_conflict",
                            f"case {uuid} already has number {existing['number']}")
        now = utc_now()
        revision = existing["revision"] + 1 if existing else 1
        text = canonical_json(manifest)
        conn.execute(
            "INSERT INTO cases (uuid, number, station, revision, manifest_json, "
            "first_committed_at, committed_at, task_code, handle_item_code) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (uuid) DO UPDATE SET revision = excluded.revision, "
            "manifest_json = excluded.manifest_json, committed_at = excluded.committed_at, "
            "task_code = excluded.task_code, handle_item_code = excluded.handle_item_code",
            (uuid, manifest["number"], session.station, revision, text, now, now,
             manifest["task_code"], manifest.get("handle_item_code") or None),
        )
        # The exchange export follows revisions by number: with several PostgreSQL
        # workers, a revision numbered later must not commit before an earlier one.
        lock_sequence(conn, "case_revisions")
        conn.execute(
            "INSERT INTO case_revisions (uuid, revision, event, idempotency_key, manifest_json, "
            "committed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (uuid, revision, manifest["event"], idempotency_key, text, now),
        )
        conn.execute("DELETE FROM case_attachments WHERE uuid = ?", (uuid,))
        conn.executemany(
            "INSERT INTO case_attachments (uuid, sha256, size) VALUES (?, ?, ?)",
            [(uuid, a["sha256"], a["size"]) for a in attachments],
        )
        status = 200 if existing else 201
        body = {"uuid": uuid, "number": manifest["number"], "revision": revision,
                "committed_at": now}
        conn.execute(
            "INSERT INTO idempotency (key, uuid, request_sha256, status, response_json, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?)",
            # Kept in the order it was sent, so a replay is byte-identical.
            (idempotency_key, uuid, request_hash, status,
             json.dumps(body, ensure_ascii=False), now),
        )
        if not existing:
            append_update(conn, uuid, manifest["number"], session.station, "received",
                          "网上办事大厅已收到办件", now)
        return CommitOutcome(status, body, False)

    # Concurrent commits from many workstations share one fsync.
    return db.in_shared_transaction(commit)


def held_case(db: HallDatabase, uuid: str, session: Session) -> dict:
    with db.reading() as conn:
        row = conn.execute("SELECT * FROM cases WHERE uuid = ?", (uuid,)).fetchone()
        # Another station's case is answered as unknown: not even its existence shows.
        if row is None or not session.may_read_station(row["station"]):
            raise HallError(404, "case_unknown", f"the hall holds no case {uuid}")
        attachments = conn.execute(
            "SELECT sha256, size FROM case_attachments WHERE uuid = ? ORDER BY sha256", (uuid,)
        ).fetchall()
    return {
        "uuid": row["uuid"],
        "number": row["number"],
        "revision": row["revision"],
        "station": row["station"],
        "first_committed_at": row["first_committed_at"],
        "committed_at": row["committed_at"],
        # The item as the hall files the case: (task_code, handle_item_code).
        "task_code": row["task_code"],
        "handle_item_code": row["handle_item_code"],
        "manifest": json.loads(row["manifest_json"]),
        "attachments": [dict(a) for a in attachments],
    }
