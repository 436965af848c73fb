"""Plain frozen dataclasses that services hand out: never live ORM objects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from core.states import ObjectionStatus


@dataclass(frozen=True)
class EnterpriseInfo:
    uscc: str
    name: str
    former_names: tuple[str, ...]
    legal_rep: str | None
    founded_on: date | None
    address: str | None
    division: str
    reg_authority: str | None
    reg_status: str | None
    kind: str


@dataclass(frozen=True)
class EnterpriseHit:
    """One lookup result; `matched_name` is the former name when that is what matched."""

    uscc: str
    name: str
    matched_name: str
    legal_rep: str | None
    reg_status: str | None
    match: str  # uscc | name | prefix | contains | initials


@dataclass(frozen=True)
class ObjectionMark:
    """An objection printed beside a record: while an accepted objection is open (`status` one of
    已受理, 平台核查, 协查中) the record shows 异议处理中（受理日期）; after the outcome 无法确认
    (`status` 无法确认, kept while the record is on reports) a short note. 维持 shows nothing."""

    id: int
    status: str
    accepted_on: date | None

    @property
    def under_review(self) -> bool:
        return self.status != UNCONFIRMED

    @property
    def text(self) -> str:
        """What the report prints beside the record."""
        if not self.under_review:
            return UNCONFIRMED_NOTE
        day = f"{self.accepted_on.isoformat()}受理" if self.accepted_on else "已受理"
        return f"异议处理中（{day}）"

    def to_json(self) -> dict:
        return {"id": self.id, "status": self.status,
                "accepted_on": self.accepted_on.isoformat() if self.accepted_on else None}


UNCONFIRMED = ObjectionStatus.UNCONFIRMED.value
UNCONFIRMED_NOTE = "经核查无法确认，详见异议答复"


@dataclass(frozen=True)
class Violation:
    decision_no: str
    domain: int
    decision_date: date
    organ: str
    penalty_kind: str
    content: str | None
    fine_amount: Decimal | None
    source_unit: str
    repaired: bool
    repair_date: date | None
    # The national data items 违法行为类型 (CF_WFXW), 违法事实 (CF_SY) and 处罚依据 (CF_YJ): defaults
    # keep content built before they were printed (and its canonical JSON) constructible.
    violation_type: str | None = None
    facts: str | None = None
    basis: str | None = None
    # The columns the providing unit left 未注明 (程序类型, 决定类型): counted under the profile's
    # rule and marked on the report so nobody takes them for stated values.
    unstated: tuple[str, ...] = ()
    # The enterprise's objection to this record, when the report must show it; None otherwise
    # (and then absent from the canonical JSON, so content without one hashes as before).
    objection: ObjectionMark | None = None


@dataclass(frozen=True)
class ArrearItem:
    kind: str
    period: str
    amount: Decimal
    source_unit: str
    as_of: date


@dataclass(frozen=True)
class RepairItem:
    decision_no: str
    repair_date: date
    organ: str
    document_no: str


@dataclass(frozen=True)
class EnforcementItem:
    """A 行政强制 decision in the report's period (565号)."""

    decision_no: str
    decision_date: date
    organ: str
    measure: str
    content: str | None
    source_unit: str


@dataclass(frozen=True)
class ListingItem:
    """An entry on a 严重失信主体名单 in force during the period; `removed_on` set: 已移出."""

    list_name: str
    authority: str
    listed_on: date
    reason: str | None
    removed_on: date | None
    source_unit: str


@dataclass(frozen=True)
class CriminalItem:
    """A 刑事裁判 (犯罪记录) in the period."""

    case_no: str
    court: str
    judgment_date: date
    charge: str
    sentence: str | None
    source_unit: str


@dataclass(frozen=True)
class DomainConclusion:
    code: int
    name: str
    responsible: str
    violations: int
    # The newest day the domain's responsible units delivered penalty data (import batches);
    # None when none has arrived yet. Printed so a reader sees how current each domain is.
    data_as_of: date | None = None

    @property
    def conclusion(self) -> str:
        return "无违法记录" if self.violations == 0 else f"{self.violations} 条违法记录"


@dataclass(frozen=True)
class ReportContent:
    """What a 专用信用报告 says: the answer of the rules for one enterprise, scope and date."""

    profile_id: str
    report_date: date
    period_from: date
    period_to: date
    enterprise: EnterpriseInfo
    domains: tuple[DomainConclusion, ...]
    violations: tuple[Violation, ...]
    arrears: tuple[ArrearItem, ...]
    repairs: tuple[RepairItem, ...]
    # The record kinds of 发改财金〔2025〕565号, filled only when the profile carries them; the
    # defaults keep content built before them (and its canonical JSON) as it was.
    enforcements: tuple[EnforcementItem, ...] = ()
    listings: tuple[ListingItem, ...] = ()
    criminal: tuple[CriminalItem, ...] = ()
    # Record kinds the profile carries "where the data exists" for which no data was ever
    # imported: the report says 暂无数据来源 for them, never 无.
    unsourced: tuple[str, ...] = ()

    @property
    def domain_codes(self) -> tuple[int, ...]:
        return tuple(d.code for d in self.domains)

    @property
    def is_clean(self) -> bool:
        return (not self.violations and not self.arrears and not self.enforcements
                and not self.listings and not self.criminal)

    def to_json(self) -> dict:
        """The stable JSON shape scripts rely on (`report content --json`)."""
        return {
            "uscc": self.enterprise.uscc,
            "enterprise_name": self.enterprise.name,
            "report_date": self.report_date.isoformat(),
            "profile": self.profile_id,
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "domains": list(self.domain_codes),
            "violations": [
                {
                    "decision_no": v.decision_no,
                    "domain": v.domain,
                    "decision_date": v.decision_date.isoformat(),
                    "repaired": v.repaired,
                    "objection": v.objection.to_json() if v.objection else None,
                }
                for v in self.violations
            ],
            "arrears": [
                {"kind": a.kind, "period": a.period, "amount": float(a.amount)} for a in self.arrears
            ],
            "repairs": [
                {"decision_no": r.decision_no, "repair_date": r.repair_date.isoformat()}
                for r in self.repairs
            ],
            # The 565号 record kinds: present only when the report has some (keys are added, never
            # renamed).
            **({"enforcements": [
                {"decision_no": e.decision_no, "organ": e.organ,
                 "decision_date": e.decision_date.isoformat()} for e in self.enforcements
            ]} if self.enforcements else {}),
            **({"dishonest_lists": [
                {"list_name": x.list_name, "authority": x.authority,
                 "listed_on": x.listed_on.isoformat(),
                 "removed_on": x.removed_on.isoformat() if x.removed_on else None}
                for x in self.listings
            ]} if self.listings else {}),
            **({"criminal": [
                {"case_no": c.case_no, "court": c.court, "judgment_date": c.judgment_date.isoformat()}
                for c in self.criminal
            ]} if self.criminal else {}),
            **({"unsourced": list(self.unsourced)} if self.unsourced else {}),
        }


PURPOSES = ("上市", "挂牌", "融资", "并购重组", "发行债券", "招投标", "其他")


@dataclass(frozen=True)
class IssueInfo:
    """What issuing adds to the content: printed on the report and carried in its code."""

    report_no: str  # e.g. SZ-2026-00001234
    issued_at: datetime
    valid_until: date
    purpose: str
    issuer: str  # the issuing authority printed above the seal
    counter: str  # the counter (窗口) that issued it
    qr_digits: str  # the signed digits-only payload drawn as the QR code
    verify_host: str = ""  # the QR code reads HTTPS://<verify_host>/V/<qr_digits>; "" draws the digits alone
