"""Send one outbox entry to the hall: attachments first, then the case commit.

For each attachment the hall is asked where it stands (PUT with
Upload-Length creates the upload or returns the offset of a partial one;
"complete" = the hall already has it, from any case) and the rest is sent in
PATCH chunks from the *hall's* offset, each with its own SHA-256 — so an
upload interrupted by a reset, a stall or a killed process resumes where the
hall says it is.  Then ``PUT /cases/{uuid}`` with the entry's Idempotency-Key;
201/200 (or a replay of either) means acknowledged.

Chunk size follows the link (``AdaptiveChunker``): it starts at 256 KiB and
grows so that one chunk takes ~``target_s`` seconds, because every chunk costs
one round trip of idle link — large chunks on slow, high-latency links keep
goodput near the raw rate; a timeout halves it.

State changes go through the writer; a crash between any two steps is safe
because every step is idempotent on the hall side.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from local_store.models import OutboxEntry
from local_store.store import Store
from sync import outbox
from sync.http import Backoff, HallClient, HallFailure, json_body

OFFSET_STREAM = "application/offset+octet-stream"
KIB = 1024
MIB = 1024 * KIB

# Bounded retries inside one attempt for faults the protocol itself repairs.
MAX_CHUNK_REPAIRS = 8
MAX_COMMIT_ROUNDS = 3


class LocalAttachmentProblem(Exception):
    """The attachment on this workstation is missing or damaged (a person must look)."""


class AdaptiveChunker:
    """Chunk size for PATCH uploads, adapted to the measured link rate."""

    def __init__(self, initial: int = 256 * KIB, minimum: int = 64 * KIB,
                 maximum: int = 4 * MIB, target_s: float = 12.0, max_growth: float = 4.0):
        self.size = initial
        self.minimum = minimum
        self.maximum = maximum
        self.target_s = target_s
        self.max_growth = max_growth

    def next_size(self, remaining: int) -> int:
        size = min(self.size, remaining)
        # Send a short tail with this chunk rather than paying a round trip for it.
        if remaining <= self.size * 1.5 and remaining <= self.maximum:
            size = remaining
        return size

    def record(self, nbytes: int, seconds: float) -> None:
        """A chunk of ``nbytes`` took ``seconds`` round trip: aim the next at target_s."""
        if nbytes < self.size // 2 or seconds <= 0:
            return  # a tail chunk says little about the link
        rate = nbytes / seconds
        wanted = int(rate * self.target_s)
        wanted = min(wanted, int(self.size * self.max_growth))
        self.size = max(self.minimum, min(self.maximum, wanted))

    def timed_out(self) -> None:
        self.size = max(self.minimum, self.size // 2)


@dataclass
class Outcome:
    """What happened to one attempt (the entry's state is already persisted)."""

    entry_id: int
    state: str
    failure: HallFailure | None = None
    message: str = ""


class CaseUploader:
    """Uploads outbox entries through one lane's HallClient."""

    def __init__(self, store: Store, client: HallClient, chunker: AdaptiveChunker | None = None,
                 backoff: Backoff | None = None):
        self.store = store
        self.client = client
        self.chunker = chunker or AdaptiveChunker()
        self.backoff = backoff or Backoff()
        self.bytes_sent = 0

    # -- one entry ------------------------------------------------------------
    def process(self, entry_id: int) -> Outcome:
        """Claim, send and record one entry."""
        entry = OutboxEntry.get_by_id(entry_id)
        if entry.state in (outbox.ACKNOWLEDGED, outbox.PARKED):
            return Outcome(entry_id, entry.state)
        self.store.writer.call(outbox.mark_uploading, entry_id)
        outcome = self.attempt(entry_id)
        if outcome.state == outbox.ACKNOWLEDGED:
            self.store.writer.call(outbox.mark_acknowledged, entry_id)
        return outcome

    def attempt(self, entry_id: int) -> Outcome:
        """Send an entry already marked ``uploading``.

        Failures are recorded here (retry time, or parked with the reason); an
        acknowledgement is left to the caller, who records many in one
        transaction (an unrecorded one is merely sent again: a harmless replay).
        """
        entry = outbox.entry_to_send(entry_id)
        try:
            self._send(entry, entry.manifest)
        except HallFailure as failure:
            return self._failed(entry_id, entry.attempts, failure)
        except LocalAttachmentProblem as problem:
            self.store.writer.call(outbox.park, entry_id, str(problem))
            return Outcome(entry_id, outbox.PARKED, message=str(problem))
        return Outcome(entry_id, outbox.ACKNOWLEDGED)

    def _failed(self, entry_id: int, attempts: int, failure: HallFailure) -> Outcome:
        if failure.needs_sign_in:
            # Not this entry's fault: it stays queued; the lane waits for a new sign-in.
            self.store.writer.call(outbox.schedule_retry, entry_id, failure.message, 0)
            return Outcome(entry_id, outbox.QUEUED, failure, failure.message)
        if failure.retryable:
            delay = self.backoff.delay(attempts, failure.retry_after_s)
            self.store.writer.call(outbox.schedule_retry, entry_id, failure.message, delay)
            return Outcome(entry_id, outbox.QUEUED, failure, failure.message)
        self.store.writer.call(outbox.park, entry_id, failure.message)
        return Outcome(entry_id, outbox.PARKED, failure, failure.message)

    def _send(self, entry: outbox.EntryToSend, manifest: dict) -> None:
        case_uuid = manifest["uuid"]
        attachments = manifest.get("attachments") or []
        for attachment in attachments:
            self.upload_blob(case_uuid, attachment["sha256"], attachment["size"])
        if attachments:
            # Attachments are at the hall; only the commit is left ("sent").  A
            # metadata-only case goes straight from uploading to acknowledged.
            self.store.writer.call(outbox.mark_sent, entry.id)
        for _round in range(MAX_COMMIT_ROUNDS):
            try:
                response = self.client.request(
                    "PUT", f"/cases/{case_uuid}", ok=(200, 201), json=manifest,
                    headers={"Idempotency-Key": entry.idempotency_key},
                )
            except HallFailure as failure:
                if failure.code != "blobs_missing":
                    raise
                # The hall lost (or never verified) some blobs: send them again.
                missing = set((failure.payload or {}).get("missing") or [])
                sizes = {a["sha256"]: a["size"] for a in manifest.get("attachments") or []}
                for digest in sorted(missing & sizes.keys()):
                    self.upload_blob(case_uuid, digest, sizes[digest])
                continue
            json_body(response)  # a 2xx that is not the hall's JSON is not an acknowledgement
            return
        raise HallFailure("http", "大厅多次报告附件缺失，稍后重试", True, 409, "blobs_missing")

    # -- one attachment ---------------------------------------------------------
    def upload_blob(self, case_uuid: str, digest: str, size: int) -> None:
        blobs = self.store.blobs
        if not blobs.has(digest):
            raise LocalAttachmentProblem(
                f"本机附件缺失（{digest[:12]}…），无法上传，请重新扫描该材料"
            )
        path = f"/cases/{case_uuid}/blobs/{digest}"
        offset, complete = self._hall_offset(path, size)
        repairs = 0
        with blobs.open(digest) as handle:
            while not complete:
                if offset >= size:
                    # All bytes are there (perhaps sent by another worker for another
                    # case with the same file): ask the hall whether it verified them.
                    offset, complete = self._hall_offset(path, size)
                    if complete:
                        break
                    if offset >= size:
                        raise HallFailure("http", "大厅尚未确认附件完整，稍后重试", True, 409)
                handle.seek(offset)
                chunk = handle.read(self.chunker.next_size(size - offset))
                if not chunk:
                    raise LocalAttachmentProblem(
                        f"本机附件比登记的短（{digest[:12]}…），请重新扫描该材料"
                    )
                started = time.monotonic()
                try:
                    response = self.client.request(
                        "PATCH", path, ok=(204, 200), data=chunk,
                        headers={
                            "Upload-Offset": str(offset),
                            "Content-Type": OFFSET_STREAM,
                            "Chunk-SHA256": hashlib.sha256(chunk).hexdigest(),
                        },
                    )
                except HallFailure as failure:
                    if failure.kind == "timeout":
                        self.chunker.timed_out()
                    repairs += 1
                    if repairs > MAX_CHUNK_REPAIRS:
                        raise
                    offset, complete = self._repair(failure, path, digest, size, offset)
                    continue
                self.chunker.record(len(chunk), time.monotonic() - started)
                self.bytes_sent += len(chunk)
                offset = int(response.headers.get("Upload-Offset", offset + len(chunk)))
                complete = response.headers.get("Upload-Complete") == "1" or offset >= size

    def _hall_offset(self, path: str, size: int) -> tuple[int, bool]:
        """Where the hall stands, in one round trip.

        PUT creates the upload or keeps an existing partial one and answers with
        its offset (or "complete" when the hall already holds the blob), so it
        tells everything HEAD would and saves a round trip per attachment on
        slow links.
        """
        response = self.client.request(
            "PUT", path, ok=(200, 201), headers={"Upload-Length": str(size)}
        )
        body = json_body(response)
        return int(body.get("offset", 0)), bool(body.get("complete"))

    def _repair(self, failure: HallFailure, path: str, digest: str, size: int,
                offset: int) -> tuple[int, bool]:
        """Protocol-level faults the upload fixes itself; anything else propagates."""
        if failure.code == "offset_mismatch":
            actual = (failure.headers or {}).get("Upload-Offset")
            if actual is not None:
                return int(actual), False
            return self._hall_offset(path, size)
        if failure.code == "checksum_mismatch":
            return offset, False  # the chunk was damaged on the way: send it again
        if failure.code == "digest_mismatch":
            if not self.store.blobs.verify(digest):
                raise LocalAttachmentProblem(
                    f"本机附件已损坏（校验不符，{digest[:12]}…），请重新扫描该材料"
                ) from failure
            return self._hall_offset(path, size)  # the hall restarts at 0
        if failure.status == 404:
            return self._hall_offset(path, size)  # the hall forgot the partial upload
        raise failure
