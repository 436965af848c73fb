"""Reading the audit chain for the 审计日志 viewer: events by person, action and date range."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models_audit import AuditEventRow
from core.errors import InvalidRequest
from core.services.people.audit_chain import AuditEvent, _event

MAX_EVENTS = 2000  # a page of events; the filters narrow a longer chain


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    limit: int = MAX_EVENTS

    def checked(self) -> "AuditQuery":
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidRequest("起始日期不能晚于截止日期")
        if not 1 <= self.limit <= MAX_EVENTS:
            raise InvalidRequest(f"一次最多显示 {MAX_EVENTS} 条事件")
        return self


@dataclass(frozen=True)
class AuditFound:
    events: list[AuditEvent]  # newest first
    total: int  # how many match (may exceed len(events))


def search(db: Database, query: AuditQuery) -> AuditFound:
    query = query.checked()
    where = []
    if query.actor:
        where.append(AuditEventRow.actor == query.actor)
    if query.action:
        where.append(AuditEventRow.action == str(query.action))
    if query.date_from:
        where.append(AuditEventRow.at >= datetime.combine(query.date_from, time.min))
    if query.date_to:
        where.append(AuditEventRow.at < datetime.combine(query.date_to + timedelta(days=1), time.min))
    with db.session() as s:
        total = s.scalar(select(func.count()).select_from(AuditEventRow).where(*where)) or 0
        rows = s.scalars(select(AuditEventRow).where(*where)
                         .order_by(AuditEventRow.seq.desc()).limit(query.limit))
        return AuditFound([_event(r) for r in rows], total)


def actors(db: Database) -> list[str]:
    """Everyone the chain names, for the person filter."""
    with db.session() as s:
        return list(s.scalars(select(AuditEventRow.actor).distinct().order_by(AuditEventRow.actor)))
