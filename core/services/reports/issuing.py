"""Issuing: number, sign, render and archive a report.

The number is taken in a short transaction of its own (a sequence on PostgreSQL, a counter row
on SQLite), so counters issuing at the same moment never share one; a failure later leaves a
gap in the numbers, never a duplicate. The archive row and the PDF bytes are written together.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import text, update

from core.config import Settings
from core.db.engine import Database
from core.db.models_reports import IssuedReport, ReportCounter, ReportFile
from core.domain import PURPOSES, IssueInfo, ReportContent
from core.errors import InvalidRequest
from core.policy import Profile
from core.services.reports.assemble import ReportAssembler
from core.services.reports.canonical import canonical_json, sha256_hex
from core.services.signing.keys import KeyService
from core.services.signing.payload import QrClaims, digest_content, sign_payload
from core.services.reports.render import render_pdf


@dataclass(frozen=True)
class IssuedResult:
    content: ReportContent
    issue: IssueInfo
    pdf: bytes
    key_id: str
    content_sha256: str
    pdf_sha256: str

    @property
    def report_no(self) -> str:
        return self.issue.report_no

    def to_json(self) -> dict:
        return {
            **self.content.to_json(),
            "report_no": self.issue.report_no,
            "qr_payload": self.issue.qr_digits,
            "purpose": self.issue.purpose,
            "issued_at": self.issue.issued_at.isoformat(timespec="seconds"),
            "valid_until": self.issue.valid_until.isoformat(),
            "key_id": self.key_id,
            "content_sha256": self.content_sha256,
            "pdf_sha256": self.pdf_sha256,
        }


def next_serial(db: Database) -> int:
    with db.session() as s:
        if db.dialect == "postgresql":
            return s.scalar(text("SELECT nextval('report_serial_seq')"))
        return s.scalar(
            update(ReportCounter).where(ReportCounter.name == "report")
            .values(value=ReportCounter.value + 1).returning(ReportCounter.value)
        )


class ReportIssuer:
    def __init__(self, db: Database, profile: Profile, keys: KeyService, settings: Settings):
        self.db = db
        self.profile = profile
        self.keys = keys
        self.settings = settings
        self.assembler = ReportAssembler(db, profile)

    def issue(
        self,
        uscc: str,
        domains: Iterable[int] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        purpose: str = "其他",
        *,
        user: str,
        counter: str | None = None,
        now: datetime | None = None,
    ) -> IssuedResult:
        purpose = (purpose or "其他").strip()
        if purpose not in PURPOSES:
            raise InvalidRequest(f"用途“{purpose}”无效，应为：{'、'.join(PURPOSES)}")
        issued_at = (now or datetime.now()).replace(microsecond=0)
        signer = self.keys.signer(today=issued_at.date())
        content = self.assembler.assemble(uscc, domains, date_from, date_to, issued_at.date())
        canonical = canonical_json(content)
        serial = next_serial(self.db)
        report_no = f"{self.settings.region}-{issued_at.year}-{serial:08d}"
        valid_until = issued_at.date() + timedelta(days=self.settings.validity_days)
        claims = QrClaims(
            key_id=signer.key_id, report_no=report_no, uscc=content.enterprise.uscc,
            issued_on=issued_at.date(), valid_until=valid_until, domains=content.domain_codes,
            period_from=content.period_from, period_to=content.period_to,
            violations=len(content.violations), has_arrears=bool(content.arrears),
            content_digest=digest_content(canonical),
        )
        info = IssueInfo(
            report_no=report_no, issued_at=issued_at, valid_until=valid_until, purpose=purpose,
            issuer=self.settings.issuer, counter=counter or self.settings.counter,
            qr_digits=sign_payload(claims, signer.private_key),
        )
        pdf = render_pdf(content, info, self.profile)
        result = IssuedResult(content, info, pdf, signer.key_id, sha256_hex(canonical), sha256_hex(pdf))
        self._archive(result, canonical, user)
        return result

    def _archive(self, r: IssuedResult, canonical: bytes, user: str) -> None:
        with self.db.session() as s:
            row = IssuedReport(
                report_no=r.report_no, uscc=r.content.enterprise.uscc,
                enterprise_name=r.content.enterprise.name,
                domains=",".join(map(str, r.content.domain_codes)),
                period_from=r.content.period_from, period_to=r.content.period_to,
                purpose=r.issue.purpose, profile_id=self.profile.id,
                content_json=canonical.decode("utf-8"), content_sha256=r.content_sha256,
                pdf_sha256=r.pdf_sha256, key_id=r.key_id, qr_payload=r.issue.qr_digits,
                violations=len(r.content.violations), has_arrears=bool(r.content.arrears),
                issued_by=user, counter=r.issue.counter, issued_at=r.issue.issued_at,
                valid_until=r.issue.valid_until, status="有效", print_count=0,
            )
            s.add(row)
            s.flush()
            s.add(ReportFile(report_id=row.id, pdf=r.pdf))
