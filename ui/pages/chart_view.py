"""A bar chart drawn with QPainter from the core's chart specification
(``forumkit.analysis.ChartSpec``), beside a table of the same numbers for screen readers.

The app draws only what the specification holds, never counts of its own: a suppressed bar has
no length and says "fewer than t" (or "hidden") where its count would be, as the pack prints it.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from forumkit.analysis import ChartBar, ChartSpec, ComparedBar, EditionBar

BAR_HEIGHT = 22
GAP = 8
BAR_COLOUR = "#0072B2"  # Okabe–Ito blue: strong contrast on light and dark
EARLIER_COLOUR = "#E69F00"  # Okabe–Ito orange: told apart from the blue by colour-blind eyes


def spoken(bar: ChartBar, threshold: int) -> str:
    """A bar's figure as people read it: 12 (34%), fewer than 5, hidden."""
    if bar["suppressed"]:
        return f"fewer than {threshold}" if bar["shown"].startswith("<") else "hidden"
    percent = f" ({bar['percent']:.0f}%)" if bar["percent"] is not None else ""
    return f"{bar['shown']}{percent}"


def edition_figure(bar: EditionBar | None, threshold: int) -> str:
    """One edition's side of a compared cell as people read it: 12 (34%), fewer than 5,
    hidden, or "not asked" when that edition had no such answer."""
    if bar is None:
        return "not asked"
    if bar["suppressed"]:
        return f"fewer than {threshold}" if bar["shown"].startswith("<") else "hidden"
    percent = f" ({bar['percent']:.0f}%)" if bar["percent"] is not None else ""
    return f"{bar['shown']}{percent}"


class ChartView(QWidget):
    """Horizontal bars, one per cell of the published table, labels on the left."""

    def __init__(
        self,
        title: str,
        bars: list[ChartBar],
        alt_text: str,
        axis: str,
        threshold: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bars = bars
        self.axis = axis
        self.threshold = threshold
        self.setAccessibleName(title)
        self.setAccessibleDescription(alt_text)
        self.setMinimumHeight(self.sizeHint().height())

    @classmethod
    def of(cls, spec: ChartSpec, threshold: int) -> ChartView:
        """The chart of one question's published table."""
        axis = spec["x_label"] if spec["type"] == "histogram" else spec["y_label"]
        return cls(spec["title"], spec["bars"], spec["alt_text"], axis, threshold)

    def sizeHint(self) -> QSize:
        rows = len(self.bars)
        return QSize(560, rows * (BAR_HEIGHT + GAP) + GAP + self.fontMetrics().height() + GAP)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text = self.palette().color(QPalette.ColorRole.WindowText)
        bars = self.bars
        label_width = min(
            int(self.width() * 0.4),
            max((metrics.horizontalAdvance(b["label"]) for b in bars), default=0) + GAP,
        )
        value_width = (
            max((metrics.horizontalAdvance(spoken(b, self.threshold)) for b in bars), default=0)
            + GAP
        )
        room = max(10, self.width() - label_width - value_width - GAP)
        largest = max((b["count"] or 0 for b in bars), default=0) or 1
        y = GAP
        for bar in bars:
            painter.setPen(text)
            label = metrics.elidedText(bar["label"], Qt.TextElideMode.ElideRight, label_width - GAP)
            painter.drawText(
                QRectF(0, y, label_width - GAP, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            length = 0.0 if bar["count"] is None else room * bar["count"] / largest
            if length:
                painter.fillRect(
                    QRectF(label_width, y + 3, length, BAR_HEIGHT - 6), QColor(BAR_COLOUR)
                )
            painter.setPen(text)
            painter.drawText(
                QRectF(label_width + length + GAP / 2, y, value_width + room, BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                spoken(bar, self.threshold),
            )
            y += BAR_HEIGHT + GAP
        painter.drawLine(label_width, GAP, label_width, y - GAP)
        painter.drawText(
            QRectF(label_width, y, room, metrics.height()),
            Qt.AlignmentFlag.AlignLeft,
            self.axis,
        )
        painter.end()


class PairedChartView(QWidget):
    """Pairs of horizontal bars by percentage, the earlier edition's above this year's (a
    ``ComparisonChartSpec``), with a legend naming both editions under the axis."""

    def __init__(
        self,
        title: str,
        bars: list[ComparedBar],
        editions: tuple[str, str],
        alt_text: str,
        threshold: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.bars = bars
        self.editions = editions
        self.threshold = threshold
        self.setAccessibleName(title)
        self.setAccessibleDescription(alt_text)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        rows = len(self.bars)
        line = self.fontMetrics().height()
        return QSize(560, rows * (2 * BAR_HEIGHT + GAP) + GAP + 2 * (line + GAP))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(self.font())
        text = self.palette().color(QPalette.ColorRole.WindowText)
        sides = [(bar, side) for bar in self.bars for side in (bar["previous"], bar["current"])]
        label_width = min(
            int(self.width() * 0.4),
            max((metrics.horizontalAdvance(b["label"]) for b in self.bars), default=0) + GAP,
        )
        value_width = (
            max(
                (metrics.horizontalAdvance(edition_figure(s, self.threshold)) for _, s in sides),
                default=0,
            )
            + GAP
        )
        room = max(10, self.width() - label_width - value_width - GAP)
        colours = (QColor(EARLIER_COLOUR), QColor(BAR_COLOUR))
        y = GAP
        for bar in self.bars:
            painter.setPen(text)
            label = metrics.elidedText(bar["label"], Qt.TextElideMode.ElideRight, label_width - GAP)
            painter.drawText(
                QRectF(0, y, label_width - GAP, 2 * BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            for side, colour in zip((bar["previous"], bar["current"]), colours, strict=True):
                percent = None if side is None else side["percent"]
                length = 0.0 if percent is None else room * percent / 100
                if length:
                    painter.fillRect(QRectF(label_width, y + 3, length, BAR_HEIGHT - 6), colour)
                painter.setPen(text)
                painter.drawText(
                    QRectF(label_width + length + GAP / 2, y, value_width + room, BAR_HEIGHT),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    edition_figure(side, self.threshold),
                )
                y += BAR_HEIGHT
            y += GAP
        painter.drawLine(label_width, GAP, label_width, y - GAP)
        line = metrics.height()
        painter.drawText(
            QRectF(label_width, y, room, line), Qt.AlignmentFlag.AlignLeft, "Per cent of the base"
        )
        y += line + GAP
        x = float(label_width)
        for edition, colour in zip(self.editions, colours, strict=True):
            painter.fillRect(QRectF(x, y + 2, line - 4, line - 4), colour)
            x += line + 2
            painter.setPen(text)
            painter.drawText(QRectF(x, y, room, line), Qt.AlignmentFlag.AlignLeft, edition)
            x += metrics.horizontalAdvance(edition) + 2 * GAP
        painter.end()
