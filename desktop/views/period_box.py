"""查询期间: the profile's presets (近1年 …) or 自定义 with a typed start; the end is the issue day."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QRadioButton, QWidget

from core.services.reports.period import earliest_start, preset_start  # pure date rules
from core.usecases import presets_for
from desktop.strings import counter as S
from desktop.views.date_field import DateField


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PeriodBox(QGroupBox):
    """`years()` is the chosen preset (0 for 自定义) and `start()` the shown start; `changed`
    after a choice. A report always ends on the day it is issued: only the start can be chosen,
    typed (2024-01-01 or 20240101) or picked from the calendar."""

    changed = Signal()

    def __init__(self, profile, today: Callable[[], date], parent: QWidget | None = None):
        super().__init__(S.PERIOD_LABEL, parent)
        self.profile, self._today = profile, today
        grid = QGridLayout(self)
        self.presets = QButtonGroup(self)
        self.preset_buttons: dict[str, QRadioButton] = {}
        row = QHBoxLayout()
        for label, years in presets_for(profile).items():
            button = QRadioButton(label, self)
            self.presets.addButton(button, years)
            self.preset_buttons[label] = button
            row.addWidget(button)
        self.custom_button = QRadioButton(S.PERIOD_CUSTOM, self)
        self.presets.addButton(self.custom_button, 0)
        row.addWidget(self.custom_button)
        grid.addLayout(row, 0, 0, 1, 4)
        self.date_from, self.date_to = DateField(self, S.DATE_FROM_WHAT), DateField(self)
        self.date_from.setObjectName("dateFrom")
        self.date_from.dateChanged.connect(self._dates_edited)
        self.date_to.setReadOnly(True)
        self.date_to.setEnabled(False)  # shown greyed: the issue date, never a choice
        self.date_to.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.date_to.edit.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fix_dates()
        grid.addWidget(QLabel(S.PERIOD_FROM, self), 1, 0)
        grid.addWidget(self.date_from, 1, 1)
        grid.addWidget(QLabel(S.PERIOD_TO, self), 1, 2)
        grid.addWidget(self.date_to, 1, 3)
        grid.addWidget(self.date_from.message, 2, 0, 1, 4)  # why a typed date was refused
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.presets.idClicked.connect(self.choose_preset)

    def years(self) -> int:
        return self.presets.checkedId()

    def start(self) -> date:
        return pydate(self.date_from.date())

    def set_choosable(self, choosable: bool) -> None:
        self.date_from.setEnabled(choosable)
        for button in self.presets.buttons():
            button.setEnabled(choosable)

    def reset(self) -> None:
        """The profile's default preset, for the next customer."""
        self.presets.button(self.profile.default_years).setChecked(True)
        self.choose_preset(self.profile.default_years)

    def fix_dates(self) -> None:
        """The end is today and the start may go back to the earliest day the policy allows."""
        today = self._today()
        self.date_from.blockSignals(True)
        self.date_from.setDateRange(qdate(earliest_start(self.profile, today)), qdate(today))
        self.date_from.blockSignals(False)
        self.date_to.setDateRange(qdate(today), qdate(today))
        self.date_to.setDate(qdate(today))

    def choose_preset(self, years: int) -> None:
        if years <= 0:
            return
        self.fix_dates()
        start = preset_start(self._today(), years)  # shown; the check refuses one before the data
        self.date_from.blockSignals(True)
        self.date_from.setDate(qdate(start))
        self.date_from.blockSignals(False)
        self.changed.emit()

    def _dates_edited(self) -> None:
        self.custom_button.setChecked(True)
        self.changed.emit()
