"""Objections (异议): counter staff register them and the enterprise's withdrawal; 主管 decide.

Deadlines are working days after the day of filing (core.services.objections.workdays) as the
profile sets them; a deadline in a year whose holidays are not announced is provisional (暂定).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.services.objections import corrections, register, rules
from core.services.objections.corrections import Correction
from core.services.objections.register import Filing
from core.services.objections.workdays import Deadline
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession
from core.states import ObjectionStatus
from core.usecases.base import DeskBase, use_case

DUE_SOON = 1  # working days left at which an item stands out


@dataclass(frozen=True)
class Step:
    from_status: str | None
    to_status: str
    acted_on: date
    recorded_at: datetime
    actor: str
    counter: str
    reason: str
    backdated: bool

    def to_json(self) -> dict:
        return {"from": self.from_status, "to": self.to_status, "on": self.acted_on.isoformat(),
                "recorded_at": self.recorded_at.isoformat(sep=" "), "by": self.actor,
                "counter": self.counter, "reason": self.reason, "backdated": self.backdated}


@dataclass(frozen=True)
class Attachment:
    id: int
    file_name: str
    media_type: str
    size: int
    sha256: str

    def to_json(self) -> dict:
        return {"id": self.id, "file_name": self.file_name, "media_type": self.media_type,
                "size": self.size, "sha256": self.sha256}


@dataclass(frozen=True)
class ObjectionView:
    id: int
    uscc: str
    enterprise_name: str
    record_kind: str
    record_ref: str
    report_no: str | None
    grounds: str
    grounds_text: str | None
    filed_by: str
    filed_as: str
    filed_on: date
    status: str
    accepted_on: date | None
    outcome: str | None
    closed_on: date | None
    due: dict[str, Deadline]
    next_due: Deadline | None
    days_left: int | None  # working days to next_due (negative: overdue); None once closed
    actions: tuple[str, ...]  # the actions allowed from here (rules.ACTIONS names)
    timeline: tuple[Step, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    # 已更正: how the record was corrected, {"removed": bool, "changes": [[label, before, after]],
    # "corrected_on": ISO date}; None otherwise (and when not read in full)
    correction: dict | None = None

    @property
    def provisional(self) -> bool:
        return any(d.provisional for d in self.due.values())

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def due_soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= DUE_SOON

    def to_json(self) -> dict:
        data = {
            "objection_id": self.id, "uscc": self.uscc, "enterprise_name": self.enterprise_name,
            "record_kind": self.record_kind, "record": self.record_ref, "report_no": self.report_no,
            "grounds": self.grounds, "grounds_text": self.grounds_text, "filed_by": self.filed_by,
            "filed_as": self.filed_as, "filed_on": self.filed_on.isoformat(), "status": self.status,
            "accepted_on": self.accepted_on.isoformat() if self.accepted_on else None,
            "outcome": self.outcome, "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "due": {k: d.due.isoformat() for k, d in self.due.items()},
            "provisional": self.provisional,
            "next_due": self.next_due.due.isoformat() if self.next_due else None,
            "days_left": self.days_left, "overdue": self.overdue, "actions": list(self.actions),
        }
        if self.timeline:
            data["timeline"] = [t.to_json() for t in self.timeline]
            data["attachments"] = [a.to_json() for a in self.attachments]
        if self.correction:
            data["correction"] = self.correction
        return data


class ObjectionUseCases(DeskBase):
    def _view(self, s, o, today: date, cal, *, full: bool = False) -> ObjectionView:
        due = register.deadlines(o, self.profile.objection_days, cal)
        nxt = register.next_due(o, due)
        timeline = attachments = ()
        if full:
            timeline = tuple(Step(e.from_status, e.to_status, e.acted_on, e.recorded_at, e.actor,
                                  e.counter, e.reason, e.backdated)
                             for e in register.timeline(s, o.id))
            attachments = tuple(Attachment(a.id, a.file_name, a.media_type, a.size, a.sha256)
                                for a in register.attachments(s, o.id))
        return ObjectionView(
            o.id, o.uscc, o.enterprise_name, o.record_kind, o.record_ref, o.report_no, o.grounds,
            o.grounds_text, o.filed_by, o.filed_as, o.filed_on, o.status, o.accepted_on, o.outcome,
            o.closed_on, due, nxt, cal.left(today, nxt.due) if nxt else None,
            tuple(a.name for a in rules.actions_from(ObjectionStatus(o.status))), timeline, attachments,
            corrections.described(s, o.id) if full else None)

    @use_case(Permission.OBJECTION_FILE, writes=True, changes="objections")
    def file_objection(self, session: UserSession, filing: Filing, today: date | None = None) -> ObjectionView:
        """Register an enterprise's objection (已登记); `filing.filed_on` records a paper filing
        made earlier (audited as such)."""
        today = today or date.today()
        with self.db.session(write=True) as s:
            o = register.file(s, filing, actor=session.username, counter=session.counter, today=today)
            return self._view(s, o, today, register.calendar(s), full=True)

    @use_case(None, writes=True, changes="objections")
    def objection_step(self, session: UserSession, objection_id: int, action: str, reason: str,
                       on: date | None = None, outcome: str | None = None,
                       today: date | None = None, correction: Correction | None = None) -> ObjectionView:
        """One step of the workflow. Counter staff may record only the enterprise's withdrawal;
        every other step is a 主管's decision. The outcome 已更正 needs `correction` (field changes
        or removal), carried out with the step in one unit of work; no other step takes one."""
        step = rules.ACTIONS.get(action)
        counter_may = step is not None and step.counter_may
        self.authorize(session, Permission.OBJECTION_FILE if counter_may else Permission.OBJECTION_DECIDE)
        today = today or date.today()
        with self.db.session(write=True) as s:
            o = register.step(s, objection_id, action, reason=reason, actor=session.username,
                              counter=session.counter, today=today, on=on, outcome=outcome)
            corrections.apply(s, o, correction, actor=session.username, counter=session.counter,
                              today=today)
            return self._view(s, o, today, register.calendar(s), full=True)

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def objections(self, session: UserSession, open_only: bool = False, overdue: bool = False,
                   today: date | None = None) -> list[ObjectionView]:
        """The register, soonest due first (closed ones last, newest first)."""
        today = today or date.today()
        with self.db.session() as s:
            cal = register.calendar(s)
            views = [self._view(s, o, today, cal) for o in register.listing(s, open_only=open_only or overdue)]
        if overdue:
            views = [v for v in views if v.overdue]
        return sorted(views, key=lambda v: (v.next_due is None, v.next_due.due if v.next_due else date.min,
                                            -v.id if v.next_due is None else v.id))

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def objection(self, session: UserSession, objection_id: int, today: date | None = None) -> ObjectionView:
        """One objection with its timeline and its documents' names and hashes."""
        today = today or date.today()
        with self.db.session() as s:
            return self._view(s, register.get(s, objection_id), today, register.calendar(s), full=True)

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def objection_attachment(self, session: UserSession, attachment_id: int) -> tuple[str, str, bytes]:
        """(file name, media type, bytes) of one document, checked against its stored hash."""
        import hashlib

        from core.db.models_objections import ObjectionAttachment
        from core.errors import IntegrityBroken, NotFound

        with self.db.session() as s:
            a = s.get(ObjectionAttachment, attachment_id)
            if a is None:
                raise NotFound(f"没有编号为 {attachment_id} 的附件")
            if hashlib.sha256(a.content).hexdigest() != a.sha256:
                raise IntegrityBroken(f"附件 {a.file_name} 的内容与登记时的 SHA-256 不符，可能已被改动")
            return a.file_name, a.media_type, bytes(a.content)

    @use_case(Permission.OBJECTION_VIEW, writes=False)
    def objections_of(self, session: UserSession, uscc: str, today: date | None = None) -> list[ObjectionView]:
        """One enterprise's open objections, soonest due first (for the counter's 异议 list)."""
        today = today or date.today()
        with self.db.session() as s:
            cal = register.calendar(s)
            views = [self._view(s, o, today, cal) for o in register.listing(s, open_only=True) if o.uscc == uscc]
        return sorted(views, key=lambda v: (v.next_due.due if v.next_due else date.max, v.id))
