"""What one hall process is started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HallConfig:
    data_dir: Path
    catalog_file: Path | None = None
    certificates_file: Path | None = None
    faults_enabled: bool = False
    token_lifetime_s: int = 86400
    # Largest attachment the hall accepts (Upload-Length), and largest PATCH body.
    max_blob_bytes: int = 512 * 1024 * 1024
    max_chunk_bytes: int = 64 * 1024 * 1024
