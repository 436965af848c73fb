"""The report archive: show, revoke, fetch the PDF, count prints, list. Inside a caller's unit of work."""
from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, or_, select, update
from sqlalchemy.orm import Session

from core.db.models_reports import IssuedReport, ReportFile
from core.errors import IntegrityBroken, InvalidRequest, NotFound
from core.services.people import audit_chain
from core.services.reports.canonical import sha256_hex
from core.services.reports.report_number import parse_report_no
from core.states import AuditAction, ReportStatus


@dataclass(frozen=True)
class ArchivedReport:
    report_no: str
    uscc: str
    enterprise_name: str
    domains: tuple[int, ...]
    period_from: date
    period_to: date
    purpose: str
    profile_id: str
    content: dict
    content_sha256: str
    pdf_sha256: str
    key_id: str
    qr_payload: str
    violations: int
    has_arrears: bool
    issued_by: str
    counter: str
    issued_at: datetime
    valid_until: date
    status: ReportStatus
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None
    print_count: int

    @property
    def revoked(self) -> bool:
        return self.status == ReportStatus.REVOKED

    def to_json(self) -> dict:
        iso = lambda v: v.isoformat() if v else None  # noqa: E731
        return {
            "report_no": self.report_no, "uscc": self.uscc, "enterprise_name": self.enterprise_name,
            "domains": list(self.domains),
            "period": {"from": iso(self.period_from), "to": iso(self.period_to)},
            "purpose": self.purpose, "profile": self.profile_id,
            "status": "revoked" if self.revoked else "issued",
            "issued_by": self.issued_by, "counter": self.counter,
            "issued_at": self.issued_at.isoformat(timespec="seconds"),
            "valid_until": iso(self.valid_until), "key_id": self.key_id,
            "content_sha256": self.content_sha256, "pdf_sha256": self.pdf_sha256,
            "violations": self.violations, "has_arrears": self.has_arrears,
            "revoked_at": self.revoked_at.isoformat(timespec="seconds") if self.revoked_at else None,
            "revoked_by": self.revoked_by, "revoke_reason": self.revoke_reason,
            "print_count": self.print_count, "qr_payload": self.qr_payload,
        }


def archived(row: IssuedReport) -> ArchivedReport:
    return ArchivedReport(
        report_no=row.report_no, uscc=row.uscc, enterprise_name=row.enterprise_name,
        domains=tuple(int(c) for c in row.domains.split(",") if c),
        period_from=row.period_from, period_to=row.period_to, purpose=row.purpose,
        profile_id=row.profile_id, content=json.loads(row.content_json),
        content_sha256=row.content_sha256, pdf_sha256=row.pdf_sha256, key_id=row.key_id,
        qr_payload=row.qr_payload, violations=row.violations, has_arrears=row.has_arrears,
        issued_by=row.issued_by, counter=row.counter, issued_at=row.issued_at,
        valid_until=row.valid_until, status=ReportStatus(row.status), revoked_at=row.revoked_at,
        revoked_by=row.revoked_by, revoke_reason=row.revoke_reason, print_count=row.print_count,
    )


def normalize_report_no(report_no: str) -> str:
    return "".join(report_no.split()).upper()


def _row(s: Session, report_no: str) -> IssuedReport:
    row = s.scalar(select(IssuedReport).where(IssuedReport.report_no == normalize_report_no(report_no)))
    if row is None:
        raise NotFound(f"档案中没有报告 {report_no}")
    return row


def find(s: Session, report_no: str) -> ArchivedReport | None:
    row = s.scalar(select(IssuedReport).where(IssuedReport.report_no == normalize_report_no(report_no)))
    return archived(row) if row else None


def get(s: Session, report_no: str) -> ArchivedReport:
    return archived(_row(s, report_no))


def pdf(s: Session, report_no: str) -> bytes:
    """The archived PDF, only when it is still the file that was issued: its hash must match the
    archive row and the issue event of the audit chain."""
    row = _row(s, report_no)
    data = s.scalar(select(ReportFile.pdf).where(ReportFile.report_id == row.id))
    issued = audit_chain.events_for(s, action=AuditAction.ISSUE, subject=row.report_no)
    expected = {e.details.get("pdf_sha256") for e in issued}
    if data is None or len(issued) != 1 or expected != {row.pdf_sha256} or sha256_hex(data) != row.pdf_sha256:
        raise IntegrityBroken(f"报告 {row.report_no} 的存档 PDF 与出具时记录的不一致，已拒绝提供；"
                              "请管理员运行 creditdesk-admin audit verify 检查")
    return data


def revoke(s: Session, report_no: str, reason: str, *, user: str, counter: str,
           now: datetime) -> ArchivedReport:
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidRequest("撤销报告必须填写原因")
    if len(reason) > 500:
        raise InvalidRequest("撤销原因不能超过 500 个字符")
    row = _row(s, report_no)
    if row.status == ReportStatus.REVOKED:
        raise InvalidRequest(f"报告 {row.report_no} 已于 {row.revoked_at:%Y-%m-%d %H:%M} 撤销")
    row.status, row.revoked_by, row.revoke_reason = ReportStatus.REVOKED, user, reason
    row.revoked_at = now.replace(microsecond=0)
    s.flush()
    audit_chain.append(s, actor=user, counter=counter, action=AuditAction.REVOKE,
                       subject=row.report_no, details={"reason": reason}, at=row.revoked_at)
    return archived(row)


def count_print(s: Session, report_no: str) -> int:
    row = _row(s, report_no)
    return s.scalar(
        update(IssuedReport).where(IssuedReport.id == row.id)
        .values(print_count=IssuedReport.print_count + 1)
        .returning(IssuedReport.print_count)
    )


def matching(*, uscc: str | None = None, date_from: date | None = None, date_to: date | None = None,
             search: str | None = None) -> Select:
    """The reports that meet the filters, newest first: the one query the list and its export use.
    The period bounds are days of issue, both included. `search` is a part of the report number,
    the credit code, the enterprise's name or the issuer's user name (case and width folded)."""
    stmt = select(IssuedReport).order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
    if uscc:
        stmt = stmt.where(IssuedReport.uscc == uscc)
    if date_from:
        stmt = stmt.where(IssuedReport.issued_at >= datetime.combine(date_from, time.min))
    if date_to:
        stmt = stmt.where(IssuedReport.issued_at < datetime.combine(date_to + timedelta(days=1), time.min))
    words = " ".join((search or "").split())
    if words:
        stmt = stmt.where(_search_clause(words))
    return stmt


def _search_clause(words: str):
    # Codes are stored upper-case without spaces; people type them in any case and width.
    code = "".join(unicodedata.normalize("NFKC", words).split()).upper()
    clauses = [IssuedReport.enterprise_name.icontains(words, autoescape=True),
               IssuedReport.issued_by.icontains(words, autoescape=True),
               IssuedReport.report_no.contains(code, autoescape=True),
               IssuedReport.uscc.contains(code, autoescape=True)]
    number = parse_report_no(words)  # SZ202600001234, sz-2026-00001234 ...
    if number:
        clauses.append(IssuedReport.report_no == number)
    return or_(*clauses)


def listing(s: Session, *, uscc: str | None = None, date_from: date | None = None,
            date_to: date | None = None, search: str | None = None,
            limit: int | None = 200) -> list[ArchivedReport]:
    """Newest first; the period bounds are days of issue, both included."""
    stmt = matching(uscc=uscc, date_from=date_from, date_to=date_to, search=search)
    if limit:
        stmt = stmt.limit(limit)
    return [archived(r) for r in s.scalars(stmt)]
