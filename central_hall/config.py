"""What one hall process is started with."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from central_hall.auth import ThrottlePolicy


@dataclass(frozen=True)
class HallConfig:
    data_dir: Path
    # postgresql://… for a district; None keeps the SQLite file in data_dir.
    database_url: str | None = None
    catalog_file: Path | None = None
    certificates_file: Path | None = None
    faults_enabled: bool = False
    token_lifetime_s: int = 86400
    # Largest attachment the hall accepts (Upload-Length), and largest PATCH body.
    max_blob_bytes: int = 512 * 1024 * 1024
    max_chunk_bytes: int = 64 * 1024 * 1024
    # Largest case manifest, catalog publication, and any other request body;
    # each is enforced while the body streams in, after the token was checked.
    max_manifest_bytes: int = 2 * 1024 * 1024
    max_catalog_bytes: int = 256 * 1024 * 1024
    max_other_body_bytes: int = 64 * 1024
    # Uploads a station may have started and not finished; older ones expire.
    max_open_uploads_per_station: int = 64
    upload_expiry_s: float = 24 * 3600
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
