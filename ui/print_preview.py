"""What will come out of the printer, before it does (issue 17, item 10).

The pages are rendered by poppler in a worker thread (``print_dispatch``);
this dialog only shows the images.  Enter prints — to the counter's own
printer when one is configured, else through the print dialog; "Choose
printer…" always opens the print dialog; Esc cancels (the PDF stays archived).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

PRINT = "print"
CHOOSE_PRINTER = "choose_printer"


class PrintPreviewDialog(QDialog):
    def __init__(self, title: str, pages: list[QImage], printer_name: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(title)
        self.choice = ""
        sheets = QWidget()
        column = QVBoxLayout(sheets)
        column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        for number, image in enumerate(pages, 1):
            sheet = QLabel()
            sheet.setObjectName(f"previewPage{number}")
            sheet.setPixmap(QPixmap.fromImage(image))
            sheet.setStyleSheet("border: 1px solid #999; background: white")
            column.addWidget(sheet)
        scroll = QScrollArea()
        scroll.setWidget(sheets)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_label = QLabel(self.tr("%1 page(s)").replace("%1", str(len(pages))))
        self.pages_label.setObjectName("previewPageCount")

        label = (self.tr("Print on %1 (Enter)").replace("%1", printer_name) if printer_name
                 else self.tr("Print… (Enter)"))
        self.print_button = QPushButton(label)
        self.print_button.setObjectName("previewPrint")
        self.print_button.setDefault(True)
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.choose_button = QPushButton(self.tr("Choose printer…"))
        self.choose_button.setObjectName("previewChoosePrinter")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(lambda: self._choose(PRINT))
        self.choose_button.clicked.connect(lambda: self._choose(CHOOSE_PRINTER))

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.pages_label)
        layout.addWidget(buttons)
        width = max((image.width() for image in pages), default=500)
        self.resize(width + 80, 760)
        self.print_button.setFocus()

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
