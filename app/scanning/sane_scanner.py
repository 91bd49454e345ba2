"""SANE scanners through python-sane (Linux; the `test` backend in tests).

SANE is not thread-safe, so every call into it holds one process-wide lock;
a scan runs on a worker thread and holds the lock for the whole batch.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import threading
from collections.abc import Iterator

from PIL import Image

from app.scanning.interface import (
    DEFAULT_OPTIONS,
    ColourMode,
    DeviceInfo,
    ScannerError,
    ScanOptions,
    ScanSource,
)

log = logging.getLogger(__name__)

A4_MM = (210.0, 297.0)
# A feeder that never reports "empty" (a backend bug) must not scan forever.
MAX_BATCH_PAGES = 500

# A plain Lock, not an RLock: an abandoned job may be closed by the garbage
# collector on another thread.
_sane_lock = threading.Lock()
_sane_ready = False

# SANE status texts (sane_strstatus) the clerk may meet, in plain Chinese.
_STATUS_MESSAGES = {
    "Error during device I/O": "与扫描仪的连接中断 (I/O 错误)，扫描仪可能已断开或关机",
    "Document feeder jammed": "进纸器卡纸，请取出卡住的纸张",
    "Document feeder out of documents": "进纸器中没有纸张",
    "Scanner cover is open": "扫描仪盖板未合上",
    "Device busy": "扫描仪正被其他程序使用",
    "Access to resource has been denied": "没有使用该扫描仪的权限",
    "Out of memory": "内存不足，请降低分辨率后重试",
    "Invalid argument": "扫描仪不接受当前设置或已断开",
    "Operation was cancelled": "扫描已取消",
}


def _keep_sigpipe_ignored() -> None:
    """Put SIGPIPE back to "ignore" after libsane ran.

    libsane's thread helper leaves SIGPIPE at its default action after a scan
    (seen with the `test` backend), behind Python's back: Python still believes
    it is ignored, and the next write to a reset connection — the hall, a
    printer — would kill the whole workstation instead of raising
    BrokenPipeError.  Scans run on worker threads, where ``signal.signal`` is
    refused, so the process-wide disposition is restored through libc.
    """
    if not hasattr(signal, "SIGPIPE"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.signal.restype = ctypes.c_void_p
    libc.signal.argtypes = (ctypes.c_int, ctypes.c_void_p)
    libc.signal(int(signal.SIGPIPE), int(signal.SIG_IGN))


def _sane():
    """Import and initialise python-sane once; a clear error where it is missing."""
    global _sane_ready
    try:
        import sane
    except ImportError as exc:  # the optional "scanner" extra is not installed
        raise ScannerError("未安装 SANE 扫描支持 (python-sane)，可改用导入文件") from exc
    with _sane_lock:
        if not _sane_ready:
            try:
                sane.init()
            except Exception as exc:  # _sane.error
                raise ScannerError(f"无法初始化 SANE 扫描服务：{exc}") from exc
            _sane_ready = True
    return sane


def explain(exc: BaseException) -> str:
    text = str(exc)
    return _STATUS_MESSAGES.get(text, text or type(exc).__name__)


class SaneScanner:
    """``Scanner`` over SANE; devices are SANE names such as ``test:0``."""

    def list_devices(self) -> list[DeviceInfo]:
        sane = _sane()
        with _sane_lock:
            try:
                found = sane.get_devices()
            except Exception as exc:
                raise ScannerError(f"查找扫描仪失败：{explain(exc)}") from exc
        return [
            DeviceInfo(name=name, label=f"{vendor} {model} ({name})", kind="sane",
                       supports_adf=True)
            for name, vendor, model, _type in found
        ]

    def scan(self, device: str, options: ScanOptions = DEFAULT_OPTIONS) -> SaneScanJob:
        return SaneScanJob(device, options)


class SaneScanJob(Iterator[Image.Image]):
    """One batch from one device: iterate for pages, then it closes itself.

    ``device`` is the open python-sane device while the batch runs (tests use
    it to switch the `test` backend's fault options mid-batch).
    """

    def __init__(self, device_name: str, options: ScanOptions):
        self.device_name = device_name
        self.options = options
        self.device = None
        self.pages_done = 0
        self._finished = False
        self._locked = False

    def __next__(self) -> Image.Image:
        if self._finished:
            raise StopIteration
        if self.device is None:
            self._open()
        if self.pages_done >= (1 if self.options.source == ScanSource.FLATBED
                               else MAX_BATCH_PAGES):
            self.close()
            raise StopIteration
        try:
            image = self._scan_one_page()
        except StopIteration:
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise self._error(exc) from exc
        self.pages_done += 1
        return image

    def _open(self) -> None:
        sane = _sane()
        _sane_lock.acquire()
        self._locked = True
        try:
            self.device = sane.open(self.device_name)
            self._configure()
        except ScannerError:
            self.close()
            raise
        except Exception as exc:
            self.close()
            if str(exc) == "Invalid argument":  # what SANE says for an unknown device
                raise ScannerError(
                    f"找不到扫描仪 {self.device_name}，它可能已断开或关机；请检查连接后重试"
                ) from exc
            raise ScannerError(f"无法打开扫描仪 {self.device_name}：{explain(exc)}") from exc

    def _configure(self) -> None:
        dev = self.device
        opts = dev.opt
        if "source" in opts:
            dev.source = _pick_source(opts["source"].constraint, self.options.source)
        elif self.options.source == ScanSource.ADF:
            raise ScannerError("该扫描仪没有自动进纸器 (ADF)，请改用平板扫描")
        if "mode" in opts:
            dev.mode = _pick_mode(opts["mode"].constraint, self.options.colour)
        if "depth" in opts and _settable(opts["depth"]) and 8 in (opts["depth"].constraint or []):
            dev.depth = 8
        if "resolution" in opts:
            dev.resolution = _nearest_resolution(opts["resolution"].constraint, self.options.dpi)
        # Scan the whole A4 sheet, or as much of it as the glass allows.
        for name, a4 in (("br_x", A4_MM[0]), ("br_y", A4_MM[1])):
            if name in opts and _settable(opts[name]):
                low, high, _step = opts[name].constraint
                setattr(dev, name, float(min(max(a4, low), high)))

    def _scan_one_page(self) -> Image.Image:
        dev = self.device
        try:
            dev.start()
        except Exception as exc:
            if str(exc) == "Document feeder out of documents":
                if self.pages_done == 0:
                    raise ScannerError("进纸器中没有纸张，请放入材料后重试") from exc
                raise StopIteration from exc
            raise
        try:
            image = dev.snap(no_cancel=self.options.source == ScanSource.ADF)
        finally:
            _keep_sigpipe_ignored()
        dpi = int(getattr(dev, "resolution", self.options.dpi) or self.options.dpi)
        image.info["dpi"] = (dpi, dpi)
        return image

    def _error(self, exc: BaseException) -> ScannerError:
        if isinstance(exc, ScannerError):
            return exc
        kept = f"已扫描的 {self.pages_done} 页已保留。" if self.pages_done else ""
        return ScannerError(
            f"扫描第 {self.pages_done + 1} 页时出错：{explain(exc)}。{kept}"
            "请检查扫描仪后重新扫描余下页面。"
        )

    def close(self) -> None:
        self._finished = True
        if self.device is not None:
            try:
                self.device.cancel()
                self.device.close()
            except Exception:  # a vanished device cannot be closed cleanly
                log.warning("closing SANE device %s failed", self.device_name, exc_info=True)
            finally:
                _keep_sigpipe_ignored()
            self.device = None
        if self._locked:
            self._locked = False
            _sane_lock.release()

    def __del__(self):
        if not self._finished:
            self.close()


def _settable(option) -> bool:
    return option.is_active() and option.is_settable()


def _pick_source(choices, wanted: ScanSource) -> str:
    choices = list(choices or [])
    words = ("feeder", "adf") if wanted == ScanSource.ADF else ("flatbed", "glass")
    for choice in choices:
        if any(word in choice.lower() for word in words):
            return choice
    if wanted == ScanSource.ADF:
        raise ScannerError("该扫描仪没有自动进纸器 (ADF)，请改用平板扫描")
    return choices[0]


def _pick_mode(choices, wanted: ColourMode) -> str:
    words = ("color", "colour") if wanted == ColourMode.COLOUR else ("gray", "grey")
    for choice in choices or []:
        if choice.lower() in words:
            return choice
    raise ScannerError(f"扫描仪不支持{'彩色' if wanted == ColourMode.COLOUR else '灰度'}模式")


def _nearest_resolution(constraint, dpi: int) -> int:
    if isinstance(constraint, tuple):  # (min, max, step)
        low, high, _step = constraint
        return int(min(max(dpi, low), high))
    if constraint:
        return int(min(constraint, key=lambda value: abs(value - dpi)))
    return dpi
