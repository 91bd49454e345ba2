"""Blobs at rest with SM4-GCM (issue 12, item 5): new blobs are written encrypted
while the station's key is held, named by the SHA-256 of their plaintext; a
changed, cut, renamed or wrongly keyed file does not open; blobs stored before
are turned over in batches, and a SIGKILL in the middle leaves every blob
readable in one form or the other; the hall receives the plaintext, byte for
byte.  Attachments come from IntakeService (``create_case``)."""

from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.housekeeping import encrypt_plaintext_blobs
from local_store.blob_cipher import FRAME_BYTES, BlobDecryptError
from local_store.blobs import BlobStore
from local_store.keys import StationLocked
from local_store.models import OutboxEntry
from local_store.store import Store, blob_key_source, held_blob_key
from sync.lanes import SyncLanes
from tests.support.producers import create_case
from tests.support.sync_trials import TRIAL_TIMINGS, drain, hall_blob_path, sign_in_token

ROOT = Path(__file__).resolve().parents[1]
SIZES = (0, 1, 4096, FRAME_BYTES - 1, FRAME_BYTES, FRAME_BYTES + 1, 2 * FRAME_BYTES + 77)


@pytest.fixture
def encrypted_station(store):
    """The store as ``Store.open`` makes it once the case database is encrypted (the
    switch is cryptdb's): its blob store uses the key held (tests/support/station_keys.py)."""
    store.blobs = BlobStore(store.blobs.root, key_source=held_blob_key)
    return store


@contextmanager
def release_before_encryption(store: Store):
    """The station as the release before blob encryption ran it: a blob store with no
    key (tests hold the station's key throughout, tests/support/station_keys.py)."""
    encrypting = store.blobs
    store.blobs = BlobStore(encrypting.root)
    try:
        yield
    finally:
        store.blobs = encrypting


