"""The GUI thread keeps answering while a receipt is rendered, archived and printed.

Run by ``make soak`` (marked slow): on a 2-core machine shared with other
builds the scheduler alone produces 40-90 ms gaps, so in the everyday suite
this would fail for reasons that are not ours.  On a quiet machine the worst
gap is ~15-35 ms; before the page images were painted in strips and decoded
from PGM instead of PNG, one print froze the window for about a second.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrinter

from app import documents
from app.settings import Settings
from tests.support.printing import make_case
from ui.print_dispatch import PrintDispatcher, PrintRequest

pytestmark = [pytest.mark.gui, pytest.mark.slow]
STALL_BUDGET_MS = 50


def test_no_gui_stall_while_printing(qtbot, store, tmp_path):
    case = make_case(store)
    # Fonts are parsed once per process (at start-up in the GUI, see the report);
    # this test is about every print after that.
    documents.render(case.number, "receipt", settings=Settings())
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    dispatcher = PrintDispatcher(store, Settings())
    ticks: list[float] = []
    probe = QTimer()
    probe.setTimerType(Qt.TimerType.PreciseTimer)
    probe.setInterval(5)
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start()
    try:
        with qtbot.waitSignal(dispatcher.finished, timeout=60_000) as blocker:
            dispatcher.print_case_document(PrintRequest(case.number, "receipt"), printer=printer)
    finally:
        probe.stop()
    assert blocker.args[0].ok, blocker.args[0].message
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
    worst = sorted(((g, round((ticks[i] - ticks[0]) * 1000)) for i, g in enumerate(gaps)),
                   reverse=True)[:4]
    print(f"event-loop ticks {len(ticks)}, worst gaps (ms, at ms) {worst}")
    assert max(gaps) <= STALL_BUDGET_MS
