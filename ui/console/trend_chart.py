"""The console's trend: one bar per day of the period (cases received), painted
directly — no chart library, so nothing more to ship."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_COLOUR = QColor("#2f6fb0")
AXIS_COLOUR = QColor("#555555")


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("consoleTrend")
        self.points: list[tuple[str, int]] = []  # (YYYY-MM-DD, received)
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_points(self, points: list[tuple[str, int]]) -> None:
        self.points = points
        self.setToolTip("；".join(f"{day[5:]} 收件 {value}" for day, value in points))
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height() + 4, self.height() - metrics.height() - 6
        left, right = 8, self.width() - 8
        painter.setPen(AXIS_COLOUR)
        if not self.points:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "没有趋势数据")
            return
        highest = max(value for _, value in self.points) or 1
        painter.drawText(left, metrics.ascent() + 1,
                         f"每日收件（最高 {highest} 件）")
        painter.drawLine(left, bottom, right, bottom)
        slot = (right - left) / len(self.points)
        for n, (_day, value) in enumerate(self.points):
            height = (bottom - top) * value / highest
            bar = QRectF(left + n * slot + slot * 0.15, bottom - height, slot * 0.7, height)
            painter.fillRect(bar, BAR_COLOUR)
        # Label the first and last days, and the middle one for a long range.
        label_at = {0, len(self.points) - 1} | ({len(self.points) // 2}
                                               if len(self.points) > 7 else set())
        for n in sorted(label_at):
            text = self.points[n][0][5:]
            x = left + n * slot + slot / 2 - metrics.horizontalAdvance(text) / 2
            x = min(max(x, left), right - metrics.horizontalAdvance(text))
            painter.drawText(int(x), self.height() - 4, text)
