"""The supervisor's console: a range's indicators broken down by department, item,
station or clerk, with the trend and the distribution by department; a click on a
number lists the cases behind it, a double click opens a case.  Further tabs show
the catalog's readiness, the reporting quality and the end of day
(``ui.console.tabs``); a line above them reminds of 周报/月报 due and of days left
unsigned.

Every read is one call into ``app.reports`` run off the GUI thread
(``run_in_background``).  The role is enforced by those services: a clerk who
opens this tab gets the services' refusal on screen, not data.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background
from ui.case_states import fit_case_number_column, state_name
from ui.console.charts import DepartmentChart, TrendChart

CONTEXT = "ConsoleArea"
# (indicator, header) of the breakdown table; percentages are not drillable.
COLUMNS = [
    ("received", QT_TRANSLATE_NOOP("ConsoleArea", "Received")),
    ("accepted", QT_TRANSLATE_NOOP("ConsoleArea", "Accepted")),
    ("completion_notices", QT_TRANSLATE_NOOP("ConsoleArea", "Completion notices")),
    ("rejected", QT_TRANSLATE_NOOP("ConsoleArea", "Rejected")),
    ("concluded", QT_TRANSLATE_NOOP("ConsoleArea", "Concluded on the spot")),
    ("overdue", QT_TRANSLATE_NOOP("ConsoleArea", "Overdue")),
    ("reported", QT_TRANSLATE_NOOP("ConsoleArea", "Reported")),
    ("unreported", QT_TRANSLATE_NOOP("ConsoleArea", "Not reported")),
    ("report_rate", QT_TRANSLATE_NOOP("ConsoleArea", "Report rate")),
    ("timeliness_rate", QT_TRANSLATE_NOOP("ConsoleArea", "Timeliness rate")),
    ("satisfaction_rate", QT_TRANSLATE_NOOP("ConsoleArea", "Satisfaction rate")),
]
PERIOD_CHOICES = [("daily", QT_TRANSLATE_NOOP("ConsoleArea", "Day")),
                  ("weekly", QT_TRANSLATE_NOOP("ConsoleArea", "Week")),
                  ("monthly", QT_TRANSLATE_NOOP("ConsoleArea", "Month")),
                  ("custom", QT_TRANSLATE_NOOP("ConsoleArea", "Custom range"))]
DIMENSION_CHOICES = [("department", QT_TRANSLATE_NOOP("ConsoleArea", "Department")),
                     ("item", QT_TRANSLATE_NOOP("ConsoleArea", "Item")),
                     ("station", QT_TRANSLATE_NOOP("ConsoleArea", "Station")),
                     ("clerk", QT_TRANSLATE_NOOP("ConsoleArea", "Clerk"))]
REPORT_NAMES = {"weekly": QT_TRANSLATE_NOOP("ConsoleArea", "weekly report"),
                "monthly": QT_TRANSLATE_NOOP("ConsoleArea", "monthly report")}
DAY_SIGNOFF_NAME = QT_TRANSLATE_NOOP("ConsoleArea", "end-of-day sign-off")
ERROR_STYLE = "color: #b00020"
REMINDER_STYLE = "color: #8a4b00; font-weight: bold"
# The empty date of a date picker: its minimum, shown blank.
NO_DATE = QDate(2000, 1, 1)


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def identity_of(workstation):
    session = getattr(workstation, "staff_session", None)
    return getattr(session, "identity", None)


def station_of(workstation) -> str:
    from app.numbering import station_key

    settings = workstation.settings
    return station_key(settings.region_code, settings.station_code)


def date_picker(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(" ")  # the minimum reads as "no date chosen"
    edit.setDate(QDate.currentDate())
    return edit


def picked(edit: QDateEdit) -> dt.date | None:
    return None if edit.date() == NO_DATE else edit.date().toPython()


class ConsoleArea(QWidget):
    loaded = Signal()  # the breakdown is on screen
    cases_loaded = Signal()  # the cases behind a number are on screen
    reminders_loaded = Signal()
    report_sent = Signal()  # a 周报/月报 was queued for the hall (or refused)
    exported = Signal()  # an export was written (or refused)

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.lines = []
        self.selection: tuple | None = None  # (line, indicator) of the listed cases
        self.span: tuple[str, dt.date, dt.date | None] | None = None  # as last read
        # Each refresh's number: a slower earlier read never overwrites a later one.
        self.generation = 0
        self.note = ""  # shown with the next figures (the report just queued)

        self.period = QComboBox()
        self.period.setObjectName("consolePeriod")
        for key, label in PERIOD_CHOICES:
            self.period.addItem(translate(label), key)
        self.period.setCurrentIndex(2)
        self.date = date_picker("consoleDate")
        self.last_date = date_picker("consoleLastDate")
        self.until_label = QLabel(self.tr("to"))
        self.dimension = QComboBox()
        self.dimension.setObjectName("consoleDimension")
        for key, label in DIMENSION_CHOICES:
            self.dimension.addItem(translate(label), key)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("consoleRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.send_button = QPushButton(self.tr("Send report to the hall"))
        self.send_button.setObjectName("consoleSendReport")
        self.send_button.setToolTip(self.tr(
            "Sends the week's or month's summary (周报/月报) to the online service hall"))
        self.send_button.clicked.connect(self.send_report)
        self.export_pdf = QPushButton(self.tr("Export PDF…"))
        self.export_pdf.setObjectName("consoleExportPdf")
        self.export_pdf.clicked.connect(lambda: self.export("pdf"))
        self.export_xlsx = QPushButton(self.tr("Export Excel…"))
        self.export_xlsx.setObjectName("consoleExportXlsx")
        self.export_xlsx.clicked.connect(lambda: self.export("xlsx"))
        self.period.currentIndexChanged.connect(self._period_changed)
        self.message = QLabel()
        self.message.setObjectName("consoleMessage")
        self.message.setWordWrap(True)
        self.reminders = QLabel()
        self.reminders.setObjectName("consoleReminders")
        self.reminders.setWordWrap(True)
        self.reminders.setStyleSheet(REMINDER_STYLE)
        self.reminders.hide()

        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Period")))
        controls.addWidget(self.period)
        controls.addWidget(QLabel(self.tr("Date")))
        controls.addWidget(self.date)
        controls.addWidget(self.until_label)
        controls.addWidget(self.last_date)
        controls.addWidget(QLabel(self.tr("Group by")))
        controls.addWidget(self.dimension)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)
        controls.addWidget(self.export_pdf)
        controls.addWidget(self.export_xlsx)
        controls.addWidget(self.send_button)

        self.table = QTableWidget(0, 2 + len(COLUMNS))
        self.table.setObjectName("consoleBreakdown")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Code"),
                                              *(translate(label) for _, label in COLUMNS)])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 2 + len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._cell_clicked)

        self.cases_title = QLabel(self.tr(
            "Click a number in the table to list its cases; double-click a case to open it"))
        self.cases_title.setObjectName("consoleCasesTitle")
        self.cases_title.setWordWrap(True)
        self.cases = QTableWidget(0, 4)
        self.cases.setObjectName("consoleCases")
        self.cases.setHorizontalHeaderLabels([self.tr("Case number"), self.tr("Item"),
                                              self.tr("State"), self.tr("Clerk")])
        self.cases.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cases.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cases.verticalHeader().hide()
        self.cases.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        fit_case_number_column(self.cases, 0)
        self.cases.cellDoubleClicked.connect(self._open_case)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.cases_title)
        lower_layout.addWidget(self.cases)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.trend = TrendChart()
        self.departments = DepartmentChart()
        charts = QHBoxLayout()
        charts.addWidget(self.trend, 3)
        charts.addWidget(self.departments, 2)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        figures_layout.addLayout(charts)
        figures_layout.addWidget(splitter, 1)

        from ui.console.key_slots import KeySlotsTab
        from ui.console.tabs import EndOfDayTab, QualityTab, ReadinessTab

        self.readiness = ReadinessTab(self)
        self.quality = QualityTab(self)
        self.end_of_day = EndOfDayTab(self)
        self.key_slots = KeySlotsTab(self)  # the administrator's: app.staff.key_slots
        self.tabs = QTabWidget()
        self.tabs.setObjectName("consoleTabs")
        self.tabs.addTab(figures, self.tr("Figures"))
        self.tabs.addTab(self.readiness, self.tr("Catalog readiness"))
        self.tabs.addTab(self.quality, self.tr("Reporting quality"))
        self.tabs.addTab(self.end_of_day, self.tr("End of day"))
        self.tabs.addTab(self.key_slots, self.tr("Key slots"))
        self.tabs.currentChanged.connect(lambda _index: self._refresh_current_tab())

        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.reminders)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._period_changed()
        self.refresh()

    # -- the range ----------------------------------------------------------------
    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.until_label.setVisible(custom)
        self.last_date.setVisible(custom)
        self.send_button.setEnabled(self.period.currentData() in REPORT_NAMES)

    def query(self) -> tuple[str, dt.date | None, str]:
        return (self.period.currentData(), picked(self.date), self.dimension.currentData())

    def chosen_span(self) -> tuple[str, dt.date, dt.date | None]:
        """(period, day, last day) as chosen; raises ``BadRange`` (Chinese message)
        for a custom range without both dates or reversed, as the services would."""
        from app.reports.summary import checked_span

        period, day, _ = self.query()
        return checked_span(period, day, picked(self.last_date))

    # -- reading --------------------------------------------------------------------
    def refresh(self) -> None:
        from app.reports.summary import BadRange

        try:
            self.span = self.chosen_span()
        except BadRange as exc:
            # The dates stay as picked, to be corrected; no figures of another range
            # stay on screen under them.
            self.generation += 1  # a read still running is not shown either
            self._failed(exc)
            return
        self._refresh_reminders()
        self._refresh_figures()
        for tab in (self.readiness, self.quality, self.end_of_day, self.key_slots):
            tab.stale = True
        self._refresh_current_tab()

    def _refresh_current_tab(self) -> None:
        tab = self.tabs.currentWidget()
        if getattr(tab, "stale", False) and self.span is not None:
            tab.refresh()

    def _refresh_figures(self) -> None:
        period, day, last_day = self.span
        by = self.dimension.currentData()
        identity = identity_of(self.workstation)
        zone = self.workstation.settings.zone
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Counting…"))
        self.generation += 1
        generation = self.generation

        def read():
            from app.reports.console import console_figures

            return console_figures(identity, period, day, by, zone=zone, last_day=last_day)

        run_in_background(read, lambda figures: self._latest(generation, self._show, figures),
                          lambda exc: self._latest(generation, self._failed, exc))

    def _latest(self, generation: int, callback, value) -> None:
        if generation == self.generation:
            callback(value)

    def _clear_cases(self) -> None:
        """The cases listed belong to the figures they were clicked in."""
        self.selection = None
        self.cases.setRowCount(0)
        self.cases_title.setText(self.tr(
            "Click a number in the table to list its cases; double-click a case to open it"))

    def _show(self, figures) -> None:
        self._clear_cases()
        self.lines = figures.lines
        self.trend.set_points(figures.trend)
        self.departments.set_departments(figures.departments)
        self.table.setRowCount(len(figures.lines))
        for row, line in enumerate(figures.lines):
            values = line.summary.as_dict()
            cells = [line.label, line.key_text]
            for key, _ in COLUMNS:
                value = values[key]
                cells.append("—" if value is None else
                             f"{value:.1%}" if key.endswith("_rate") else str(value))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        span = (figures.start.isoformat() if figures.start == figures.end else
                self.tr("%1 to %2").replace("%1", figures.start.isoformat())
                .replace("%2", figures.end.isoformat()))
        text = (self.tr("%1: %n group(s)", "", len(figures.lines)).replace("%1", span)
                if figures.lines else self.tr("%1: no cases").replace("%1", span))
        self.message.setText(f"{self.note} · {text}" if self.note else text)
        self.note = ""
        self.loaded.emit()

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self._clear_cases()
        self.lines = []
        self.table.setRowCount(0)
        self.trend.set_points([])
        self.departments.set_departments([])
        self._show_error(str(exc) or type(exc).__name__)
        self.loaded.emit()

    # -- reminders: 周报/月报 due, days left unsigned ------------------------------------
    def _refresh_reminders(self) -> None:
        identity = identity_of(self.workstation)
        zone = self.workstation.settings.zone
        station = station_of(self.workstation)

        def read():
            from app.reports.console import console_reminders

            return console_reminders(identity, station, zone=zone)

        run_in_background(read, self._show_reminders, lambda _exc: self._show_reminders(None))

    def _show_reminders(self, reminders) -> None:
        texts = []
        for due in (reminders.reports if reminders else []):
            name = translate(REPORT_NAMES[due.kind])
            template = (self.tr("The %1 for %2 – %3 was due %4 and has not been sent to "
                                "the hall") if due.overdue else
                        self.tr("The %1 for %2 – %3 is due today (%4): send it to the hall"))
            texts.append(template.replace("%1", name).replace("%2", due.start.isoformat())
                         .replace("%3", due.end.isoformat()).replace("%4", due.due.isoformat()))
        for refused in (reminders.refused if reminders else []):
            name = translate(REPORT_NAMES.get(refused.kind, DAY_SIGNOFF_NAME))
            texts.append(self.tr("The hall refused the %1 for %2 – %3: %4").replace(
                "%1", name).replace("%2", refused.start.isoformat())
                .replace("%3", refused.end.isoformat()).replace("%4", refused.reason))
        if reminders and reminders.unsigned_days:
            texts.append(self.tr("Days not signed off: %1").replace(
                "%1", ", ".join(day.isoformat() for day in reminders.unsigned_days)))
        self.reminders.setText("\n".join(texts))
        self.reminders.setVisible(bool(texts))
        self.reminders_loaded.emit()

    # -- the same figures as a file (PDF with the charts, or Excel) --------------------
    def export(self, kind: str, path=None) -> None:
        """Writes the chosen range's summary, broken down by the chosen group; asks
        where unless ``path`` is given.  The service checks the role and audits it."""
        from app.reports.summary import BadRange

        try:
            period, day, last_day = self.chosen_span()
        except BadRange as exc:
            self._show_error(str(exc))
            self.exported.emit()
            return
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            pattern = self.tr("PDF (*.pdf)") if kind == "pdf" else self.tr("Excel (*.xlsx)")
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the summary"),
                                                  f"summary-{day.isoformat()}.{kind}", pattern)
            if not path:
                return
        identity = identity_of(self.workstation)
        store, settings = self.workstation.store, self.workstation.settings
        by = self.dimension.currentData()
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Writing %1…").replace("%1", str(path)))

        def write():
            from app.reports.export import export_summary_file

            return export_summary_file(store, settings, identity, period, day, kind, path,
                                       by=by, last_day=last_day)

        def written(target) -> None:
            self.message.setText(self.tr("Saved %1").replace("%1", str(target)))
            self.exported.emit()

        def failed(exc: BaseException) -> None:
            self._show_error(str(exc) or type(exc).__name__)
            self.exported.emit()

        run_in_background(write, written, failed)

    # -- 周报/月报 to the hall ------------------------------------------------------------
    def send_report(self) -> None:
        from app.reports.summary import BadRange

        try:
            period, day, _ = self.chosen_span()
        except BadRange as exc:
            self._show_error(str(exc))
            self.report_sent.emit()
            return
        identity = identity_of(self.workstation)
        store, settings = self.workstation.store, self.workstation.settings
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Queuing the report for the hall…"))

        def send():
            from app.reports.period_reports import queue_period_report

            return queue_period_report(store, settings, identity, period, day)

        run_in_background(send, self._report_queued, self._report_refused)

    def _report_queued(self, report) -> None:
        # Show the figures of the period just sent, with the confirmation beside them.
        self.note = self.tr("The %1 for %2 – %3 is queued for the hall").replace(
            "%1", translate(REPORT_NAMES[report.kind])).replace(
            "%2", report.period_start.isoformat()).replace("%3", report.period_end.isoformat())
        self.refresh()
        self.report_sent.emit()

    def _report_refused(self, exc: BaseException) -> None:
        self._show_error(str(exc) or type(exc).__name__)
        self.report_sent.emit()

    # -- drill-down ---------------------------------------------------------------
    def _cell_clicked(self, row: int, column: int) -> None:
        from app.reports.breakdown import DRILLABLE

        if column < 2 or row >= len(self.lines):
            return
        indicator, label = COLUMNS[column - 2]
        if indicator not in DRILLABLE:
            self.cases_title.setText(self.tr(
                "“%1” is a rate: click one of the numbers to list cases").replace(
                "%1", translate(label)))
            return
        self.show_cases(self.lines[row], indicator)

    def show_cases(self, line, indicator: str) -> None:
        period, day, last_day = self.span
        by = self.dimension.currentData()
        identity = identity_of(self.workstation)
        zone = self.workstation.settings.zone
        self.selection = (line, indicator)
        label = translate(dict(COLUMNS).get(indicator, indicator))
        self.cases_title.setText(self.tr("%1 · %2: reading…").replace("%1", line.label)
                                 .replace("%2", label))

        def read():
            from app.reports.breakdown import supervisor_cases_behind

            return supervisor_cases_behind(identity, period, day, by, line.key, indicator,
                                           zone=zone, last_day=last_day)

        run_in_background(read, lambda rows: self._show_cases(line, label, rows),
                          self._cases_failed)

    def _show_cases(self, line, label: str, rows: list[dict]) -> None:
        self.cases.setRowCount(len(rows))
        for row, case in enumerate(rows):
            texts = (case["number"], case["item"] or "", state_name(case["state"]),
                     case["clerk"] or "")
            for column, text in enumerate(texts):
                self.cases.setItem(row, column, QTableWidgetItem(text))
        self.cases_title.setText(
            self.tr("%1 · %2: %n case(s) (double-click to open)", "", len(rows))
            .replace("%1", line.label).replace("%2", label))
        self.cases_loaded.emit()

    def _cases_failed(self, exc: BaseException) -> None:
        self.cases.setRowCount(0)
        self.cases_title.setText(str(exc) or type(exc).__name__)
        self.cases_loaded.emit()

    def _open_case(self, row: int, _column: int):
        item = self.cases.item(row, 0)
        return self.open_case(item.text()) if item is not None else None

    def open_case(self, number: str):
        from ui.case_detail import CaseDetailDialog

        dialog = CaseDetailDialog(self.workstation, number, self)
        dialog.open()
        return dialog
