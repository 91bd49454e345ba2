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

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    QRectF,
    QSizeF,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app import documents, print_jobs
from app.print_jobs import PrintFailed, is_cups_queue, job_title, warm_up
from ui.background import run_in_background
from ui.print_preview import PRINT

# 600 dpi A4 is 35 Mpixel a page; 300 dpi keeps bars sharp at a quarter of that.
MAX_RASTER_DPI = 300
# The preview shows a whole A4 sheet on a 1366×768 screen at this resolution.
PREVIEW_DPI = 72
RASTER_STRIP_ROWS = 96

# Messages for the clerk (English source, zh_CN in ui/i18n via Qt Linguist).
_CONTEXT = "PrintDispatcher"
_NO_SUCH_PRINTER = QT_TRANSLATE_NOOP(
    "PrintDispatcher", "This printer does not exist on this computer; check the print settings")
_CANCELLED = QT_TRANSLATE_NOOP(
    "PrintDispatcher",
    "Printing cancelled; the document is archived and can be reprinted from the case view.")
_CANNOT_PRODUCE = QT_TRANSLATE_NOOP("PrintDispatcher", "Cannot produce the document: %1")
_DIALOG_TITLE = QT_TRANSLATE_NOOP("PrintDispatcher", "Print %1")
_SENT_JOB = QT_TRANSLATE_NOOP("PrintDispatcher", "Sent to printer %1 (job %2)")
_SENT = QT_TRANSLATE_NOOP("PrintDispatcher", "Sent to printer %1")
_FAILED = QT_TRANSLATE_NOOP(
    "PrintDispatcher",
    "Printing failed (%1): %2. The PDF is archived and can be reprinted from the case view.")
_A_PRINTER = QT_TRANSLATE_NOOP("PrintDispatcher", "printer")
_NO_PDFTOPPM = QT_TRANSLATE_NOOP(
    "PrintDispatcher", "pdftoppm (poppler-utils) is missing; cannot print to this printer")
_NO_PAGES_MADE = QT_TRANSLATE_NOOP("PrintDispatcher", "Could not turn the document into pages: %1")
_EMPTY = QT_TRANSLATE_NOOP("PrintDispatcher", "The document has no pages")
_CANNOT_START = QT_TRANSLATE_NOOP(
    "PrintDispatcher",
    "The printer cannot start the job (offline, out of paper or a driver error)")


def _tr(source: str, *args: str) -> str:
    """Translated message with %1, %2… filled in (safe on worker threads)."""
    text = QCoreApplication.translate(_CONTEXT, source)
    for number, value in enumerate(args, 1):
        text = text.replace(f"%{number}", value)
    return text



