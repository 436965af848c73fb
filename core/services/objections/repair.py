"""Credit-repair applications (国家发展改革委令2023年第58号《失信行为纠正后的信用信息修复管理办法（试行）》).

已申请 → 已受理 → 征求处罚机关意见 → 准予 | 不予 → 已同步; 不予 may also come at 已申请 or 已受理. A
penalty may be repaired once its shortest publicity period (per severity, profile data: 一般 3
months, 严重 1 year, from the decision date) has passed; a penalty whose severity was not stated
is held to the 严重 rule until its unit states it. A granted application becomes a credit-repair
record (CreditRepair) that names the application it came from.
"""
from __future__ import annotations

import calendar as _months
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db.models import CreditRepair, Penalty
from core.db.models_objections import RepairApplication
from core.errors import InvalidRequest, NotFound
from core.services.objections import steps
from core.services.objections.workdays import Deadline, WorkCalendar
from core.states import AuditAction, PenaltyStatus, RepairStatus as R, Severity

ALLOWED: dict[R, tuple[R, ...]] = {
    R.APPLIED: (R.ACCEPTED, R.REFUSED),
    R.ACCEPTED: (R.CONSULTING, R.REFUSED),
    R.CONSULTING: (R.GRANTED, R.REFUSED),
    R.GRANTED: (R.SYNCED,),
    R.REFUSED: (),
    R.SYNCED: (),
}
CLOSED = frozenset({R.REFUSED, R.SYNCED})
ACTIONS = {"accept": R.ACCEPTED, "consult": R.CONSULTING, "grant": R.GRANTED, "refuse": R.REFUSED,
           "sync": R.SYNCED}
PLATFORM = "信用修复申请（信用报告窗口受理）"  # the source of a repair record made here


@dataclass(frozen=True)
class Eligibility:
    decision_no: str
    severity: str
    earliest: date  # the first day a repair may be granted
    rule: str  # how `earliest` was found, in words

    def to_json(self) -> dict:
        return {"decision_no": self.decision_no, "severity": self.severity,
                "earliest": self.earliest.isoformat(), "rule": self.rule}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, _months.monthrange(year, month)[1]))


def eligibility(p: Penalty, publicity: tuple[tuple[str, int, int], ...]) -> Eligibility:
    shortest = {severity: low for severity, low, _ in publicity}
    if p.severity in shortest:
        months, rule = shortest[p.severity], f"{p.severity}失信，最短公示 {shortest[p.severity]} 个月"
    else:
        months = shortest[Severity.SERIOUS.value]
        rule = f"失信程度未注明，按严重失信最短公示 {months} 个月计，待处罚机关注明"
    return Eligibility(p.decision_no, p.severity, add_months(p.decision_date, months), rule)


def penalty_for(s: Session, decision_no: str, uscc: str | None) -> Penalty:
    query = select(Penalty).where(Penalty.decision_no == decision_no.strip(),
                                  Penalty.status == PenaltyStatus.IN_FORCE.value)
    if uscc:
        query = query.where(Penalty.uscc == uscc)
    rows = s.scalars(query).all()
    if not rows:
        raise NotFound(f"没有处罚决定书文号为“{decision_no}”的有效行政处罚记录")
    if len(rows) > 1:
        raise InvalidRequest(f"文号“{decision_no}”对应 {len(rows)} 条处罚记录（不同企业或机关），"
                             "请用 --uscc 指明企业")
    return rows[0]


def apply(s: Session, p: Penalty, publicity, *, applied_on: date, actor: str, counter: str,
          today: date) -> tuple[RepairApplication, Eligibility]:
    steps.not_in_future(applied_on, today, "申请")
    repaired = s.scalar(select(CreditRepair.id).where(CreditRepair.decision_no == p.decision_no,
                                                      CreditRepair.uscc == p.uscc).limit(1))
    if repaired is not None:
        raise InvalidRequest(f"处罚 {p.decision_no} 已有信用修复记录，无需再次申请")
    pending = s.scalar(select(RepairApplication.id).where(
        RepairApplication.penalty_id == p.id,
        RepairApplication.status.not_in([c.value for c in CLOSED])).limit(1))
    if pending is not None:
        raise InvalidRequest(f"处罚 {p.decision_no} 已有办理中的信用修复申请（编号 {pending}）")
    rule = eligibility(p, publicity)
    a = RepairApplication(penalty_id=p.id, uscc=p.uscc, decision_no=p.decision_no,
                          status=R.APPLIED.value, applied_on=applied_on, earliest=rule.earliest,
                          registered_by=actor, registered_at=datetime.now().replace(microsecond=0))
    s.add(a)
    s.flush()
    _audit(s, a, None, R.APPLIED, applied_on, actor, counter, rule.rule, applied_on < today)
    return a, rule


def step(s: Session, application_id: int, action: str, *, reason: str, on: date, actor: str,
         counter: str, today: date) -> RepairApplication:
    if action not in ACTIONS:
        raise InvalidRequest(f"未知的信用修复操作“{action}”，可用：{'、'.join(ACTIONS)}")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidRequest("请填写办理理由")
    steps.not_in_future(on, today, "办理")
    a = s.get(RepairApplication, application_id)
    if a is None:
        raise NotFound(f"没有编号为 {application_id} 的信用修复申请")
    current, to = R(a.status), ACTIONS[action]
    steps.check_transition("信用修复申请", a.id, current, to, ALLOWED)
    last = max(d for d in (a.applied_on, a.accepted_on, a.consulted_on, a.decided_on) if d)
    steps.not_before(on, last, "办理")
    if to is R.GRANTED and a.earliest and on < a.earliest:
        raise InvalidRequest(f"处罚 {a.decision_no} 的最短公示期未满，最早可于 {a.earliest} 准予信用修复")
    a.status = to.value
    if to is R.ACCEPTED:
        a.accepted_on = on
    elif to is R.CONSULTING:
        a.consulted_on = on
    elif to in (R.GRANTED, R.REFUSED):
        a.decided_on, a.reason = on, reason
    elif to is R.SYNCED:
        a.synced_on = on
    if to is R.GRANTED:
        repair = CreditRepair(uscc=a.uscc, decision_no=a.decision_no, repair_date=on, organ=PLATFORM,
                              document_no=f"信用修复申请第{a.id}号", source_unit=PLATFORM)
        s.add(repair)
        s.flush()
        a.repair_id = repair.id
    _audit(s, a, current, to, on, actor, counter, reason, on < today)
    return a


def _audit(s: Session, a: RepairApplication, frm: R | None, to: R, on: date, actor: str, counter: str,
           reason: str, backdated: bool) -> None:
    steps.audit_step(s, action=AuditAction.REPAIR, subject=f"修复申请{a.id}", frm=frm, to=to, on=on,
                     actor=actor, counter=counter, reason=reason, uscc=a.uscc, record=a.decision_no,
                     backdated=backdated)


def deadlines(a: RepairApplication, days: tuple[int, int, int, int], cal: WorkCalendar) -> dict[str, Deadline]:
    """Like an objection's: accept from the application, the punishing organ's opinion from
    acceptance, closing from the application."""
    accept = cal.add(a.applied_on, days[0])
    consult = cal.add(a.accepted_on or accept.due, days[2])
    close = cal.add(a.applied_on, days[3])
    return {"accept": accept, "consult": consult, "close": close}


def listing(s: Session, *, open_only: bool = False) -> list[RepairApplication]:
    return steps.listing(s, RepairApplication, CLOSED, open_only=open_only)
