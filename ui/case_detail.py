"""One case, read-only: applicant, decision, materials, history, reprints."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ui.background import run_in_background
from ui.case_states import state_name
from ui.cases_model import describe_deadline
from ui.workstation import Workstation

translate = QCoreApplication.translate

TABLE = "<table border='1' cellspacing='0' cellpadding='3' width='100%'>"

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


def load_case_detail(number: str) -> dict | None:
    """Everything the detail shows, as plain data (runs off the GUI thread)."""
    from app.identity import mask_id
    from local_store.models import Case

    case = Case.get_or_none(Case.number == number)
    if case is None:
        return None
    applicant = dict(case.applicant_snapshot or {})
    if applicant.get("id_number"):
        applicant["id_number"] = mask_id(applicant["id_number"])
    return {
        "number": case.number,
        "uuid": case.uuid,
        "item_name": case.item_name,
        "task_code": case.task_code,
        "state": case.state,
        "received_at": case.received_at,
        "deadline": case.deadline,
        "deadline_uncertain": case.deadline_uncertain,
        "reason": case.decision_reason,
        "basis": case.decision_basis,
        "applicant": applicant,
        "materials": [
            {
                "name": m.name,
                "received_form": m.received_form,
                "originals": m.originals,
                "copies": m.copies,
                "page_count": m.page_count,
                "blob_digest": m.blob_digest,
                "blob_size": m.blob_size,
            }
            for m in case.materials.order_by("id")
        ],
        "events": [
            {"at": e.at, "kind": e.kind, "clerk": e.clerk} for e in case.events.order_by("at", "id")
        ],
    }


def describe_received_form(form: str) -> str:
    source = _RECEIVED_FORMS.get(form)
    return translate("CaseDetail", source) if source else escape(form)


def case_detail_html(detail: dict) -> str:
    applicant = detail["applicant"]
    facts = [
        (translate("CaseDetail", "Case number"), escape(detail["number"])),
        (translate("CaseDetail", "Item"), escape(detail["item_name"])),
        (translate("CaseDetail", "State"), escape(state_name(detail["state"]))),
        (translate("CaseDetail", "Applicant"), escape(applicant.get("name", ""))),
        (translate("CaseDetail", "ID number"), escape(applicant.get("id_number", ""))),
        (translate("CaseDetail", "Received"), f"{detail['received_at']:%Y-%m-%d %H:%M}"),
        (
            translate("CaseDetail", "Promised date"),
            escape(describe_deadline(detail["deadline"], detail["deadline_uncertain"])),
        ),
    ]
    if detail["reason"]:
        facts.append((translate("CaseDetail", "Reason"), escape(detail["reason"])))
    if detail["basis"]:
        facts.append((translate("CaseDetail", "Legal basis"), escape(detail["basis"])))
    fact_rows = "".join(f"<tr><th align='left'>{k}</th><td>{v}</td></tr>" for k, v in facts)
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
        for m in detail["materials"]
    )
    event_rows = "".join(
        f"<li>{e['at']:%Y-%m-%d %H:%M:%S} {escape(e['kind'])} {escape(e['clerk'])}</li>"
        for e in detail["events"]
    )
    materials_title = translate("CaseDetail", "Materials")
    history_title = translate("CaseDetail", "History")
    return (
        f"{TABLE}{fact_rows}</table>"
        f"<h3>{materials_title}</h3>{TABLE}<tr>{material_head}</tr>{material_rows}</table>"
        f"<h3>{history_title}</h3><ul>{event_rows}</ul>"
    )


def _file_text(material: dict) -> str:
    if not material["blob_digest"]:
        return ""
    return f"PDF {material['blob_size'] / 1024:.0f} KB · {material['blob_digest'][:12]}"


class CaseDetailDialog(QDialog):
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(self.buttons)
        run_in_background(lambda: load_case_detail(number), self._show, self._failed)

    def _show(self, detail: dict | None) -> None:
        self.detail = detail
        if detail is None:
            self.browser.setPlainText(self.tr("Case %1 does not exist.").replace("%1", self.number))
            return
        self.browser.setHtml(case_detail_html(detail))

    def _failed(self, exc: BaseException) -> None:
        self.browser.setPlainText(self.tr("The case could not be read: %1").replace("%1", str(exc)))
