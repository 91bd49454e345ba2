"""Files handed to the workstation — catalog exports, case batches, attachments —
are checked before a byte of them is read.

Only a regular file is read: a FIFO blocks the reader until someone writes, a
device such as ``/dev/zero`` never ends (``catalog import /dev/zero`` grew to 24 GB
before the kernel killed it), a folder is not a document.  And only up to a size
limit per kind of file, stated here and in the README, so a wrong file of 700 MB
costs a ``stat``, not 1.5 GB of memory before "not JSON".
"""

from __future__ import annotations

import os
import stat

from app.plain_text import visible

MB = 1024 * 1024
# A province's 20,000-item catalog export is about 40 MB.
CATALOG_FILE_LIMIT_MB = 256
# A batch of cases is data only (its attachments are separate files): 10,000
# records are about 20 MB.
CASE_BATCH_LIMIT_MB = 64


class InputFileRefused(ValueError):
    """``path`` cannot be read as the document asked for; ``reason`` is Chinese."""

    def __init__(self, path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(reason)


def non_regular_kind(mode: int) -> str | None:
    """What a non-regular file is, in words the operator knows; None when regular."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    return "特殊文件"


def _display(path) -> str:
    """The path as the operator may see it: hidden characters as escapes."""
    return visible(os.fsdecode(path)) if path is not None else ""


def check_regular_file(path, max_bytes: int, what: str) -> os.stat_result:
    """``stat`` of ``path`` when it is a regular file of at most ``max_bytes``;
    otherwise InputFileRefused naming ``what`` (目录文件, 补录文件 …)."""
    shown = _display(path)
    try:
        info = os.stat(path)
    except ValueError as exc:  # an embedded NUL: no such path can exist
        raise InputFileRefused(path, f"{what}路径含有空字符（NUL），不是有效路径：{shown}") \
            from exc
    except FileNotFoundError as exc:
        raise InputFileRefused(path, f"无法读取{what}：找不到文件 {shown}") from exc
    except OSError as exc:
        raise InputFileRefused(path, f"无法读取{what} {shown}：{exc.strerror or exc}") from exc
    kind = non_regular_kind(info.st_mode)
    if kind is not None:
        raise InputFileRefused(path, f"{shown} 是{kind}，不是普通文件，未读取")
    if info.st_size > max_bytes:
        raise InputFileRefused(
            path, f"{what} {shown} 过大（{info.st_size / MB:.1f} MB），"
                  f"上限 {max_bytes / MB:.0f} MB，未读取")
    return info


def read_regular_file(path, max_bytes: int, what: str) -> bytes:
    """The bytes of ``path`` — a regular file of at most ``max_bytes`` — or
    InputFileRefused before anything was read."""
    check_regular_file(path, max_bytes, what)
    shown = _display(path)
    try:
        # O_NONBLOCK: should the path turn into a FIFO after the check, opening it
        # returns at once instead of waiting for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputFileRefused(path, f"无法读取{what} {shown}：{exc.strerror or exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        kind = non_regular_kind(os.fstat(fd).st_mode)
        if kind is not None:
            raise InputFileRefused(path, f"{shown} 是{kind}，不是普通文件，未读取")
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise InputFileRefused(path, f"无法读取{what} {shown}：{exc.strerror or exc}") \
                from exc
    if len(data) > max_bytes:  # it grew after the check
        raise InputFileRefused(path, f"{what} {shown} 过大，上限 {max_bytes / MB:.0f} MB，未读取")
    return data
