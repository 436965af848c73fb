"""Look-up by report number: what the archive says about a number a person typed.

For the counter when a printed code cannot be read. A typed number proves nothing about the
paper in hand (anyone can copy a number onto a forgery), so this is never a verification: it
is recorded in the audit chain as a look-up, never in the verifications table, never counted in
the verification statistics, and it does not unlock the archived PDF the way a scan does.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.services.people import audit_chain
from core.services.reports import archive
from core.services.reports.report_number import FORMAT_EXAMPLE, parse_report_no
from core.states import AuditAction


class LookupState(StrEnum):
    VALID = "valid"  # in the archive, not revoked, not past its validity
    REVOKED = "revoked"
    EXPIRED = "expired"
    BROKEN = "broken"  # the archive row does not match its issue event in the audit chain
    UNKNOWN = "unknown"  # no report of that number in this archive


@dataclass(frozen=True)
class ReportLookup:
    """A read-only summary of one archived report, or the fact that there is none."""

    report_no: str
    state: LookupState
    looked_up_at: datetime
    enterprise_name: str | None = None
    uscc: str | None = None
    issued_at: datetime | None = None
    valid_until: date | None = None
    counter: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    may_view_pdf: bool = False  # this person may open the archived PDF (the desk's rule)

    @property
    def found(self) -> bool:
        return self.state is not LookupState.UNKNOWN

    def to_json(self) -> dict:
        iso = lambda v: v.isoformat() if v else None  # noqa: E731
        return {"report_no": self.report_no, "state": str(self.state), "found": self.found,
                "enterprise_name": self.enterprise_name, "uscc": self.uscc,
                "issued_on": iso(self.issued_at.date() if self.issued_at else None),
                "valid_until": iso(self.valid_until), "counter": self.counter,
                "revoked_at": iso(self.revoked_at), "revoke_reason": self.revoke_reason,
                "may_view_pdf": self.may_view_pdf}


def checked_number(text: str) -> str:
    number = parse_report_no(text)
    if number is None:
        shown = " ".join((text or "").split())[:40]
        raise InvalidRequest(f"“{shown}”不是报告编号：报告编号的格式为 {FORMAT_EXAMPLE}"
                             "（印在报告首页二维码下方和每页右上角）" if shown else
                             f"请输入报告编号，格式为 {FORMAT_EXAMPLE}")
    return number


def look_up(s: Session, text: str, *, actor: str, counter: str, now: datetime,
            may_view_pdf=lambda report: False) -> ReportLookup:
    """The summary of the report numbered `text`, recorded as a look-up in the same unit of work.
    `may_view_pdf(report)` is the desk's rule for opening the archived PDF."""
    number = checked_number(text)
    now = now.replace(microsecond=0)
    report = archive.find(s, number)
    if report is None:
        found = ReportLookup(number, LookupState.UNKNOWN, now)
    else:
        found = ReportLookup(
            number, _state(s, report, now.date()), now, enterprise_name=report.enterprise_name,
            uscc=report.uscc, issued_at=report.issued_at, valid_until=report.valid_until,
            counter=report.counter, revoked_at=report.revoked_at, revoke_reason=report.revoke_reason,
            may_view_pdf=bool(may_view_pdf(report)))
    audit_chain.append(s, actor=actor, counter=counter, action=AuditAction.LOOKUP, subject=number,
                       details={"by": "report_no", "state": str(found.state)}, at=now)
    return found


def _state(s: Session, report: archive.ArchivedReport, today: date) -> LookupState:
    issued = audit_chain.events_for(s, action=AuditAction.ISSUE, subject=report.report_no)
    if len(issued) != 1 or issued[0].details.get("content_sha256") != report.content_sha256:
        return LookupState.BROKEN
    if report.revoked:
        return LookupState.REVOKED
    if today > report.valid_until:
        return LookupState.EXPIRED
    return LookupState.VALID
