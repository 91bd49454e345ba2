"""What the station tidies by itself, hourly in the sync service.

- certificate look-ups past ``cert_cache_days`` (personal data kept only for
  the case at hand),
- the personal data of cases the hall has held for ``retention_days``
  (``app.retention``, in bounded batches through the writer), and then
- blobs nothing refers to any more: old page working copies, pages of
  discarded drafts, the PDFs of those expired look-ups
  (``local_store.blob_sweep``);
- blobs stored in plaintext before the station's encryption at rest was
  switched on, SM4-GCM encrypted in batches (``BlobStore.encrypt_plaintext``)
  while the station's key is held here.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from app.certificates.service import purge_expired_cache
from app.retention import RetentionReport, run_retention
from app.settings import Settings
from local_store.blob_sweep import SweepReport, sweep_unreferenced_blobs
from local_store.store import Store

log = logging.getLogger(__name__)


@dataclass
class HousekeepingReport:
    certificate_lookups_removed: int
    blobs: SweepReport
    retention: RetentionReport | None = None
    blobs_encrypted: int = 0

    def summary(self) -> str:
        archived = f"归档办件 {self.retention.purged} 件；" if self.retention else ""
        return (f"已清除过期证照缓存 {self.certificate_lookups_removed} 条；{archived}"
                f"删除无用文件 {self.blobs.removed} 个（{self.blobs.freed_bytes / 1e6:.1f} MB），"
                f"保留 {self.blobs.kept} 个；加密旧文件 {self.blobs_encrypted} 个")


ENCRYPT_BATCH = 100
ENCRYPT_BUDGET_S = 60.0  # per housekeeping run; the rest next time


def encrypt_plaintext_blobs(store: Store, batch: int = ENCRYPT_BATCH,
                            budget_s: float = ENCRYPT_BUDGET_S) -> int:
    """Turn plaintext blobs over to SM4-GCM, a bounded batch at a time, for at most
    ``budget_s``; returns how many.  Nothing happens while no key is held."""
    encrypted = 0
    deadline = time.monotonic() + budget_s
    while time.monotonic() < deadline:
        report = store.blobs.encrypt_plaintext(batch)
        encrypted += report.encrypted
        for digest in report.damaged or []:
            log.warning("blob %s does not match its name; left unencrypted", digest)
        if report.done or store.blobs.cipher() is None:
            break
    return encrypted


def tidy_station(store: Store, settings: Settings) -> HousekeepingReport:
    removed = purge_expired_cache(store, settings)
    retention = run_retention(store, settings, sweep_blobs=False)  # swept just below
    # After the purges: the expired look-ups' PDFs and the archived cases'
    # scans are unreferenced now.
    blobs = sweep_unreferenced_blobs(store)
    encrypted = encrypt_plaintext_blobs(store)  # after the sweep: nothing swept is encrypted
    report = HousekeepingReport(removed, blobs, retention, encrypted)
    if removed or retention.purged or blobs.removed or blobs.leftovers_removed or encrypted:
        log.info("housekeeping: %s", report.summary())
    return report
