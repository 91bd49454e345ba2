"""Where the app hands its catalog importer to the catalog sync (sync may not import app).

Kept apart from ``sync.catalog_sync`` so that registering costs nothing at
start-up (no ``requests`` import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ApplyDocument = Callable[..., Any]
_registered: list[ApplyDocument] = []


def use_importer(apply: ApplyDocument) -> None:
    """Register ``apply(document, target, *, source, default_mode, extra_meta,
    refuse_older)`` — ``app.catalog.importer.import_catalog_document``."""
    _registered[:] = [apply]


def registered_importer() -> ApplyDocument | None:
    return _registered[0] if _registered else None
