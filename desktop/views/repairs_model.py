"""The credit-repair queue as a table: one row per RepairView, overdue red, due-soon amber
(the marks and colours are case_model_base's, shared with the objection queue)."""
from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from core.usecases import RepairView
from desktop.strings import repairs as S
from desktop.views.case_model_base import CaseModel, due_cell_text, provisional_tip


class RepairColumn(IntEnum):
    ID = 0
    ENTERPRISE = 1
    DECISION = 2
    STATUS = 3
    DUE = 4
    EARLIEST = 5
    APPLIED_ON = 6


def next_due(r: RepairView):
    """The deadline the current state works to (the sooner of its stage and closing); None once closed."""
    if r.days_left is None:
        return None
    stage = {"已申请": "accept", "已受理": "consult", "征求处罚机关意见": "consult"}.get(r.status, "close")
    return min((r.due[stage], r.due["close"]), key=lambda d: d.due)


def due_text(r: RepairView) -> str:
    d = next_due(r)
    if d is None:
        return S.CLOSED_ON.format(day=f"{r.decided_on:%Y-%m-%d}") if r.decided_on else S.CLOSED
    return due_cell_text(d, r.overdue, r.due_soon, r.days_left)


def earliest_text(r: RepairView, today: date | None = None) -> str:
    if r.earliest is None:
        return "—"
    day = f"{r.earliest:%Y-%m-%d}"
    return (S.EARLIEST_PASSED if r.earliest <= (today or date.today()) else S.EARLIEST_AHEAD).format(day=day)


class RepairsModel(CaseModel[RepairView]):
    columns = RepairColumn
    headers = S.QUEUE_HEADERS
    id_column, due_column = RepairColumn.ID, RepairColumn.DUE

    def display(self, r: RepairView) -> dict[RepairColumn, str]:
        return {
            RepairColumn.ID: str(r.id),
            RepairColumn.ENTERPRISE: r.enterprise_name or r.uscc,
            RepairColumn.DECISION: r.decision_no,
            RepairColumn.STATUS: r.status,
            RepairColumn.DUE: due_text(r),
            RepairColumn.EARLIEST: earliest_text(r),
            RepairColumn.APPLIED_ON: f"{r.applied_on:%Y-%m-%d}",
        }

    def sort_key(self, r: RepairView, column: RepairColumn) -> Any:
        if column == RepairColumn.ID:
            return r.id
        if column == RepairColumn.DUE:  # open ones by date, closed ones after them
            d = next_due(r)
            return (d.due.isoformat() if d else "9999") + f"{r.id:09d}"
        if column == RepairColumn.EARLIEST:
            return r.earliest.isoformat() if r.earliest else ""
        if column == RepairColumn.APPLIED_ON:
            return r.applied_on.isoformat()
        return None

    def tooltip(self, r: RepairView) -> str:
        tip = "\n".join((f"{r.enterprise_name}（{r.uscc}）", r.decision_no, f"{r.status}　{due_text(r)}"))
        return tip + provisional_tip(next_due(r))

    def is_closed(self, r: RepairView) -> bool:
        return r.days_left is None
