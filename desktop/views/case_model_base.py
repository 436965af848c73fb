"""What the objection and credit-repair queues share: the colours of a case's standing, the text of
its deadline cell, and a table model that marks overdue rows red and due-soon rows amber.

Colour is never the only sign: the deadline cell also says 【超期】 / 【将到期】 and 暂定.
"""
from __future__ import annotations

from enum import IntEnum
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.services.objections.workdays import Deadline
from desktop.strings import cases as S
from desktop.views.table_models import SORT_ROLE, _RowsModel

OVERDUE_TEXT, OVERDUE_TINT = QColor("#b3261e"), QColor("#fdecea")
SOON_TEXT, SOON_TINT = QColor("#8a5300"), QColor("#fff4d6")
CLOSED_GREY = QColor("#80868b")

Case = TypeVar("Case")


def due_cell_text(due: Deadline, overdue: bool, due_soon: bool, days_left: int) -> str:
    """'2026-12-03（剩 2 个工作日）' with its mark and, for a deadline that may still move, 暂定."""
    day = f"{due.due:%Y-%m-%d}"
    if overdue:
        text = S.MARK_OVERDUE + S.DUE_OVER.format(due=day, n=-days_left)
    elif days_left == 0:
        text = S.MARK_SOON + S.DUE_TODAY.format(due=day)
    else:
        text = (S.MARK_SOON if due_soon else "") + S.DUE_LEFT.format(due=day, n=days_left)
    return text + (S.PROVISIONAL if due.provisional else "")


def provisional_tip(due: Deadline | None) -> str:
    """The tooltip's last line for a deadline that may still move; nothing otherwise."""
    return "\n" + S.PROVISIONAL_TIP if due is not None and due.provisional else ""


class CaseModel(_RowsModel[Case]):
    """One row per case (an ObjectionView or a RepairView); subclasses say what each cell reads."""

    id_column: IntEnum
    due_column: IntEnum

    def display(self, case: Case) -> dict[IntEnum, str]:
        raise NotImplementedError

    def sort_key(self, case: Case, column: IntEnum) -> Any:
        """The sort value of a column that does not sort by its text; None for the others."""
        return None

    def tooltip(self, case: Case) -> str:
        raise NotImplementedError

    def is_closed(self, case: Case) -> bool:
        raise NotImplementedError

    def cell(self, case: Case, column: IntEnum, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(case)[column]
        if role == SORT_ROLE:
            key = self.sort_key(case, column)
            return key if key is not None else self.cell(case, column, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(case)
        if role == Qt.ItemDataRole.ForegroundRole:
            if case.overdue:
                return QBrush(OVERDUE_TEXT)
            if case.due_soon:
                return QBrush(SOON_TEXT)
            if self.is_closed(case):
                return QBrush(CLOSED_GREY)
        if role == Qt.ItemDataRole.BackgroundRole:
            if case.overdue:
                return QBrush(OVERDUE_TINT)
            if case.due_soon:
                return QBrush(SOON_TINT)
        if role == Qt.ItemDataRole.FontRole and column == self.due_column and (case.overdue or case.due_soon):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.id_column:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def index_of(self, case_id: int) -> int:
        return next((i for i, case in enumerate(self._rows) if case.id == case_id), -1)
