"""Print buttons for a committed case — the notices its state allows
(``app.printable_documents``) — and the dispatch through ``PrintDispatcher``."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.printable_documents import DOCUMENTS_BY_STATE, documents_for
from ui.workstation import Workstation

__all__ = ["DOCUMENTS_BY_STATE", "CaseDocumentButtons", "documents_for"]

_DOCUMENT_NAMES = {
    "receipt": QT_TRANSLATE_NOOP("CaseDocuments", "Print receipt"),
    "acceptance": QT_TRANSLATE_NOOP("CaseDocuments", "Print acceptance notice"),
    "completion": QT_TRANSLATE_NOOP("CaseDocuments", "Print completion notice"),
    "rejection": QT_TRANSLATE_NOOP("CaseDocuments", "Print rejection notice"),
    "deficiency": QT_TRANSLATE_NOOP("CaseDocuments", "Print deficiency undertaking"),
}


# Keys print the offered documents in order: Ctrl+P is always the main notice.
# Not F9: F9 scans a page in the material checklist, and a clerk pressing it out
# of habit on the result page must not print.
PRINT_KEYS = ("Ctrl+P", "Ctrl+Shift+P", "Ctrl+Alt+P")


class CaseDocumentButtons(QWidget):
    """One button per printable notice; the outcome is shown next to them."""

    printed = Signal(object)  # ui.print_dispatch.PrintOutcome

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.case_number = ""
        self._dispatcher = None
        self.buttons: dict[str, QPushButton] = {}
        self.outcome = QLabel()
        self.outcome.setObjectName("printOutcome")
        self.outcome.setWordWrap(True)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def show_case(self, case_number: str, state: str, has_deficiencies: bool = False) -> None:
        self.case_number = case_number
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons.clear()
        self._layout.removeWidget(self.outcome)
        kinds = documents_for(state, has_deficiencies)
        for kind, key in zip(kinds, PRINT_KEYS, strict=False):
            label = QCoreApplication.translate("CaseDocuments", _DOCUMENT_NAMES[kind])
            button = QPushButton(f"{label} ({key})")
            button.setShortcut(key)
            button.setObjectName(f"print_{kind}")
            button.clicked.connect(lambda _checked=False, k=kind: self.print_document(k))
            self._layout.addWidget(button)
            self.buttons[kind] = button
        self._layout.addWidget(self.outcome, 1)
        self.outcome.clear()

    def print_document(self, kind: str) -> None:
        from ui.print_dispatch import PrintDispatcher, PrintRequest

        if self._dispatcher is None:
            self._dispatcher = PrintDispatcher(
                self.workstation.store, self.workstation.settings, self
            )
            self._dispatcher.finished.connect(self._finished)
        self.outcome.setText(self.tr("Preparing the document…"))
        self._dispatcher.print_case_document(PrintRequest(self.case_number, kind), self)

    def _finished(self, outcome) -> None:
        colour = "#1a7f37" if outcome.ok else "#b00020"
        self.outcome.setStyleSheet(f"color: {colour}")
        self.outcome.setText(outcome.message)
        self.printed.emit(outcome)
