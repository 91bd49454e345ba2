"""The console's further tabs, each fed by one ``app.reports`` service off the GUI
thread: catalog readiness (网上办理率 against its targets, items missing standard
fields), reporting quality (报送率, 及时率, 完整率 and the cases that miss each, with
why) and the end of day (each station's reconciliation, differences highlighted,
and the supervisor's sign-off after typing the password again)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.background import SLOW, run_in_background
from ui.console.area import ERROR_STYLE, identity_of, station_of

CONTEXT = "ConsoleTabs"
SHORT = QBrush(QColor("#fde2e1"))  # a figure below its target or not reconciling
STARS = ("1", "2", "3", "4", "5")
READING = QT_TRANSLATE_NOOP("ConsoleTabs", "Reading…")
INDICATORS = {"reported": QT_TRANSLATE_NOOP("ConsoleTabs", "Report rate"),
              "timely": QT_TRANSLATE_NOOP("ConsoleTabs", "Timeliness (12 h)"),
              "complete": QT_TRANSLATE_NOOP("ConsoleTabs", "Completeness")}
FIGURES = [("taken_in", QT_TRANSLATE_NOOP("ConsoleTabs", "Taken in")),
           ("decided", QT_TRANSLATE_NOOP("ConsoleTabs", "Decided")),
           ("printed", QT_TRANSLATE_NOOP("ConsoleTabs", "Printed")),
           ("queued", QT_TRANSLATE_NOOP("ConsoleTabs", "Queued")),
           ("acknowledged", QT_TRANSLATE_NOOP("ConsoleTabs", "Acknowledged")),
           ("parked", QT_TRANSLATE_NOOP("ConsoleTabs", "Parked"))]


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1%}"


def table(name: str, headers: list[str], stretch: int = 0) -> QTableWidget:
    widget = QTableWidget(0, len(headers))
    widget.setObjectName(name)
    widget.setHorizontalHeaderLabels(headers)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().hide()
    header = widget.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return widget


def fill(widget: QTableWidget, rows: list[list[str]], short: list[set[int]] | None = None
         ) -> None:
    """Rows of text; the cells of ``short[row]`` highlighted."""
    widget.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if short and column in short[row]:
                item.setBackground(SHORT)
            widget.setItem(row, column, item)


class ConsoleTab(QWidget):
    """A tab that reads when shown after the range changed (``stale``)."""

    loaded = Signal()

    def __init__(self, console, parent: QWidget | None = None):
        super().__init__(parent)
        self.console = console
        self.stale = True
        self.message = QLabel()
        self.message.setWordWrap(True)

    def refresh(self) -> None:
        self.stale = False
        self.message.setStyleSheet("")
        # translate(), not self.tr(): a subclass's tr() would look in its own context.
        self.message.setText(translate(READING))
        run_in_background(self.read_function(), self.show_result, self.failed)

    def failed(self, exc: BaseException) -> None:
        self.clear()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(exc) or type(exc).__name__)
        self.loaded.emit()

    def lay_out_with_detail(self, figures: QWidget, title: QLabel, detail: QWidget) -> None:
        """The message, then the figures above the cases (or items) behind one of them."""
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(title)
        lower_layout.addWidget(detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(figures)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)

    def clear(self) -> None:
        raise NotImplementedError

    def read_function(self):
        raise NotImplementedError

    def show_result(self, result) -> None:
        raise NotImplementedError


class ReadinessTab(ConsoleTab):
    """Per department of the cached catalog: items by star level and by online depth,
    the two 网上办理率 against their targets, and the items missing standard fields."""

    def __init__(self, console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.message.setObjectName("readinessMessage")
        self.departments = []
        self.table = table("readinessTable", [
            self.tr("Department"), self.tr("Items"),
            *(self.tr("%1 star").replace("%1", star) for star in STARS), self.tr("No star"),
            self.tr("Online depth (deepest)"), self.tr("3 stars or more"),
            self.tr("4 stars or more"), self.tr("Targets"), self.tr("Missing fields")], 0)
        self.table.itemSelectionChanged.connect(self._show_items)
        self.items_title = QLabel(self.tr("Choose a department to list its items that miss "
                                          "standard fields"))
        self.items_title.setObjectName("readinessItemsTitle")
        self.items = table("readinessItems", [self.tr("Item"), self.tr("Task code"),
                                              self.tr("What is missing")], 2)
        self.lay_out_with_detail(self.table, self.items_title, self.items)

    def read_function(self):
        identity = identity_of(self.console.workstation)
        store = self.console.workstation.store

        def read():
            from app.reports.catalog_readiness import supervisor_catalog_readiness

            return supervisor_catalog_readiness(identity, store)

        return read

    def clear(self) -> None:
        self.departments = []
        self.table.setRowCount(0)
        self.items.setRowCount(0)

    def show_result(self, departments) -> None:
        from app.reports.catalog_readiness import NO_STAR

        self.departments = departments
        rows, short = [], []
        for line in departments:
            three, four = line.targets
            depth = "; ".join(f"{name} {count}" for name, count in
                              sorted(line.by_depth.items(), key=lambda pair: -pair[1]))
            rows.append([line.dept_name + (self.tr(" (street office)")
                                           if line.street_office else ""),
                         str(line.items),
                         *(str(line.by_star.get(star, 0)) for star in STARS),
                         str(line.by_star.get(NO_STAR, 0)), depth,
                         percent(line.three_star_rate), percent(line.four_star_rate),
                         f"{three:.0%} / {four:.0%}", str(len(line.items_missing_fields))])
            short.append({column for column, rate, target in
                          ((9, line.three_star_rate, three), (10, line.four_star_rate, four))
                          if rate is None or rate < target - 1e-9}
                         | ({12} if line.items_missing_fields else set()))
        fill(self.table, rows, short)
        met = sum(line.meets_targets for line in departments)
        self.message.setText(self.tr("%1 of %n department(s) meet both targets", "",
                                     len(departments)).replace("%1", str(met)))
        self.loaded.emit()

    def _show_items(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.departments):
            return
        line = self.departments[row]
        fill(self.items, [[item["name"], item["task_code"] or "",
                           "; ".join(item["problems"])] for item in line.items_missing_fields])
        self.items_title.setText(self.tr("%1: %n item(s) missing standard fields", "",
                                         len(line.items_missing_fields))
                                 .replace("%1", line.dept_name))


class QualityTab(ConsoleTab):
    """Per department: 报送率, 及时率, 完整率 of the range's cases, and the cases
    behind each miss, with why (double-click opens the case)."""

    def __init__(self, console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.message.setObjectName("qualityMessage")
        self.departments = []
        self.table = table("qualityTable", [
            self.tr("Department"), self.tr("Cases"), self.tr("Report rate"),
            self.tr("Timeliness (12 h)"), self.tr("Completeness"), self.tr("Misses")], 0)
        self.table.itemSelectionChanged.connect(self._show_misses)
        self.misses_title = QLabel(self.tr("Choose a department to list the cases that miss "
                                           "an indicator; double-click a case to open it"))
        self.misses_title.setObjectName("qualityMissesTitle")
        self.misses_title.setWordWrap(True)
        self.misses = table("qualityMisses", [self.tr("Case number"), self.tr("Indicator"),
                                              self.tr("Why")], 2)
        self.misses.cellDoubleClicked.connect(self._open_case)
        self.lay_out_with_detail(self.table, self.misses_title, self.misses)

    def read_function(self):
        identity = identity_of(self.console.workstation)
        zone = self.console.workstation.settings.zone
        period, day, last_day = self.console.span

        def read():
            from app.reports.reporting_quality import supervisor_reporting_quality

            return supervisor_reporting_quality(identity, period, day, zone=zone,
                                                last_day=last_day)

        return read

    def clear(self) -> None:
        self.departments = []
        self.table.setRowCount(0)
        self.misses.setRowCount(0)

    def show_result(self, departments) -> None:
        self.departments = departments
        rows, short = [], []
        for line in departments:
            rates = (line.report_rate, line.timeliness_rate, line.completeness_rate)
            rows.append([line.dept_name, str(line.cases), *(percent(rate) for rate in rates),
                         str(len(line.misses))])
            # The seed's target for all three is 100 %.
            short.append({2 + n for n, rate in enumerate(rates)
                          if rate is not None and rate < 1})
        fill(self.table, rows, short)
        self.message.setText(self.tr("%n department(s); the target of each rate is 100 %",
                                     "", len(departments)))
        self.misses.setRowCount(0)
        self.loaded.emit()

    def _show_misses(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.departments):
            return
        line = self.departments[row]
        fill(self.misses, [[miss.case_number, translate(INDICATORS[miss.indicator]), miss.why]
                           for miss in line.misses])
        self.misses_title.setText(self.tr("%1: %n miss(es)", "", len(line.misses))
                                  .replace("%1", line.dept_name))

    def _open_case(self, row: int, _column: int):
        item = self.misses.item(row, 0)
        return self.console.open_case(item.text()) if item is not None else None


class EndOfDayTab(ConsoleTab):
    """The day (the range's first date): each station's reconciliation, the cases
    that do not reconcile, the days left unsigned, and the sign-off."""

    signed = Signal()  # a sign-off finished (signed, or refused with a message)

    def __init__(self, console, parent: QWidget | None = None):
        super().__init__(console, parent)
        self.message.setObjectName("eodMessage")
        self.status: dict | None = None
        self.unsigned = QLabel()
        self.unsigned.setObjectName("eodUnsigned")
        self.unsigned.setWordWrap(True)
        self.unsigned.setStyleSheet("color: #8a4b00; font-weight: bold")
        self.table = table("eodStations", [self.tr("Station"),
                                           *(translate(label) for _, label in FIGURES),
                                           self.tr("Signed off")], 7)
        self.differences = table("eodDifferences", [self.tr("Station"), self.tr("Case number"),
                                                    self.tr("Difference")], 2)
        self.differences.cellDoubleClicked.connect(self._open_case)
        self.sign_button = QPushButton(self.tr("Sign off the day…"))
        self.sign_button.setObjectName("eodSign")
        self.sign_button.clicked.connect(self.ask_to_sign)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.unsigned)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("Cases that do not reconcile (double-click to open)")))
        layout.addWidget(self.differences, 2)

    def day(self):
        return self.console.span[1]

    def read_function(self):
        identity = identity_of(self.console.workstation)
        zone = self.console.workstation.settings.zone
        day = self.day()

        def read():
            from app.reports.end_of_day import supervisor_day_status

            return supervisor_day_status(identity, day, zone=zone)

        return read

    def clear(self) -> None:
        self.status = None
        self.table.setRowCount(0)
        self.differences.setRowCount(0)
        self.unsigned.hide()

    def show_result(self, status: dict) -> None:
        self.status = status
        figures = [name for name, _ in FIGURES]
        rows, short, differences = [], [], []
        for line in status["stations"]:
            signed = (self.tr("by %1").replace("%1", line["signed_by"]) if line["signed"]
                      else self.tr("not signed"))
            if line["changed_since_signed"]:
                signed += self.tr(" (figures changed since)")
            rows.append([line["station"], *(str(line[name]) for name in figures), signed])
            short.append({1 + figures.index(name) for name in line["unreconciled"]}
                         | (set() if line["signed"] else {len(figures) + 1}))
            differences += [[line["station"], item["case_number"], item["problem"]]
                            for item in line["differences"]]
        fill(self.table, rows, short)
        fill(self.differences, differences, [{2}] * len(differences))
        self.message.setText(self.tr("End of day %1: %n station(s)", "",
                                     len(status["stations"])).replace("%1", status["date"]))
        unsigned = status["unsigned_days"]
        self.unsigned.setText(self.tr("Earlier days not signed off: %1").replace(
            "%1", ", ".join(unsigned)))
        self.unsigned.setVisible(bool(unsigned))
        self.loaded.emit()

    def _open_case(self, row: int, _column: int):
        item = self.differences.item(row, 1)
        return self.console.open_case(item.text()) if item is not None else None

    # -- the sign-off ---------------------------------------------------------------
    def ask_to_sign(self) -> ReauthDialog:
        identity = identity_of(self.console.workstation)
        dialog = ReauthDialog(identity.account if identity else "", self.day(), self)
        dialog.password_entered.connect(lambda password: self.sign(password, dialog))
        dialog.open()
        return dialog

    def sign(self, password: str, dialog: ReauthDialog) -> None:
        workstation = self.console.workstation
        identity = identity_of(workstation)
        store, settings = workstation.store, workstation.settings
        hall_url = workstation.hall_url or None
        day, station = self.day(), station_of(workstation)
        dialog.busy(True)

        def work():
            from app.reports.end_of_day import sign_day_reauthenticated

            return sign_day_reauthenticated(store, settings, identity, password, day, station,
                                            zone=settings.zone, hall_url=hall_url)

        def done(line) -> None:
            dialog.accept()
            self.message.setStyleSheet("")
            self.refresh()
            self.console._refresh_reminders()
            self.signed.emit()

        def refused(exc: BaseException) -> None:
            dialog.busy(False)
            dialog.show_refusal(str(exc) or type(exc).__name__)
            self.signed.emit()

        # The password may have to be checked by the hall: the slow lane.
        run_in_background(work, done, refused, lane=SLOW)


class ReauthDialog(QDialog):
    """Asks the signed-in supervisor for the password again before the sign-off."""

    password_entered = Signal(str)

    def __init__(self, account: str, day, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("eodReauth")
        self.setWindowTitle(self.tr("Sign off the day"))
        self.setModal(True)
        self.setMinimumWidth(380)
        heading = QLabel(self.tr("Signing off %1 as %2. Type your password again to "
                                 "confirm it is you.").replace("%1", day.isoformat())
                         .replace("%2", account))
        heading.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("eodPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.refusal = QLabel()
        self.refusal.setObjectName("eodRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(self.tr("Sign off"),
                                         QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("eodConfirm")
        buttons.accepted.connect(self._entered)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.refusal)
        layout.addWidget(buttons)

    def _entered(self) -> None:
        self.refusal.clear()
        self.password_entered.emit(self.password.text())

    def busy(self, busy: bool) -> None:
        self.confirm.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def show_refusal(self, text: str) -> None:
        """The service's answer; the password is cleared for another try."""
        self.refusal.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.adjustSize()  # the wrapped answer needs its lines
