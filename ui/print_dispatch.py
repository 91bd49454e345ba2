"""Qt print adapter: print dialog or silent printing of a case document.

Every document is rendered and archived (blob store + PrintLog) before any
printer is touched, so a jammed or missing printer never loses the PDF; the
clerk is then told in plain Chinese, and can reprint from the case view.

How the PDF reaches the paper — why two paths:
- A CUPS queue (every printer Qt lists on Linux/macOS) gets the PDF itself via
  ``lp``: CUPS's own filters rasterise it at the device's native resolution,
  the Code 128 bars stay exact, and nothing is drawn on the GUI thread.
- Any other printer (Windows spooler): PySide6-Essentials has no QtPdf, so the
  pages are rasterised with ``pdftoppm`` at the printer's resolution (capped,
  to bound memory) and laid onto QPrinter pages, all in a worker thread.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app import documents
from printing.cups import PrintFailed, is_cups_queue, submit_pdf
from printing.fonts import warm_up
from printing.model import BLANK_FORM
from ui.background import run_in_background

# 600 dpi A4 is 35 Mpixel a page; 300 dpi keeps bars sharp at a quarter of that.
MAX_RASTER_DPI = 300
RASTER_STRIP_ROWS = 96


@dataclass
class PrintRequest:
    case_number: str  # for kind "form": the item's task_code
    kind: str  # a case document (printing.model.CASE_DOCUMENTS) or "form"
    layout: str = ""  # "" = A4, or the station's receipt_layout for a receipt
    copies: int = 1
    # 补打 from the case view: the archived original, not a fresh rendering.
    reprint: bool = False


@dataclass
class PrintOutcome:
    request: PrintRequest
    ok: bool
    message: str  # for the clerk, Chinese
    printer: str = ""
    log_id: int | None = None
    blob_digest: str = ""


class PrintDispatcher(QObject):
    """``print_case_document`` → ``finished(PrintOutcome)``, never blocking the GUI."""

    finished = Signal(object)

    def __init__(self, store, settings, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        run_in_background(warm_up)  # the first print should not parse fonts

    def print_case_document(
        self,
        request: PrintRequest,
        parent_widget: QWidget | None = None,
        silent: bool | None = None,
        printer: QPrinter | None = None,
    ) -> None:
        """Render + archive in the background, then print silently or via the dialog.

        ``printer``: an already set-up QPrinter (print to file, a chosen device);
        otherwise the configured printer (silent) or the print dialog decides.
        """
        if silent is None:
            silent = self.settings.silent_receipt_printing and request.kind == "receipt"
        if not request.layout:
            request.layout = self.settings.receipt_layout if request.kind == "receipt" else "a4"

        def prepare():
            if request.kind == BLANK_FORM:
                pdf = documents.render_blank_form(request.case_number, settings=self.settings)
                case_number = None
            else:
                pdf, _original = documents.issue(
                    self.store,
                    request.case_number,
                    request.kind,
                    request.layout,
                    reprint=request.reprint,
                    settings=self.settings,
                )
                case_number = request.case_number
            archived = documents.archive_and_log(
                self.store,
                case_number,
                request.kind,
                pdf,
                clerk=self.settings.clerk_name,
                layout=request.layout,
                copies=request.copies,
            )
            return pdf, archived

        def prepared(result) -> None:
            pdf, archived = result
            configured = self.settings.printer_name
            if printer is not None:
                chosen = printer
            elif silent and configured:
                chosen = self._new_printer(request)
                chosen.setPrinterName(configured)
                if chosen.printerName() != configured:
                    # Qt falls back to another printer for an unknown name; a receipt
                    # must not come out of some other counter's printer.
                    self._finish(
                        request,
                        archived,
                        False,
                        _failure(configured, PrintFailed("系统中没有这台打印机，请检查打印设置")),
                        configured,
                    )
                    return
            else:
                chosen = self._ask_for_printer(request, parent_widget)
                if chosen is None:
                    self.finished.emit(
                        PrintOutcome(
                            request,
                            False,
                            "已取消打印；文书已存档，可在办件详情中补打。",
                            log_id=archived.log_id,
                            blob_digest=archived.blob_digest,
                        )
                    )
                    return
            self._send(request, pdf, archived, chosen)

        def failed(exc: BaseException) -> None:
            self.finished.emit(PrintOutcome(request, False, f"无法生成文书：{exc}"))

        run_in_background(prepare, prepared, failed)

    def _new_printer(self, request: PrintRequest) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setCopyCount(request.copies)
        printer.setDocName(f"{documents.document_title(request.kind)} {request.case_number}")
        if request.layout == "a4":
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return printer

    def _ask_for_printer(self, request: PrintRequest, parent_widget) -> QPrinter | None:
        """The print dialog; None when the clerk cancelled."""
        printer = self._new_printer(request)
        if self.settings.printer_name:
            printer.setPrinterName(self.settings.printer_name)  # the counter's own printer
        dialog = QPrintDialog(printer, parent_widget)
        dialog.setWindowTitle(f"打印{documents.document_title(request.kind)}")
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _send(self, request: PrintRequest, pdf: bytes, archived, printer: QPrinter) -> None:
        name = printer.printerName() or printer.outputFileName()
        to_file = printer.outputFileName() != ""
        copies, title = printer.copyCount(), printer.docName()
        dpi = min(printer.resolution(), MAX_RASTER_DPI)

        def deliver() -> str:
            # All of it off the GUI thread: the queue check (lpstat), the hand-over
            # to CUPS, or rasterising and painting (Qt allows QPainter on a QPrinter
            # in a worker thread; the GUI does not touch this printer meanwhile).
            if not to_file and is_cups_queue(name):
                job = submit_pdf(pdf, name, copies, title, roll=request.layout == "roll")
                return f"已发送到打印机 {name}（作业 {job}）"
            paint_pages(printer, rasterise(pdf, dpi))
            return f"已发送到打印机 {name}"

        run_in_background(
            deliver,
            lambda message: self._finish(request, archived, True, message, name, copies),
            lambda exc: self._finish(request, archived, False, _failure(name, exc), name,
                                     copies),
        )

    def _finish(self, request, archived, ok: bool, message: str, printer: str = "",
                copies: int | None = None) -> None:
        outcome = "printed" if ok else "failed"
        error = "" if ok else message

        def record():
            documents.record_print_outcome(self.store, archived.log_id, outcome, printer, error,
                                           copies)

        def done(_=None):
            self.finished.emit(
                PrintOutcome(request, ok, message, printer, archived.log_id, archived.blob_digest)
            )

        run_in_background(record, done, lambda exc: done())


def _failure(printer: str, exc: BaseException) -> str:
    reason = str(exc) or type(exc).__name__
    return f"打印失败（{printer or '打印机'}）：{reason}。文书 PDF 已存档，可在办件详情中补打。"


def rasterise(pdf: bytes, dpi: int) -> list[QImage]:
    """PDF pages → images at ``dpi`` with poppler (worker thread)."""
    with tempfile.TemporaryDirectory(prefix="onewindow-print-") as tmp:
        source = Path(tmp) / "doc.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(
                ["pdftoppm", "-r", str(dpi), "-gray", str(source), str(Path(tmp) / "page")],
                check=True,
                capture_output=True,
                timeout=60,
            )
        except FileNotFoundError as exc:
            raise PrintFailed("缺少 pdftoppm（poppler-utils），无法打印到此打印机") from exc
        except subprocess.CalledProcessError as exc:
            raise PrintFailed(
                f"文书转换为打印图像失败：{exc.stderr.decode(errors='replace')}"
            ) from exc
        pages = []
        for path in sorted(Path(tmp).glob("page-*.pgm")):
            image = QImage(str(path))
            image.setDotsPerMeterX(round(dpi / 0.0254))
            image.setDotsPerMeterY(round(dpi / 0.0254))
            pages.append(image)
        return pages


def paint_pages(printer: QPrinter, pages: list[QImage]) -> None:
    """Lay page images onto the printer, full page, aspect kept (worker thread)."""
    if not pages:
        raise PrintFailed("文书没有页面")
    first = pages[0]
    size_mm = QSizeF(
        first.width() / first.dotsPerMeterX() * 1000, first.height() / first.dotsPerMeterY() * 1000
    )
    # Fuzzy match: 210 × 297 becomes the printer's own A4; the roll stays custom.
    printer.setPageSize(
        QPageSize(
            size_mm, QPageSize.Unit.Millimeter, "OneWindow", QPageSize.SizeMatchPolicy.FuzzyMatch
        )
    )
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed("打印机无法开始打印作业（脱机、缺纸或驱动错误）")
    try:
        for number, image in enumerate(pages):
            if number:
                printer.newPage()
            scaled = image.size().scaled(
                painter.viewport().size(), Qt.AspectRatioMode.KeepAspectRatio
            )
            scale = scaled.height() / image.height()
            # In strips: PySide holds the GIL inside each drawImage call, and a
            # whole 300-dpi page in one call would freeze the GUI for a second.
            for top in range(0, image.height(), RASTER_STRIP_ROWS):
                rows = min(RASTER_STRIP_ROWS, image.height() - top)
                painter.drawImage(
                    QRectF(0, top * scale, scaled.width(), rows * scale),
                    image,
                    QRectF(0, top, image.width(), rows),
                )
    finally:
        painter.end()
