"""E-certificate look-up panel: inside the intake screen, or on its own.

The panel asks ``app.certificates.CertificateService`` off the GUI thread and
shows what came back in ``CertificateTableModel``.  Inside an intake it knows
the draft (``set_intake``): the holder and the 用证事由 are prefilled, every
look-up runs ``auto_satisfy`` on the draft, and "use for material" marks the
chosen material and attaches the certificate's PDF.  It then emits
``draft_changed(material_ids)`` so that the intake screen refreshes its
checklist and autosaves; the panel never saves the draft itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.certificates import (
    CertificateService,
    LookupResult,
    PurposeRequired,
    attach_certificate_file,
    auto_satisfy,
    default_purpose,
    holder_type_for,
    satisfy_with,
)
from app.certificates.materials import material_for
from app.certificates.service import service_for_hall
from app.certificates.types import certificate_types
from app.certificates.viewing import remove_viewing_copies, viewing_copy
from app.identity import check_uscc
from ui.background import SLOW, run_in_background
from ui.cert_table_model import CERTIFICATE_ROLE, CertificateTableModel

log = logging.getLogger(__name__)

ANY_TYPE = ""


def certificate_service_for(workstation) -> CertificateService:
    """The workstation's certificate service, made on first use (the rule and the
    service's lifetime are app's: ``app.certificates.service.service_for_hall``)."""
    workstation.certificate_service = service_for_hall(
        workstation.certificate_service, workstation.store, workstation.settings,
        workstation.hall_url)
    return workstation.certificate_service


def _file_for_viewing(service: CertificateService, cert, purpose: str) -> Path:
    """Worker thread: fetch into the blob store, copy out under a .pdf name."""
    return viewing_copy(service, cert, purpose)


class CertificateLookupPanel(QWidget):
    lookup_finished = Signal(object)  # LookupResult
    draft_changed = Signal(list)  # material ids the panel changed in the draft
    certificate_chosen = Signal(object)  # VerifiedCertificate ("use for material")

    def __init__(
        self,
        service: CertificateService | Callable[[], CertificateService],
        parent: QWidget | None = None,
    ):
        """``service`` may be a callable: the stand-alone tab asks for the
        workstation's service at each look-up, as the hall may start later."""
        super().__init__(parent)
        self._service = service
        self.draft = None
        self.case_uuid: str | None = None
        self.last_result: LookupResult | None = None
        self._busy = False
        # Viewing copies this panel opened; removed when it closes (app.certificates.viewing).
        self.opened_copies: list[Path] = []
        self._build()

    def remove_viewing_copies(self) -> None:
        if self.opened_copies:
            remove_viewing_copies(self.opened_copies[0].parent.parent, self.opened_copies)
            self.opened_copies = []

    @property
    def service(self) -> CertificateService:
        return self._service() if callable(self._service) else self._service

    # -- layout ---------------------------------------------------------------

    def _build(self) -> None:
        # Inside an intake: the applicant, legal representative and agent.
        self.people_combo = QComboBox()
        self.people_combo.setObjectName("cert_people")
        self.people_combo.hide()
        self.holder_edit = QLineEdit()
        self.holder_edit.setObjectName("cert_holder")
        self.holder_edit.setPlaceholderText(self.tr("ID number or unified social credit code"))
        self.holder_type_combo = QComboBox()
        self.holder_type_combo.setObjectName("cert_holder_type")
        self.holder_type_combo.addItem(self.tr("Person"), "person")
        self.holder_type_combo.addItem(self.tr("Organisation"), "organisation")
        self.type_combo = QComboBox()
        self.type_combo.setObjectName("cert_type")
        self.type_combo.addItem(self.tr("All types"), ANY_TYPE)
        for code, name in certificate_types():
            self.type_combo.addItem(f"{name} ({code})", code)
        self.purpose_edit = QLineEdit()
        self.purpose_edit.setObjectName("cert_purpose")
        self.purpose_edit.setPlaceholderText(self.tr("Required: what the certificate is used for"))
        self.lookup_button = QPushButton(self.tr("Look up"))
        self.lookup_button.setObjectName("cert_lookup_button")
        self.lookup_button.setDefault(True)

        holder_row = QHBoxLayout()
        holder_row.addWidget(self.people_combo, 1)
        holder_row.addWidget(self.holder_edit, 3)
        holder_row.addWidget(self.holder_type_combo, 1)
        form = QFormLayout()
        form.addRow(self.tr("Holder"), holder_row)
        form.addRow(self.tr("Certificate type"), self.type_combo)
        purpose_row = QHBoxLayout()
        purpose_row.addWidget(self.purpose_edit, 1)
        purpose_row.addWidget(self.lookup_button)
        form.addRow(self.tr("Purpose of use"), purpose_row)

        self.message_label = QLabel()
        self.message_label.setObjectName("cert_message")
        self.message_label.setWordWrap(True)

        self.model = CertificateTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("cert_results")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.view_button = QPushButton(self.tr("View file"))
        self.view_button.setObjectName("cert_view_file")
        self.use_button = QPushButton(self.tr("Use for material"))
        self.use_button.setObjectName("cert_use_for_material")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.use_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

        self.lookup_button.clicked.connect(self.start_lookup)
        self.purpose_edit.returnPressed.connect(self.start_lookup)
        self.holder_edit.returnPressed.connect(self.start_lookup)
        self.people_combo.activated.connect(self._person_chosen)
        self.holder_edit.textEdited.connect(self._guess_holder_type)
        self.view_button.clicked.connect(self.view_selected_file)
        self.use_button.clicked.connect(self.use_selected_for_material)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # -- context --------------------------------------------------------------

    def set_applicant(
        self, holder: str, id_type: str, item_name: str = "", case_uuid: str | None = None
    ) -> None:
        """Prefill from whoever stands at the window; the clerk may still edit."""
        self.holder_edit.setText(holder or "")
        index = self.holder_type_combo.findData(holder_type_for(id_type))
        self.holder_type_combo.setCurrentIndex(max(index, 0))
        if item_name and not self.purpose_edit.text().strip():
            self.purpose_edit.setText(default_purpose(item_name))
        self.case_uuid = case_uuid

    def set_intake(self, draft, item_name: str = "") -> None:
        """Work on an intake draft (``app.intake`` DraftState)."""
        self.draft = draft
        applicant = getattr(draft, "applicant", None)
        self.set_applicant(
            getattr(applicant, "id_number", "") or "",
            getattr(applicant, "id_type", "") or "",
            item_name or getattr(draft, "item_name", ""),
            getattr(draft, "case_uuid", None) or getattr(draft, "uuid", None),
        )
        people = [
            ("applicant", applicant),
            ("legal_rep", getattr(applicant, "legal_rep", None)),
            ("agent", getattr(draft, "agent", None)),
        ]
        self.set_people([
            (role, getattr(person, "name", ""), getattr(person, "id_number", ""),
             getattr(person, "id_type", "") or "")
            for role, person in people if person is not None
        ])

    def set_people(self, people) -> None:
        """The people whose certificates may be looked up, as ``(role, name,
        id_number, id_type)`` with role applicant / legal_rep / agent; the clerk
        switches between them in a list when there is more than one."""
        labels = {"applicant": self.tr("Applicant"),
                  "legal_rep": self.tr("Legal representative"), "agent": self.tr("Agent")}
        self.people_combo.clear()
        for role, name, number, id_type in people:
            if number:
                self.people_combo.addItem(f"{labels[role]} {name or ''}", (number, id_type))
        self.people_combo.setVisible(self.people_combo.count() > 1)

    def _guess_holder_type(self, text: str) -> None:
        """A code that checks as a USCC is an organisation; the clerk may still change it."""
        kind = "organisation" if check_uscc(text).ok else "person"
        self.holder_type_combo.setCurrentIndex(self.holder_type_combo.findData(kind))

    def _person_chosen(self, index: int) -> None:
        number, id_type = self.people_combo.itemData(index)
        self.set_applicant(number, id_type, case_uuid=self.case_uuid)

    def selected_certificate(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], CERTIFICATE_ROLE) if rows else None

    # -- look-up --------------------------------------------------------------

    def start_lookup(self) -> None:
        if self._busy:
            return
        holder = self.holder_edit.text().strip()
        purpose = self.purpose_edit.text().strip()
        if not holder:
            self._say(self.tr("Enter the holder's ID number or credit code."), error=True)
            self.holder_edit.setFocus()
            return
        if not purpose:
            self._say(self.tr("The purpose of use is required for every look-up."), error=True)
            self.purpose_edit.setFocus()
            return
        holder_type = self.holder_type_combo.currentData()
        cert_type = self.type_combo.currentData() or None
        case_uuid = self.case_uuid
        self._set_busy(True)
        self._say(self.tr("Looking up the certificate library…"))
        service = self.service
        run_in_background(
            lambda: service.lookup(holder, holder_type, purpose, cert_type, case_uuid),
            self._lookup_done,
            self._lookup_failed,
            lane=SLOW,
        )

    def _lookup_done(self, result: LookupResult) -> None:
        self._set_busy(False)
        self.last_result = result
        self.model.set_certificates(result.certs)
        changed = auto_satisfy(self.draft, result) if self.draft is not None else []
        self._say(self._summary(result, changed), error=bool(result.message))
        if changed:
            self.draft_changed.emit(changed)
        self.lookup_finished.emit(result)

    def _summary(self, result: LookupResult, changed: list[str]) -> str:
        parts = [result.message] if result.message else []
        if result.certs or not result.message:
            parts.append(
                self.tr("%1 certificate(s) found, %2 usable.")
                .replace("%1", str(len(result.certs)))
                .replace("%2", str(len(result.usable)))
            )
        if changed:
            parts.append(
                self.tr("%1 material(s) need no paper now.").replace("%1", str(len(changed)))
            )
        return " ".join(parts)

    def _lookup_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, PurposeRequired):
            self._say(self.tr("The purpose of use is required for every look-up."), error=True)
        elif isinstance(exc, ValueError):
            self._say(str(exc), error=True)
        else:
            log.error("certificate look-up failed", exc_info=exc)
            self._say(
                self.tr("Look-up failed: %1. Continue with paper.").replace("%1", str(exc)),
                error=True,
            )

    # -- file and material ----------------------------------------------------

    def view_selected_file(self) -> None:
        cert = self.selected_certificate()
        if cert is None:
            return
        self._say(self.tr("Fetching the certificate file…"))
        purpose, service = self.purpose_edit.text(), self.service
        run_in_background(
            lambda: _file_for_viewing(service, cert, purpose), self._open_file, self._file_failed
        )

    def _open_file(self, path: Path) -> None:
        self.last_opened_file = path
        self.opened_copies.append(path)
        self._say(self.tr("Opened %1").replace("%1", path.name))
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _file_failed(self, exc: BaseException) -> None:
        self._say(
            self.tr("The certificate file could not be fetched: %1").replace("%1", str(exc)),
            error=True,
        )

    def use_selected_for_material(self) -> None:
        cert = self.selected_certificate()
        if cert is None:
            return
        self.certificate_chosen.emit(cert)
        if self.draft is None:
            return
        material = material_for(self.draft, cert)
        if material is None:
            self._say(self.tr("No material of this item asks for this certificate."), error=True)
            return
        try:
            satisfy_with(self.draft, material.material_id, cert)
        except ValueError as exc:
            self._say(str(exc), error=True)
            return
        self.draft_changed.emit([material.material_id])
        material_id = material.material_id
        purpose, service = self.purpose_edit.text(), self.service
        run_in_background(
            lambda: service.store_file(cert, purpose),
            lambda stored: self._attach(material_id, stored),
            self._file_failed,
        )

    def _attach(self, material_id: str, stored: tuple[str, int]) -> None:
        digest, size = stored
        attach_certificate_file(self.draft, material_id, digest, size)
        self._say(self.tr("Certificate file attached to the material."))
        self.draft_changed.emit([material_id])

    # -- state ----------------------------------------------------------------

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.lookup_button.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        cert = self.selected_certificate()
        self.view_button.setEnabled(cert is not None and not cert.cached_at)
        self.use_button.setEnabled(cert is not None and cert.usable)

    def _say(self, text: str, error: bool = False) -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("error", error)
        self.message_label.setStyleSheet("color: #9a3412;" if error else "")