@dataclass
class PrintRequest:
    case_number: str  # for kind "form": the task code, or the 办理项 code of a 办理项
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
        # The clerk sees the document before choosing a printer (not when printing
        # silently to the counter's printer, nor to a printer the caller set up).
        preview = not silent and printer is None
        if not request.layout:
            request.layout = self.settings.receipt_layout if request.kind == "receipt" else "a4"

        def prepare():
            # The use case's first half (render → archive) is app's; the preview is ours.
            document = print_jobs.prepare(self.store, self.settings, request.kind,
                                          request.case_number, request.layout,
                                          reprint=request.reprint, copies=request.copies)
            pages = rasterise(document.pdf, PREVIEW_DPI) if preview else []
            return document, pages

        def prepared(result) -> None:
            document, pages = result
            configured = self.settings.printer_name
            choice = ""
            if preview:
                choice = self._preview(request, pages, configured, parent_widget)
                if not choice:
                    self._cancelled(request, document.archived)
                    return
            if printer is not None:
                chosen = printer
            elif choice == PRINT and configured:
                chosen = self._new_printer(request)
                chosen.setPrinterName(configured)
                if chosen.printerName() != configured:
                    self._finish(request, document, False,
                                 _failure(configured, PrintFailed(_tr(_NO_SUCH_PRINTER))),
                                 configured)
                    return
            elif silent and configured:
                chosen = self._new_printer(request)
                chosen.setPrinterName(configured)
                if chosen.printerName() != configured:
                    # Qt falls back to another printer for an unknown name; a receipt
                    # must not come out of some other counter's printer.
                    self._finish(
                        request,
                        document,
                        False,
                        _failure(configured, PrintFailed(_tr(_NO_SUCH_PRINTER))),
                        configured,
                    )
                    return
            else:
                chosen = self._ask_for_printer(request, parent_widget)
                if chosen is None:
                    self._cancelled(request, document.archived)
                    return
            self._send(request, document, chosen)

        def failed(exc: BaseException) -> None:
            self.finished.emit(PrintOutcome(request, False, _tr(_CANNOT_PRODUCE, str(exc))))

        run_in_background(prepare, prepared, failed)

    def _preview(self, request: PrintRequest, pages: list, configured: str,
                 parent_widget) -> str:
        """The print preview; returns PRINT, CHOOSE_PRINTER or "" (cancelled)."""
        from ui.print_preview import PrintPreviewDialog

        dialog = PrintPreviewDialog(documents.document_title(request.kind), pages, configured,
                                    parent_widget)
        return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else ""

    def _cancelled(self, request: PrintRequest, archived) -> None:
        self.finished.emit(PrintOutcome(request, False, _tr(_CANCELLED), log_id=archived.log_id,
                                        blob_digest=archived.blob_digest))

    def _new_printer(self, request: PrintRequest) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setCopyCount(request.copies)
        printer.setDocName(job_title(request.case_number, request.kind))
        if request.layout == "a4":
            printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        return printer

    def _ask_for_printer(self, request: PrintRequest, parent_widget) -> QPrinter | None:
        """The print dialog; None when the clerk cancelled."""
        printer = self._new_printer(request)
        if self.settings.printer_name:
            printer.setPrinterName(self.settings.printer_name)  # the counter's own printer
        dialog = QPrintDialog(printer, parent_widget)
        dialog.setWindowTitle(_tr(_DIALOG_TITLE, documents.document_title(request.kind)))
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _send(self, request: PrintRequest, document: print_jobs.PreparedDocument,
              printer: QPrinter) -> None:
        name = printer.printerName() or printer.outputFileName()
        to_file = printer.outputFileName() != ""
        copies = printer.copyCount()
        # The job title names the spool job (and a PDF printer's output file).
        title = print_jobs.queue_job_title(document, request.case_number)
        printer.setDocName(title)
        dpi = min(printer.resolution(), MAX_RASTER_DPI)

        def deliver() -> str:
            # All of it off the GUI thread: the queue check (lpstat), the hand-over
            # to CUPS, or rasterising and painting (Qt allows QPainter on a QPrinter
            # in a worker thread; the GUI does not touch this printer meanwhile).
            if not to_file and is_cups_queue(name):
                job = print_jobs.submit_to_queue(document, name, copies, title)
                return _tr(_SENT_JOB, name, job)
            paint_pages(printer, rasterise(document.pdf, dpi))
            return _tr(_SENT, name)

        run_in_background(
            deliver,
            lambda message: self._finish(request, document, True, message, name, copies),
            lambda exc: self._finish(request, document, False, _failure(name, exc), name,
                                     copies),
        )

    def _finish(self, request, document: print_jobs.PreparedDocument, ok: bool, message: str,
                printer: str = "", copies: int | None = None) -> None:
        archived = document.archived

        def record():
            print_jobs.record_outcome(self.store, document, ok, printer, message, copies)

        def done(_=None):
            self.finished.emit(
                PrintOutcome(request, ok, message, printer, archived.log_id, archived.blob_digest)
            )

        run_in_background(record, done, lambda exc: done())


def _failure(printer: str, exc: BaseException) -> str:
    reason = str(exc) or type(exc).__name__
    return _tr(_FAILED, printer or _tr(_A_PRINTER), reason)


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
            raise PrintFailed(_tr(_NO_PDFTOPPM)) from exc
        except subprocess.CalledProcessError as exc:
            raise PrintFailed(_tr(_NO_PAGES_MADE, exc.stderr.decode(errors="replace"))) from exc
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
        raise PrintFailed(_tr(_EMPTY))
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
        raise PrintFailed(_tr(_CANNOT_START))
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
