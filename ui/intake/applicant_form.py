"""Applicant step: a person or an organisation, and an optional agent (代办人).

ID numbers are checked as they are typed (``app.identity``); the message
appears under the field in Chinese and nothing typed is ever cleared.  A
valid ID number of someone seen before fills in the rest of their details.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.identity import check_id
from ui.background import run_in_background

PERSON = "person"
ORGANISATION = "organisation"
RESIDENT_ID = "111"
USCC = "001"
# Documents a natural person may present (codes.json "id_type" minus the USCC).
PERSON_ID_TYPES = ("111", "113", "414", "516", "511", "990")
ERROR_COLOUR = "#b00020"
FORM_MAX_WIDTH = 820
WARNING_COLOUR = "#b35900"


def id_type_names() -> dict[str, str]:
    from app.catalog.code_tables import code_tables

    return dict(code_tables().get("id_type", {}).get("codes", {}))


class IdField(QWidget):
    """Document type + number, with the check result shown underneath."""

    changed = Signal()
    # (id_type, normalized number) once the number is valid
    valid_number = Signal(str, str)

    def __init__(self, id_types: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        names = id_type_names()
        self.type_box = QComboBox()
        for code in id_types:
            self.type_box.addItem(names.get(code, code), code)
        if len(id_types) == 1:
            # Nothing to choose (a USCC is a USCC): Tab and Enter pass it by.
            self.type_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.number = QLineEdit()
        self.number.setMaxLength(32)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QWidget()
        row_layout = QFormLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addRow(self.type_box, self.number)
        layout.addWidget(row)
        layout.addWidget(self.message)
        self.type_box.currentIndexChanged.connect(self._edited)
        self.number.textChanged.connect(self._edited)
        # Only judge a number once the clerk has left the field or it is complete,
        # so half-typed numbers do not flash red.
        self.number.editingFinished.connect(self.check)

    def id_type(self) -> str:
        return self.type_box.currentData() or ""

    def value(self) -> str:
        return self.number.text().strip()

    def set_value(self, id_type: str, number: str) -> None:
        index = self.type_box.findData(id_type)
        if index >= 0:
            self.type_box.setCurrentIndex(index)
        self.number.setText(number or "")

    def _edited(self) -> None:
        self.changed.emit()
        text = self.value()
        if self.id_type() in (RESIDENT_ID, USCC) and len(text) >= 18:
            self.check()
        elif self.message.isVisible() and not text:
            self.message.hide()

    def check(self) -> str | None:
        """Show the result under the field; return the error (Chinese) or None."""
        if not self.value():
            self.message.hide()
            return None
        result = check_id(self.id_type(), self.value())
        if not result.ok:
            self.show_message(result.error, ERROR_COLOUR)
            return result.error
        if result.warnings:
            self.show_message("；".join(result.warnings), WARNING_COLOUR)
        else:
            self.message.hide()
        self.valid_number.emit(self.id_type(), result.normalized)
        return None

    def show_message(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {colour}")
        self.message.show()


class ApplicantForm(QWidget):
    """Edits ``{"kind", "name", "id_type", "id_number", "phone", "address",
    "legal_rep"}`` and an optional agent ``{"name", "id_type", "id_number", "phone"}``."""

    changed = Signal()
    # Enter in the last field: the clerk is done with this step.
    finished = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._lookup_serial = 0
        self._known_applicant_id: int | None = None
        self.kind_box = QComboBox()
        self.kind_box.setObjectName("applicantKind")
        self.kind_box.addItem(self.tr("Natural person"), PERSON)
        self.kind_box.addItem(self.tr("Organisation"), ORGANISATION)
        self.name = QLineEdit()
        self.name.setObjectName("applicantName")
        self.name.setMaxLength(200)
        self.person_id = IdField(PERSON_ID_TYPES)
        self.person_id.setObjectName("applicantId")
        self.uscc = IdField((USCC,))
        self.uscc.setObjectName("applicantUscc")
        self.legal_rep_name = QLineEdit()
        self.legal_rep_id = IdField(PERSON_ID_TYPES)
        self.phone = QLineEdit()
        self.phone.setObjectName("applicantPhone")
        self.phone.setMaxLength(40)
        self.address = QLineEdit()
        self.address.setMaxLength(400)
        self.prefill_note = QLabel()
        self.prefill_note.setStyleSheet("color: #1a7f37")
        self.prefill_note.hide()
        self.has_agent = QCheckBox(self.tr("Submitted by an agent"))
        self.has_agent.setObjectName("hasAgent")
        self.agent_name = QLineEdit()
        self.agent_id = IdField(PERSON_ID_TYPES)
        self.agent_phone = QLineEdit()

        # field path (as app.intake.validation names it) → (widget, message label)
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._messages: dict[str, QLabel] = {}
        self._rows: dict[str, QWidget] = {}

        applicant_box = QGroupBox(self.tr("Applicant"))
        self.applicant_layout = QFormLayout(applicant_box)
        self.applicant_layout.addRow(self.tr("Applicant type"), self.kind_box)
        form = self.applicant_layout
        self._add(form, self.tr("Name"), self.name, "applicant.name")
        self._add(form, self.tr("ID document"), self.person_id, "applicant.id_number")
        self._add(form, self.tr("Unified social credit code"), self.uscc, "applicant.uscc")
        self._add(
            form, self.tr("Legal representative"), self.legal_rep_name, "applicant.legal_rep.name"
        )
        self._add(
            form, self.tr("Representative's ID"), self.legal_rep_id, "applicant.legal_rep.id_number"
        )
        self._add(form, self.tr("Phone"), self.phone, "applicant.phone", "contact_phone")
        self._add(form, self.tr("Address"), self.address, "applicant.address")
        form.addRow("", self.prefill_note)

        self.agent_box = QGroupBox(self.tr("Agent"))
        agent_form = QFormLayout(self.agent_box)
        self._add(agent_form, self.tr("Name"), self.agent_name, "agent.name")
        self._add(agent_form, self.tr("ID document"), self.agent_id, "agent.id_number")
        self._add(agent_form, self.tr("Phone"), self.agent_phone, "agent.phone")
        self.agent_box.setVisible(False)

        # A form as wide as the screen is hard to read; keep it to a column.
        applicant_box.setMaximumWidth(FORM_MAX_WIDTH)
        self.agent_box.setMaximumWidth(FORM_MAX_WIDTH)
        layout = QVBoxLayout(self)
        layout.addWidget(applicant_box)
        layout.addWidget(self.has_agent)
        layout.addWidget(self.agent_box)
        layout.addStretch(1)

        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.has_agent.toggled.connect(self.agent_box.setVisible)
        for edit in self._line_edits():
            edit.textChanged.connect(self.changed)
            edit.installEventFilter(self)
        # Enter on a choice box moves on as well, to the field after it.
        for box in (self.kind_box, *(f.type_box for f in (self.person_id, self.legal_rep_id,
                                                          self.agent_id))):
            box.installEventFilter(self)
        for field in (self.person_id, self.uscc, self.legal_rep_id, self.agent_id):
            field.changed.connect(self.changed)
        self.kind_box.currentIndexChanged.connect(self.changed)
        self.has_agent.toggled.connect(self.changed)
        self.person_id.valid_number.connect(self._look_up_returning)
        self.uscc.valid_number.connect(self._look_up_returning)
        self._kind_changed()

    def _add(self, form: QFormLayout, label: str, widget: QWidget, *paths: str) -> None:
        """A form row whose messages (from app.intake.validation) appear under it."""
        if isinstance(widget, IdField):
            row, message = widget, widget.message
        else:
            row = QWidget()
            message = QLabel()
            message.setWordWrap(True)
            message.setStyleSheet(f"color: {ERROR_COLOUR}")
            message.hide()
            box = QVBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(widget)
            box.addWidget(message)
        form.addRow(label, row)
        self._rows[paths[0]] = row
        for path in paths:
            self._fields[path] = (widget, message)
            self._messages[path] = message

    # -- values ------------------------------------------------------------
    def kind(self) -> str:
        return self.kind_box.currentData()

    def applicant(self) -> dict:
        values = {
            "kind": self.kind(),
            "name": self.name.text().strip(),
            "phone": self.phone.text().strip(),
            "address": self.address.text().strip(),
            "known_applicant_id": self._known_applicant_id,
        }
        if self.kind() == PERSON:
            values.update(id_type=self.person_id.id_type(), id_number=self.person_id.value())
            values["legal_rep"] = None
        else:
            values.update(id_type=USCC, id_number=self.uscc.value())
            values["legal_rep"] = {
                "name": self.legal_rep_name.text().strip(),
                "id_type": self.legal_rep_id.id_type(),
                "id_number": self.legal_rep_id.value(),
            }
        return values

    def agent(self) -> dict | None:
        if not self.has_agent.isChecked():
            return None
        return {
            "name": self.agent_name.text().strip(),
            "id_type": self.agent_id.id_type(),
            "id_number": self.agent_id.value(),
            "phone": self.agent_phone.text().strip(),
        }

    def set_values(self, applicant: dict | None, agent: dict | None) -> None:
        applicant = applicant or {}
        self._known_applicant_id = applicant.get("known_applicant_id")
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(applicant.get("kind"))))
        self.name.setText(applicant.get("name", ""))
        self.phone.setText(applicant.get("phone", ""))
        self.address.setText(applicant.get("address", ""))
        if self.kind() == PERSON:
            self.person_id.set_value(
                applicant.get("id_type", RESIDENT_ID), applicant.get("id_number", "")
            )
        else:
            self.uscc.set_value(USCC, applicant.get("id_number", ""))
            rep = applicant.get("legal_rep") or {}
            self.legal_rep_name.setText(rep.get("name", ""))
            self.legal_rep_id.set_value(rep.get("id_type", RESIDENT_ID), rep.get("id_number", ""))
        self.has_agent.setChecked(bool(agent))
        if agent:
            self.agent_name.setText(agent.get("name", ""))
            self.agent_id.set_value(agent.get("id_type", RESIDENT_ID), agent.get("id_number", ""))
            self.agent_phone.setText(agent.get("phone", ""))

    def apply_to(self, draft) -> None:
        """Write the form into an ``app.intake.draft.DraftState``."""
        from app.applicants import ApplicantInfo, PersonInfo

        draft.applicant = ApplicantInfo.from_json(self.applicant())
        draft.agent = PersonInfo.from_json(self.agent())

    def load_from(self, draft) -> None:
        self.set_values(draft.applicant.to_json(), draft.agent.to_json() if draft.agent else None)

    def show_errors(self, errors) -> list[str]:
        """Show each ``FieldError`` under its field; focus the first; return the rest.

        Errors for fields this form does not hold are returned for the caller
        to show elsewhere.
        """
        for label in self._messages.values():
            label.hide()
        unplaced: list[str] = []
        first: QWidget | None = None
        for error in errors:
            target = self._fields.get(error.field)
            if target is None:
                unplaced.append(error.message)
                continue
            widget, label = target
            if isinstance(widget, IdField):
                widget.show_message(error.message, ERROR_COLOUR)
                widget = widget.number
            else:
                label.setText(error.message)
                label.show()
            first = first or widget
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return unplaced

    # -- behaviour -----------------------------------------------------------
    def _line_edits(self) -> list[QLineEdit]:
        return [
            self.name,
            self.person_id.number,
            self.uscc.number,
            self.legal_rep_name,
            self.legal_rep_id.number,
            self.phone,
            self.address,
            self.agent_name,
            self.agent_id.number,
            self.agent_phone,
        ]

    def _kind_changed(self) -> None:
        person = self.kind() == PERSON
        for path, visible in (
            ("applicant.id_number", person),
            ("applicant.uscc", not person),
            ("applicant.legal_rep.name", not person),
            ("applicant.legal_rep.id_number", not person),
        ):
            self.applicant_layout.setRowVisible(self._rows[path], visible)
        # The validation names the USCC "applicant.id_number" too.
        self._fields["applicant.id_number"] = (
            (self.person_id, self.person_id.message) if person else (self.uscc, self.uscc.message)
        )

    def _look_up_returning(self, id_type: str, number: str) -> None:
        """Someone seen before: fill what the clerk has not typed yet."""
        self._lookup_serial += 1
        serial = self._lookup_serial

        def find():
            from app.applicants import find_applicant

            return find_applicant(id_type, number)

        run_in_background(find, lambda known: self._prefill(serial, known), lambda _exc: None)

    def _prefill(self, serial: int, known) -> None:
        """``known`` is an ``app.applicants.ApplicantInfo`` or None."""
        if serial != self._lookup_serial or known is None:
            return
        self._known_applicant_id = known.known_applicant_id
        filled = False
        for edit, value in (
            (self.name, known.name),
            (self.phone, known.phone),
            (self.address, known.address),
        ):
            if value and not edit.text().strip():
                edit.setText(value)
                filled = True
        rep = known.legal_rep
        if self.kind() == ORGANISATION and rep and not self.legal_rep_name.text().strip():
            self.legal_rep_name.setText(rep.name)
            self.legal_rep_id.set_value(rep.id_type, rep.id_number)
            filled = True
        if filled:
            self.prefill_note.setText(
                self.tr("Filled in from an earlier application; please check.")
            )
            self.prefill_note.show()

    def focus_first(self) -> None:
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter moves to the next field like Tab; Enter in the last one finishes the step.
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            # Enter goes from text field to text field, past the document-type
            # boxes (the default type is right for nearly everyone; Tab reaches them).
            fields = [edit for edit in self._line_edits() if edit.isVisibleTo(self)]
            if watched is fields[-1]:
                self.finished.emit()
            elif watched in fields:
                fields[fields.index(watched) + 1].setFocus(Qt.FocusReason.TabFocusReason)
            else:
                self.focusNextChild()
            return True
        return super().eventFilter(watched, event)
