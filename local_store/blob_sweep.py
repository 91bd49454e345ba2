"""Remove blobs nothing refers to any more.

Blobs outlive their use in ordinary work: a rotated or rescanned page leaves
its old working copy, a discarded draft its pages, an expired certificate
look-up its PDF (personal data, which must not stay on disk past the cache's
days).  A blob is kept when

- any row refers to it: every ``*digest*`` column and every sha256-looking
  string anywhere inside a JSON column (drafts, manifests, certificate cache,
  case events) — found by looking at the models, so a new table or payload
  field is covered without touching this module; or
- it was written or re-used within ``grace`` (an intake in progress holds
  pages that its next autosave will refer to).

The references are read in one read transaction; the files are then checked
and removed under the blob store's exclusive lock, which every write takes
shared, so a blob re-used while the sweep runs is either seen fresh or
written again.  Crash leftovers in ``tmp/`` older than ``grace`` go too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import CharField, Model

from local_store.blobs import BlobStore
from local_store.models import BaseModel, JSONField

DEFAULT_GRACE = dt.timedelta(days=1)
_DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass
class SweepReport:
    removed: int = 0
    freed_bytes: int = 0
    kept: int = 0
    leftovers_removed: int = 0


def _models() -> list[type[Model]]:
    found, pending = [], list(BaseModel.__subclasses__())
    while pending:
        model = pending.pop()
        found.append(model)
        pending.extend(model.__subclasses__())
    return found


def referenced_digests(db) -> set[str]:
    """Every blob digest the case database refers to, read in one transaction."""
    referenced: set[str] = set()
    with db.atomic():
        for model in _models():
            table = model._meta.table_name
            for field in model._meta.sorted_fields:
                if isinstance(field, JSONField):
                    digests_in = _DIGEST.findall  # the raw JSON text: no decoding needed
                elif isinstance(field, CharField) and "digest" in field.name:
                    digests_in = _itself
                else:
                    continue
                rows = db.execute_sql(f'SELECT "{field.column_name}" FROM "{table}" '
                                      f'WHERE "{field.column_name}" IS NOT NULL')
                for (value,) in rows:
                    referenced.update(digests_in(value))
    return referenced


def _itself(digest: str) -> tuple[str]:
    return (digest,)


def _stored_blobs(blobs: BlobStore) -> Iterator[os.DirEntry]:
    for first in os.scandir(blobs.root):
        if not first.is_dir() or len(first.name) != 2:
            continue  # tmp/ and anything else that is not a digest fan-out
        for second in os.scandir(first.path):
            if second.is_dir():
                yield from (entry for entry in os.scandir(second.path) if entry.is_file())


def sweep_unreferenced_blobs(store, grace: dt.timedelta = DEFAULT_GRACE,
                             now: float | None = None) -> SweepReport:
    """Delete blobs of ``store`` that no row refers to and that are older than ``grace``."""
    report = SweepReport()
    referenced = referenced_digests(store.case_db)
    cutoff = (time.time() if now is None else now) - grace.total_seconds()
    for entry in _stored_blobs(store.blobs):
        if entry.name in referenced:
            report.kept += 1
            continue
        # Checked again under the lock: a write may just have re-used it.
        with store.blobs.exclusive():
            try:
                stat = os.stat(entry.path)
            except FileNotFoundError:
                continue
            if stat.st_mtime > cutoff:
                report.kept += 1
                continue
            os.unlink(entry.path)
        report.removed += 1
        report.freed_bytes += stat.st_size
    tmp_dir = store.blobs.root / "tmp"
    if tmp_dir.is_dir():
        for entry in os.scandir(tmp_dir):
            if entry.is_file() and entry.stat().st_mtime <= cutoff:
                os.unlink(entry.path)
                report.leftovers_removed += 1
    return report
