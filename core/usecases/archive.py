"""The supervisor's use cases on the archive: list, show, revoke; and the records to complete."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select

from core import uscc as uscc_rules
from core.errors import InvalidRequest
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.people import audit_chain
from core.services.reports import archive, report_lookup
from core.services.reports.archive import ArchivedReport
from core.services.reports.report_lookup import ReportLookup
from core.services.reports.violations import unstated_columns
from core.states import AuditAction, DecisionKind, PenaltyStatus, Procedure
from core.usecases.base import DeskBase, use_case

SEARCH_MAX = 100  # characters of the history's search box


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
                date_from: date | None = None, date_to: date | None = None,
                search: str | None = None) -> list[ArchivedReport]:
        """Newest first, filtered in the database: days of issue (both included) and `search`, a
        part of the report number, credit code, enterprise name or issuer."""
        code = self._history_filters(uscc, date_from, date_to, search)
        with self.db.session() as s:
            return archive.listing(s, uscc=code, date_from=date_from, date_to=date_to, search=search,
                                   limit=limit)

    @use_case(Permission.HISTORY, writes=True)
    def export_history(self, session: UserSession, path: str, date_from: date | None = None,
                       date_to: date | None = None, search: str | None = None,
                       now: datetime | None = None) -> int:
        """Every report meeting the filters (no row limit) as an XLSX workbook at `path`; the
        export is recorded in the audit chain. Returns the number of reports written."""
        from core.services.reports.history_export import HistoryFilters, write_history

        self._history_filters(None, date_from, date_to, search)
        now = (now or datetime.now()).replace(microsecond=0)
        filters = HistoryFilters(date_from, date_to, " ".join((search or "").split()) or None)
        with self.db.session(write=True) as s:
            reports = archive.listing(s, date_from=date_from, date_to=date_to, search=search, limit=None)
            write_history(path, reports, filters, exported_by=session.username, now=now)
            audit_chain.append(s, actor=session.username, counter=session.counter, action=AuditAction.SAVE,
                               subject=None, at=now,
                               details={"export": "history", "path": str(path)[:500], "rows": len(reports),
                                        "from": date_from.isoformat() if date_from else None,
                                        "to": date_to.isoformat() if date_to else None,
                                        "search": filters.search})
        return len(reports)

    @staticmethod
    def _history_filters(uscc: str | None, date_from: date | None, date_to: date | None,
                         search: str | None) -> str | None:
        if date_from and date_to and date_from > date_to:
            raise InvalidRequest(f"开始日期 {date_from} 不能晚于结束日期 {date_to}")
        if search is not None and len(search) > SEARCH_MAX:
            raise InvalidRequest(f"搜索内容不能超过 {SEARCH_MAX} 个字符")
        return uscc_rules.validate(uscc) if uscc else None

    @use_case(Permission.VERIFY, writes=True)
    def look_up_report(self, session: UserSession, report_no: str, now: datetime | None = None) -> ReportLookup:
        """What the archive says about a typed report number, for a code that cannot be read.
        Not a verification (a typed number proves nothing about the paper): recorded as a
        look-up in the audit chain, never in the verifications, and it opens no archived PDF that
        the person could not open anyway."""
        with self.db.session(write=True) as s:
            return report_lookup.look_up(s, report_no, actor=session.username, counter=session.counter,
                                         now=now or datetime.now(),
                                         may_view_pdf=lambda r: self.may_open_archive(session, r))

    def may_open_archive(self, session: UserSession, report: ArchivedReport) -> bool:
        """Whether `report_pdf` would hand this person the PDF (CounterUseCases._may_open): 主管
        any report, a clerk the ones they issued, anyone the ones they scanned in this session."""
        return (session.can(Permission.HISTORY)
                or (session.can(Permission.PRINT) and report.issued_by == session.username)
                or (session.can(Permission.VIEW_ARCHIVE) and self.verified_by(session, report.report_no)))

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
