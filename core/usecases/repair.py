"""Credit repair (信用修复): counter staff register an application; 主管 take it through.

The earliest day a penalty may be repaired follows its severity and the profile's shortest
publicity period; granting before it is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.db.models import Enterprise, Penalty
from core.db.models_objections import RepairApplication
from core.errors import NotFound
from core.services.objections import register, repair
from core.services.objections.repair import Eligibility
from core.services.objections.workdays import Deadline
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.states import RepairStatus
from core.usecases.base import DeskBase, use_case
from core.usecases.objections import DUE_SOON


@dataclass(frozen=True)
class RepairView:
    id: int
    uscc: str
    decision_no: str
    status: str
    applied_on: date
    earliest: date | None
    decided_on: date | None
    reason: str | None
    repair_id: int | None
    due: dict[str, Deadline]
    days_left: int | None  # to the next deadline; negative: overdue; None once closed
    enterprise_name: str = ""  # for the screen; not in the JSON

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.due.values())

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON

    @property
    def actions(self) -> tuple[str, ...]:
        """The repair.ACTIONS names allowed from here, in workflow order."""
        allowed = repair.ALLOWED[RepairStatus(self.status)]
        return tuple(name for name, to in repair.ACTIONS.items() if to in allowed)

    def to_json(self) -> dict:
        return {"application_id": self.id, "uscc": self.uscc, "record": self.decision_no,
                "status": self.status, "applied_on": self.applied_on.isoformat(),
                "earliest": self.earliest.isoformat() if self.earliest else None,
                "decided_on": self.decided_on.isoformat() if self.decided_on else None,
                "reason": self.reason, "repair_id": self.repair_id,
                "due": {k: d.due.isoformat() for k, d in self.due.items()},
                "provisional": self.provisional, "days_left": self.days_left}


@dataclass(frozen=True)
class RepairDetail:
    """One application with its penalty as recorded and the rule of its earliest repair day."""

    view: RepairView
    eligibility: Eligibility
    organ: str
    decision_date: date
    penalty_kind: str
    content: str | None


class RepairUseCases(DeskBase):
    def _repair_view(self, a, today: date, cal, s=None) -> RepairView:
        due = repair.deadlines(a, self.profile.objection_days, cal)
        status = RepairStatus(a.status)
        stage = {RepairStatus.APPLIED: "accept", RepairStatus.ACCEPTED: "consult",
                 RepairStatus.CONSULTING: "consult"}.get(status, "close")
        left = None if status in repair.CLOSED else cal.left(today, min(due[stage].due, due["close"].due))
        name = s.scalar(select(Enterprise.name).where(Enterprise.uscc == a.uscc)) if s is not None else None
        return RepairView(a.id, a.uscc, a.decision_no, a.status, a.applied_on, a.earliest, a.decided_on,
                          a.reason, a.repair_id, due, left, name or "")

    @use_case(Permission.LOOKUP, writes=False)
    def repair_eligibility(self, session: UserSession, decision_no: str, uscc: str | None = None) -> Eligibility:
        """The earliest day this penalty may be repaired, and why."""
        with self.db.session() as s:
            return repair.eligibility(repair.penalty_for(s, decision_no, uscc), self.profile.publicity_months)

    @use_case(Permission.OBJECTION_FILE, writes=True, changes="repairs")
    def repair_apply(self, session: UserSession, decision_no: str, uscc: str | None = None,
                     on: date | None = None, today: date | None = None) -> RepairView:
        today = today or date.today()
        with self.db.session(write=True) as s:
            p = repair.penalty_for(s, decision_no, uscc)
            a, _ = repair.apply(s, p, self.profile.publicity_months, applied_on=on or today,
                                actor=session.username, counter=session.counter, today=today)
            return self._repair_view(a, today, register.calendar(s), s)

    @use_case(Permission.OBJECTION_DECIDE, writes=True, changes="repairs")
    def repair_step(self, session: UserSession, application_id: int, action: str, reason: str,
                    on: date | None = None, today: date | None = None) -> RepairView:
        today = today or date.today()
        with self.db.session(write=True) as s:
            a = repair.step(s, application_id, action, reason=reason, on=on or today,
                            actor=session.username, counter=session.counter, today=today)
            return self._repair_view(a, today, register.calendar(s), s)

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def repairs(self, session: UserSession, open_only: bool = False, today: date | None = None) -> list[RepairView]:
        today = today or date.today()
        with self.db.session() as s:
            cal = register.calendar(s)
            return [self._repair_view(a, today, cal, s) for a in repair.listing(s, open_only=open_only)]

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def repair_detail(self, session: UserSession, application_id: int, today: date | None = None) -> RepairDetail:
        """One application, its penalty and the rule that sets its earliest repair day."""
        today = today or date.today()
        with self.db.session() as s:
            a = s.get(RepairApplication, application_id)
            if a is None:
                raise NotFound(f"没有编号为 {application_id} 的信用修复申请")
            p = s.get(Penalty, a.penalty_id)
            rule = repair.eligibility(p, self.profile.publicity_months)
            return RepairDetail(self._repair_view(a, today, register.calendar(s), s), rule, p.organ,
                                p.decision_date, p.penalty_kind, p.content)
