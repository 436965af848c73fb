"""Importing a State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知) as days:
each holiday (休) and each make-up working day (调休上班, 班) of the year, one row per day.

The file has the columns 日期 (YYYY-MM-DD), 类型 (休 / 班, or 休息日 / 工作日) and optionally
说明 (e.g. 春节). Every row is checked before anything is stored; a day already imported is
replaced. A year with any imported day counts as announced: its deadlines are no longer 暂定.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from core.db.models_objections import CalendarDay
from core.errors import InvalidRequest
from core.services.records.ingest.readers import read_table

HOLIDAY = ("休", "休息", "休息日", "假", "放假", "节假日")
WORKDAY = ("班", "上班", "工作日", "调休上班", "补班")
MAX_ROWS = 400


@dataclass(frozen=True)
class CalendarImport:
    days: int
    holidays: int
    workdays: int
    years: tuple[int, ...]

    def to_json(self) -> dict:
        return {"days": self.days, "holidays": self.holidays, "workdays": self.workdays,
                "years": list(self.years)}


def _column(headers: tuple[str, ...], name: str, required: bool = True) -> int | None:
    cleaned = [h.strip() for h in headers]
    if name in cleaned:
        return cleaned.index(name)
    if required:
        raise InvalidRequest(f"节假日文件缺少“{name}”列（应有：日期、类型，可选：说明）")
    return None


def read_days(path: Path) -> list[tuple[date, bool, str | None]]:
    table = read_table(Path(path))
    day_col, kind_col = _column(table.headers, "日期"), _column(table.headers, "类型")
    note_col = _column(table.headers, "说明", required=False)
    if len(table.rows) > MAX_ROWS:
        raise InvalidRequest(f"节假日文件有 {len(table.rows)} 行，超过 {MAX_ROWS} 行：一年的通知不会有这么多天")
    days: dict[date, tuple[bool, str | None]] = {}
    for number, values in table.rows:
        raw_day, raw_kind = values[day_col], str(values[kind_col] or "").strip()
        try:
            day = raw_day.date() if isinstance(raw_day, datetime) else (
                raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day).strip()))
        except ValueError:
            raise InvalidRequest(f"第 {number} 行：日期“{raw_day}”应为 YYYY-MM-DD 格式") from None
        if raw_kind in HOLIDAY:
            workday = False
        elif raw_kind in WORKDAY:
            workday = True
        else:
            raise InvalidRequest(f"第 {number} 行：类型“{raw_kind}”应为“休”（放假）或“班”（调休上班）")
        if day in days and days[day][0] != workday:
            raise InvalidRequest(f"第 {number} 行：{day} 在文件中既是放假又是上班")
        note = str(values[note_col]).strip()[:64] if note_col is not None and values[note_col] else None
        days[day] = (workday, note)
    if not days:
        raise InvalidRequest("节假日文件中没有任何日期")
    return [(d, w, n) for d, (w, n) in sorted(days.items())]


def store_days(s: Session, days: list[tuple[date, bool, str | None]], *, actor: str) -> CalendarImport:
    now = datetime.now().replace(microsecond=0)
    s.execute(delete(CalendarDay).where(CalendarDay.day.in_([d for d, _, _ in days])))
    s.add_all(CalendarDay(day=d, workday=w, note=n, imported_by=actor, imported_at=now) for d, w, n in days)
    holidays = sum(1 for _, w, _ in days if not w)
    return CalendarImport(len(days), holidays, len(days) - holidays,
                          tuple(sorted({d.year for d, _, _ in days})))


def imported_days(s: Session, year: int) -> list[CalendarDay]:
    return list(s.scalars(select(CalendarDay).where(CalendarDay.day.between(date(year, 1, 1), date(year, 12, 31)))
                          .order_by(CalendarDay.day)))
