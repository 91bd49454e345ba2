"""网上预审 area: the queue by due date on the left, the open application and
the decision on the right.  Every read and the decision run off the GUI thread
(``run_in_background``); the queue re-reads when the sync service (a separate
process) reports that its pre-review lane brought something in, when a case
changed here, and at midnight (``queue_watch``) — it polls nothing."""

from __future__ import annotations

import html

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ui.background import Liveness, run_in_background
from ui.prereview.queue_model import (
    COLUMN_APPLICANT,
    COLUMN_DUE,
    COLUMN_ID,
    COLUMN_ITEM,
    COLUMN_ROUND,
    COLUMN_STATE,
    COLUMN_SUBMITTED,
    PrereviewQueueModel,
)
from ui.prereview.queue_watch import QueueWatch

COLUMN_SAMPLES = {
    COLUMN_DUE: "2026-11-20 · 已超期 12 个工作日",
    COLUMN_ITEM: "个体工商户设立登记（变更）",
    COLUMN_APPLICANT: "阿******* 350205**********16",
    COLUMN_STATE: "待预审 · 5 个文件未下载",
    COLUMN_ROUND: "轮次",
    COLUMN_ID: "YS20261120000001",
    COLUMN_SUBMITTED: "2026-11-20 16:30",
}
# Words of the application's page (``detail_html``), translated when it is built.
DETAIL_WORDS = {
    "state": QT_TRANSLATE_NOOP("PrereviewDetail", "State"),
    "round": QT_TRANSLATE_NOOP("PrereviewDetail", "Round"),
    "submitted": QT_TRANSLATE_NOOP("PrereviewDetail", "Submitted"),
    "due": QT_TRANSLATE_NOOP("PrereviewDetail", "Due"),
    "applicant": QT_TRANSLATE_NOOP("PrereviewDetail", "Applicant"),
    "agent": QT_TRANSLATE_NOOP("PrereviewDetail", "Agent"),
    "materials": QT_TRANSLATE_NOOP("PrereviewDetail", "Materials"),
    "checks": QT_TRANSLATE_NOOP("PrereviewDetail", "Checks"),
    "not_downloaded": QT_TRANSLATE_NOOP("PrereviewDetail", "not downloaded yet"),
    "not_uploaded": QT_TRANSLATE_NOOP("PrereviewDetail", "not uploaded"),
    "signed": QT_TRANSLATE_NOOP("PrereviewDetail", "signed by the station (SM2)"),
}
ERROR_STYLE = "color: #b00020"


def load_rows(settings, include_decided: bool, today=None):
    from app.prereview import load_queue

    return load_queue(settings, today=today, include_decided=include_decided)


def load_detail(store, settings, hall_id: str) -> dict:
    from app.prereview import application_detail

    return application_detail(store, settings, hall_id)


def copy_for_viewer(store, hall_id: str, digest: str):
    from app.prereview import material_viewing_copy

    return material_viewing_copy(store, hall_id, digest)


def remove_copies(copies) -> None:
    if copies:
        from app.certificates.viewing import remove_viewing_copies

        remove_viewing_copies(copies[0].parent.parent, copies)


def lookup_context(hall_id: str):
    from app.prereview import certificate_lookup_context

    return certificate_lookup_context(hall_id)


def take_decision(store, settings, hall_id, action, reason, basis, missing_ids):
    from app.prereview import decide

    return decide(store, settings, hall_id, action, reason=reason, basis=basis,
                  missing_ids=missing_ids)


