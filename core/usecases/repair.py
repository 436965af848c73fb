"""Credit repair (信用修复): counter staff register an application; 主管 take it through.

The earliest day a penalty may be repaired follows its severity and the profile's shortest
publicity period; granting before it is refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.services.objections import register, repair
from core.services.objections.repair import Eligibility
from core.services.objections.workdays import Deadline
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.states import RepairStatus
from core.usecases.base import DeskBase, use_case


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

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.due.values())

    def to_json(self) -> dict:
        return {"application_id": self.id, "uscc": self.uscc, "record": self.decision_no,
                "status": self.status, "applied_on": self.applied_on.isoformat(),
                "earliest": self.earliest.isoformat() if self.earliest else None,
                "decided_on": self.decided_on.isoformat() if self.decided_on else None,
                "reason": self.reason, "repair_id": self.repair_id,
                "due": {k: d.due.isoformat() for k, d in self.due.items()},
                "provisional": self.provisional, "days_left": self.days_left}


class RepairUseCases(DeskBase):
    def _repair_view(self, a, today: date, cal) -> RepairView:
        due = repair.deadlines(a, self.profile.objection_days, cal)
        status = RepairStatus(a.status)
        stage = {RepairStatus.APPLIED: "accept", RepairStatus.ACCEPTED: "consult",
                 RepairStatus.CONSULTING: "consult"}.get(status, "close")
        left = None if status in repair.CLOSED else cal.left(today, min(due[stage].due, due["close"].due))
        return RepairView(a.id, a.uscc, a.decision_no, a.status, a.applied_on, a.earliest, a.decided_on,
                          a.reason, a.repair_id, due, left)

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
            return self._repair_view(a, today, register.calendar(s))

    @use_case(Permission.OBJECTION_DECIDE, writes=True, changes="repairs")
    def repair_step(self, session: UserSession, application_id: int, action: str, reason: str,
                    on: date | None = None, today: date | None = None) -> RepairView:
        today = today or date.today()
        with self.db.session(write=True) as s:
            a = repair.step(s, application_id, action, reason=reason, on=on or today,
                            actor=session.username, counter=session.counter, today=today)
            return self._repair_view(a, today, register.calendar(s))

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def repairs(self, session: UserSession, open_only: bool = False, today: date | None = None) -> list[RepairView]:
        today = today or date.today()
        with self.db.session() as s:
            cal = register.calendar(s)
            return [self._repair_view(a, today, cal) for a in repair.listing(s, open_only=open_only)]
