"""Working days as the State Council's holiday notices make them (法定节假日 and 调休).

A day is a working day by, in order: a day an administrator imported from a notice
(calendar_days), the `chinesecalendar` package for the years it knows, else Monday to Friday.
A deadline that runs through a year neither knows is provisional (暂定): that year's notice may
still move holidays into it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import constants as _known

_KNOWN_YEARS = frozenset(d.year for d in _known.holidays)


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool  # runs through a year whose holidays are not yet announced


class WorkCalendar:
    def __init__(self, imported: dict[date, bool] | None = None):
        """`imported`: day → is a working day, from the notices an administrator imported."""
        self.imported = dict(imported or {})
        self._years = _KNOWN_YEARS | {d.year for d in self.imported}

    def announced(self, year: int) -> bool:
        return year in self._years

    def is_workday(self, day: date) -> bool:
        if day in self.imported:
            return self.imported[day]
        if day.year in _KNOWN_YEARS:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add(self, start: date, days: int) -> Deadline:
        """The `days`-th working day after `start` (the day of filing itself not counted)."""
        day, left, provisional = start, days, False
        while left > 0:
            day += timedelta(days=1)
            provisional |= not self.announced(day.year)
            if self.is_workday(day):
                left -= 1
        return Deadline(day, provisional)

    def left(self, today: date, due: date) -> int:
        """Working days from tomorrow up to and including `due`; 0 when due today, negative
        (working days overdue) after it."""
        if due >= today:
            return sum(1 for n in range(1, (due - today).days + 1)
                       if self.is_workday(today + timedelta(days=n)))
        return -sum(1 for n in range((today - due).days)
                    if self.is_workday(due + timedelta(days=n + 1)))
