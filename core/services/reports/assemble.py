"""The rules that turn data into report content (no PDF): which records a report must show."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from core.db.engine import Database
from core.db.models import Arrear, CreditRepair, Enterprise, Penalty
from core.domain import (
    ArrearItem,
    DomainConclusion,
    EnterpriseInfo,
    RepairItem,
    ReportContent,
    Violation,
)
from core.errors import InvalidRequest, NotFound
from core.policy import Profile
from core.services.reports.period import resolve_period
from core import uscc as uscc_rules


def enterprise_info(row: Enterprise) -> EnterpriseInfo:
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

    def choose_domains(self, domains: Iterable[int] | None) -> tuple[int, ...]:
        if domains is None:
            return self.profile.domain_codes
        chosen = sorted(set(domains))
        if not chosen:
            raise InvalidRequest("请至少选择一个领域")
        unknown = [c for c in chosen if c not in self.profile.domain_codes]
        if unknown:
            raise InvalidRequest(f"领域代码 {'、'.join(map(str, unknown))} 不在政策范围内")
        return tuple(chosen)

    def assemble(
        self,
        uscc: str,
        domains: Iterable[int] | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        report_date: date | None = None,
    ) -> ReportContent:
        code = uscc_rules.validate(uscc)
        today = report_date or date.today()
        chosen = self.choose_domains(domains)
        start, end = resolve_period(self.profile, today, date_from, date_to)
        with self.db.session() as s:
            ent = s.scalar(select(Enterprise).where(Enterprise.uscc == code))
            if ent is None:
                raise NotFound(f"未找到统一社会信用代码为 {code} 的企业")
            penalties = s.scalars(
                select(Penalty)
                .where(Penalty.uscc == code, Penalty.decision_date.between(start, end))
                .order_by(Penalty.decision_date, Penalty.decision_no)
            ).all()
            repairs = s.scalars(
                select(CreditRepair)
                .where(CreditRepair.uscc == code, CreditRepair.repair_date <= today)
                .order_by(CreditRepair.repair_date, CreditRepair.decision_no)
            ).all()
            repaired_domain = dict(
                s.execute(
                    select(Penalty.decision_no, Penalty.domain).where(
                        Penalty.decision_no.in_({r.decision_no for r in repairs})
                    )
                ).all()
            ) if repairs else {}
            arrears = s.scalars(
                select(Arrear)
                .where(Arrear.uscc == code, Arrear.status == "欠缴", Arrear.as_of <= today)
                .order_by(Arrear.kind, Arrear.period)
            ).all()
            info = enterprise_info(ent)

        first_repair = {}
        for r in repairs:
            first_repair.setdefault(r.decision_no, r.repair_date)
        violations = tuple(
            Violation(
                decision_no=p.decision_no, domain=p.domain, decision_date=p.decision_date,
                organ=p.organ, penalty_kind=p.penalty_kind, content=p.content,
                fine_amount=p.fine_amount, source_unit=p.source_unit,
                repaired=p.decision_no in first_repair,
                repair_date=first_repair.get(p.decision_no),
            )
            for p in penalties
            if self.counts(p, chosen)
        )
        repair_items = tuple(
            RepairItem(r.decision_no, r.repair_date, r.organ, r.document_no)
            for r in repairs
            if start <= r.repair_date <= end
            and repaired_domain.get(r.decision_no, chosen[0]) in chosen
        )
        per_domain = {c: 0 for c in chosen}
        for v in violations:
            per_domain[v.domain] += 1
        conclusions = tuple(
            DomainConclusion(c, self.profile.domain(c).name, self.profile.domain(c).responsible, n)
            for c, n in per_domain.items()
        )
        return ReportContent(
            profile_id=self.profile.id, report_date=today, period_from=start, period_to=end,
            enterprise=info, domains=conclusions, violations=violations,
            arrears=tuple(
                ArrearItem(a.kind, a.period, a.amount, a.source_unit, a.as_of) for a in arrears
            ),
            repairs=repair_items,
        )

    def counts(self, p: Penalty, chosen: tuple[int, ...]) -> bool:
        """Whether a penalty in the period is a violation record under the profile."""
        return (
            p.domain in chosen
            and p.status == "有效"
            and p.procedure not in self.profile.excluded_procedures
            and p.decision_kind not in self.profile.excluded_decisions
        )
