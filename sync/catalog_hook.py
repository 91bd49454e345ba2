"""Where the app hands its catalog importer to the catalog sync (sync may not import app).

Kept apart from ``sync.catalog_sync`` so that registering costs nothing at
start-up (no ``requests`` import).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ApplyDocument = Callable[..., Any]
_registered: list[ApplyDocument] = []
_tidy: list[Callable[[Any], Any]] = []


def use_importer(apply: ApplyDocument, tidy: Callable[[Any], Any] | None = None) -> None:
    """Register ``apply(document, target, *, source, default_mode, extra_meta,
    refuse_older)`` — ``app.catalog.importer.import_catalog_document`` — and
    ``tidy(target)``, run after an import whose report says ``tidy_due``."""
    _registered[:] = [apply]
    _tidy[:] = [tidy] if tidy is not None else []


def registered_importer() -> ApplyDocument | None:
    return _registered[0] if _registered else None


def tidy_after(report: Any, target: Any = None) -> None:
    """Run the registered tidy when ``report`` asks for it (off the import's path)."""
    if _tidy and getattr(report, "tidy_due", False):
        _tidy[0](target)
