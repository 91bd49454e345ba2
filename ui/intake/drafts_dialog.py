"""Unfinished drafts found at start-up: resume one, or discard it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.identity import mask_id


def describe_draft(draft) -> str:
    """'个体工商户设立登记 — 张三 350205**********1X' (ID masked)."""
    applicant = draft.applicant
    who = " ".join(p for p in (applicant.name, mask_id(applicant.id_number)) if p)
    text = draft.display_name + (f" — {who}" if who else "")
    if draft.case_number:
        text += f"（{draft.case_number}）"
    return text


class DraftsDialog(QDialog):
    """``chosen`` is the draft to resume after accept(); ``discarded`` lists dropped ones."""

    def __init__(self, drafts: list, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Unfinished intakes"))
        self.resize(640, 360)
        self.chosen = None
        self.discarded: list = []
        self.list = QListWidget()
        self.list.setObjectName("draftList")
        for draft in drafts:
            item = QListWidgetItem(describe_draft(draft))
            item.setData(Qt.ItemDataRole.UserRole, draft)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox()
        resume = buttons.addButton(
            self.tr("Resume (Enter)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        resume.setDefault(True)
        discard = QPushButton(self.tr("Discard (Del)"))
        discard.setShortcut("Del")
        buttons.addButton(discard, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.tr("Later (Esc)"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        discard.clicked.connect(self._discard_current)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("These applications were being entered when the program stopped:"))
        )
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def _discard_current(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        item = self.list.takeItem(row)
        self.discarded.append(item.data(Qt.ItemDataRole.UserRole))
        if self.list.count() == 0:
            self.reject()

    def accept(self) -> None:
        item = self.list.currentItem()
        self.chosen = item.data(Qt.ItemDataRole.UserRole) if item else None
        super().accept()
