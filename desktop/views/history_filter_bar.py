"""The 出具记录 filters: a period (a preset or two typed dates) and a search text.

The bar only collects what the person chose and says when it changed (debounced while typing);
the page asks the desk, which filters in the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.strings import history as H
from desktop.views.date_field import DateField, named_date_field

TYPING_PAUSE_MS = 300  # a search starts once the person stops typing for this long


@dataclass(frozen=True)
class HistoryQuery:
    date_from: date | None
    date_to: date | None
    search: str

    @property
    def narrowed(self) -> bool:
        return bool(self.date_from or self.date_to or self.search)


def preset_period(key: str, today: date) -> tuple[date, date] | None:
    """The days a preset stands for (both included); None for 全部日期 and 指定日期."""
    return {
        "today": (today, today),
        "week": (today - timedelta(days=6), today),
        "month": (today - timedelta(days=29), today),
        "year": (date(today.year, 1, 1), today),
    }.get(key)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class HistoryFilterBar(QWidget):
    changed = Signal()  # the query changed: load again

    def __init__(self, parent: QWidget | None = None, today: date | None = None):
        super().__init__(parent)
        self._today = today or date.today()
        self.preset = QComboBox(self)
        self.preset.setObjectName("historyPeriod")
        for key, label in H.PRESETS:
            self.preset.addItem(label, key)
        self.date_from = named_date_field(self, "historyFrom", H.DATE_FROM_WHAT, self._today - timedelta(days=29))
        self.date_to = named_date_field(self, "historyTo", H.DATE_TO_WHAT, self._today)
        self.search = QLineEdit(self)
        self.search.setObjectName("historyFilter")
        self.search.setPlaceholderText(H.SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(100)  # what the desk accepts (core/usecases/archive.SEARCH_MAX)
        self.search.setMinimumHeight(32)
        self.search.setMinimumWidth(220)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.changed)
        self.search.textChanged.connect(lambda _: self._pause.start())
        self.search.returnPressed.connect(self.apply_now)
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._date_typed)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for caption, widget in ((H.PERIOD, self.preset), (H.FROM, self.date_from), (H.TO, self.date_to),
                                (H.SEARCH, self.search)):
            label = QLabel(caption, self)
            label.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            if widget is self.search:
                row.addSpacing(12)
            row.addWidget(label)
            row.addWidget(widget, 1 if widget is self.search else 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        for field in (self.date_from, self.date_to):  # why a typed date was refused, under the row
            layout.addWidget(field.message)
        self._preset_chosen()

    # -- what the person chose -------------------------------------------------------------------

    def query(self) -> HistoryQuery:
        words = " ".join(self.search.text().split())
        if self.preset.currentData() == "all":
            return HistoryQuery(None, None, words)
        return HistoryQuery(self.date_from.date().toPython(), self.date_to.date().toPython(), words)

    def bad_period(self) -> str | None:
        """A sentence when the typed period is upside down, else None."""
        q = self.query()
        if q.date_from and q.date_to and q.date_from > q.date_to:
            return H.BAD_PERIOD.format(start=q.date_from, end=q.date_to)
        return None

    def choose_preset(self, key: str) -> None:
        self.preset.setCurrentIndex(self.preset.findData(key))

    def clear_search(self) -> None:
        self.search.clear()
        self.apply_now()

    def apply_now(self) -> None:
        self._pause.stop()
        self.changed.emit()

    # -- keeping the preset and the dates in step ------------------------------------------------

    def _preset_chosen(self, _index: int = 0) -> None:
        key = self.preset.currentData()
        days = preset_period(key, self._today)
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(key != "all")
        if days:
            for edit, day in zip((self.date_from, self.date_to), days):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)
        self.apply_now()

    def _date_typed(self, _day: QDate) -> None:
        if self.preset.currentData() != "custom":  # a typed date makes the period the person's own
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData("custom"))
            self.preset.blockSignals(False)
        self._pause.start()