class PrereviewArea(QWidget):
    # Emitted after a decision was recorded (the status bar and case lists refresh).
    decided = Signal(str)

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self._serial = 0
        self._loading = False
        self._stale = False
        self._live = Liveness(self)  # ui.background's one widget-alive guard
        self.current: dict | None = None
        # The station's today (None = the clock); tests pin a day to see due dates.
        self.today = None

        self.summary = QLabel()
        self.summary.setObjectName("prereviewSummary")
        self.show_decided = QCheckBox(self.tr("Show decided"))
        self.show_decided.toggled.connect(self.refresh)
        self.model = PrereviewQueueModel(self)
        self.table = QTableView()
        self.table.setObjectName("prereviewQueue")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Widths from sample texts, once: measuring the contents of 2,000 rows
        # (ResizeToContents) cost 40–700 ms of the GUI thread per refresh.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        metrics = self.table.fontMetrics()
        for column, sample in COLUMN_SAMPLES.items():
            self.table.setColumnWidth(column, metrics.horizontalAdvance(sample) + 24)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.open_row(current.row()))

        self.detail = QTextBrowser()
        self.detail.setObjectName("prereviewDetail")
        self.detail.setOpenLinks(False)
        self.detail.anchorClicked.connect(self.open_file)
        # Viewing copies handed to the desktop's viewer; removed when the area closes.
        self.opened_copies: list = []
        self.open_url = QDesktopServices.openUrl
        self.detail.setPlaceholderText(self.tr("Choose an application in the queue"))
        # F7 as at intake: the applicant's e-certificates, looked up with the item's
        # 用证事由 (recorded in the audit against the case a pass would make).
        self.certificates_button = QPushButton(self.tr("E-certificates (F7)"))
        self.certificates_button.setObjectName("prereviewCertificates")
        self.certificates_button.clicked.connect(self.look_up_certificates)
        self.certificates_button.setEnabled(False)
        certificates_key = QShortcut(QKeySequence("F7"), self, self.look_up_certificates)
        certificates_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.certificate_dialog = None

        self.missing = QListWidget()
        self.missing.setObjectName("prereviewMissing")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("prereviewReason")
        self.reason.setPlaceholderText(
            self.tr("What the applicant reads: what is wrong and what to supply"))
        self.reason.setMaximumHeight(70)
        self.basis = QLineEdit()
        self.basis.setObjectName("prereviewBasis")
        self.basis.setPlaceholderText(self.tr("Legal basis (required to reject)"))
        self.pass_button = QPushButton(self.tr("Pass pre-review"))
        self.return_button = QPushButton(self.tr("Return for completion"))
        self.reject_button = QPushButton(self.tr("Reject"))
        self.pass_button.clicked.connect(lambda: self.decide("pass"))
        self.return_button.clicked.connect(lambda: self.decide("return"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.message = QLabel()
        self.message.setObjectName("prereviewMessage")
        self.message.setWordWrap(True)

        decision = QGroupBox(self.tr("Decision"))
        form = QFormLayout(decision)
        form.addRow(self.tr("Materials to supply (return)"), self.missing)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Legal basis"), self.basis)
        buttons = QHBoxLayout()
        for button in (self.pass_button, self.return_button, self.reject_button):
            buttons.addWidget(button)
        form.addRow(buttons)
        form.addRow(self.message)
        self.decision_box = decision

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 3)
        lookup_row = QHBoxLayout()
        lookup_row.addStretch(1)
        lookup_row.addWidget(self.certificates_button)
        right_layout.addLayout(lookup_row)
        right_layout.addWidget(decision, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        splitter.setSizes([720, 540])

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.show_decided)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._set_decision_enabled(False)

        # A change here, the pre-review lane's reports, the turn of the day: no poll.
        self.watch = QueueWatch(workstation, self._refresh_if_visible, self)

    # --- queue --------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def focus_search(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def refresh(self) -> None:
        if self._loading:
            self._stale = True  # read again when this one is back
            return
        self._loading = True
        self._stale = False
        settings = self.workstation.settings
        include, today = self.show_decided.isChecked(), self.today
        run_in_background(lambda: load_rows(settings, include, today), self._show_rows,
                          self._read_failed)

    def _show_rows(self, rows) -> None:
        self._loading = False
        if not self._live.alive:
            return
        if self._stale:
            self.refresh()
            return
        selected = self.current["id"] if self.current else None
        self.model.set_rows(rows)
        pending = [row for row in rows if row.state == "pending"]
        overdue = sum(1 for row in pending if row.urgency == "overdue")
        today = sum(1 for row in pending if row.urgency == "due_today")
        self.summary.setText(
            self.tr("%n application(s) waiting for pre-review", "", len(pending))
            + (" · " + self.tr("%n due today", "", today) if today else "")
            + (" · " + self.tr("%n overdue", "", overdue) if overdue else ""))
        for number, row in enumerate(rows):
            if row.hall_id == selected:
                self.table.selectRow(number)
                return
        if rows and selected is None:
            self.table.selectRow(0)

    def _read_failed(self, exc: BaseException) -> None:
        self._loading = False
        if self._live.alive:
            self.summary.setText(self.tr("The queue could not be read: %1").replace(
                "%1", str(exc)))

    # --- one application -------------------------------------------------------

    def open_row(self, row: int) -> None:
        queue_row = self.model.row_at(row)
        if queue_row is None:
            return
        current = self.current
        if (current is not None and current["id"] == queue_row.hall_id
                and current["round"] == queue_row.round and current["state"] == queue_row.state
                and not queue_row.files_missing):
            return  # the queue came back with the open application unchanged
        self._serial += 1
        serial = self._serial
        store, settings = self.workstation.store, self.workstation.settings
        run_in_background(lambda: load_detail(store, settings, queue_row.hall_id),
                          lambda detail: self._show_detail(serial, detail),
                          self._detail_failed)

    def _show_detail(self, serial: int, detail: dict) -> None:
        if serial != self._serial or not self._live.alive:
            return
        changed = self.current is None or self.current["id"] != detail["id"]
        self.current = detail
        self.detail.setHtml(detail_html(detail))
        self.certificates_button.setEnabled(True)
        if changed:
            if self.message.styleSheet():  # a refusal was about the previous application
                self.message.clear()
                self.message.setStyleSheet("")
            self.missing.clear()
            for material in detail["materials"]:
                item = QListWidgetItem(f"{material['material_id']} {material['name']}")
                item.setData(Qt.ItemDataRole.UserRole, material["material_id"])
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.missing.addItem(item)
        self._set_decision_enabled(detail["state"] == "pending")

    def _detail_failed(self, exc: BaseException) -> None:
        if self._live.alive:
            self.detail.setPlainText(str(exc))

    def _set_decision_enabled(self, enabled: bool) -> None:
        for widget in (self.pass_button, self.return_button, self.reject_button, self.missing,
                       self.reason, self.basis):
            widget.setEnabled(enabled)

    # --- the decision ------------------------------------------------------------

    def checked_missing(self) -> list[str]:
        return [self.missing.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.missing.count())
                if self.missing.item(i).checkState() == Qt.CheckState.Checked]

    def decide(self, action: str) -> None:
        if self.current is None:
            return
        hall_id = self.current["id"]
        store, settings = self.workstation.store, self.workstation.settings
        reason, basis = self.reason.toPlainText(), self.basis.text()
        missing = self.checked_missing() if action == "return" else []
        self._set_decision_enabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Recording the decision…"))
        run_in_background(
            lambda: take_decision(store, settings, hall_id, action, reason, basis, missing),
            self._decided, self._decision_refused)

    def _decided(self, result) -> None:
        if not self._live.alive:
            return
        text = self.tr("%1: %2 — queued for the hall").replace("%1", result.hall_id).replace(
            "%2", result.to_json()["state_label"])
        if result.case_number:
            text += " · " + self.tr("case number %1").replace("%1", result.case_number)
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.reason.clear()
        self.basis.clear()
        # The decided application's page goes; the next one opens when the queue is back.
        self.current = None
        self.detail.clear()
        self.missing.clear()
        self.certificates_button.setEnabled(False)
        self.decided.emit(result.hall_id)
        self.workstation.cases_changed.emit()
        self.refresh()

    def _decision_refused(self, exc: BaseException) -> None:
        if not self._live.alive:
            return
        # Everything the clerk typed stays; the message says what to change.
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(exc))
        self._set_decision_enabled(True)

    def look_up_certificates(self) -> None:
        """F7: the open application's people in the e-certificate look-up, as at intake."""
        if self.current is None:
            return
        hall_id = self.current["id"]
        run_in_background(lambda: lookup_context(hall_id), self._open_lookup,
                          self._detail_failed)

    def _open_lookup(self, context) -> None:
        if not self._live.alive:
            return
        from ui.cert_lookup import open_for_prereview

        self.certificate_dialog = open_for_prereview(self, context)

    def open_file(self, url: QUrl) -> None:
        """A file link of the page: copy it out (off the GUI thread), then show it."""
        if self.current is None or url.scheme() != "material":
            return
        store, hall_id, digest = self.workstation.store, self.current["id"], url.path()
        run_in_background(lambda: copy_for_viewer(store, hall_id, digest), self._show_copy,
                          self._detail_failed)

    def _show_copy(self, path) -> None:
        self.opened_copies.append(path)
        if self._live.alive:
            self.open_url(QUrl.fromLocalFile(str(path)))

    def shutdown(self) -> None:
        self._live.end()
        self.watch.stop()
        remove_copies(self.opened_copies)
        self.opened_copies = []


