"""Material checklist step: what came in, how, how many, and its pages.

The table is the checklist from the catalog (无差别受理); the editor under it
changes the current material.  Keys 1–8 in the table pick how the material
was received, Enter jumps into the editor, Ctrl+O imports a file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.intake.draft import CONDITIONAL, ELECTRONIC, SCANNED
from ui.background import run_in_background
from ui.intake.checklist_model import (
    COLUMN_NAME,
    COLUMN_REQUIREMENT,
    RECEIVED_FORM_CHOICES,
    ChecklistModel,
)
from ui.workstation import Workstation

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})
IMAGES_AS_PAGES = QT_TRANSLATE_NOOP(
    "MaterialsPage", "Images, taken in as scanned pages (*.jpg *.jpeg *.png *.tif *.tiff)")

# After a number key the checklist moves to the next material, except where
# the clerk has more to do on this row: scan (F9), attach a file (Ctrl+E),
# pick a certificate (F7).
_STAYS_ON_ROW = frozenset({SCANNED, ELECTRONIC, "ecert"})
_DIGIT_KEYS = {getattr(Qt.Key, f"Key_{n}"): n - 1 for n in range(1, len(RECEIVED_FORM_CHOICES) + 1)}


class MaterialsPage(QWidget):
    changed = Signal()

    def __init__(self, workstation: Workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.model = ChecklistModel(self)
        self._updating = False

        self.summary = QLabel()
        self.summary.setObjectName("checklistSummary")
        self.table = QTableView()
        self.table.setObjectName("checklist")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_REQUIREMENT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_REQUIREMENT, 220)
        self.table.installEventFilter(self)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_editor())

        self.material_title = QLabel()
        self.material_title.setObjectName("materialTitle")
        self.material_title.setWordWrap(True)
        self.form_box = QComboBox()
        self.form_box.setObjectName("receivedForm")
        for number, (form, _source) in enumerate(RECEIVED_FORM_CHOICES, 1):
            self.form_box.addItem(f"{number} · {self._form_name(form)}", form)
        self.originals = QSpinBox()
        self.originals.setObjectName("originals")
        self.originals.setRange(0, 99)
        self.copies = QSpinBox()
        self.copies.setObjectName("copies")
        self.copies.setRange(0, 99)
        self.condition_applies = QCheckBox(self.tr("The condition applies to this application"))
        self.condition_applies.setObjectName("conditionApplies")
        self.import_button = QPushButton(self.tr("Attach electronic file… (Ctrl+E)"))
        self.import_button.setObjectName("importFile")
        self.signature_label = QLabel()
        self.signature_label.setObjectName("signatureStatus")
        self.signature_label.setWordWrap(True)
        self.signature_label.hide()
        self.material_message = QLabel()
        self.material_message.setWordWrap(True)
        self.material_message.setStyleSheet("color: #b00020")
        self.material_message.hide()

        editor = QGroupBox(self.tr("Current material"))
        editor_form = QFormLayout(editor)
        editor_form.addRow(self.material_title)
        editor_form.addRow(self.condition_applies)
        editor_form.addRow(self.tr("Received as"), self.form_box)
        counts = QHBoxLayout()
        counts.addWidget(QLabel(self.tr("Originals")))
        counts.addWidget(self.originals)
        counts.addWidget(QLabel(self.tr("Copies")))
        counts.addWidget(self.copies)
        counts.addStretch(1)
        counts.addWidget(self.import_button)
        editor_form.addRow(counts)
        editor_form.addRow(self.material_message)
        editor_form.addRow(self.signature_label)
        self.scan_panel = self._make_scan_panel()
        editor_form.addRow(self.scan_panel)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        # The checklist takes whatever the editor (sized to its contents) leaves.
        layout.addWidget(self.table, 1)
        layout.addWidget(editor, 0)

        self.form_box.currentIndexChanged.connect(self._form_chosen)
        self.originals.valueChanged.connect(self._counts_changed)
        self.copies.valueChanged.connect(self._counts_changed)
        self.condition_applies.toggled.connect(self._condition_toggled)
        self.import_button.clicked.connect(self.import_file)
        QShortcut(QKeySequence("Ctrl+E"), self, self.import_file)
        self.model.dataChanged.connect(self._update_summary)
        self.model.modelReset.connect(self._update_summary)

    # -- the draft -------------------------------------------------------------
    def set_materials(self, entries) -> None:
        self.model.set_materials(entries)
        if entries:
            self.table.selectRow(0)
        self._load_editor()

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_material(self, material_id: str) -> None:
        for row, entry in enumerate(self.model.entries()):
            if entry.material_id == material_id:
                self.table.selectRow(row)
                return

    def show_errors(self, errors) -> list[str]:
        """Show material errors (``materials[ID].field``) at their material."""
        unplaced: list[str] = []
        first_id = None
        messages: dict[str, list[str]] = {}
        for error in errors:
            if error.field.startswith("materials[") and "]" in error.field:
                material_id = error.field[len("materials[") : error.field.index("]")]
                messages.setdefault(material_id, []).append(error.message)
                first_id = first_id or material_id
            else:
                unplaced.append(error.message)
        self._errors = messages
        if first_id is not None:
            self.select_material(first_id)
            self.form_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self._load_editor()
        return unplaced

    def focus_first(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- editor ------------------------------------------------------------------
    def _form_name(self, form: str) -> str:
        from ui.intake.checklist_model import received_form_name

        return received_form_name(form)

    def _load_editor(self, reload_scans: bool = True) -> None:
        entry = self.model.entry_at(self.current_row())
        self._updating = True
        try:
            enabled = entry is not None
            for widget in (self.form_box, self.originals, self.copies, self.import_button):
                widget.setEnabled(enabled)
            if entry is None:
                self.material_title.clear()
                return
            title = f"<b>{entry.name}</b>"
            if entry.requirement == CONDITIONAL:
                needed_if = self.tr("Needed if: %1").replace("%1", entry.condition)
                title += f"<br>{needed_if}"
            self.material_title.setText(title)
            self.condition_applies.setVisible(entry.requirement == CONDITIONAL)
            self.condition_applies.setChecked(entry.condition_applies)
            self.form_box.setCurrentIndex(max(0, self.form_box.findData(entry.received_form)))
            self.originals.setValue(entry.originals)
            self.copies.setValue(entry.copies)
            errors = getattr(self, "_errors", {}).get(entry.material_id)
            self.material_message.setText("；".join(errors or []))
            self.material_message.setVisible(bool(errors))
            if reload_scans:
                self.scan_panel.set_pages(entry.pages)
            self.signature_label.setText(self._signature_text(entry))
            self.signature_label.setVisible(bool(entry.file_name))
        finally:
            self._updating = False

    def _form_chosen(self) -> None:
        if self._updating:
            return
        row = self.current_row()
        self.model.set_received_form(row, self.form_box.currentData())
        self._load_editor(reload_scans=False)
        self.changed.emit()

    def _counts_changed(self) -> None:
        if self._updating:
            return
        self.model.set_counts(self.current_row(), self.originals.value(), self.copies.value())
        self.changed.emit()

    def _condition_toggled(self, applies: bool) -> None:
        if self._updating:
            return
        self.model.set_condition_applies(self.current_row(), applies)
        self._load_editor(reload_scans=False)
        self.changed.emit()

    def _update_summary(self, *_args) -> None:
        counts = self.model.counts()
        self.summary.setText(
            self.tr("Needed: %1 · received: %2 · missing: %3")
            .replace("%1", str(counts["needed"]))
            .replace("%2", str(counts["received"]))
            .replace("%3", str(counts["missing"]))
        )

    # -- files and scans -----------------------------------------------------------
    def _make_scan_panel(self):
        from ui.scan_panel import ScanPanel

        store, settings = self.workstation.store, self.workstation.settings
        panel = ScanPanel(store.blobs, settings, parent=self)
        panel.setObjectName("scanPanel")
        panel.pagesChanged.connect(self._pages_changed)
        return panel

    def _pages_changed(self, pages: list) -> None:
        """Every stored page goes into the draft at once (autosaved with it)."""
        row = self.current_row()
        entry = self.model.entry_at(row)
        if entry is None:
            return
        entry.pages = list(pages)
        if entry.pages and entry.received_form != SCANNED:
            self.model.set_received_form(row, SCANNED)
        self.model.refresh_row(row)
        self._load_editor(reload_scans=False)  # the panel already shows these pages
        self.changed.emit()

    def import_file(self) -> None:
        row = self.current_row()
        entry = self.model.entry_at(row)
        if entry is None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a file for %1").replace("%1", entry.name),
            "",
            ";;".join((self.tr("PDF files (*.pdf)"), self.tr(IMAGES_AS_PAGES))),
        )
        if not path:
            return
        if Path(path).suffix.lower() in IMAGE_SUFFIXES:
            # An electronic file is a PDF (its signature is checked); a photo or
            # a scan of the material becomes its scanned pages instead of an error.
            self.scan_panel.import_files([Path(path)])
        else:
            self.import_path(row, path)

    def import_path(self, row: int, path: str) -> None:
        """Store the file in the blob store (background) and attach it as electronic."""
        entry = self.model.entry_at(row)
        blobs = self.workstation.store.blobs
        settings = self.workstation.settings

        def store_file():
            from app.intake.electronic_file import attach_electronic_file
            from app.signatures import station_trust_roots

            return attach_electronic_file(blobs, path, settings.material_size_limit_bytes,
                                          station_trust_roots(settings))

        def attached(result) -> None:
            entry.file_digest = result.digest
            entry.file_size = result.size
            entry.file_name = result.name
            entry.signature_status = result.signature_status
            entry.signature_detail = result.signature_detail
            self.model.set_received_form(row, ELECTRONIC)
            self._load_editor(reload_scans=False)
            self.changed.emit()

        def refused(exc: BaseException) -> None:
            self.material_message.setText(str(exc))
            self.material_message.show()

        run_in_background(store_file, attached, refused)

    def _signature_text(self, entry) -> str:
        if not entry.file_name:
            return ""
        verdicts = {
            "valid": self.tr("electronic signature valid"),
            "invalid": self.tr("electronic signature INVALID"),
            "unknown": self.tr("signature intact, signer unknown"),
            "": self.tr("not signed"),
        }
        verdict = verdicts.get(entry.signature_status, entry.signature_status)
        size_kb = entry.file_size / 1024
        return f"{entry.file_name} · {size_kb:.0f} KB · {verdict}"

    # -- keyboard ------------------------------------------------------------------
    def _next_row(self) -> None:
        row = self.current_row()
        if 0 <= row < self.model.rowCount() - 1:
            self.table.selectRow(row + 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            key = event.key()
            if key in _DIGIT_KEYS:
                self.form_box.setCurrentIndex(_DIGIT_KEYS[key])
                if self.form_box.currentData() not in _STAYS_ON_ROW:
                    self._next_row()  # one key per material handed over on paper
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.form_box.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key == Qt.Key.Key_F9:
                # Scan into the current material without leaving the checklist
                # (the scan panel's own F9 only works with focus inside it).
                self.scan_panel.scan()
                return True
        return super().eventFilter(watched, event)