class CertificateLookupDialog(QDialog):
    """The panel in a window of its own (from the intake screen or a menu)."""

    def __init__(self, service: CertificateService, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("E-certificate look-up"))
        self.resize(1000, 480)
        self.panel = CertificateLookupPanel(service, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(close)
        self.finished.connect(lambda _result: self.panel.remove_viewing_copies())


def open_for_intake(intake_view) -> CertificateLookupDialog:
    """F7 in the intake screen (``ui.intake.intake_view.IntakeView``).

    Opens the look-up for the draft on screen and runs it at once with the
    prefilled 用证事由; whatever it marks 免提交 shows up in the checklist
    and is autosaved like any other edit.
    """
    draft = intake_view.draft
    intake_view.applicant_form.apply_to(draft)  # what was typed, even unsaved
    dialog = CertificateLookupDialog(certificate_service_for(intake_view.workstation), intake_view)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.panel.set_intake(draft)

    def refresh_checklist(_material_ids: list) -> None:
        page = intake_view.materials_page
        page.set_materials(draft.materials)
        page.changed.emit()  # the intake autosaves on this

    dialog.panel.draft_changed.connect(refresh_checklist)
    dialog.show()
    if dialog.panel.holder_edit.text().strip():
        dialog.panel.start_lookup()
    return dialog


def open_for_prereview(area, context) -> CertificateLookupDialog:
    """F7 in the 网上预审 area (``ui.prereview.area.PrereviewArea``), as at intake.

    ``context`` is ``app.prereview.certificate_lookup_context`` of the open
    application: the applicant is prefilled and looked up at once with the item's
    用证事由, recorded (audit, look-up log) against the case the application becomes
    if it passes; the legal representative and the agent are a choice away.  Nothing
    is marked 免提交 here — a pass does that (``app.prereview``) — so the dialog has
    no "use for material".
    """
    dialog = CertificateLookupDialog(certificate_service_for(area.workstation), area)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowTitle(dialog.windowTitle() + " · " + context.hall_id)
    panel = dialog.panel
    panel.use_button.hide()
    if context.holders:
        first = context.holders[0]
        panel.set_applicant(first.id_number, first.id_type, context.item_name,
                            context.case_uuid)
    panel.set_people([tuple(holder) for holder in context.holders])
    dialog.show()
    if panel.holder_edit.text().strip():
        panel.start_lookup()
    return dialog


class CertificateLookupArea(QWidget):
    """A main-window tab for look-ups outside an intake."""

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.panel = CertificateLookupPanel(lambda: certificate_service_for(workstation), self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)

    def shutdown(self) -> None:
        """The window closes: the viewing copies this tab opened go with it."""
        self.panel.remove_viewing_copies()
