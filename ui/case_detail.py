"""One case, read-only: applicant, decision, materials, history, reprints.

The data comes from ``app.cases.case_detail`` (ID numbers masked), read in
the background.  A case waiting for completion (补正) can be continued from
here when the applicant comes back.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background
from ui.case_documents import CaseDocumentButtons
from ui.case_states import state_name
from ui.cases_model import describe_deadline
from ui.workstation import Workstation

translate = QCoreApplication.translate

TABLE = "<table border='1' cellspacing='0' cellpadding='3' width='99%'>"

_RECEIVED_FORMS = {
    "original": QT_TRANSLATE_NOOP("CaseDetail", "original"),
    "copy": QT_TRANSLATE_NOOP("CaseDetail", "copy"),
    "electronic": QT_TRANSLATE_NOOP("CaseDetail", "electronic file"),
    "scanned": QT_TRANSLATE_NOOP("CaseDetail", "scanned"),
    "ecert": QT_TRANSLATE_NOOP("CaseDetail", "e-certificate"),
    "missing": QT_TRANSLATE_NOOP("CaseDetail", "missing"),
    "deficiency": QT_TRANSLATE_NOOP("CaseDetail", "deficiency (to follow)"),
    "not_applicable": QT_TRANSLATE_NOOP("CaseDetail", "not applicable"),
}


_EVENT_KINDS = {
    "received": QT_TRANSLATE_NOOP("CaseDetail", "received"),
    "accepted": QT_TRANSLATE_NOOP("CaseDetail", "accepted"),
    "accepted_with_deficiencies": QT_TRANSLATE_NOOP("CaseDetail", "accepted with deficiencies"),
    "notified": QT_TRANSLATE_NOOP("CaseDetail", "completion notice given"),
    "rejected": QT_TRANSLATE_NOOP("CaseDetail", "rejected"),
    "concluded": QT_TRANSLATE_NOOP("CaseDetail", "concluded"),
    "delivered": QT_TRANSLATE_NOOP("CaseDetail", "delivered"),
}


def describe_event(kind: str) -> str:
    source = _EVENT_KINDS.get(kind)
    return translate("CaseDetail", source) if source else escape(kind)


def describe_received_form(form: str) -> str:
    source = _RECEIVED_FORMS.get(form)
    return translate("CaseDetail", source) if source else escape(form)


def _when(iso: str | None) -> str:
    return dt.datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M") if iso else ""


def case_detail_html(detail: dict) -> str:
    """``detail`` is ``app.cases.case_detail(number)``."""
    applicant = detail.get("applicant") or {}
    deadline = dt.date.fromisoformat(detail["deadline"]) if detail.get("deadline") else None
    facts = [
        (translate("CaseDetail", "Case number"), escape(detail["number"])),
        (translate("CaseDetail", "Item"),
         escape(detail.get("handle_item_name") or detail["item_name"])),  # a 办理项 by its name
        (translate("CaseDetail", "State"), escape(state_name(detail["state"]))),
        (translate("CaseDetail", "Applicant"), escape(applicant.get("name", ""))),
        (translate("CaseDetail", "ID number"), escape(applicant.get("id_number", ""))),
        (translate("CaseDetail", "Received"), _when(detail.get("received_at"))),
        (
            translate("CaseDetail", "Promised date"),
            escape(describe_deadline(deadline, detail.get("deadline_uncertain", False))),
        ),
    ]
    decision = detail.get("decision") or {}
    if decision.get("reason"):
        facts.append((translate("CaseDetail", "Reason"), escape(decision["reason"])))
    if decision.get("basis"):
        facts.append((translate("CaseDetail", "Legal basis"), escape(decision["basis"])))
    fact_rows = "".join(f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in facts)
    if detail.get("archived"):
        # Retention removed the applicant's data and scans here; the hall keeps them.
        fact_rows = (f"<tr><td colspan='2'><b>{escape(detail['archived'])}</b></td></tr>"
                     + fact_rows)
    material_head = "".join(
        f"<th>{h}</th>"
        for h in (
            translate("CaseDetail", "Material"),
            translate("CaseDetail", "Received as"),
            translate("CaseDetail", "Originals / copies"),
            translate("CaseDetail", "Pages"),
            translate("CaseDetail", "File"),
        )
    )
    material_rows = "".join(
        f"<tr><td>{escape(m['name'])}</td><td>{describe_received_form(m['received_form'])}</td>"
        f"<td>{m['originals']} / {m['copies']}</td><td>{m['page_count'] or ''}</td>"
        f"<td>{_file_text(m)}</td></tr>"
        for m in detail.get("materials", [])
    )
    event_rows = "".join(
        f"<li>{_when(e['at'])} {describe_event(e['kind'])} {escape(e.get('clerk') or '')}</li>"
        for e in detail.get("events", [])
    )
    materials_title = translate("CaseDetail", "Materials")
    history_title = translate("CaseDetail", "History")
    return (
        f"{TABLE}{fact_rows}</table>"
        f"<h3>{materials_title}</h3>{TABLE}<tr>{material_head}</tr>{material_rows}</table>"
        f"<h3>{history_title}</h3><ul>{event_rows}</ul>"
    )


def _file_text(material: dict) -> str:
    if not material.get("digest"):
        return ""
    return f"PDF {material['size'] / 1024:.0f} KB · {material['digest'][:12]}"


class CaseDetailDialog(QDialog):
    # The case has been read and is on screen.
    loaded = Signal()

    def __init__(self, workstation: Workstation, number: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.number = number
        self.detail: dict | None = None
        self.setWindowTitle(self.tr("Case %1").replace("%1", number))
        self.resize(900, 640)
        self.browser = QTextBrowser()
        self.browser.setObjectName("caseDetail")
        self.browser.setPlainText(self.tr("Loading…"))
        self.documents = CaseDocumentButtons(workstation)
        self.continue_button = QPushButton(self.tr("Applicant is back: continue this case"))
        self.continue_button.setObjectName("continueCase")
        self.continue_button.hide()
        self.continue_button.clicked.connect(self._continue_case)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(self.documents)
        layout.addWidget(self.buttons)

        def read():
            from app.cases import case_detail

            return case_detail(number)

        run_in_background(read, self._show, self._failed)

    def _show(self, detail: dict | None) -> None:
        self.detail = detail
        if detail is None:
            self.browser.setPlainText(self.tr("Case %1 does not exist.").replace("%1", self.number))
            return
        self.browser.setHtml(case_detail_html(detail))
        deferred = any(m["received_form"] == "deficiency" for m in detail.get("materials", []))
        self.documents.show_case(detail["number"], detail["state"], deferred)
        # 补正 cases, and online applications passed by pre-review whose applicant
        # brings the originals (收件): both continue at the window.
        self.continue_button.setVisible(detail["state"] in ("needs_completion", "received"))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.browser.setPlainText(self.tr("The case could not be read: %1").replace("%1", str(exc)))

    def _continue_case(self) -> None:
        self.workstation.continue_case_requested.emit(self.number)
        self.accept()
