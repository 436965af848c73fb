"""The objection queue as a table: one row per ObjectionView, overdue red, due-soon amber
(the marks and colours are case_model_base's, shared with the credit-repair queue)."""
from __future__ import annotations

from enum import IntEnum
from typing import Any

from core.usecases import ObjectionView
from desktop.strings import objections as S
from desktop.views.case_model_base import (CLOSED_GREY, OVERDUE_TEXT, OVERDUE_TINT, SOON_TEXT,  # noqa: F401
                                           SOON_TINT, CaseModel, due_cell_text, provisional_tip)


class ObjectionColumn(IntEnum):
    ID = 0
    ENTERPRISE = 1
    RECORD = 2
    GROUNDS = 3
    STATUS = 4
    DUE = 5
    FILED_ON = 6


def record_text(o: ObjectionView) -> str:
    if o.record_kind == "enterprise":
        return S.RECORD_LABELS["enterprise"]
    return S.RECORD_TEXT.format(kind=S.RECORD_LABELS.get(o.record_kind, o.record_kind), ref=o.record_ref)


def grounds_text(o: ObjectionView) -> str:
    return f"{o.grounds}：{o.grounds_text}" if o.grounds_text else o.grounds


def due_text(o: ObjectionView) -> str:
    """'2026-12-03（剩 2 个工作日）' with its mark; 已办结 once closed."""
    if o.next_due is None:
        return S.CLOSED_ON.format(day=f"{o.closed_on:%Y-%m-%d}") if o.closed_on else S.CLOSED
    return due_cell_text(o.next_due, o.overdue, o.due_soon, o.days_left)


class ObjectionsModel(CaseModel[ObjectionView]):
    columns = ObjectionColumn
    headers = S.QUEUE_HEADERS
    id_column, due_column = ObjectionColumn.ID, ObjectionColumn.DUE

    def display(self, o: ObjectionView) -> dict[ObjectionColumn, str]:
        return {
            ObjectionColumn.ID: str(o.id),
            ObjectionColumn.ENTERPRISE: o.enterprise_name,
            ObjectionColumn.RECORD: record_text(o),
            ObjectionColumn.GROUNDS: grounds_text(o),
            ObjectionColumn.STATUS: o.status,
            ObjectionColumn.DUE: due_text(o),
            ObjectionColumn.FILED_ON: f"{o.filed_on:%Y-%m-%d}",
        }

    def sort_key(self, o: ObjectionView, column: ObjectionColumn) -> Any:
        if column == ObjectionColumn.ID:
            return o.id
        if column == ObjectionColumn.DUE:  # open ones by date, closed ones after them
            return (o.next_due.due.isoformat() if o.next_due else "9999") + f"{o.id:09d}"
        if column == ObjectionColumn.FILED_ON:
            return o.filed_on.isoformat()
        return None

    def tooltip(self, o: ObjectionView) -> str:
        tip = "\n".join((f"{o.enterprise_name}（{o.uscc}）", record_text(o), grounds_text(o),
                         f"{o.status}　{due_text(o)}"))
        return tip + provisional_tip(o.next_due)

    def is_closed(self, o: ObjectionView) -> bool:
        return o.next_due is None
