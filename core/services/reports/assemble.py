"""The rules that turn data into report content (no PDF): which records a report must show."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models import (
    Arrear, CreditRepair, CriminalJudgment, DishonestListing, Enforcement, Enterprise, ImportBatch,
    Penalty,
)
from core.domain import (
    ArrearItem,
    CriminalItem,
    EnforcementItem,
    ListingItem,
    DomainConclusion,
    EnterpriseInfo,
    RepairItem,
    ReportContent,
    Violation,
)
from core.errors import NotFound
from core.policy import WHERE_DATA_EXISTS, Profile
from core.services.objections.marks import record_marks
from core.services.reports.request import CheckedRequest, ReportRequest
from core.services.reports.violations import counts, unstated_columns
from core.states import ArrearStatus, PenaltyStatus


def enterprise_info(row) -> EnterpriseInfo:
    """From an Enterprise, or any row with its columns (the look-up selects only these)."""
    former = tuple(n for n in (row.former_names or "").split("；") if n)
    return EnterpriseInfo(
        uscc=row.uscc, name=row.name, former_names=former, legal_rep=row.legal_rep,
        founded_on=row.founded_on, address=row.address, division=row.division,
        reg_authority=row.reg_authority, reg_status=row.reg_status, kind=row.kind,
    )


class ReportAssembler:
    def __init__(self, db: Database, profile: Profile):
        self.db = db
        self.profile = profile

    def assemble(
        self,
        uscc: str,
        domains: Iterable[int] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        report_date: date | None = None,
    ) -> ReportContent:
        """For scripts, tests and benchmarks: check the request, then read in a unit of its own."""
        today = report_date or date.today()
        request = ReportRequest(uscc, None if domains is None else tuple(domains), date_from, date_to)
        with self.db.session() as s:
            return self.content(s, request.check(self.profile, today))

    def content(self, s: Session, request: CheckedRequest) -> ReportContent:
        """What the report for this checked request says, read inside the caller's unit of work."""
        code, chosen, today = request.uscc, request.domains, request.report_date
        start, end = request.period_from, request.period_to
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == code))
        if ent is None:
            raise NotFound(f"未找到统一社会信用代码为 {code} 的企业")
        penalties = s.scalars(
            select(Penalty)
            .where(Penalty.uscc == code, Penalty.decision_date.between(start, end))
            .order_by(Penalty.decision_date, Penalty.decision_no)
        ).all()
        # Any repair up to the report date, whatever its own date: a penalty in the period may
        # have been repaired before the period started (or long after its decision).
        repairs = s.scalars(
            select(CreditRepair)
            .where(CreditRepair.uscc == code, CreditRepair.repair_date <= today)
            .order_by(CreditRepair.repair_date, CreditRepair.decision_no)
        ).all()
        arrears = s.scalars(
            select(Arrear)
            .where(Arrear.uscc == code, Arrear.status == ArrearStatus.OUTSTANDING, Arrear.as_of <= today)
            .order_by(Arrear.kind, Arrear.period)
        ).all()
        info = enterprise_info(ent)
        marks = record_marks(s, code)

        first_repair = {}
        for r in repairs:
            first_repair.setdefault(r.decision_no, r.repair_date)
        counted = [p for p in penalties
                   if counts(self.profile, chosen, domain=p.domain, status=p.status, procedure=p.procedure,
                             decision_kind=p.decision_kind)]
        repaired_out: set[str] = set()
        if not self.profile.repaired_still_counts:  # a repaired penalty is no longer a violation;
            repaired_out = {p.decision_no for p in counted if p.decision_no in first_repair}  # its
            counted = [p for p in counted if p.decision_no not in repaired_out]  # repair still shows
        violations = tuple(
            Violation(
                decision_no=p.decision_no, domain=p.domain, decision_date=p.decision_date,
                organ=p.organ, penalty_kind=p.penalty_kind, content=p.content,
                fine_amount=p.fine_amount, source_unit=p.source_unit,
                repaired=p.decision_no in first_repair,
                repair_date=first_repair.get(p.decision_no),
                violation_type=p.violation_type, facts=p.facts, basis=p.basis,
                unstated=unstated_columns(p.procedure, p.decision_kind),
                objection=marks.get(p.id),
            )
            for p in counted
        )
        # The repairs printed are exactly those of the penalties in scope: a penalty marked
        # 已信用修复 always has its repair listed, and no repair stands without its penalty (under
        # a profile where repaired penalties no longer count, the repair alone shows).
        listed = {v.decision_no for v in violations} | repaired_out
        repair_items = tuple(
            RepairItem(r.decision_no, r.repair_date, r.organ, r.document_no)
            for r in repairs
            if r.decision_no in listed
        )
        per_domain = {c: 0 for c in chosen}
        for v in violations:
            per_domain[v.domain] += 1
        delivered = self.data_dates(s, today)
        conclusions = tuple(
            DomainConclusion(c, self.profile.domain(c).name, self.profile.domain(c).responsible, n,
                             delivered.get(c))
            for c, n in per_domain.items()
        )
        return ReportContent(
            profile_id=self.profile.id, report_date=today, period_from=start, period_to=end,
            enterprise=info, domains=conclusions, violations=violations,
            arrears=tuple(
                ArrearItem(a.kind, a.period, a.amount, a.source_unit, a.as_of) for a in arrears
            ),
            repairs=repair_items,
            **self.national_kinds(s, code, start, end, today),
        )

    def national_kinds(self, s: Session, code: str, start: date, end: date, today: date) -> dict:
        """The record kinds of 发改财金〔2025〕565号 the profile carries, for the period. They are not
        per domain: they are reported whatever domains were chosen."""
        found: dict = {}
        carries = self.profile.carries
        if carries("enforcement"):
            found["enforcements"] = tuple(
                EnforcementItem(e.decision_no, e.decision_date, e.organ, e.measure, e.content,
                                e.source_unit)
                for e in s.scalars(
                    select(Enforcement)
                    .where(Enforcement.uscc == code, Enforcement.decision_date.between(start, end),
                           Enforcement.status == PenaltyStatus.IN_FORCE.value)
                    .order_by(Enforcement.decision_date, Enforcement.decision_no))
            )
        if carries("dishonest_lists"):
            # An entry counts while it is in force during the period: listed by its end and not
            # removed before its start. A removal up to the report date is printed (已移出).
            found["listings"] = tuple(
                ListingItem(x.list_name, x.authority, x.listed_on, x.reason,
                            x.removed_on if x.removed_on and x.removed_on <= today else None,
                            x.source_unit)
                for x in s.scalars(
                    select(DishonestListing)
                    .where(DishonestListing.uscc == code, DishonestListing.listed_on <= end,
                           (DishonestListing.removed_on.is_(None))
                           | (DishonestListing.removed_on >= start))
                    .order_by(DishonestListing.listed_on, DishonestListing.list_name))
            )
        if carries("criminal"):
            found["criminal"] = tuple(
                CriminalItem(c.case_no, c.court, c.judgment_date, c.charge, c.sentence,
                             c.source_unit)
                for c in s.scalars(
                    select(CriminalJudgment)
                    .where(CriminalJudgment.uscc == code,
                           CriminalJudgment.judgment_date.between(start, end))
                    .order_by(CriminalJudgment.judgment_date, CriminalJudgment.case_no))
            )
        found["unsourced"] = tuple(
            kind for kind in self.profile.record_kinds
            if kind in WHERE_DATA_EXISTS and not self.has_source(s, kind, today)
        )
        return found

    def has_source(self, s: Session, kind: str, today: date) -> bool:
        """Whether data of this kind has ever reached the platform (an import batch up to the
        report date, or any stored record). One statement."""
        until = datetime.combine(today + timedelta(days=1), time.min)
        model = {"criminal": CriminalJudgment, "enforcement": Enforcement,
                 "dishonest_lists": DishonestListing}[kind]
        batch = select(ImportBatch.id).where(ImportBatch.kind == kind, ImportBatch.imported_at < until)
        return bool(s.scalar(select(or_(exists(batch), exists(select(model.id))))))

    def data_dates(self, s: Session, today: date) -> dict[int, date]:
        """Per domain, the day its units last delivered penalty data: the newest `imported_at` of
        the penalty import batches (up to the report date) whose unit belongs to the domain.

        The import date, not the newest decision date: a unit with nothing new to report still
        shows that its data is current. Batches are few, so this reads them all."""
        until = datetime.combine(today + timedelta(days=1), time.min)
        rows = s.execute(
            select(ImportBatch.unit, func.max(ImportBatch.imported_at))
            .where(ImportBatch.kind == "penalties", ImportBatch.unit.is_not(None),
                   ImportBatch.imported_at < until)
            .group_by(ImportBatch.unit)
        ).all()
        newest: dict[int, date] = {}
        for unit, at in rows:
            for code in self.profile.domains_for_unit(unit):
                if code not in newest or at.date() > newest[code]:
                    newest[code] = at.date()
        return newest
