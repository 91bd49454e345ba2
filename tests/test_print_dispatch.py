"""Printing through real print systems: CUPS with cups-pdf, and a QPrinter."""

from __future__ import annotations

import re
import subprocess

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from app.settings import Settings
from local_store.models import PrintLog
from tests.support.printing import decoded_symbols, make_case, wait_for_printed_file
from ui.print_dispatch import PrintDispatcher, PrintRequest

# The clerk reads these messages in Chinese: the product's translation is installed.
pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("chinese_ui")]


def dispatch(qtbot, store, settings, request, **kwargs):
    dispatcher = PrintDispatcher(store, settings)
    with qtbot.waitSignal(dispatcher.finished, timeout=60_000) as blocker:
        dispatcher.print_case_document(request, **kwargs)
    return blocker.args[0]


def test_silent_receipt_reaches_the_cups_pdf_printer(qtbot, store, tmp_path, cups_pdf_printer):
    case = make_case(store)
    settings = Settings(printer_name=cups_pdf_printer.queue, silent_receipt_printing=True)
    before = cups_pdf_printer.printed_files()
    outcome = dispatch(qtbot, store, settings, PrintRequest(case.number, "receipt"))
    assert outcome.ok, outcome.message
    assert cups_pdf_printer.queue in outcome.message
    printed = wait_for_printed_file(cups_pdf_printer, before)
    assert printed.name.startswith(case.number)  # not a month's shared file name
    # What came out of the print system still scans to the case number.
    assert f"CODE-128:{case.number}" in decoded_symbols(printed, tmp_path)
    log = PrintLog.get_by_id(outcome.log_id)
    assert (log.outcome, log.printer, log.document) == ("printed", "OneWindowPDF", "receipt")
    assert store.blobs.has(log.blob_digest)


def test_printer_failure_is_told_plainly_and_the_pdf_stays(qtbot, store):
    case = make_case(store)
    settings = Settings(printer_name="不存在的打印机", silent_receipt_printing=True)
    outcome = dispatch(qtbot, store, settings, PrintRequest(case.number, "receipt"))
    assert not outcome.ok
    assert "打印失败" in outcome.message and "已存档" in outcome.message
    log = PrintLog.get_by_id(outcome.log_id)
    assert log.outcome == "failed" and "打印失败" in log.error
    assert store.blobs.read(log.blob_digest).startswith(b"%PDF")


def test_raster_path_prints_pages_a_scanner_can_read(qtbot, store, tmp_path):
    """The non-CUPS path (Windows spooler): pdftoppm pages painted on a QPrinter."""
    case = make_case(store)
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setCopyCount(2)  # as if chosen in the print dialog
    outcome = dispatch(qtbot, store, Settings(), PrintRequest(case.number, "receipt", "roll"),
                       printer=printer)
    assert outcome.ok, outcome.message
    symbols = decoded_symbols(out, tmp_path)
    assert f"CODE-128:{case.number}" in symbols
    log = PrintLog.get_by_id(outcome.log_id)
    assert (log.outcome, log.copies, log.layout) == ("printed", 2, "roll")


def test_document_that_cannot_be_made_is_reported(qtbot, store):
    outcome = dispatch(qtbot, store, Settings(), PrintRequest("3502050012026112799999Z",
                                                              "receipt"), silent=True)
    assert not outcome.ok and "校验位不符" in outcome.message


def test_cancelled_print_dialog_keeps_the_archived_pdf(qtbot, store):
    from PySide6.QtCore import QTimer
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QApplication

    from ui.print_preview import PrintPreviewDialog

    case = make_case(store)
    closer = QTimer()
    closer.setInterval(20)

    def reject_dialog():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PrintPreviewDialog):
            dialog.choose_button.click()  # on to the print dialog, which is cancelled
        elif isinstance(dialog, QPrintDialog):
            dialog.reject()

    closer.timeout.connect(reject_dialog)
    closer.start()
    try:
        outcome = dispatch(qtbot, store, Settings(), PrintRequest(case.number, "acceptance"))
    finally:
        closer.stop()
    assert not outcome.ok and "已取消打印" in outcome.message
    assert PrintLog.get_by_id(outcome.log_id).outcome == "archived"


def test_roll_receipt_station_prints_80mm_wide(qtbot, store, tmp_path, cups_pdf_printer):
    case = make_case(store)
    settings = Settings(printer_name=cups_pdf_printer.queue, silent_receipt_printing=True,
                        receipt_layout="roll")
    before = cups_pdf_printer.printed_files()
    outcome = dispatch(qtbot, store, settings, PrintRequest(case.number, "receipt"))
    assert outcome.ok, outcome.message
    assert PrintLog.get_by_id(outcome.log_id).layout == "roll"
    printed = wait_for_printed_file(cups_pdf_printer, before)
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True,
                          check=True).stdout
    width_pt = float(re.search(r"Page size:\s+([\d.]+) x", info)[1])
    assert abs(width_pt / 72 * 25.4 - 80) < 1.5, info  # unscaled: still an 80 mm roll
    assert f"CODE-128:{case.number}" in decoded_symbols(printed, tmp_path)


def test_blank_form_prints_through_the_same_path(qtbot, store, tmp_path):
    case = make_case(store)
    out = tmp_path / "form.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    outcome = dispatch(qtbot, store, Settings(), PrintRequest(case.task_code, "form"),
                       printer=printer)
    assert outcome.ok, outcome.message
    log = PrintLog.get_by_id(outcome.log_id)
    assert (log.document, log.case) == ("form", None)
    # An A4 page at the raster resolution (300 dpi) reached the printer, in strips.
    images = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    sizes = [(int(row.split()[3]), int(row.split()[4])) for row in images]
    width, height = max(w for w, _ in sizes), sum(h for _, h in sizes)
    assert abs(width - 2480) <= 2 and abs(height - 3508) <= 2, sizes


def test_preview_first_then_enter_prints_on_the_counters_printer(qtbot, store, tmp_path,
                                                                 cups_pdf_printer, artifacts):
    """Every print shows the document first (issue 17); with the counter's printer
    configured, Enter in the preview prints there without the printer dialog."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.print_preview import PrintPreviewDialog

    case = make_case(store)
    seen = []

    def press_enter_in_preview():
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PrintPreviewDialog) and not seen:
            seen.append(dialog.pages_label.text())
            dialog.grab().save(str(artifacts / "print_preview_acceptance.png"))
            qtbot.keyClick(dialog, Qt.Key.Key_Return)

    closer = QTimer(interval=20)
    closer.timeout.connect(press_enter_in_preview)
    closer.start()
    before = cups_pdf_printer.printed_files()
    try:
        outcome = dispatch(qtbot, store, Settings(printer_name=cups_pdf_printer.queue),
                           PrintRequest(case.number, "acceptance"))
    finally:
        closer.stop()
    assert seen == ["1 页"]
    assert outcome.ok, outcome.message
    assert wait_for_printed_file(cups_pdf_printer, before).name.startswith(case.number)
