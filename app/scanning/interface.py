"""The one interface every page source implements.

A *device* is whatever the source scans from: a SANE device name, a file
path for the importer, a folder for the watched share.  ``scan`` yields
pages one at a time so that the caller can store each page as soon as it
arrives; a source that fails part-way raises :class:`ScannerError` and the
pages already yielded stay with the caller.

A page is a PIL image, or — for imported PDFs, which are kept as PDF rather
than rasterised — a :class:`PdfPage` holding a one-page PDF document.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol, runtime_checkable

from PIL import Image


class ScanSource(StrEnum):
    FLATBED = "flatbed"
    ADF = "adf"  # automatic document feeder: many pages per scan


class ColourMode(StrEnum):
    GREY = "grey"
    COLOUR = "colour"


@dataclass(frozen=True)
class ScanOptions:
    source: ScanSource = ScanSource.FLATBED
    dpi: int = 200
    colour: ColourMode = ColourMode.GREY


DEFAULT_OPTIONS = ScanOptions()


@dataclass(frozen=True)
class DeviceInfo:
    name: str  # what scan() takes as ``device``
    label: str  # what the clerk sees
    kind: str  # "sane", "file", "folder"
    supports_adf: bool = False


@dataclass(frozen=True)
class PdfPage:
    """Page ``index`` of an imported PDF, kept as PDF (never rasterised).

    Every page of one file carries the same ``document`` bytes and their
    ``digest``, so the file is stored once and its shared fonts and images
    are not copied per page; a signed original stays verifiable.
    """

    document: bytes = field(repr=False)
    digest: str
    index: int
    page_count: int


SourcePage = Image.Image | PdfPage


class ScannerError(Exception):
    """A page source failed; ``str(error)`` is a Chinese message for the clerk."""


@runtime_checkable
class Scanner(Protocol):
    def list_devices(self) -> list[DeviceInfo]: ...

    def scan(self, device: str, options: ScanOptions = DEFAULT_OPTIONS) -> Iterator[SourcePage]: ...
