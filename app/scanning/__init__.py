"""Getting paper into the case: scanners, file import, watched folders, page sets.

Every page source implements :class:`app.scanning.interface.Scanner`; pages
land in a :class:`app.scanning.pages.PageSet` whose images live in the blob
store, and a material's pages become one PDF with ``assemble_pdf``.
"""

from app.scanning.interface import (
    DEFAULT_OPTIONS,
    ColourMode,
    DeviceInfo,
    PdfPage,
    Scanner,
    ScannerError,
    ScanOptions,
    ScanSource,
    SourcePage,
)

__all__ = [
    "DEFAULT_OPTIONS",
    "ColourMode",
    "DeviceInfo",
    "PdfPage",
    "ScanOptions",
    "ScanSource",
    "Scanner",
    "ScannerError",
    "SourcePage",
]
