"""The cards of the statistics page: a titled chart (pyqtgraph) or table, with 导出图片 / 导出数据.

Each card keeps the numbers it shows as rows (its CSV); `series()` reads back what the chart
actually draws, so a test compares the picture's numbers, not the card's notes.
"""
from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.strings import stats as S
from desktop.views.file_dialogs import save_file_name

BAR, WARN, ALARM, LATE_RED = "#1a5fb4", "#e66100", "#c01c28", "#b3261e"
DAY_SECONDS = 86_400


def _midday(d: date) -> float:
    """Where a day's bar stands: on the day's tick (local midnight, as DateAxisItem counts)."""
    return datetime.combine(d, time()).timestamp()


class DayAxis(pg.DateAxisItem):
    """Days as 11-27 (not a bare 27), never hours: a bar is one whole day."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 - pyqtgraph API
        days = max(1, round((maxVal - minVal) / DAY_SECONDS))
        step = max(1, -(-days // max(1, int(size // 60))))  # about one label per 60 pixels
        first = datetime.fromtimestamp(minVal).date()
        ticks = [_midday(first + timedelta(days=i)) for i in range(0, days + 2, step)]
        return [(step * DAY_SECONDS, [x for x in ticks if minVal <= x <= maxVal])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        return [datetime.fromtimestamp(v).strftime("%m-%d") for v in values]


def _count_ticks(axis: pg.AxisItem, top: int) -> None:
    """Whole numbers only: nobody issues half a report."""
    step = max(1, -(-top // 5))
    axis.setTickSpacing(step, step)


class Card(QFrame):
    """A title, the content, an optional note and the two export buttons."""

    message = Signal(str)  # "已保存：…" or why not, for the page's status line

    def __init__(self, title: str, header: tuple[str, ...], file_stem: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.header, self.file_stem, self.rows = header, file_stem, []
        self.title = QLabel(title, self)
        self.title.setStyleSheet("QLabel { font-size: 12pt; font-weight: bold; }")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.hide()
        self.png_button = QPushButton(S.EXPORT_PNG, self)
        self.png_button.setToolTip(S.EXPORT_PNG_TIP)
        self.csv_button = QPushButton(S.EXPORT_CSV, self)
        self.csv_button.setToolTip(S.EXPORT_CSV_TIP)
        self.png_button.clicked.connect(lambda: self._ask("png"))
        self.csv_button.clicked.connect(lambda: self._ask("csv"))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.png_button)
        top.addWidget(self.csv_button)
        self.picture = QWidget(self)  # what 导出图片 saves: the title and the chart
        self.picture_layout = QVBoxLayout(self.picture)
        self.picture_layout.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.note)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    # -- exports ------------------------------------------------------------------------------

    def _ask(self, kind: str) -> None:
        title, filt = (S.EXPORT_PNG, S.PNG_FILTER) if kind == "png" else (S.EXPORT_CSV, S.CSV_FILTER)
        path = save_file_name(self, title, f"{self.file_stem}.{kind}", filt)  # starts in 文档
        if path:
            (self.save_png if kind == "png" else self.save_csv)(path)

    def image(self) -> QPixmap:
        """The chart (or table) under its title and the note, without the buttons."""
        chart = self.picture.grab()
        font = QFont(self.title.font())
        line = QFontMetrics(font).height() + 12
        note = self.note.text() if self.note.isVisible() else ""
        out = QPixmap(chart.width(), chart.height() + line * (2 if note else 1))
        out.fill(QColor("white"))
        painter = QPainter(out)
        painter.setFont(font)
        painter.setPen(QColor("#202020"))
        painter.drawText(0, 0, out.width(), line, Qt.AlignmentFlag.AlignCenter, self.title.text())
        painter.drawPixmap(0, line, chart)
        if note:
            painter.setFont(self.note.font())
            painter.drawText(8, line + chart.height(), out.width() - 16, line, Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, note)
        painter.end()
        return out

    def save_png(self, path: str) -> bool:
        ok = self.image().save(path, "PNG")
        self.message.emit(S.SAVED.format(path=path) if ok else S.SAVE_FAILED.format(error=path))
        return ok

    def save_csv(self, path: str) -> bool:
        try:  # UTF-8 with a BOM: Excel then reads the Chinese right
            with open(path, "w", encoding="utf-8-sig", newline="") as f:
                csv.writer(f).writerows([self.header, *self.rows])
        except OSError as exc:
            self.message.emit(S.SAVE_FAILED.format(error=exc.strerror or exc))
            return False
        self.message.emit(S.SAVED.format(path=path))
        return True


class BarCard(Card):
    """Bars by category, by day (a date axis) or lying down (long names, most first on top)."""

    def __init__(self, title, header, file_stem, *, dates: bool = False, horizontal: bool = False, parent=None):
        super().__init__(title, header, file_stem, parent)
        self.dates, self.horizontal = dates, horizontal
        axes = {"bottom": DayAxis(orientation="bottom")} if dates else {}
        self.plot = pg.PlotWidget(background="w", axisItems=axes)
        self.plot.setMinimumHeight(200)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=horizontal, y=not horizontal, alpha=0.25)
        for side in ("left", "bottom"):
            self.plot.getAxis(side).setTextPen("#303030")
        self.picture_layout.addWidget(self.plot, 1)
        self.bars: pg.BarGraphItem | None = None
        self.labels: list[str] = []

    def show_bars(self, labels: list[str], values: list[int], colours: list[str] | None = None,
                  days: list[date] | None = None, rows: list[tuple] | None = None,
                  period: tuple[date, date] | None = None) -> None:
        self.plot.clear()
        self.labels, self.rows = list(labels), rows if rows is not None else list(zip(labels, values))
        brushes = [pg.mkBrush(c) for c in (colours or [BAR] * len(values))]
        if self.dates:
            xs = [_midday(d) for d in days or []]
            self.bars = pg.BarGraphItem(x=xs, height=values, width=0.7 * DAY_SECONDS, brushes=brushes, pen=None)
        elif self.horizontal:
            ys = list(range(len(values)))[::-1]  # the first (largest) on top
            self.bars = pg.BarGraphItem(x0=0, y=ys, width=values, height=0.6, brushes=brushes, pen=None)
            self.plot.getAxis("left").setTicks([list(zip(ys, labels))])
        else:
            xs = list(range(len(values)))
            self.bars = pg.BarGraphItem(x=xs, height=values, width=0.6, brushes=brushes, pen=None)
            self.plot.getAxis("bottom").setTicks([list(zip(xs, labels))])
        self.plot.addItem(self.bars)
        self.set_note("" if values else S.NO_DATA)
        self._fit(len(values), max(values, default=0), period)

    def _fit(self, n: int, top: int, period: tuple[date, date] | None) -> None:
        span = max(1, top) * 1.15
        _count_ticks(self.plot.getAxis("bottom" if self.horizontal else "left"), top)
        if self.dates:
            if period:  # the whole period chosen, days without reports too
                self.plot.setXRange(_midday(period[0]) - DAY_SECONDS * 0.6, _midday(period[1]) + DAY_SECONDS * 0.6,
                                    padding=0)
            self.plot.setYRange(0, span, padding=0)
        elif self.horizontal:
            self.plot.setYRange(-0.7, max(n, 1) - 0.3, padding=0)
            self.plot.setXRange(0, span, padding=0)
        else:
            self.plot.setXRange(-0.7, max(n, 1) - 0.3, padding=0)
            self.plot.setYRange(0, span, padding=0)

    def series(self) -> list[tuple]:
        """What the bars draw: (day or label, value), in the chart's order."""
        if self.bars is None:
            return []
        o = self.bars.opts
        if self.dates:
            return [(datetime.fromtimestamp(x).date(), int(h)) for x, h in zip(o["x"], o["height"])]
        values = o["width"] if self.horizontal else o["height"]
        return [(label, int(v)) for label, v in zip(self.labels, values)]

    def colours(self) -> list[str]:
        return [b.color().name() for b in self.bars.opts["brushes"]] if self.bars is not None else []


class UnitsCard(Card):
    """A table: one row per providing unit, late ones in red (and saying so in words)."""

    def __init__(self, parent=None):
        super().__init__(S.UNITS, S.UNITS_HEADER, S.UNITS, parent)
        self.table = QTableWidget(0, len(S.UNITS_HEADER), self.picture)
        self.table.setHorizontalHeaderLabels(S.UNITS_HEADER)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
        self.picture_layout.addWidget(self.table, 1)

    def show_units(self, units: list[dict], late_days: int) -> None:
        self.rows = [(u["unit"] or S.UNIT_UNNAMED, u["last_import"].replace("T", " "), u["rows"], u["rejected"],
                      S.LATE if u["late"] else S.NOT_LATE) for u in units]
        self.table.setRowCount(len(self.rows))
        for r, (row, unit) in enumerate(zip(self.rows, units)):
            for c, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if unit["late"]:
                    item.setForeground(QBrush(QColor(LATE_RED)))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.set_note(S.UNITS_NOTE.format(days=late_days) if units else S.NO_DATA)
