"""What the station tidies by itself, hourly in the sync service.

- certificate look-ups past ``cert_cache_days`` (personal data kept only for
  the case at hand),
- the personal data of cases the hall has held for ``retention_days``
  (``app.retention``, in bounded batches through the writer), and then
- blobs nothing refers to any more: old page working copies, pages of
  discarded drafts, the PDFs of those expired look-ups
  (``local_store.blob_sweep``).
"""

from __future__ import annotations

import logging
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

    def summary(self) -> str:
        archived = f"归档办件 {self.retention.purged} 件；" if self.retention else ""
        return (f"已清除过期证照缓存 {self.certificate_lookups_removed} 条；{archived}"
                f"删除无用文件 {self.blobs.removed} 个（{self.blobs.freed_bytes / 1e6:.1f} MB），"
                f"保留 {self.blobs.kept} 个")


def tidy_station(store: Store, settings: Settings) -> HousekeepingReport:
    removed = purge_expired_cache(store, settings)
    retention = run_retention(store, settings, sweep_blobs=False)  # swept just below
    # After the purges: the expired look-ups' PDFs and the archived cases'
    # scans are unreferenced now.
    blobs = sweep_unreferenced_blobs(store)
    report = HousekeepingReport(removed, blobs, retention)
    if removed or retention.purged or blobs.removed or blobs.leftovers_removed:
        log.info("housekeeping: %s", report.summary())
    return report
