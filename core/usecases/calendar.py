"""The working-day calendar: importing a year's holiday notice (管理员) and showing a year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from core.services.objections import holidays, register
from core.services.objections.holidays import CalendarImport
from core.services.people import audit_chain
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.states import AuditAction
from core.usecases.base import DeskBase, use_case


@dataclass(frozen=True)
class YearCalendar:
    year: int
    announced: bool  # False: weekends only, deadlines in it are 暂定
    holidays: tuple[date, ...]  # weekdays off
    workdays: tuple[date, ...]  # weekend days worked (调休)

    def to_json(self) -> dict:
        return {"year": self.year, "announced": self.announced,
                "holidays": [d.isoformat() for d in self.holidays],
                "workdays": [d.isoformat() for d in self.workdays]}


class CalendarUseCases(DeskBase):
    @use_case(Permission.CALENDAR, writes=True, changes="calendar")
    def import_calendar(self, session: UserSession, path: Path) -> CalendarImport:
        days = holidays.read_days(Path(path))  # every row checked before anything is stored
        with self.db.session(write=True) as s:
            result = holidays.store_days(s, days, actor=session.username)
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.CALENDAR, subject=Path(path).name[:200],
                               details=result.to_json())
        return result

    @use_case(None, writes=False)
    def calendar_year(self, session: UserSession, year: int) -> YearCalendar:
        with self.db.session() as s:
            cal = register.calendar(s)
        first, off, worked = date(year, 1, 1), [], []
        for n in range((date(year + 1, 1, 1) - first).days):
            day = first + timedelta(days=n)
            workday, weekday = cal.is_workday(day), day.weekday() < 5
            if weekday and not workday:
                off.append(day)
            elif workday and not weekday:
                worked.append(day)
        return YearCalendar(year, cal.announced(year), tuple(off), tuple(worked))
