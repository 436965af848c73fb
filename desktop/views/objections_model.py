"""The objection queue as a table: one row per ObjectionView, overdue red, due-soon amber.

Colour is never the only sign: the deadline cell also says 【超期】 / 【将到期】 and 暂定.
"""
from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.usecases import ObjectionView
from desktop.strings import objections as S
from desktop.views.table_models import SORT_ROLE, _RowsModel

OVERDUE_TEXT, OVERDUE_TINT = QColor("#b3261e"), QColor("#fdecea")
SOON_TEXT, SOON_TINT = QColor("#8a5300"), QColor("#fff4d6")
CLOSED_GREY = QColor("#80868b")


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
    due = f"{o.next_due.due:%Y-%m-%d}"
    if o.overdue:
        text = S.MARK_OVERDUE + S.DUE_OVER.format(due=due, n=-o.days_left)
    elif o.days_left == 0:
        text = S.MARK_SOON + S.DUE_TODAY.format(due=due)
    else:
        text = (S.MARK_SOON if o.due_soon else "") + S.DUE_LEFT.format(due=due, n=o.days_left)
    return text + (S.PROVISIONAL if o.next_due.provisional else "")


class ObjectionsModel(_RowsModel[ObjectionView]):
    columns = ObjectionColumn
    headers = S.QUEUE_HEADERS

    def cell(self, o: ObjectionView, column: ObjectionColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                ObjectionColumn.ID: str(o.id),
                ObjectionColumn.ENTERPRISE: o.enterprise_name,
                ObjectionColumn.RECORD: record_text(o),
                ObjectionColumn.GROUNDS: grounds_text(o),
                ObjectionColumn.STATUS: o.status,
                ObjectionColumn.DUE: due_text(o),
                ObjectionColumn.FILED_ON: f"{o.filed_on:%Y-%m-%d}",
            }[column]
        if role == SORT_ROLE:
            if column == ObjectionColumn.ID:
                return o.id
            if column == ObjectionColumn.DUE:  # open ones by date, closed ones after them
                return (o.next_due.due.isoformat() if o.next_due else "9999") + f"{o.id:09d}"
            if column == ObjectionColumn.FILED_ON:
                return o.filed_on.isoformat()
            return self.cell(o, column, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = "\n".join((f"{o.enterprise_name}（{o.uscc}）", record_text(o), grounds_text(o),
                             f"{o.status}　{due_text(o)}"))
            return tip + ("\n" + S.PROVISIONAL_TIP if o.next_due and o.next_due.provisional else "")
        if role == Qt.ItemDataRole.ForegroundRole:
            if o.overdue:
                return QBrush(OVERDUE_TEXT)
            if o.due_soon:
                return QBrush(SOON_TEXT)
            if o.next_due is None:
                return QBrush(CLOSED_GREY)
        if role == Qt.ItemDataRole.BackgroundRole:
            if o.overdue:
                return QBrush(OVERDUE_TINT)
            if o.due_soon:
                return QBrush(SOON_TINT)
        if role == Qt.ItemDataRole.FontRole and column == ObjectionColumn.DUE and (o.overdue or o.due_soon):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ObjectionColumn.ID:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def index_of(self, objection_id: int) -> int:
        for i, o in enumerate(self._rows):
            if o.id == objection_id:
                return i
        return -1
