"""Machine-readable marks: the case number as Code 128 and as a QR code.

The Code 128 symbol is encoded by python-barcode and drawn as vector bars, so
it stays sharp at any printer resolution; the QR code is reportlab's own
encoder, drawn as vector too.
"""

from __future__ import annotations

import itertools

from barcode.codex import Code128
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

QUIET_ZONE_MODULES = 10  # ISO/IEC 15417 asks for at least 10 modules each side
PREFERRED_MODULE = 0.33 * mm
# Below this a 200-dpi rendering (and cheap thermal heads) lose the bars.
MINIMUM_MODULE = 0.25 * mm


def code128_modules(text: str) -> str:
    """'1'/'0' per module, start to stop symbol, as python-barcode encodes it."""
    return Code128(text).build()[0]


class Code128Bars(Flowable):
    """Code 128 bars with the human-readable number underneath."""

    def __init__(self, text: str, max_width: float, bar_height: float = 11 * mm,
                 font_name: str = "Helvetica", font_size: float = 9):
        super().__init__()
        self.text = text
        self.modules = code128_modules(text)
        count = len(self.modules) + 2 * QUIET_ZONE_MODULES
        self.module = max(MINIMUM_MODULE, min(PREFERRED_MODULE, max_width / count))
        self.width = count * self.module
        self.bar_height = bar_height
        self.font_name = font_name
        self.font_size = font_size
        self.height = bar_height + font_size + 2

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        x = QUIET_ZONE_MODULES * self.module
        base = self.font_size + 2
        # Runs of dark modules become one rectangle: fewer PDF operators, no seams.
        run_start = None
        for i, bit in enumerate(self.modules + "0"):
            if bit == "1" and run_start is None:
                run_start = i
            elif bit != "1" and run_start is not None:
                canvas.rect(x + run_start * self.module, base,
                            (i - run_start) * self.module, self.bar_height,
                            stroke=0, fill=1)
                run_start = None
        canvas.setFont(self.font_name, self.font_size)
        canvas.drawCentredString(self.width / 2, 0, self.text)
        canvas.restoreState()


class QrCode(Flowable):
    """A square QR code (error correction M) of ``size`` points, quiet zone included.

    Encoded once with reportlab's QR encoder and drawn as one path of module
    runs: the QrCodeWidget encodes twice and builds a shape object per run,
    which alone cost more than the rest of a receipt.
    """

    QUIET_MODULES = 2

    def __init__(self, value: str, size: float = 24 * mm):
        super().__init__()
        self.value = value
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(self.value)
        code.make()
        count = code.getModuleCount()
        box = self.width / (count + 2 * self.QUIET_MODULES)
        path = self.canv.beginPath()
        for row_index, row in enumerate(code.modules):
            column = 0
            for dark, run in itertools.groupby(bool(cell) for cell in row):
                length = len(list(run))
                if dark:
                    x = (column + self.QUIET_MODULES) * box
                    y = self.height - (row_index + self.QUIET_MODULES + 1) * box
                    path.rect(x, y, length * box, box)
                column += length
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()
