"""Hand a PDF to a CUPS queue with ``lp``.

CUPS (and its Windows-less peers on Linux) accepts PDF directly and runs the
queue's own filters at the printer's resolution; this is the path for silent
printing to a configured queue, and it needs no GUI.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

LP_TIMEOUT_S = 30


class PrintFailed(RuntimeError):
    """The print system refused the job; the message is for the clerk (Chinese)."""


def lp_available() -> bool:
    return shutil.which("lp") is not None and shutil.which("lpstat") is not None


def cups_queues() -> list[str]:
    """Queue names CUPS knows (empty when CUPS is absent or not running)."""
    if not lp_available():
        return []
    result = subprocess.run(["lpstat", "-e"], capture_output=True, text=True,
                            timeout=LP_TIMEOUT_S, check=False)
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def is_cups_queue(name: str) -> bool:
    return bool(name) and name in cups_queues()


def first_page_size_mm(pdf: bytes) -> tuple[float, float]:
    """Width and height of the first page (our own reportlab output)."""
    match = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]",
                      pdf)
    if match is None:
        raise PrintFailed("文书 PDF 没有页面尺寸，无法打印")
    x0, y0, x1, y1 = (float(v) for v in match.groups())
    return (x1 - x0) / 72 * 25.4, (y1 - y0) / 72 * 25.4


def job_title(target: str, kind: str, print_id: int | None = None) -> str:
    """The print-system job title: unique per printed document, ASCII, key first.

    PDF printers such as cups-pdf name their output files from the job title,
    escaping every non-ASCII byte as ``_ooo`` and cutting the result at 64
    characters: "受理回执 3502050012026112700001X" became
    ``346_224_266…_3502050012026112.pdf`` — one file name for every case of a
    month, each receipt overwriting the last.  So the title leads with the case
    number, names the document by its ASCII kind and ends with the print-log id,
    which makes a reprint a file of its own too.
    """
    parts = [target, kind] + ([str(print_id)] if print_id is not None else [])
    return "-".join(re.sub(r"[^0-9A-Za-z_.]+", "_", part) for part in parts if part)


def submit_pdf(pdf: bytes, queue: str, copies: int = 1, title: str = "OneWindow",
               roll: bool = False) -> str:
    """Queue ``pdf`` on ``queue``; returns the CUPS job id (``queue-123``).

    A4 notices are fitted to the queue's paper (whole on Letter, too).  A roll
    receipt asks for custom media of its own length: a thermal printer cuts
    it there, instead of feeding a page of the queue's default size.
    """
    if not lp_available():
        raise PrintFailed("本机没有安装 CUPS 打印系统（lp），无法打印 / CUPS is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf", prefix="onewindow-", delete=False) as fh:
        fh.write(pdf)
        path = Path(fh.name)
    try:
        if roll:
            width, height = first_page_size_mm(pdf)
            options = ["-o", f"media=Custom.{width:.0f}x{height:.0f}mm"]
        else:
            options = ["-o", "fit-to-page"]
        result = subprocess.run(
            ["lp", "-d", queue, "-n", str(max(1, copies)), "-t", title, *options, str(path)],
            capture_output=True, text=True, timeout=LP_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise PrintFailed(f"打印机 {queue} 无响应 / print system did not answer") from exc
    finally:
        path.unlink(missing_ok=True)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip() or f"lp exit {result.returncode}"
        raise PrintFailed(f"打印机 {queue} 拒绝打印：{reason}")
    match = re.search(r"request id is (\S+)", result.stdout)
    return match[1] if match else ""
