"""The console's two charts, painted with QPainter (QtCharts is not in the PySide6
wheels this product ships): the trend over the range (cases received per day)
and the distribution by department (cases received, busiest first)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = QColor("#2f6fb0")
AXIS_COLOUR = QColor("#555555")
MOST_DEPARTMENTS = 8  # the rest are summed as one bar


class TrendChart(QWidget):
    """One bar per day of the range; hovering lists the days."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("consoleTrend")
        self.points: list[tuple[str, int]] = []  # (YYYY-MM-DD, received)
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_points(self, points: list[tuple[str, int]]) -> None:
        self.points = points
        self.setToolTip("; ".join(self.tr("%1 received %2").replace("%1", day[5:])
                                  .replace("%2", str(value)) for day, value in points[:62]))
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height() + 4, self.height() - metrics.height() - 6
        left, right = 8, self.width() - 8
        painter.setPen(AXIS_COLOUR)
        if not self.points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No trend to show"))
            return
        highest = max(value for _, value in self.points)
        painter.drawText(left, metrics.ascent() + 1,
                         self.tr("Received per day (highest %1)").replace("%1", str(highest)))
        highest = highest or 1  # the scale of an empty range
        painter.drawLine(left, bottom, right, bottom)
        slot = (right - left) / len(self.points)
        for n, (_day, value) in enumerate(self.points):
            height = (bottom - top) * value / highest
            bar = QRectF(left + n * slot + slot * 0.15, bottom - height, max(slot * 0.7, 1),
                         height)
            painter.fillRect(bar, BAR_COLOUR)
        # Label the first and last days, and the middle one for a long range.
        label_at = {0, len(self.points) - 1} | ({len(self.points) // 2}
                                               if len(self.points) > 7 else set())
        for n in sorted(label_at):
            text = self.points[n][0][5:]
            x = left + n * slot + slot / 2 - metrics.horizontalAdvance(text) / 2
            x = min(max(x, left), right - metrics.horizontalAdvance(text))
            painter.drawText(int(x), self.height() - 4, text)


def top_departments(departments: list[tuple[str, int]], most: int = MOST_DEPARTMENTS
                    ) -> list[tuple[str, int]]:
    """The busiest ``most - 1`` and the rest as one (labelled by the caller)."""
    if len(departments) <= most:
        return list(departments)
    head = list(departments[:most - 1])
    return [*head, ("", sum(value for _, value in departments[most - 1:]))]


class DepartmentChart(QWidget):
    """Horizontal bars: cases received per department in the range."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("consoleDepartments")
        self.bars: list[tuple[str, int]] = []
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_departments(self, departments: list[tuple[str, int]]) -> None:
        other = self.tr("Other departments")
        self.bars = [(name or other, value) for name, value in top_departments(departments)]
        self.setToolTip("\n".join(f"{name}: {value}" for name, value in departments))
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        painter.setPen(AXIS_COLOUR)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No departments to show"))
            return
        painter.drawText(8, metrics.ascent() + 1, self.tr("Received by department"))
        top = metrics.height() + 4
        row = max(1.0, (self.height() - top - 2) / len(self.bars))
        name_width = min(self.width() // 3, max(metrics.horizontalAdvance(name)
                                                for name, _ in self.bars) + 8)
        value_width = metrics.horizontalAdvance("0000000")
        span = max(1, self.width() - name_width - value_width - 16)
        highest = max(value for _, value in self.bars) or 1
        for n, (name, value) in enumerate(self.bars):
            y = top + n * row
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width - 8)
            text_y = int(y + (row + metrics.ascent() - metrics.descent()) / 2)
            painter.drawText(8, text_y, label)
            width = span * value / highest
            painter.fillRect(QRectF(8 + name_width, y + row * 0.15, width, row * 0.7),
                             BAR_COLOUR)
            painter.drawText(int(12 + name_width + width), text_y, str(value))
