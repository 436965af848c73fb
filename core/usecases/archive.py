"""The supervisor's use cases on the archive: list, show, revoke; and the records to complete."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from core import uscc as uscc_rules
from core.errors import InvalidRequest
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.reports import archive
from core.services.reports.archive import ArchivedReport
from core.services.reports.violations import unstated_columns
from core.states import DecisionKind, PenaltyStatus, Procedure
from core.usecases.base import DeskBase, use_case


@dataclass(frozen=True)
class UnstatedPenalty:
    """A penalty in force whose file left 程序类型 / 决定类型 blank (stored as 未注明)."""

    uscc: str
    decision_no: str
    organ: str
    source_unit: str
    missing: tuple[str, ...]  # "程序类型", "决定类型"

    def to_json(self) -> dict:
        return {"uscc": self.uscc, "decision_no": self.decision_no, "organ": self.organ,
                "source_unit": self.source_unit, "missing": list(self.missing)}


class ArchiveUseCases(DeskBase):
    @use_case(Permission.HISTORY, writes=False)
    def history(self, session: UserSession, uscc: str | None = None, limit: int = 200,
                date_from: date | None = None, date_to: date | None = None) -> list[ArchivedReport]:
        if date_from and date_to and date_from > date_to:
            raise InvalidRequest(f"开始日期 {date_from} 不能晚于结束日期 {date_to}")
        code = uscc_rules.validate(uscc) if uscc else None
        with self.db.session() as s:
            return archive.listing(s, uscc=code, date_from=date_from, date_to=date_to, limit=limit)

    @use_case(Permission.HISTORY, writes=False)
    def show_report(self, session: UserSession, report_no: str) -> ArchivedReport:
        with self.db.session() as s:
            return archive.get(s, report_no)

    @use_case(Permission.REVOKE, writes=True, changes="report")
    def revoke(self, session: UserSession, report_no: str, reason: str,
               now: datetime | None = None) -> ArchivedReport:
        with self.db.session(write=True) as s:
            return archive.revoke(s, report_no, reason, user=session.username, counter=session.counter,
                                  now=now or datetime.now())

    @use_case(Permission.HISTORY, writes=False)
    def unstated_penalties(self, session: UserSession, unit: str | None = None) -> list[UnstatedPenalty]:
        """Penalties in force stored with 程序类型 or 决定类型 未注明, by source unit, so the unit
        that provided them can complete them; ``unit`` keeps one 数据来源单位 only."""
        from core.db.models import Penalty

        query = (
            select(Penalty.uscc, Penalty.decision_no, Penalty.organ, Penalty.source_unit,
                   Penalty.procedure, Penalty.decision_kind)
            .where(Penalty.status == PenaltyStatus.IN_FORCE.value,
                   or_(Penalty.procedure == Procedure.UNSTATED.value,
                       Penalty.decision_kind == DecisionKind.UNSTATED.value))
        )
        if unit is not None:
            if not unit.strip():
                raise InvalidRequest("数据来源单位不能为空")
            query = query.where(Penalty.source_unit == unit.strip())
        with self.db.session() as s:
            found = [UnstatedPenalty(r.uscc, r.decision_no, r.organ, r.source_unit,
                                     unstated_columns(r.procedure, r.decision_kind))
                     for r in s.execute(query)]
        # Sorted here, not by the database: the same order on SQLite and PostgreSQL (collations differ).
        return sorted(found, key=lambda p: (p.source_unit, p.organ, p.decision_no))
