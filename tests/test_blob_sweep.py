"""Unreferenced blobs are swept; referenced, fresh and re-used ones never are."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time

from local_store.blob_sweep import referenced_digests, sweep_unreferenced_blobs
from local_store.models import CertificateCache, Draft, PrintLog
from tests.support.producers import create_case, material_pdf

DAY = 24 * 3600


def _age(store, digest: str, seconds: float) -> None:
    path = store.blobs.path(digest)
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_only_old_blobs_nothing_refers_to_are_removed(store):
    material = b"material pdf"
    case = create_case(store, attachments=[material])
    printed = store.blobs.put_bytes(b"receipt pdf")
    store.writer.call(lambda: PrintLog.create(case=case, document="receipt", layout="a4",
                                              blob_digest=printed, printer="pdf", clerk="c"))
    page = store.blobs.put_bytes(b"page of an unfinished intake")
    store.writer.call(lambda: Draft.create(uuid="d1", payload={
        "materials": {"m1": {"pages": [{"digest": page, "kind": "image", "rotation": 0}]}}}))
    cert_pdf = store.blobs.put_bytes(b"certificate pdf, cached")
    store.writer.call(lambda: CertificateCache.create(case_uuid="c1", holder="张三", payload={
        "file": {"digest": cert_pdf}}))
    rotated_away = store.blobs.put_bytes(b"page before it was rotated")
    just_scanned = store.blobs.put_bytes(b"page scanned a minute ago")
    attached = store.blobs.put_bytes(material_pdf(material))  # the case's own file
    everything = [attached, printed, page, cert_pdf, rotated_away, just_scanned]
    for digest in everything[:-1]:
        _age(store, digest, 3 * DAY)
    leftover = store.blobs.root / "tmp" / "tmpcrashed"
    leftover.write_bytes(b"half a blob")
    os.utime(leftover, (time.time() - 3 * DAY,) * 2)

    assert {everything[0], printed, page, cert_pdf} <= referenced_digests(store.case_db)
    on_disk = store.blobs.path(rotated_away).stat().st_size  # encrypted: header and tag too
    report = sweep_unreferenced_blobs(store)

    assert report.removed == 1 and report.freed_bytes == on_disk
    assert report.leftovers_removed == 1 and not leftover.exists()
    assert not store.blobs.has(rotated_away)
    for digest in (everything[0], printed, page, cert_pdf, just_scanned):
        assert store.blobs.has(digest), digest
    assert sweep_unreferenced_blobs(store).removed == 0  # nothing more to do


def test_a_blob_used_again_starts_its_grace_afresh(store):
    old = store.blobs.put_bytes(b"scanned twice, weeks apart")
    _age(store, old, 30 * DAY)
    assert store.blobs.put_bytes(b"scanned twice, weeks apart") == old  # found, not rewritten
    assert sweep_unreferenced_blobs(store).removed == 0
    _age(store, old, 30 * DAY)
    assert store.blobs.reuse(old)  # an imported PDF found in the store
    assert sweep_unreferenced_blobs(store).removed == 0
    _age(store, old, 30 * DAY)
    assert sweep_unreferenced_blobs(store).removed == 1
    assert not store.blobs.reuse(old)


def test_sweeping_while_blobs_are_reused_never_loses_one_handed_out(store):
    """A writer re-using old blobs while the sweep runs: each digest it was
    handed still exists afterwards (the check and the delete are one step
    under the blob lock, and re-use marks the blob fresh under the same lock)."""
    contents = [f"old page {n}".encode() for n in range(300)]
    digests = [store.blobs.put_bytes(data) for data in contents]
    for digest in digests:
        _age(store, digest, 3 * DAY)
    handed_out: list[str] = []

    def reuse_all() -> None:
        for data in contents[::2]:
            handed_out.append(store.blobs.put_bytes(data))

    writer = threading.Thread(target=reuse_all)
    writer.start()
    report = sweep_unreferenced_blobs(store)
    writer.join()
    assert handed_out and all(store.blobs.has(digest) for digest in handed_out)
    assert report.removed >= len(contents) // 2  # the ones never re-used did go


def test_housekeeping_removes_expired_lookups_and_then_their_pdfs(store):
    from app.housekeeping import tidy_station
    from app.settings import Settings

    settings = Settings(cert_cache_days=1)
    cert_pdf = store.blobs.put_bytes(b"%PDF certificate of a past applicant")
    kept_pdf = store.blobs.put_bytes(b"%PDF certificate fetched this morning")
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=5)
    store.writer.call(lambda: CertificateCache.create(
        case_uuid="old", holder="李四", payload={"file_digest": cert_pdf}, fetched_at=long_ago))
    store.writer.call(lambda: CertificateCache.create(
        case_uuid="new", holder="王五", payload={"file_digest": kept_pdf}))
    for digest in (cert_pdf, kept_pdf):
        _age(store, digest, 5 * DAY)
    report = tidy_station(store, settings)
    assert report.certificate_lookups_removed == 1 and report.blobs.removed == 1
    assert not store.blobs.has(cert_pdf) and store.blobs.has(kept_pdf)
    assert "删除无用文件 1 个" in report.summary()
