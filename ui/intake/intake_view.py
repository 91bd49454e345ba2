"""The intake screen: applicant → materials → decision → result.

Every change marks the draft dirty; a short debounce later it is autosaved
through ``IntakeService.autosave`` (the writer thread does the disk work).
The commit runs in the background; when it is refused, each message is shown
at its field and nothing entered is lost.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.intake import Decision, DraftState, IntakeError, IntakeService
from app.intake.draft import DEFICIENCY
from app.intake.validation import (
    ValidationReport,
    check_applicant,
    missing_materials,
)
from ui.background import run_in_background
from ui.intake.applicant_form import ApplicantForm
from ui.intake.decision_panel import DecisionPanel
from ui.intake.materials_page import MaterialsPage
from ui.intake.result_page import ResultPage
from ui.workstation import Workstation

STEP_APPLICANT, STEP_MATERIALS, STEP_DECISION, STEP_RESULT = range(4)
AUTOSAVE_DEBOUNCE_MS = 800


class IntakeView(QWidget):
    # The case was committed (CommitResult).
    committed = Signal(object)
    # The clerk left the intake (after a commit, or discarding the draft).
    closed = Signal()

    def __init__(
        self, workstation: Workstation, service: IntakeService, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.workstation = workstation
        self.service = service
        self.draft: DraftState | None = None
        self._committing = False
        self._checking_materials = False

        self.title = QLabel()
        self.title.setObjectName("intakeTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: bold")
        self.steps_label = QLabel()
        self.steps_label.setObjectName("intakeSteps")
        self.save_state = QLabel()
        self.save_state.setObjectName("autosaveState")
        self.save_state.setStyleSheet("color: #666")
        # Room for "草稿已保存 10:32:05" from the start: the header never jumps.
        self.save_state.setMinimumWidth(self.save_state.fontMetrics().horizontalAdvance("M" * 16))
        self.problems = QLabel()
        self.problems.setObjectName("intakeProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        self.problems.hide()

        self.result_page = ResultPage(workstation)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.result_page)  # the steps go before it (_fresh_pages)
        self.applicant_form: ApplicantForm | None = None
        self.materials_page: MaterialsPage | None = None
        self.decision_panel: DecisionPanel | None = None
        self._pages_used = False
        self._fresh_pages()

        self.back_button = QPushButton(self.tr("Back (Alt+Left)"))
        self.back_button.setObjectName("previousStep")
        self.next_button = QPushButton()
        self.next_button.setObjectName("nextStep")
        self.next_button.setDefault(True)
        self.discard_button = QPushButton(self.tr("Discard draft"))
        self.discard_button.setObjectName("discardDraft")
        self.certificates_button = QPushButton(self.tr("E-certificates (F7)"))
        self.certificates_button.setObjectName("lookUpCertificates")

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.save_state)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.certificates_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.steps_label)
        layout.addWidget(self.problems)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self._autosave_timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DEBOUNCE_MS)
        self._autosave_timer.timeout.connect(self.autosave_now)
        self.next_button.clicked.connect(self.next_step)
        self.back_button.clicked.connect(self.previous_step)
        self.discard_button.clicked.connect(self.discard)
        self.result_page.done.connect(self.closed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.next_step)
        QShortcut(QKeySequence("Alt+Left"), self, self.previous_step)
        QShortcut(QKeySequence("F7"), self, self.look_up_certificates)
        self.certificates_button.clicked.connect(self.look_up_certificates)

    # -- lifecycle ---------------------------------------------------------------
    def _fresh_pages(self) -> None:
        """New applicant, decision and materials pages; the previous ones go.

        Every applicant gets widgets nobody has typed into.  Reused pages kept
        the last decision with its reason and legal basis, the last agent's
        name, ID and phone and a discarded draft's USCC, and handed them to the
        next person; a page built afresh cannot forget to clear a field the way
        a reset method can.  (Building them takes a few milliseconds.)
        """
        old = (self.applicant_form, self.materials_page, self.decision_panel)
        self.applicant_form = ApplicantForm()
        self.materials_page = MaterialsPage(self.workstation)
        self.decision_panel = DecisionPanel()
        new = (self.applicant_form, self.materials_page, self.decision_panel)
        for index, (previous, page) in enumerate(zip(old, new, strict=True)):
            if previous is not None:
                self.pages.removeWidget(previous)
                previous.setParent(None)  # gone from this screen now, not at the next loop
                previous.deleteLater()
            self.pages.insertWidget(index, page)
            page.changed.connect(self._edited)
        self.applicant_form.finished.connect(self.next_step)

    def start(self, draft: DraftState) -> None:
        """Show a new or resumed draft, at its first step, on fresh pages."""
        self.shutdown()  # the previous draft's last keystrokes are saved first
        if self._pages_used:
            self._fresh_pages()
        self._pages_used = True
        self.draft = draft
        self._committing = False
        self.title.setText(self.tr("Intake: %1").replace("%1", draft.display_name))
        self.applicant_form.load_from(draft)
        self.materials_page.set_materials(draft.materials)
        self.decision_panel.set_item(draft.item)
        self.save_state.clear()
        self._go(STEP_APPLICANT)
        self.applicant_form.focus_first()

    def discard(self) -> None:
        if self.draft is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Discard draft"),
            self.tr("Discard everything entered for this application?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        draft, self.draft = self.draft, None
        self._autosave_timer.stop()
        run_in_background(lambda: self.service.discard(draft))
        self.closed.emit()

    def shutdown(self) -> None:
        """Window closing: whatever was typed last is saved, not lost."""
        if self._autosave_timer.isActive():
            self._autosave_timer.stop()
            self.autosave_now()

    def look_up_certificates(self):
        """F7: the applicant's e-certificates may replace paper (免提交)."""
        if self.draft is None or self.pages.currentIndex() == STEP_RESULT:
            return None
        from ui.cert_lookup import open_for_intake

        return open_for_intake(self)

    # -- autosave --------------------------------------------------------------------
    def _edited(self) -> None:
        if self.draft is None or self.pages.currentIndex() == STEP_RESULT:
            return
        self._collect()
        self._autosave_timer.start()

    def _collect(self) -> None:
        """Copy what is on screen into the draft (materials edit it directly)."""
        self.applicant_form.apply_to(self.draft)

    def autosave_now(self) -> None:
        if self.draft is None or self._committing:
            return
        self._collect()
        # The service captures the payload here and queues the write.
        future = self.service.autosave(self.draft)
        self.save_state.setText(self.tr("Saving…"))
        run_in_background(future.result, self._saved, self._save_failed)

    def _saved(self, _result) -> None:
        self.save_state.setText(
            self.tr("Draft saved %1").replace(
                "%1", self.service.station_now().strftime("%H:%M:%S")
            )
        )

    def _save_failed(self, exc: BaseException) -> None:
        self.save_state.setText(self.tr("Draft NOT saved: %1").replace("%1", str(exc)))

    # -- steps -------------------------------------------------------------------------
    def _go(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        names = [
            self.tr("1 Applicant"),
            self.tr("2 Materials"),
            self.tr("3 Decision"),
            self.tr("4 Done"),
        ]
        self.steps_label.setText(
            "  ›  ".join(
                f"<b style='color:#1f4e79'>[{name}]</b>" if i == step else name
                for i, name in enumerate(names)
            )
        )
        self.back_button.setVisible(step in (STEP_MATERIALS, STEP_DECISION))
        self.discard_button.setVisible(step != STEP_RESULT)
        self.certificates_button.setVisible(step in (STEP_APPLICANT, STEP_MATERIALS))
        self.next_button.setVisible(step != STEP_RESULT)
        self.next_button.setText(
            self.tr("Commit (Ctrl+Enter)")
            if step == STEP_DECISION
            else self.tr("Next (Ctrl+Enter)")
        )
        self._show_problems([])
        if step == STEP_MATERIALS:
            self.materials_page.focus_first()
        elif step == STEP_DECISION:
            missing = missing_materials(self.draft)
            self.decision_panel.set_missing(
                [e.name for e in missing],
                [e.name for e in missing if e.received_form == DEFICIENCY],
            )
            self.decision_panel.focus_first()

    def focus_current_step(self) -> None:
        page = self.pages.currentWidget()
        first = {self.applicant_form: self.applicant_form.focus_first,
                 self.materials_page: self.materials_page.focus_first,
                 self.decision_panel: self.decision_panel.focus_first,
                 self.result_page: self.result_page.focus_first}.get(page)
        if first is not None:
            first()

    def previous_step(self) -> None:
        step = self.pages.currentIndex()
        if step in (STEP_MATERIALS, STEP_DECISION):
            self._go(step - 1)

    def next_step(self) -> None:
        if self.draft is None:
            return
        step = self.pages.currentIndex()
        self._collect()
        today = self.service.station_today()  # the clock the commit will use
        if step == STEP_APPLICANT:
            report = ValidationReport()
            check_applicant(self.draft, today, report)
            if self._refuse(report.errors):
                return
            self._go(STEP_MATERIALS)
        elif step == STEP_MATERIALS:
            self._check_materials()
        elif step == STEP_DECISION:
            self.commit()

    def _check_materials(self) -> None:
        """Whether every page and file is in the blob store is a question for the disk:
        asked off the GUI thread (app.intake.IntakeService.check_materials), about a
        copy of the entries, so that the clerk's edits meanwhile are neither lost nor
        read half-made."""
        if self._checking_materials:
            return
        self._checking_materials = True
        self.next_button.setEnabled(False)
        draft = self.draft
        materials = copy.deepcopy(draft.materials)
        run_in_background(lambda: self.service.check_materials(materials),
                          lambda report: self._materials_checked(draft, report.errors),
                          lambda exc: self._materials_checked(draft, [], exc))

    def _materials_checked(self, draft, errors, failure: BaseException | None = None) -> None:
        self._checking_materials = False
        self.next_button.setEnabled(not self._committing)
        if draft is not self.draft or self.pages.currentIndex() != STEP_MATERIALS:
            return  # the clerk went back or on to another applicant: nothing to act on
        if failure is not None:
            self._show_problems([str(failure)])  # the step stays; nothing entered is touched
            return
        if self._refuse(errors):
            return
        self._go(STEP_DECISION)

    def _refuse(self, errors) -> bool:
        """Show errors where they belong, on the step that owns the field."""
        if not errors:
            return False
        applicant = [
            e
            for e in errors
            if e.field.split(".")[0].split("[")[0]
            in ("applicant", "agent", "contact_phone", "channel")
        ]
        materials = [e for e in errors if e.field.startswith("materials")]
        rest = [e for e in errors if e not in applicant and e not in materials]
        if applicant:
            self._go(STEP_APPLICANT)
            unplaced = self.applicant_form.show_errors(applicant)
        elif materials:
            self._go(STEP_MATERIALS)
            unplaced = self.materials_page.show_errors(materials)
        else:
            unplaced = []
        self._show_problems(unplaced + [e.message for e in rest])
        return True

    def _show_problems(self, messages: list[str]) -> None:
        self.problems.setText("\n".join(messages))
        self.problems.setVisible(bool(messages))

    # -- commit --------------------------------------------------------------------------
    def commit(self) -> None:
        if self._committing or self.draft is None:
            return
        decision = self.decision_panel.decision()
        self._committing = True
        self._autosave_timer.stop()
        self.next_button.setEnabled(False)
        self.save_state.setText(self.tr("Committing…"))
        draft = self.draft
        run_in_background(
            lambda: self.service.commit(
                draft,
                Decision(
                    action=decision["action"],
                    reason=decision["reason"],
                    basis=decision["basis"],
                    promised_date=decision.get("promised_date"),
                ),
            ),
            self._committed,
            self._commit_failed,
        )

    def _committed(self, result) -> None:
        self._committing = False
        self.next_button.setEnabled(True)
        item_name = self.draft.display_name if self.draft is not None else ""
        self.draft = None
        self.save_state.clear()
        self.result_page.show_result(result, item_name)
        self._go(STEP_RESULT)
        self.result_page.focus_first()
        self.workstation.cases_changed.emit()
        self.committed.emit(result)

    def _commit_failed(self, exc: BaseException) -> None:
        self._committing = False
        self.next_button.setEnabled(True)
        self.save_state.clear()
        if isinstance(exc, IntakeError):
            decision_errors = [e for e in exc.errors if e.field.startswith("decision")]
            others = [e for e in exc.errors if e not in decision_errors]
            if others:
                self._refuse(others + decision_errors)
            else:
                self._show_problems([])  # shown at their fields on the decision step
                self.decision_panel.show_errors(decision_errors)
        else:
            self._show_problems([self.tr("The case was not saved: %1").replace("%1", str(exc))])
        self.autosave_now()  # whatever happened, the entered data stays on disk
