"""The credit-repair queue as a table: one row per RepairView, overdue red, due-soon amber.

As in the objection queue, colour is never the only sign: the deadline cell says 【超期】 / 【将到期】.
"""
from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from core.usecases import RepairView
from desktop.strings import objections as OS
from desktop.strings import repairs as S
from desktop.views.objections_model import CLOSED_GREY, OVERDUE_TEXT, OVERDUE_TINT, SOON_TEXT, SOON_TINT
from desktop.views.table_models import SORT_ROLE, _RowsModel


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
        return S.DECIDED_ON.format(day=f"{r.decided_on:%Y-%m-%d}") if r.decided_on else S.CLOSED
    due = f"{d.due:%Y-%m-%d}"
    if r.overdue:
        text = OS.MARK_OVERDUE + OS.DUE_OVER.format(due=due, n=-r.days_left)
    elif r.days_left == 0:
        text = OS.MARK_SOON + OS.DUE_TODAY.format(due=due)
    else:
        text = (OS.MARK_SOON if r.due_soon else "") + OS.DUE_LEFT.format(due=due, n=r.days_left)
    return text + (OS.PROVISIONAL if d.provisional else "")


def earliest_text(r: RepairView, today: date | None = None) -> str:
    if r.earliest is None:
        return "—"
    day = f"{r.earliest:%Y-%m-%d}"
    return (S.EARLIEST_PASSED if r.earliest <= (today or date.today()) else S.EARLIEST_AHEAD).format(day=day)


class RepairsModel(_RowsModel[RepairView]):
    columns = RepairColumn
    headers = S.QUEUE_HEADERS

    def cell(self, r: RepairView, column: RepairColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                RepairColumn.ID: str(r.id),
                RepairColumn.ENTERPRISE: r.enterprise_name or r.uscc,
                RepairColumn.DECISION: r.decision_no,
                RepairColumn.STATUS: r.status,
                RepairColumn.DUE: due_text(r),
                RepairColumn.EARLIEST: earliest_text(r),
                RepairColumn.APPLIED_ON: f"{r.applied_on:%Y-%m-%d}",
            }[column]
        if role == SORT_ROLE:
            if column == RepairColumn.ID:
                return r.id
            if column == RepairColumn.DUE:  # open ones by date, closed ones after them
                d = next_due(r)
                return (d.due.isoformat() if d else "9999") + f"{r.id:09d}"
            if column == RepairColumn.EARLIEST:
                return r.earliest.isoformat() if r.earliest else ""
            if column == RepairColumn.APPLIED_ON:
                return r.applied_on.isoformat()
            return self.cell(r, column, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = "\n".join((f"{r.enterprise_name}（{r.uscc}）", r.decision_no, f"{r.status}　{due_text(r)}"))
            d = next_due(r)
            return tip + ("\n" + OS.PROVISIONAL_TIP if d is not None and d.provisional else "")
        if role == Qt.ItemDataRole.ForegroundRole:
            if r.overdue:
                return QBrush(OVERDUE_TEXT)
            if r.due_soon:
                return QBrush(SOON_TEXT)
            if r.days_left is None:
                return QBrush(CLOSED_GREY)
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.overdue:
                return QBrush(OVERDUE_TINT)
            if r.due_soon:
                return QBrush(SOON_TINT)
        if role == Qt.ItemDataRole.FontRole and column == RepairColumn.DUE and (r.overdue or r.due_soon):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == RepairColumn.ID:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def index_of(self, application_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == application_id), -1)
