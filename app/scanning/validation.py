"""Decide what a file is from its bytes, never from its name.

Checks run cheapest first: existence and size from ``stat`` (a 300 MB file
is refused before a byte of it is read), then the first few kilobytes for
magic numbers.  Every refusal is a :class:`FileRefused` with a Chinese
message naming the file.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from app.input_files import non_regular_kind
from app.plain_text import visible
from app.scanning.interface import ScannerError

DEFAULT_MAX_FILE_MB = 50.0
SNIFF_BYTES = 4096
MB = 1024 * 1024


class FileKind(StrEnum):
    JPEG = "jpeg"
    PNG = "png"
    TIFF = "tiff"
    PDF = "pdf"


class FileRefused(ScannerError):
    def __init__(self, path: Path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"无法导入“{visible(self.path.name)}”：{reason}")


_ACCEPTED = "请使用 JPEG、PNG、TIFF 或 PDF 文件"

# Formats people drop on the window that we recognise but do not take.
_KNOWN_UNSUPPORTED = [
    (b"PK\x03\x04", "Word/Excel 文档或压缩包"),
    (b"\xd0\xcf\x11\xe0", "旧版 Word/Excel 文档"),
    (b"GIF8", "GIF 动图"),
    (b"BM", "BMP 位图"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"{\\rtf", "RTF 文档"),
]


def sniff(head: bytes) -> FileKind | None:
    if head.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return FileKind.TIFF
    # The PDF header may follow some junk, but must sit in the first 1024 bytes.
    if b"%PDF-" in head[:1024]:
        return FileKind.PDF
    return None


def _describe_unknown(head: bytes) -> str | None:
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "HEIC 照片 (请在手机上改存为 JPEG)"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP 图片"
    for magic, label in _KNOWN_UNSUPPORTED:
        if head.startswith(magic):
            return label
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<?xml")) or b"<html" in text:
        return "网页 (HTML)"
    return None


def check_file(path: Path, max_bytes: int = int(DEFAULT_MAX_FILE_MB * MB)) -> FileKind:
    """What ``path`` holds, or :class:`FileRefused` saying why it cannot be imported."""
    path = Path(path)
    try:
        info = path.stat()
    except ValueError as exc:  # an embedded NUL: no file can have such a path
        raise FileRefused(path, "路径含有空字符（NUL），不是有效的文件路径") from exc
    except FileNotFoundError as exc:
        raise FileRefused(path, "文件不存在或已被移走") from exc
    except OSError as exc:
        raise FileRefused(path, f"无法读取文件 ({exc.strerror})") from exc
    kind = non_regular_kind(info.st_mode)
    if kind == "文件夹":
        raise FileRefused(path, "这是文件夹，不是文件")
    if kind is not None:
        # A FIFO would block the reader, a device such as /dev/zero never ends.
        raise FileRefused(path, f"这是{kind}，不是普通文件，未读取")
    if info.st_size == 0:
        raise FileRefused(path, "文件是空的 (0 字节)，可能复制或下载未完成")
    if info.st_size > max_bytes:
        raise FileRefused(
            path,
            f"文件过大 ({info.st_size / MB:.1f} MB)，单个文件上限 {max_bytes / MB:.0f} MB；"
            "请降低扫描分辨率或拆分后导入",
        )
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise FileRefused(path, f"无法读取文件 ({exc.strerror})") from exc
    kind = sniff(head)
    if kind is not None:
        return kind
    suffix = path.suffix.lower()
    actual = _describe_unknown(head)
    if actual and suffix in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"):
        raise FileRefused(
            path, f"扩展名是 {suffix}，但内容是{actual}，不是真正的{suffix[1:].upper()}文件；"
            "可能是下载失败时保存的错误页面，请重新获取原件",
        )
    if actual:
        raise FileRefused(path, f"不支持的文件类型：{actual}。{_ACCEPTED}")
    if suffix in (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"):
        raise FileRefused(path, f"文件已损坏：内容不是有效的 {suffix[1:].upper()} 格式")
    label = f" ({suffix})" if suffix else ""
    raise FileRefused(path, f"不支持的文件类型{label}。{_ACCEPTED}")
