"""Issuing: number, sign, render, archive and record a report — in one unit of work.

The number comes from a counter row locked by the same transaction that archives the report and
appends its audit event, so counters issuing at the same moment never share a number, and a
failure (or a killed process) anywhere before the commit leaves no report, no number used and no
event behind.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, update
from sqlalchemy.orm import Session

from core.config import Settings
from core.db.models_reports import IssuedReport, ReportCounter, ReportFile
from core.domain import IssueInfo, ReportContent
from core.errors import CreditDeskError
from core.policy import Profile
from core.services.people import audit_chain
from core.services.reports.assemble import ReportAssembler
from core.services.reports.canonical import canonical_json, sha256_hex
from core.services.reports.request import CheckedRequest
from core.services.signing.keys import Signer
from core.states import AuditAction, ReportStatus
from core.services.signing.payload import QrClaims, digest_content, sign_payload
from core.services.reports.render import render_pdf
from core.services.reports.render.qr import qr_text


@dataclass(frozen=True)
class IssuedResult:
    content: ReportContent
    issue: IssueInfo
    pdf: bytes
    key_id: str
    content_sha256: str
    pdf_sha256: str
    serial: int = 0  # the counter value behind report_no, for the installation's number mark

    @property
    def report_no(self) -> str:
        return self.issue.report_no

    def to_json(self) -> dict:
        return {
            **self.content.to_json(),
            "report_no": self.issue.report_no,
            "qr_payload": self.issue.qr_digits,
            "qr_text": qr_text(self.issue),
            "purpose": self.issue.purpose,
            "issued_at": self.issue.issued_at.isoformat(timespec="seconds"),
            "valid_until": self.issue.valid_until.isoformat(),
            "key_id": self.key_id,
            "content_sha256": self.content_sha256,
            "pdf_sha256": self.pdf_sha256,
        }


def take_number(s: Session, floor: int = 0) -> int:
    """The next report serial, inside the issuing unit of work: the counter row stays locked
    until it commits, so numbers are never shared and a failed issue leaves no gap.

    `floor` is the highest serial this installation has issued (see numbering.py): a counter
    put back by a restore or a new database moves past it in the same statement."""
    serial = s.scalar(
        update(ReportCounter).where(ReportCounter.name == "report")
        .values(value=case((ReportCounter.value >= floor, ReportCounter.value), else_=floor) + 1)
        .returning(ReportCounter.value)
    )
    if serial is None:
        raise CreditDeskError("数据库缺少报告编号计数器，请运行：creditdesk-admin init")
    return serial


class ReportIssuer:
    def __init__(self, profile: Profile, settings: Settings):
        self.profile = profile
        self.settings = settings
        self.assembler = ReportAssembler(None, profile)

    def issue(self, s: Session, request: CheckedRequest, signer: Signer, *, user: str, counter: str,
              issued_at: datetime, floor: int = 0, corrects: str | None = None) -> IssuedResult:
        """Number, sign, render, archive and record one report, all in the caller's unit of work;
        the serial is above `floor`, the highest this installation has issued. `corrects`: the
        earlier report this one replaces after a correction, named in the audit event."""
        content = self.assembler.content(s, request)
        canonical = canonical_json(content)
        serial = take_number(s, floor)
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
            report_no=report_no, issued_at=issued_at, valid_until=valid_until, purpose=request.purpose,
            issuer=self.settings.issuer, counter=counter, qr_digits=sign_payload(claims, signer.private_key),
            verify_host=self.settings.verify_host,
        )
        pdf = render_pdf(content, info, self.profile)
        result = IssuedResult(content, info, pdf, signer.key_id, sha256_hex(canonical), sha256_hex(pdf),
                              serial)
        self._archive(s, result, canonical, user, corrects)
        return result

    def _archive(self, s: Session, r: IssuedResult, canonical: bytes, user: str,
                 corrects: str | None = None) -> None:
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
            valid_until=r.issue.valid_until, status=ReportStatus.ISSUED, print_count=0,
        )
        s.add(row)
        s.flush()
        s.add(ReportFile(report_id=row.id, pdf=r.pdf))
        audit_chain.append(
            s, actor=user, counter=r.issue.counter, action=AuditAction.ISSUE, subject=r.report_no,
            at=r.issue.issued_at,
            details={"report_no": r.report_no, "uscc": r.content.enterprise.uscc,
                     "content_sha256": r.content_sha256, "pdf_sha256": r.pdf_sha256,
                     "key_id": r.key_id, "domains": list(r.content.domain_codes),
                     "period": [r.content.period_from.isoformat(), r.content.period_to.isoformat()],
                     "purpose": r.issue.purpose, **({"corrects": corrects} if corrects else {})},
        )
