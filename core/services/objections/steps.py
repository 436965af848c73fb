"""The state machine both registers share (objections and credit-repair applications): whether a
step is allowed from the current state, the day it is recorded for, and its audit event."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.services.people import audit_chain
from core.states import AuditAction


def check_transition(subject: str, item_id: int, current: Enum, to: Enum,
                     allowed: Mapping[Enum, tuple[Enum, ...]]) -> None:
    """InvalidRequest naming the states allowed from `current` unless `to` is one of them;
    `subject` names the kind of case in the message (异议, 信用修复申请)."""
    allowed_now = allowed[current]
    if to in allowed_now:
        return
    if not allowed_now:
        raise InvalidRequest(f"{subject} {item_id} 已办结（{current}），不能再改为“{to}”")
    raise InvalidRequest(f"{subject} {item_id} 当前为“{current}”，不能改为“{to}”；"
                         f"当前只能改为：{'、'.join(allowed_now)}")


def not_in_future(day: date, today: date, what: str) -> None:
    if day > today:
        raise InvalidRequest(f"{what}日期 {day} 晚于今天，不能登记将来的日期")


def not_before(day: date, last: date | None, what: str) -> None:
    if last and day < last:
        raise InvalidRequest(f"{what}日期 {day} 早于上一步（{last}）")


def acted_on(on: date | None, today: date, last: date | None, what: str) -> date:
    """The day a step is recorded for: `on` (a paper step) or today, never ahead, never before `last`."""
    day = on or today
    not_in_future(day, today, what)
    not_before(day, last, what)
    return day


def audit_step(s: Session, *, action: AuditAction, subject: str, frm: Enum | None, to: Enum, on: date,
               actor: str, counter: str, reason: str, uscc: str, record: str, backdated: bool) -> None:
    """The step's event in the audit chain, in the caller's unit of work."""
    details = {"from": frm.value if frm else None, "to": to.value, "on": on.isoformat(),
               "reason": reason[:200], "uscc": uscc, "record": record}
    if backdated:
        details["backdated"] = True  # a paper filing or step recorded after the day it happened
    audit_chain.append(s, actor=actor, counter=counter, action=action, subject=subject, details=details)


def listing(s: Session, model, closed: Iterable[Enum], *, open_only: bool = False) -> list:
    """Every case of `model` by number; only those not in a `closed` state when `open_only`."""
    query = select(model).order_by(model.id)
    if open_only:
        query = query.where(model.status.not_in([c.value for c in closed]))
    return list(s.scalars(query))
