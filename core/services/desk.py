"""The counter's services in one place, each call checked against the actor's role and audited.

The desktop app talks to this facade only. Every method may be called off the GUI thread; each
returns frozen data and opens its own units of work.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.config import Settings
from core.db.engine import Database, describe_url
from core.domain import EnterpriseHit, EnterpriseInfo, IssueInfo, ReportContent
from core.errors import DatabaseUnavailable
from core.policy import Profile
from core.services.reports.archive import ArchivedReport, ReportArchive
from core.services.reports.assemble import ReportAssembler
from core.services.people.audit import AuditLog
from core.services.reports.issuing import IssuedResult, ReportIssuer
from core.services.signing.keys import KeyService
from core.services.records.lookup import LookupService
from core.services.reports.render import render_pdf
from core.services.reports.request import ReportRequest
from core.services.people.users import Actor, AuthError, Permission, UserService
from core.services.reports.verify import Verdict, VerificationService

PREVIEW_NO = "预览（尚未出具）"


@dataclass(frozen=True)
class DatabaseStatus:
    embedded: bool
    location: str
    connected: bool


class CounterDesk:
    def __init__(self, db: Database, profile: Profile, settings: Settings, keys: KeyService):
        self.db = db
        self.profile = profile
        self.settings = settings
        self.users = UserService(db)
        self.audit = AuditLog(db)
        self.lookup = LookupService(db)
        self.assembler = ReportAssembler(db, profile)
        self.issuer = ReportIssuer(db, profile, keys, settings)
        self.archive = ReportArchive(db)
        self.verifier = VerificationService(db, keys)

    # -- session --------------------------------------------------------------------------

    def login(self, username: str, password: str) -> Actor:
        counter = self.settings.counter
        try:
            actor = self.users.authenticate(username, password, counter)
        except AuthError as exc:
            self.audit.record(username, counter, "login_failed", detail=str(exc))
            raise
        self.audit.record(actor.username, counter, "login")
        return actor

    def status(self) -> DatabaseStatus:
        try:
            self.db.ping()
            connected = True
        except DatabaseUnavailable:
            connected = False
        return DatabaseStatus(self.db.is_embedded, describe_url(self.db.url), connected)

    # -- look-up and report ---------------------------------------------------------------

    def search(self, actor: Actor, query: str, limit: int = 50) -> list[EnterpriseHit]:
        actor.require(Permission.LOOKUP)
        return self.lookup.search(query, limit)

    def overview(self, actor: Actor, uscc: str, today: date | None = None) -> ReportContent:
        """The enterprise and its 20 domains over the default period: what the counter sees first."""
        actor.require(Permission.LOOKUP)
        content = self.assembler.assemble(uscc, report_date=today)
        self.audit.record(actor.username, actor.counter, "lookup", uscc, content.enterprise.name)
        return content

    def enterprise(self, actor: Actor, uscc: str) -> EnterpriseInfo:
        actor.require(Permission.LOOKUP)
        return self.lookup.get(uscc)

    def preview(self, actor: Actor, request: ReportRequest, now: datetime | None = None) -> bytes:
        """The real PDF layout for this request, marked as a preview, not numbered or signed."""
        actor.require(Permission.ISSUE)
        now = (now or datetime.now()).replace(microsecond=0)
        request.check(self.profile, now.date())
        content = self.assembler.assemble(request.uscc, request.domains, request.period_from,
                                          request.period_to, now.date())
        info = IssueInfo(PREVIEW_NO, now, now.date(), request.purpose, self.settings.issuer,
                         actor.counter, qr_digits="0")
        return render_pdf(content, info, self.profile)

    def issue(self, actor: Actor, request: ReportRequest, now: datetime | None = None) -> IssuedResult:
        actor.require(Permission.ISSUE)
        now = now or datetime.now()
        request.check(self.profile, now.date())
        result = self.issuer.issue(request.uscc, request.domains, request.period_from,
                                   request.period_to, request.purpose, user=actor.username,
                                   counter=actor.counter, now=now)
        self.audit.record(actor.username, actor.counter, "issue", result.report_no, request.uscc)
        return result

    # -- archive --------------------------------------------------------------------------

    def report_pdf(self, actor: Actor, report_no: str) -> bytes:
        actor.require(Permission.VIEW_ARCHIVE)
        return self.archive.pdf(report_no)

    def record_print(self, actor: Actor, report_no: str, pages: int) -> int:
        actor.require(Permission.PRINT)
        count = self.archive.record_print(report_no)
        self.audit.record(actor.username, actor.counter, "print", report_no, f"{pages} 页")
        return count

    def record_save(self, actor: Actor, report_no: str, path: str) -> None:
        actor.require(Permission.HISTORY)
        self.audit.record(actor.username, actor.counter, "save", report_no, path)

    def history(self, actor: Actor, uscc: str | None = None, limit: int = 200) -> list[ArchivedReport]:
        actor.require(Permission.HISTORY)
        return self.archive.history(uscc=uscc, limit=limit)

    def revoke(self, actor: Actor, report_no: str, reason: str) -> ArchivedReport:
        actor.require(Permission.REVOKE)
        report = self.archive.revoke(report_no, reason, user=actor.username)
        self.audit.record(actor.username, actor.counter, "revoke", report_no, reason)
        return report

    # -- verification ---------------------------------------------------------------------

    def verify(self, actor: Actor, text: str, today: date | None = None) -> Verdict:
        actor.require(Permission.VERIFY)
        verdict = self.verifier.verify(text, user=actor.username, counter=actor.counter, today=today)
        if not verdict.offline:
            try:
                self.audit.record(actor.username, actor.counter, "verify", verdict.report_no, verdict.status)
            except DatabaseUnavailable:
                pass
        return verdict


__all__ = ["CounterDesk", "DatabaseStatus", "PREVIEW_NO"]
