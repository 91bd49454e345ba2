"""A shared folder that network scanners save into.

A file is taken only once it is complete: its size and modification time
must be the same as at the previous poll, or it must have been left alone
for ``settle_s`` seconds.  Several windows may watch one share, so a file is
first claimed by renaming it into ``processing/<token>/`` (a rename is
atomic: exactly one station wins), then read, then moved to ``done/``; files
that cannot be imported move to ``rejected/`` with the reason kept in
``refusals``.  Nothing is ever deleted: a station that dies mid-file leaves
the file in ``processing/`` for a person to see.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

from app.scanning.file_import import FileImporter
from app.scanning.interface import (
    DEFAULT_OPTIONS,
    DeviceInfo,
    ScannerError,
    ScanOptions,
    SourcePage,
)
from app.scanning.validation import FileRefused

log = logging.getLogger(__name__)

DONE_DIR = "done"
PROCESSING_DIR = "processing"
REJECTED_DIR = "rejected"
# Names scanners and copy tools use while a file is still being written.
_PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".filepart")


class WatchedFolder:
    def __init__(
        self,
        folder: Path,
        importer: FileImporter | None = None,
        settle_s: float = 2.0,
        clock: Callable[[], float] = time.time,
    ):
        self.folder = Path(folder)
        self.importer = importer or FileImporter()
        self.settle_s = settle_s
        self.clock = clock
        self.refusals: list[FileRefused] = []
        self._last_seen: dict[Path, tuple[int, int]] = {}
        # Files already handed out, in case moving them away failed: never twice.
        self._taken: set[tuple[Path, int, int]] = set()

    def list_devices(self) -> list[DeviceInfo]:
        return [DeviceInfo(str(self.folder), f"共享文件夹 {self.folder}", "folder")]

    def poll(self) -> list[Path]:
        """Complete files waiting in the folder, oldest first."""
        if not self.folder.is_dir():
            return []
        now = self.clock()
        seen: dict[Path, tuple[int, int]] = {}
        ready: list[tuple[int, Path]] = []
        for path in self.folder.iterdir():
            if not path.is_file() or _is_partial(path.name):
                continue
            try:
                info = path.stat()
            except FileNotFoundError:  # taken by another station meanwhile
                continue
            signature = (info.st_size, info.st_mtime_ns)
            if (path, *signature) in self._taken:
                continue
            seen[path] = signature
            unchanged = self._last_seen.get(path) == signature
            settled = now - info.st_mtime_ns / 1e9 >= self.settle_s
            if info.st_size > 0 and (unchanged or settled):
                ready.append((info.st_mtime_ns, path))
        self._last_seen = seen
        return [path for _mtime, path in sorted(ready)]

    def scan(self, device: str | None = None, options: ScanOptions = DEFAULT_OPTIONS
             ) -> Iterator[SourcePage]:
        """Pages of every complete file; each file moves to done/ once all its pages are out.

        A file that cannot be moved away (read-only share) is still never taken
        twice; the :class:`ScannerError` says so after its pages were handed out.
        """
        for path in self.poll():
            claimed = self._claim(path)
            if claimed is None:  # another station took it first
                continue
            try:
                pages = self.importer.read(claimed)
            except FileRefused as refusal:
                self.refusals.append(refusal)
                self._move(claimed, REJECTED_DIR)
                continue
            yield from pages
            self._move(claimed, DONE_DIR)

    def _claim(self, path: Path) -> Path | None:
        try:
            info = path.stat()
        except FileNotFoundError:
            return None
        # Never twice, even when the file cannot be claimed or moved on.
        self._taken.add((path, info.st_size, info.st_mtime_ns))
        holder = self.folder / PROCESSING_DIR / uuid.uuid4().hex[:12]
        try:
            holder.mkdir(parents=True)
            os.rename(path, holder / path.name)
        except FileNotFoundError:
            holder.rmdir()
            return None
        except OSError as exc:
            raise ScannerError(
                f"无法从共享文件夹取走“{path.name}” ({exc.strerror or exc})；"
                "请检查共享文件夹的写权限"
            ) from exc
        return holder / path.name

    def _move(self, claimed: Path, subfolder: str) -> None:
        try:
            _move_into(claimed, self.folder / subfolder)
            claimed.parent.rmdir()
        except OSError as exc:
            raise ScannerError(
                f"“{claimed.name}”已处理，但无法移入 {subfolder} 文件夹 ({exc.strerror or exc})；"
                f"文件保留在 {claimed.parent}，请检查共享文件夹的写权限并手工移走"
            ) from exc


def _is_partial(name: str) -> bool:
    return name.startswith((".", "~$")) or name.lower().endswith(_PARTIAL_SUFFIXES)


def _move_into(path: Path, directory: Path) -> Path:
    directory.mkdir(exist_ok=True)
    target = directory / path.name
    if target.exists():  # scanners reuse names such as scan0001.pdf
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = directory / f"{path.stem}.{stamp}{path.suffix}"
    shutil.move(path, target)
    log.info("moved %s to %s", path.name, target)
    return target