def detail_html(detail: dict) -> str:
    """The application as the clerk reads it (escaped; no personal data beyond the mask)."""
    e = html.escape

    def word(key: str) -> str:
        return QCoreApplication.translate("PrereviewDetail", DETAIL_WORDS[key])

    applicant = detail["applicant"]
    parts = [
        f"<h3>{e(detail['id'])} · {e(detail['item'])}</h3>",
        f"<p>{e(detail['dept'])}<br>{e(word('state'))}: <b>{e(detail['state_label'])}</b> · "
        f"{e(word('round'))} {detail['round']}<br>"
        f"{e(word('submitted'))}: {e(detail['submitted_at'][:16].replace('T', ' '))} · "
        f"{e(word('due'))}: {e(detail['due'])}</p>",
        f"<p><b>{e(word('applicant'))}</b>: {e(applicant.get('name') or '')} "
        f"{e(applicant.get('id_number') or '')} {e(applicant.get('phone') or '')}</p>",
    ]
    if detail.get("agent"):
        agent = detail["agent"]
        parts.append(f"<p><b>{e(word('agent'))}</b>: {e(agent.get('name') or '')} "
                     f"{e(agent.get('id_number') or '')}</p>")
    parts.append(f"<p><b>{e(word('materials'))}</b></p><ul>")
    for material in detail["materials"]:
        files = ", ".join(
            (f"<a href='material:{e(f['sha256'])}'>{e(f['name'])}</a>" if f["downloaded"]
             else e(f["name"])) + f" ({f['size'] // 1024 + 1} KB)"
            + ("" if f["downloaded"] else " — " + e(word("not_downloaded")))
            + (f" — {e(f['signature']['message'])}" if f.get("signature", {}).get("signed")
               else "")
            for f in material["files"]) or "<i>" + e(word("not_uploaded")) + "</i>"
        parts.append(f"<li>{e(material['material_id'])} {e(material['name'] or '')}: "
                     f"{files}</li>")
    parts.append(f"</ul><p><b>{e(word('checks'))}</b></p><ul>")
    for check in detail["checks"]:
        colour = "#1b5e20" if check["ok"] else "#b00020"
        mark = "✓" if check["ok"] else "✗"
        parts.append(f"<li style='color:{colour}'>{mark} {e(check['check'])}: "
                     f"{e(check['message'])}</li>")
    parts.append("</ul>")
    for decision in detail["decisions"]:
        parts.append(f"<p>{e(decision['label'])} · {e(decision['decided_by'])} · "
                     f"{e(decision['decided_at'][:16].replace('T', ' '))} · "
                     f"{e(decision['delivery_label'])}"
                     + (f" · {e(word('signed'))}" if decision.get("signed") else "")
                     + (f"<br>{e(decision['reason'])}" if decision["reason"] else "")
                     + "</p>")
    return "".join(parts)
