"""The supervisor's console: a period's indicators broken down by department, item,
station or clerk; a click on a number lists the cases behind it, a double click on
a case opens it.

Every read runs off the GUI thread (``run_in_background``).  The role is enforced
by the services (``app.reports.breakdown``): a clerk who opens this tab gets the
services' refusal on screen, not data.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
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
    QVBoxLayout,
    QWidget,
)

from ui.background import run_in_background
from ui.case_states import fit_case_number_column, state_name
from ui.console.trend_chart import TrendChart

# (indicator, header) of the breakdown table; percentages are not drillable.
COLUMNS = [
    ("received", "收件"), ("accepted", "受理"), ("completion_notices", "一次性告知"),
    ("rejected", "不予受理"), ("concluded", "当场办结"), ("overdue", "超期"),
    ("reported", "已上报"), ("unreported", "未上报"), ("report_rate", "上报率"),
    ("timeliness_rate", "及时率"), ("satisfaction_rate", "好评率"),
]
PERIOD_CHOICES = [("daily", "日"), ("weekly", "周"), ("monthly", "月")]
DIMENSION_CHOICES = [("department", "部门"), ("item", "事项"), ("station", "工位"),
                     ("clerk", "窗口人员")]
CASE_HEADERS = ["办件编号", "事项", "状态", "窗口人员"]
ERROR_STYLE = "color: #b00020"


def _identity(workstation):
    session = getattr(workstation, "staff_session", None)
    return getattr(session, "identity", None)


class ConsoleArea(QWidget):
    loaded = Signal()  # the breakdown is on screen
    cases_loaded = Signal()  # the cases behind a number are on screen

    def __init__(self, workstation, parent: QWidget | None = None):
        super().__init__(parent)
        self.workstation = workstation
        self.lines = []
        self.selection: tuple | None = None  # (line, indicator) of the listed cases

        self.period = QComboBox()
        for key, label in PERIOD_CHOICES:
            self.period.addItem(label, key)
        self.period.setCurrentIndex(2)
        self.date = QDateEdit()
        self.date.setObjectName("consoleDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setDate(QDate.currentDate())
        self.dimension = QComboBox()
        self.dimension.setObjectName("consoleDimension")
        for key, label in DIMENSION_CHOICES:
            self.dimension.addItem(label, key)
        self.refresh_button = QPushButton("刷新")
        self.refresh_button.setObjectName("consoleRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel()
        self.message.setObjectName("consoleMessage")
        self.message.setWordWrap(True)

        controls = QHBoxLayout()
        for label, widget in (("期间", self.period), ("日期", self.date), ("分组", self.dimension)):
            controls.addWidget(QLabel(label))
            controls.addWidget(widget)
        controls.addWidget(self.refresh_button)
        controls.addStretch(1)

        self.table = QTableWidget(0, 2 + len(COLUMNS))
        self.table.setObjectName("consoleBreakdown")
        self.table.setHorizontalHeaderLabels(["名称", "编码", *(label for _, label in COLUMNS)])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 2 + len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.cellClicked.connect(self._cell_clicked)

        self.cases_title = QLabel("点击表中数字，列出其中的办件；双击办件打开")
        self.cases_title.setObjectName("consoleCasesTitle")
        self.cases = QTableWidget(0, len(CASE_HEADERS))
        self.cases.setObjectName("consoleCases")
        self.cases.setHorizontalHeaderLabels(CASE_HEADERS)
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
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.trend)
        layout.addWidget(splitter, 1)
        self.refresh()

    # -- the breakdown ------------------------------------------------------------
    def query(self) -> tuple[str, dt.date, str]:
        return (self.period.currentData(), self.date.date().toPython(),
                self.dimension.currentData())

    def refresh(self) -> None:
        period, day, by = self.query()
        identity = _identity(self.workstation)
        zone = self.workstation.settings.zone
        self.message.setStyleSheet("")
        self.message.setText("正在统计…")

        def read():
            from app.reports.breakdown import daily_trend, supervisor_breakdown
            from app.reports.summary import period_bounds

            lines = supervisor_breakdown(identity, period, day, by, zone=zone)  # role first
            start, end = period_bounds(period, day)
            trend = [(point["day"], point["received"])
                     for point in daily_trend(start, end, zone=zone)]
            return (start, end), lines, trend

        run_in_background(read, self._show, self._failed)

    def _show(self, result) -> None:
        (start, end), lines, trend = result
        self.lines = lines
        self.trend.set_points(trend)
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
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
        span = start.isoformat() if start == end else f"{start.isoformat()} 至 {end.isoformat()}"
        self.message.setText(f"{span}：{len(lines)} 组" if lines else f"{span}：没有办件")
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.table.setRowCount(0)
        self.trend.set_points([])
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(str(exc) or type(exc).__name__)
        self.loaded.emit()

    # -- drill-down ---------------------------------------------------------------
    def _cell_clicked(self, row: int, column: int) -> None:
        from app.reports.breakdown import DRILLABLE

        if column < 2 or row >= len(self.lines):
            return
        indicator, label = COLUMNS[column - 2]
        if indicator not in DRILLABLE:
            self.cases_title.setText(f"“{label}”是比率，请点击其中的数字列出办件")
            return
        self.show_cases(self.lines[row], indicator)

    def show_cases(self, line, indicator: str) -> None:
        period, day, by = self.query()
        identity = _identity(self.workstation)
        zone = self.workstation.settings.zone
        self.selection = (line, indicator)
        label = dict(COLUMNS).get(indicator, indicator)
        self.cases_title.setText(f"{line.label} · {label}：正在读取…")

        def read():
            from app.reports.breakdown import supervisor_cases_behind

            return supervisor_cases_behind(identity, period, day, by, line.key, indicator,
                                           zone=zone)

        run_in_background(read, lambda rows: self._show_cases(line, label, rows),
                          self._cases_failed)

    def _show_cases(self, line, label: str, rows: list[dict]) -> None:
        self.cases.setRowCount(len(rows))
        for row, case in enumerate(rows):
            texts = (case["number"], case["item"] or "", state_name(case["state"]),
                     case["clerk"] or "")
            for column, text in enumerate(texts):
                self.cases.setItem(row, column, QTableWidgetItem(text))
        self.cases_title.setText(f"{line.label} · {label}：{len(rows)} 件（双击打开）")
        self.cases_loaded.emit()

    def _cases_failed(self, exc: BaseException) -> None:
        self.cases.setRowCount(0)
        self.cases_title.setText(str(exc) or type(exc).__name__)
        self.cases_loaded.emit()

    def _open_case(self, row: int, _column: int):
        item = self.cases.item(row, 0)
        if item is None:
            return None
        from ui.case_detail import CaseDetailDialog

        dialog = CaseDetailDialog(self.workstation, item.text(), self)
        dialog.open()
        return dialog
