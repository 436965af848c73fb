"""The numbers of the statistics page (统计) and `creditdesk-admin stats`: one service for both.

Counts are SQL aggregates that run alike on SQLite and PostgreSQL; the few things stored inside
a report's canonical JSON (violations per domain) and the working-day deadlines of objections
are read row by row.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import ImportBatch
from core.db.models_objections import Objection
from core.db.models_reports import IssuedReport, Verification
from core.services.objections import register
from core.states import VerdictStatus

TOP_DOMAINS = 10


@dataclass(frozen=True)
class UnitFreshness:
    unit: str
    last_import: datetime
    rows: int
    rejected: int
    late: bool


@dataclass(frozen=True)
class Numbers:
    reports_total: int
    by_day: tuple[tuple[date, int], ...]
    by_counter: tuple[tuple[str, int], ...]
    by_purpose: tuple[tuple[str, int], ...]
    domains: tuple[tuple[int, str, int], ...]  # (code, name, violations), most first
    verifications_total: int
    by_status: dict[str, int]
    objections_by_state: dict[str, int]
    objections_overdue: int
    units: tuple[UnitFreshness, ...]


def _bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    return datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)


def _day(value) -> date:
    """func.date gives a date on PostgreSQL and 'YYYY-MM-DD' text on SQLite."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _grouped(s: Session, column, where) -> tuple[tuple[str, int], ...]:
    rows = s.execute(select(column, func.count()).where(*where).group_by(column)).all()
    return tuple(sorted(((str(k), n) for k, n in rows), key=lambda kv: (-kv[1], kv[0])))


def numbers(s: Session, date_from: date, date_to: date, *, today: date, late_days: int,
            objection_days: tuple[int, int, int, int]) -> Numbers:
    start, end = _bounds(date_from, date_to)
    issued = (IssuedReport.issued_at >= start, IssuedReport.issued_at < end)
    day = func.date(IssuedReport.issued_at)
    by_day = tuple(sorted((_day(d), n) for d, n in
                          s.execute(select(day, func.count()).where(*issued).group_by(day)).all()))

    domains: Counter[tuple[int, str]] = Counter()
    for content in s.scalars(select(IssuedReport.content_json).where(*issued, IssuedReport.violations > 0)):
        for d in json.loads(content).get("domains", []):
            if d.get("violations"):
                domains[(int(d["code"]), d["name"])] += int(d["violations"])
    top = sorted(((code, name, n) for (code, name), n in domains.items()), key=lambda t: (-t[2], t[0]))

    checked = (Verification.verified_at >= start, Verification.verified_at < end)
    by_status = {st.value: 0 for st in VerdictStatus} | dict(_grouped(s, Verification.status, checked))

    filed = (Objection.filed_on >= date_from, Objection.filed_on <= date_to)
    by_state = dict(_grouped(s, Objection.status, filed))
    cal = register.calendar(s)
    overdue = 0
    for o in s.scalars(select(Objection).where(*filed)):
        nxt = register.next_due(o, register.deadlines(o, objection_days, cal))
        overdue += bool(nxt and cal.left(today, nxt.due) < 0)

    return Numbers(
        reports_total=sum(n for _, n in by_day), by_day=by_day,
        by_counter=_grouped(s, IssuedReport.counter, issued),
        by_purpose=_grouped(s, IssuedReport.purpose, issued),
        domains=tuple(top[:TOP_DOMAINS]),
        verifications_total=sum(by_status.values()), by_status=by_status,
        objections_by_state=by_state, objections_overdue=overdue,
        units=_units(s, start, end, date_to, late_days),
    )


def _units(s: Session, start: datetime, end: datetime, date_to: date, late_days: int) -> tuple[UnitFreshness, ...]:
    """Per providing unit: its latest import up to the period's end, and the rows and rejections of
    its imports within the period. Late: the latest import is more than `late_days` before the end."""
    unit = func.coalesce(ImportBatch.unit, "")
    latest = dict(s.execute(select(unit, func.max(ImportBatch.imported_at))
                            .where(ImportBatch.imported_at < end).group_by(unit)).all())
    sums = {u: (int(r or 0), int(x or 0)) for u, r, x in s.execute(
        select(unit, func.sum(ImportBatch.total_rows), func.sum(ImportBatch.rejected))
        .where(ImportBatch.imported_at >= start, ImportBatch.imported_at < end).group_by(unit)).all()}
    out = []
    for name, last in latest.items():
        rows, rejected = sums.get(name, (0, 0))
        out.append(UnitFreshness(name, last, rows, rejected, (date_to - last.date()).days > late_days))
    return tuple(sorted(out, key=lambda u: (u.last_import, u.unit)))
