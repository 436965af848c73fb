"""The supervisor's use cases on the archive: list, show, revoke."""
from __future__ import annotations

from datetime import date, datetime

from core import uscc as uscc_rules
from core.errors import InvalidRequest
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.reports import archive
from core.services.reports.archive import ArchivedReport
from core.usecases.base import DeskBase, use_case


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
