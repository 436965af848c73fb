"""A date a person can type: 2024-01-01 or 20240101 (also 2024/1/1, full-width digits).

QDateEdit edits a date section by section: typing a year over a selected date is ignored, and a
date outside its range is silently replaced by the nearest allowed one. Here the clerk types the
whole date; a complete, valid date inside the range is taken at once; anything else leaves the
date as it was and says why, in Chinese, in `message` (a label the owner places where it reads
well). A calendar button offers the same range to pick from.
"""
from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (QCalendarWidget, QHBoxLayout, QLabel, QLineEdit, QToolButton,
                               QWidget)

from desktop.strings import counter as S

BAD = "#b3261e"
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")
_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WHOLE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str, *, whole: bool = False) -> tuple[QDate | None, bool]:
    """(the date, True) for a complete valid date; (None, True) for a complete but impossible one
    (2024-02-30); (None, False) for text that is not (yet) a whole date.

    `whole`: only 2024-01-01 and 20240101 count as complete — while typing, "2024-01-1" is on
    its way to 2024-01-15, not a date to take."""
    text = text.strip().translate(_FULL_WIDTH)
    match = (_WHOLE.match(text) or _DIGITS.match(text)) if whole else (_SEPARATED.match(text) or _DIGITS.match(text))
    if not match:
        return None, False
    year, month, day = (int(part) for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return None, True
    return QDate(year, month, day), True


def _iso(d: QDate) -> str:
    return d.toString("yyyy-MM-dd")


class DateField(QWidget):
    """A typed date with a calendar: `date()`, `setDate()`, `setDateRange()`, `dateChanged`.

    `setDate` from the program keeps QDateEdit's habit of holding a date at the nearest end of
    the range; a typed date outside the range is refused with the reason shown."""

    dateChanged = Signal(QDate)  # noqa: N815 - the QDateEdit name the panel already uses

    def __init__(self, parent: QWidget | None = None, label: str = ""):
        super().__init__(parent)
        self._label = label  # what this date is, for the reason ("起始日期")
        self._date = QDate.currentDate()
        self._min, self._max = QDate(1900, 1, 1), QDate(9999, 12, 31)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(S.DATE_PLACEHOLDER)
        self.edit.setToolTip(S.DATE_TIP)
        self.edit.setMaxLength(16)
        # As wide as a date and a little more: the period's row fits a narrow side panel.
        self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("8888-88-88") + 40)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._finished)
        self.setFocusProxy(self.edit)
        self.calendar_button = QToolButton(self)
        self.calendar_button.setText(S.DATE_CALENDAR)
        self.calendar_button.setToolTip(S.DATE_CALENDAR_TIP)
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes field to field
        self.calendar_button.clicked.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None
        # The reason a typed value was refused; the owner puts it where there is room.
        self.message = QLabel(parent or self)
        self.message.setObjectName("dateMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.message.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        self._show()

    # -- the QDateEdit surface the panel uses ---------------------------------------------------

    def date(self) -> QDate:
        return QDate(self._date)

    def setDate(self, value: QDate) -> None:  # noqa: N802 - Qt naming
        self._set(self._clamp(value))

    def setDateRange(self, low: QDate, high: QDate) -> None:  # noqa: N802 - Qt naming
        self._min, self._max = QDate(low), QDate(high)
        self._set(self._clamp(self._date))

    def minimumDate(self) -> QDate:  # noqa: N802 - Qt naming
        return QDate(self._min)

    def maximumDate(self) -> QDate:  # noqa: N802 - Qt naming
        return QDate(self._max)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt naming
        self.edit.setReadOnly(read_only)
        self.calendar_button.setVisible(not read_only)

    def isReadOnly(self) -> bool:  # noqa: N802 - Qt naming
        return self.edit.isReadOnly()

    def text(self) -> str:
        return self.edit.text()

    # -- typing ---------------------------------------------------------------------------------

    def _typed(self, text: str) -> None:
        """A whole date typed: taken at once when allowed, otherwise the reason shows."""
        value, complete = parse_date(text, whole=True)
        if not complete:
            self._say("")  # still typing
            return
        reason = self._refusal(text, value)
        self._say(reason or "")
        if reason is None:
            self._set(value, keep_text=True)

    def _finished(self) -> None:
        """Enter or leaving the field: an unfinished or refused text goes back to the date kept."""
        text = self.edit.text()
        value, complete = parse_date(text)
        if text.strip() == _iso(self._date):
            return
        reason = (S.DATE_BAD_FORMAT.format(text=text.strip()) if not complete
                  else self._refusal(text, value))
        if reason is None:
            self._set(value)
            self._say("")
            return
        self._say(reason + S.DATE_KEPT.format(date=_iso(self._date)))
        self._show()

    def _refusal(self, text: str, value: QDate | None) -> str | None:
        if value is None:
            return S.DATE_IMPOSSIBLE.format(text=text.strip())
        if value < self._min:
            return S.DATE_TOO_EARLY.format(what=self._label, date=_iso(value), low=_iso(self._min))
        if value > self._max:
            return S.DATE_TOO_LATE.format(what=self._label, date=_iso(value), high=_iso(self._max))
        return None

    # -- the calendar ---------------------------------------------------------------------------

    def open_calendar(self) -> QCalendarWidget:
        if self.calendar is None:
            self.calendar = QCalendarWidget(self)
            self.calendar.setWindowFlags(Qt.WindowType.Popup)
            self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            self.calendar.setGridVisible(True)
            self.calendar.clicked.connect(self._picked)
            self.calendar.activated.connect(self._picked)
        self.calendar.setDateRange(self._min, self._max)
        self.calendar.setSelectedDate(self._date)
        self.calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        self.calendar.show()
        return self.calendar

    def _picked(self, value: QDate) -> None:
        self.calendar.hide()
        self._say("")
        self._set(value)
        self.edit.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- plumbing -------------------------------------------------------------------------------

    def _clamp(self, value: QDate) -> QDate:
        return max(self._min, min(self._max, QDate(value)))

    def _set(self, value: QDate, keep_text: bool = False) -> None:
        changed = value != self._date
        self._date = QDate(value)
        if not keep_text:
            self._show()
        if changed:
            self.dateChanged.emit(QDate(value))

    def _show(self) -> None:
        self.edit.setText(_iso(self._date))

    def _say(self, reason: str) -> None:
        self.message.setText(reason)
        self.message.setVisible(bool(reason))
        self.edit.setStyleSheet(f"QLineEdit {{ border: 2px solid {BAD}; }}" if reason else "")


def named_date_field(parent: QWidget, name: str, what: str, day: date) -> DateField:
    """A filter's date field set to `day`: named `name` (its text box `<name>Text`), `what` it is
    named in the reason for a refused value (起始日期 …)."""
    field = DateField(parent, what)
    field.setObjectName(name)
    field.edit.setObjectName(f"{name}Text")
    field.setDate(QDate(day.year, day.month, day.day))
    field.edit.setMinimumHeight(32)
    return field
