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


def submit_pdf(pdf: bytes, queue: str, copies: int = 1, title: str = "OneWindow") -> str:
    """Queue ``pdf`` on ``queue``; returns the CUPS job id (``queue-123``)."""
    if not lp_available():
        raise PrintFailed("本机没有安装 CUPS 打印系统（lp），无法打印 / CUPS is not installed")
    with tempfile.NamedTemporaryFile(suffix=".pdf", prefix="onewindow-", delete=False) as fh:
        fh.write(pdf)
        path = Path(fh.name)
    try:
        result = subprocess.run(
            ["lp", "-d", queue, "-n", str(max(1, copies)), "-t", title, "-o", "fit-to-page",
             str(path)],
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
