"""F1: every key of the workstation on one page (``ui.actions.shortcut_rows``)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.text = QTextBrowser()
        self.text.setObjectName("shortcutList")
        header = (self.tr("Keys"), self.tr("What it does"), self.tr("Where"))
        cells = "".join(
            f"<tr><td><b>{escape(keys)}</b></td><td>{escape(what)}</td>"
            f"<td style='color:#666'>{escape(where)}</td></tr>"
            for keys, what, where in rows
        )
        head = "".join(f"<th align='left'>{escape(h)}</th>" for h in header)
        self.text.setHtml(
            f"<table cellspacing='0' cellpadding='4'><tr>{head}</tr>{cells}</table>"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 560)