def test_blobs_are_written_encrypted_and_read_back_whole(tmp_path):
    key = os.urandom(32)
    blobs = BlobStore(tmp_path / "blobs", key_source=lambda: key)
    rng = random.Random(5)
    for size in SIZES:
        data = rng.randbytes(size)
        digest = blobs.put_bytes(data)
        assert digest == hashlib.sha256(data).hexdigest()  # the plaintext's name
        stored = blobs.path(digest).read_bytes()
        assert blobs.is_encrypted(digest) and data[:64] not in stored[21:] or size == 0
        assert blobs.read(digest) == data and blobs.size(digest) == size
        assert blobs.verify(digest)
        with blobs.open(digest) as handle:  # an upload resuming anywhere
            for offset in sorted({0, size // 3, max(0, size - 5), FRAME_BYTES - 2}):
                handle.seek(offset)
                assert handle.read(100_000) == data[offset:offset + 100_000]
    source = tmp_path / "scan.pdf"
    source.write_bytes(rng.randbytes(3 * FRAME_BYTES // 2))
    digest = blobs.put_file(source)
    assert blobs.read(digest) == source.read_bytes() and blobs.is_encrypted(digest)
    assert blobs.put_bytes(source.read_bytes()) == digest  # stored once
    with blobs.plaintext_copy(digest, ".pdf") as copy:
        assert copy.read_bytes() == source.read_bytes()
        assert copy.stat().st_mode & 0o777 == 0o600
    assert not copy.exists()


def test_a_changed_cut_renamed_or_wrongly_keyed_blob_does_not_open(tmp_path):
    key = os.urandom(32)
    blobs = BlobStore(tmp_path / "blobs", key_source=lambda: key)
    data = random.Random(6).randbytes(FRAME_BYTES + 500)
    digest = blobs.put_bytes(data)
    path = blobs.path(digest)
    original = path.read_bytes()

    def refused(stored: bytes, name: str = digest, store: BlobStore = blobs) -> None:
        store.path(name).parent.mkdir(parents=True, exist_ok=True)
        store.path(name).write_bytes(stored)
        with pytest.raises(BlobDecryptError):
            store.read(name)

    changed = bytearray(original)
    changed[FRAME_BYTES // 2] ^= 1
    refused(bytes(changed))
    refused(original[:FRAME_BYTES + 37])  # cut after the first frame
    refused(original[:-1])
    other = hashlib.sha256(b"another file").hexdigest()
    refused(original, other)  # moved under another blob's name
    path.write_bytes(original)
    refused(original, digest, BlobStore(tmp_path / "blobs", key_source=lambda: os.urandom(32)))
    path.write_bytes(original)
    with pytest.raises(StationLocked):
        BlobStore(tmp_path / "blobs").read(digest)  # the station is locked
    assert blobs.read(digest) == data


# SHA-256 of the file below as the first release of blob encryption wrote it: blobs
# already stored in this format must keep opening, so the bytes on disk must not move.
FIRST_RELEASE_FILE_SHA256 = "c5678a407423815441f5fac72712608d9d86a89858cc03519a4056652ac8e440"


@pytest.mark.parametrize("chunk_bytes", [None, 700_000, FRAME_BYTES])
def test_the_file_format_stays_the_first_releases_whatever_the_chunks(monkeypatch,
                                                                       chunk_bytes):
    from local_store import blob_cipher

    monkeypatch.setattr(blob_cipher.os, "urandom", lambda n: bytes(range(1, n + 1)))
    plain = random.Random(12).randbytes(2 * FRAME_BYTES + 77)
    digest = hashlib.sha256(plain).hexdigest()
    step = chunk_bytes or len(plain)
    cipher = blob_cipher.BlobCipher(bytes(range(32)))
    out = io.BytesIO()
    cipher.encrypt(digest, (plain[i:i + step] for i in range(0, len(plain), step)), out)
    assert hashlib.sha256(out.getvalue()).hexdigest() == FIRST_RELEASE_FILE_SHA256
    assert cipher.decrypt(digest, out.getvalue()) == plain
    assert cipher.reader(digest, io.BytesIO(out.getvalue()), len(out.getvalue())).read() == plain


def test_a_blob_held_in_memory_is_sealed_on_two_threads_into_the_same_file(monkeypatch):
    """put_bytes seals a whole plaintext's frames in parallel (the material PDF at 受理):
    the file is the one the streaming encryption writes, frame edges included."""
    from local_store import blob_cipher

    monkeypatch.setattr(blob_cipher.os, "urandom", lambda n: bytes(range(1, n + 1)))
    cipher = blob_cipher.BlobCipher(bytes(range(32)))
    threads = set()
    seal = blob_cipher.BlobCipher._seal

    def sealing_thread(*args):
        threads.add(threading.current_thread().name)
        return seal(*args)

    monkeypatch.setattr(blob_cipher.BlobCipher, "_seal", sealing_thread)
    rng = random.Random(13)
    for size in (*SIZES, 3 * FRAME_BYTES + 5):
        plain = rng.randbytes(size)
        digest = hashlib.sha256(plain).hexdigest()
        streamed, whole = io.BytesIO(), io.BytesIO()
        cipher.encrypt(digest, [plain], streamed)
        assert cipher.encrypt_bytes(digest, plain, whole) == len(whole.getvalue())
        assert whole.getvalue() == streamed.getvalue()
        assert cipher.decrypt(digest, whole.getvalue()) == plain
    assert any(name.startswith("blob-seal") for name in threads)


def test_plaintext_blobs_are_encrypted_in_batches_and_reach_the_hall_as_plaintext(
        encrypted_station, hall, tmp_path):
    store = encrypted_station
    rng = random.Random(7)
    attachments = [rng.randbytes(rng.randint(1, 300_000)) for _ in range(5)]
    with release_before_encryption(store):
        case = create_case(store, attachments=attachments)
    digests = [a["sha256"] for a in OutboxEntry.get(OutboxEntry.case == case)
               .manifest["attachments"]]
    before = {digest: store.blobs.read(digest) for digest in digests}
    plain = store.blobs.plaintext_count()
    assert plain >= len(digests) and not any(store.blobs.is_encrypted(d) for d in digests)
    keyless = BlobStore(store.blobs.root)
    assert keyless.encrypt_plaintext(2).encrypted == 0  # no key held: nothing to do
    # The station's key is held (as after a sign-in: tests/support/station_keys.py).
    first = store.blobs.encrypt_plaintext(2)
    assert (first.encrypted, first.done) == (2, False)
    assert store.blobs.plaintext_count() == plain - 2
    assert encrypt_plaintext_blobs(store, batch=2) == plain - 2  # the housekeeping step
    assert store.blobs.plaintext_count() == 0
    for digest, data in before.items():
        assert store.blobs.is_encrypted(digest)
        assert store.blobs.read(digest) == data and store.blobs.size(digest) == len(data)
    later = create_case(store, attachments=[rng.randbytes(50_000)])
    [new] = OutboxEntry.get(OutboxEntry.case == later).manifest["attachments"]
    assert store.blobs.is_encrypted(new["sha256"])
    before[new["sha256"]] = store.blobs.read(new["sha256"])
    token = sign_in_token(hall)
    lanes = SyncLanes(store, hall.url, timeout_s=10, token_source=lambda: token,
                      catalog_sync=lambda s, u: None, timings=TRIAL_TIMINGS)
    drain(lanes, deadline_s=60)
    lanes.stop()
    for digest, data in before.items():  # the hall compares bytes with the plaintext digest
        assert hall_blob_path(hall, digest).read_bytes() == data


def test_sigkill_while_blobs_are_encrypted_leaves_each_readable(tmp_path, unlocked_station):
    home = tmp_path / "station"
    store = Store.open(home)
    rng = random.Random(int(os.environ.get("ONEWINDOW_TRIAL_SEED", "9")))
    try:
        with release_before_encryption(store):
            case = create_case(store, attachments=[
                rng.randbytes(rng.randint(1_000_000, 1_500_000)) for _ in range(5)])
            create_case(store, attachments=[rng.randbytes(1_100_000) for _ in range(5)])
        digests = sorted(p.name for p in (home / "blobs").rglob("*") if len(p.name) == 64)
        contents = {digest: store.blobs.read(digest) for digest in digests}
        assert case.number
    finally:
        store.close()
    keys = unlocked_station  # the child is given the station's key, as the sync child is
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kills_midway = 0
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.support.blob_encrypt_child", str(home)], cwd=ROOT,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        child.stdin.write(keys.data_key.hex() + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ready"
        blobs = BlobStore(home / "blobs", key_source=lambda: keys.blobs)
        # Once it has turned the first blob over (a few hundred ms on this machine), the
        # kill lands within the next ~12 MB of work: in a blob, between two, or after.
        while child.poll() is None and not any(blobs.is_encrypted(d) for d in digests):
            time.sleep(0.005)
        try:
            child.wait(rng.uniform(0.0, 0.15))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        encrypted = sum(blobs.is_encrypted(digest) for digest in digests)
        kills_midway += 0 < encrypted < len(digests)
        for digest, data in contents.items():  # old plaintext or new ciphertext: readable
            assert blobs.read(digest) == data, digest
        if encrypted == len(digests):
            break
    leftovers = list((home / "blobs" / "tmp").glob("*"))
    blobs = BlobStore(home / "blobs", key_source=lambda: keys.blobs)
    while not blobs.encrypt_plaintext(10).done:
        pass
    assert blobs.plaintext_count() == 0
    assert all(blobs.read(digest) == data for digest, data in contents.items())
    assert kills_midway, "no kill landed while blobs were being encrypted"
    # A kill mid-write leaves a temp file at most (the housekeeping sweep removes old
    # ones, local_store.blob_sweep), never another file among the blobs.
    named = sorted(p.name for p in (home / "blobs").rglob("*")
                   if p.is_file() and p.parent.name != "tmp" and p.name != ".lock")
    assert named == digests, leftovers


def test_blobs_are_encrypted_exactly_when_the_case_database_is(tmp_path, unlocked_station):
    """One switch for encryption at rest: Store.open encrypts blobs for an encrypted
    case database only (then every process that opens it holds the key)."""
    import sqlite3

    from local_store.db import encrypt_plaintext_database

    path = tmp_path / "cases.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    assert blob_key_source(path) is None
    encrypt_plaintext_database(path, unlocked_station)
    source = blob_key_source(path)
    assert source is held_blob_key and source() == unlocked_station.blobs


def test_plaintext_kept_of_new_blobs_is_bounded_and_only_served_while_found_and_unlocked(
        tmp_path, monkeypatch):
    """Pages scanned moments ago are read back in the same process (thumbnails, the
    material PDF at 受理): the store keeps what it was asked to keep, in memory and
    bounded by bytes, and never serves it where reading the file would have failed."""
    from local_store.blob_cipher import BlobCipher
    from local_store.blobs import BlobNotFound

    megabyte = 1 << 20
    held = {"key": os.urandom(32)}
    blobs = BlobStore(tmp_path / "blobs", key_source=lambda: held["key"],
                      recent_plaintext_bytes=3 * megabyte)
    rng = random.Random(9)
    pages = [rng.randbytes(megabyte) for _ in range(5)]
    digests = [blobs.put_bytes(page, keep_plaintext=True) for page in pages]
    assert all(blobs.is_encrypted(digest) for digest in digests)  # on disk: encrypted as ever
    assert blobs.recent.nbytes <= 3 * megabyte
    assert [digest in blobs.recent for digest in digests] == [False, False, True, True, True]
    not_asked = blobs.put_bytes(rng.randbytes(1000))
    too_large = blobs.put_bytes(rng.randbytes(4 * megabyte), keep_plaintext=True)
    assert not_asked not in blobs.recent and too_large not in blobs.recent

    decrypted = []
    decrypt = BlobCipher.decrypt
    monkeypatch.setattr(BlobCipher, "decrypt", lambda self, digest, data: (
        decrypted.append(digest), decrypt(self, digest, data))[1])
    for digest, page in zip(digests, pages, strict=True):
        assert blobs.read(digest) == page
        with blobs.open(digest) as handle:
            handle.seek(1000)
            assert handle.read(10) == page[1000:1010]
    assert decrypted == digests[:2]  # only the two no longer kept were decrypted

    key, held["key"] = held["key"], None  # the station locked: refused, as decrypting is
    with pytest.raises(StationLocked):
        blobs.read(digests[-1])
    with pytest.raises(StationLocked):
        blobs.open(digests[-1])
    held["key"] = key
    blobs.path(digests[-1]).unlink()  # swept meanwhile: not found, as before
    with pytest.raises(BlobNotFound):
        blobs.read(digests[-1])

    blobs.forget(digests[2:4])
    assert [digest in blobs.recent for digest in digests] == [False] * 4 + [True]
    blobs.recent.clear()
    assert len(blobs.recent) == 0 and blobs.recent.nbytes == 0

    plain = BlobStore(tmp_path / "plain")  # no key: plaintext files, nothing kept in memory
    assert plain.put_bytes(pages[0], keep_plaintext=True) not in plain.recent
