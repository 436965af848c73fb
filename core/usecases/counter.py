"""The counter's use cases: look up, preview, issue, reprint, save."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from core.domain import EnterpriseHit, EnterpriseInfo, IssueInfo, ReportContent
from core.errors import InvalidRequest, PermissionDenied
from core.services.people import audit_chain
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.services.reports import archive
from core.services.reports.assemble import ReportAssembler
from core.services.reports.request import CheckedRequest, ReportRequest, require_in_force
from core.states import AuditAction
from core.usecases.base import DeskBase, use_case

if TYPE_CHECKING:
    from core.services.reports.issuing import IssuedResult

# The search index (pypinyin), the renderer (reportlab and its fonts) and the issuer load when a
# use case first needs them: a command that only verifies or lists never pays for them.

PREVIEW_NO = "预览（尚未出具）"


class CounterUseCases(DeskBase):
    def _checked(self, request: ReportRequest | CheckedRequest, today: date, *,
                 issuing: bool = False) -> CheckedRequest:
        """Checked once: a raw request here, a checked one only if the day or profile changed.
        The deployment's profile is read again; issuing and previewing need it in force today."""
        profile = self.refresh_profile()
        if issuing:
            require_in_force(profile, today)
            self._require_verify_host()  # DeploymentUseCases
        if isinstance(request, CheckedRequest):
            return request.on(self.profile, today)
        return request.check(self.profile, today)

    @use_case(Permission.LOOKUP, writes=False)
    def search(self, session: UserSession, query: str, limit: int = 50) -> list[EnterpriseHit]:
        from core.services.records.lookup import LookupService

        return LookupService(self.db).search(query, limit)

    @use_case(Permission.LOOKUP, writes=False)
    def enterprise(self, session: UserSession, uscc: str) -> EnterpriseInfo:
        from core.services.records.lookup import LookupService

        return LookupService(self.db).get(uscc)

    @use_case(Permission.LOOKUP, writes=True)
    def overview(self, session: UserSession, uscc: str, today: date | None = None) -> ReportContent:
        """The enterprise and its domains over the default period: what the counter sees first.
        The look-up is recorded in the same unit of work."""
        checked = ReportRequest(uscc).check(self.refresh_profile(), today or date.today())
        with self.db.session(write=True) as s:
            content = ReportAssembler(self.db, self.profile).content(s, checked)
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.LOOKUP, subject=checked.uscc,
                               details={"name": content.enterprise.name})
        return content

    @use_case(Permission.PREVIEW, writes=False)
    def content(self, session: UserSession, request: ReportRequest | CheckedRequest,
                today: date | None = None) -> ReportContent:
        """What the report for this request would say (no PDF, nothing recorded)."""
        checked = self._checked(request, today or date.today())
        with self.db.session() as s:
            return ReportAssembler(self.db, self.profile).content(s, checked)

    @use_case(Permission.PREVIEW, writes=False)
    def preview(self, session: UserSession, request: ReportRequest | CheckedRequest,
                now: datetime | None = None) -> bytes:
        """The real PDF layout for this request, marked as a preview, not numbered or signed."""
        now = (now or datetime.now()).replace(microsecond=0)
        checked = self._checked(request, now.date(), issuing=True)
        with self.db.session() as s:
            content = ReportAssembler(self.db, self.profile).content(s, checked)
        from core.services.reports.render import render_pdf

        # The same validity the issued report will carry (ReportIssuer.issue), not the issue day.
        valid_until = now.date() + timedelta(days=self.settings.validity_days)
        info = IssueInfo(PREVIEW_NO, now, valid_until, checked.purpose, self.settings.issuer,
                         session.counter, qr_digits="0", verify_host=self.settings.verify_host)
        return render_pdf(content, info, self.profile)

    @use_case(Permission.ISSUE, writes=True, changes="report")
    def issue(self, session: UserSession, request: ReportRequest | CheckedRequest,
              now: datetime | None = None) -> IssuedResult:
        """Number, signature, archive row and audit event commit together, or none of them.

        The number stays above the highest this installation has issued (its mark in the data
        directory, beside the keys), so a restored or new database never repeats one; the mark
        is raised once the report has committed."""
        now = (now or datetime.now()).replace(microsecond=0)
        return self._issue(session, self._checked(request, now.date(), issuing=True), now)

    @use_case(Permission.ISSUE, writes=True, changes="report")
    def reissue_corrected(self, session: UserSession, report_no: str,
                          now: datetime | None = None) -> IssuedResult:
        """The corrected report an enterprise may have, without a new request, once records its
        report shows were corrected after issue (objections upheld): the same enterprise, domains
        and purpose, over a period of the same length ending today (a period always ends on its
        issue date). The new report's audit event names the one it corrects."""
        from core.services.reports.period import Period, earliest_start
        from core.services.reports.verify import corrected_since

        now = (now or datetime.now()).replace(microsecond=0)
        today = now.date()
        with self.db.session() as s:
            old = archive.get(s, report_no)
            fixed = corrected_since(s, old)
        if not fixed:
            raise InvalidRequest(f"报告 {old.report_no} 出具后，其所载记录没有经异议更正，"
                                 "无需出具更正后的报告；如需新的报告，请重新申请")
        profile = self.refresh_profile()
        years = Period(old.period_from, old.period_to).years
        if years is not None:
            request = ReportRequest(old.uscc, old.domains, purpose=old.purpose, years=years)
        elif old.period_from <= profile.data_start:
            request = ReportRequest(old.uscc, old.domains, purpose=old.purpose)  # the default window
        else:
            start = today - (old.period_to - old.period_from)
            request = ReportRequest(old.uscc, old.domains, max(start, earliest_start(profile, today)),
                                    purpose=old.purpose)
        checked = self._checked(request, today, issuing=True)
        return self._issue(session, checked, now, corrects=old.report_no)

    @use_case(Permission.ISSUE, writes=False)
    def reports_today(self, session: UserSession, uscc: str, today: date | None = None) -> tuple[str, ...]:
        """The numbers of the reports this installation issued for the enterprise on `today`
        (revoked ones left out), newest first: a clerk is warned before issuing a second one.
        Only numbers: a clerk without the history permission learns nothing else from it."""
        day = today or date.today()
        with self.db.session() as s:
            return tuple(r.report_no for r in archive.listing(s, uscc=uscc, date_from=day, date_to=day,
                                                              limit=None)
                         if not r.revoked)

    def _issue(self, session: UserSession, checked: CheckedRequest, now: datetime,
               corrects: str | None = None) -> IssuedResult:
        from core.services.reports.issuing import ReportIssuer
        from core.services.reports.numbering import NumberMark

        signer = self.keys.signer(today=now.date())
        issuer = ReportIssuer(self.profile, self.settings)
        mark = NumberMark(self.keys.key_dir.parent)  # the data directory of these keys
        floor = mark.floor()
        with self.db.session(write=True) as s:
            result = issuer.issue(s, checked, signer, user=session.username, counter=session.counter,
                                  issued_at=now, floor=floor, corrects=corrects)
        mark.record(result.serial, result.report_no)
        return result

    # -- the archived PDF -----------------------------------------------------------------------

    def _may_open(self, session: UserSession, report: archive.ArchivedReport) -> None:
        """主管 open any report; a clerk the ones they issued; a verifier the ones they verified."""
        if session.can(Permission.HISTORY):
            return
        if session.can(Permission.PRINT) and report.issued_by == session.username:
            return
        if session.can(Permission.VIEW_ARCHIVE) and self.verified_by(session, report.report_no):  # VerifyUseCases
            return
        self.record(session.username, session.counter, AuditAction.REFUSED, report.report_no,
                    {"permission": Permission.VIEW_ARCHIVE.value, "role": session.role.value})
        raise PermissionDenied(f"您的角色（{session.role.value}）只能查看本人出具或本次登录核验过的报告；"
                               "查看其他报告需要主管角色")

    def _report(self, session: UserSession, report_no: str) -> archive.ArchivedReport:
        """The archived report, if this session may open it (checked before any write begins)."""
        with self.db.session() as s:
            report = archive.get(s, report_no)
        self._may_open(session, report)
        return report

    @use_case(Permission.VIEW_ARCHIVE, writes=False)
    def report_pdf(self, session: UserSession, report_no: str) -> bytes:
        report = self._report(session, report_no)
        with self.db.session() as s:
            return archive.pdf(s, report.report_no)

    @use_case(Permission.PRINT, writes=True, changes="report")
    def record_print(self, session: UserSession, report_no: str, pages: int) -> int:
        report = self._report(session, report_no)
        with self.db.session(write=True) as s:
            count = archive.count_print(s, report.report_no)
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.REPRINT, subject=report.report_no,
                               details={"pages": pages, "print_count": count})
        return count

    @use_case(Permission.SAVE, writes=True)
    def pdf_to_save(self, session: UserSession, report_no: str, path: str) -> bytes:
        """The archived PDF for saving to `path`; the save is recorded in the same unit of work."""
        report = self._report(session, report_no)
        with self.db.session(write=True) as s:
            data = archive.pdf(s, report.report_no)
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.SAVE, subject=report.report_no,
                               details={"path": str(path)[:500]})
        return data

    @use_case(Permission.SAVE, writes=True)
    def record_save(self, session: UserSession, report_no: str, path: str) -> None:
        report = self._report(session, report_no)
        with self.db.session(write=True) as s:
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.SAVE, subject=report.report_no,
                               details={"path": str(path)[:500]})
