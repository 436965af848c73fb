"""What a report prints beside a record someone objected to (inside the caller's unit of work).

While an accepted objection is open (已受理, 平台核查, 协查中) the record prints
异议处理中（受理日期）. After the outcome 无法确认 it prints a short note for as long as the record
is on reports (the providing unit could neither confirm nor correct it: a reader should know).
维持 and 已更正 print nothing: the record stands, or has been corrected (corrections.py).
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from core.db.models_objections import Objection
from core.domain import ObjectionMark
from core.services.objections import rules
from core.states import ObjectionStatus as S

# States in which an objection that ended 无法确认 still shows its note: not after a withdrawal.
_UNCONFIRMED_SHOWN = (S.UNCONFIRMED.value, S.ANSWERED.value)


def record_marks(s: Session, uscc: str, record_kind: str = "penalty") -> dict[int, ObjectionMark]:
    """Per record id, the mark its report row carries: an open accepted objection wins over an
    earlier 无法确认; among several, the newest."""
    rows = s.scalars(
        select(Objection)
        .where(Objection.uscc == uscc, Objection.record_kind == record_kind,
               Objection.record_id.is_not(None),
               or_(Objection.status.in_([st.value for st in rules.UNDER_REVIEW]),
                   (Objection.outcome == S.UNCONFIRMED.value)
                   & Objection.status.in_(_UNCONFIRMED_SHOWN)))
        .order_by(Objection.id)
    )
    marks: dict[int, ObjectionMark] = {}
    for o in rows:
        open_now = S(o.status) in rules.UNDER_REVIEW
        mark = ObjectionMark(o.id, o.status if open_now else S.UNCONFIRMED.value, o.accepted_on)
        held = marks.get(o.record_id)
        if held is None or open_now or not held.under_review:
            marks[o.record_id] = mark
    return marks
