"""Table models of the counter pages: look-up hits, the 20-domain overview, the report archive.

Each model holds frozen DTOs from the core and shows them; `SORT_ROLE` gives the raw value so a
QSortFilterProxyModel sorts dates and counts as such, not as text.
"""
from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from core.domain import DomainConclusion, EnterpriseHit
from core.usecases import ArchivedReport
from desktop.strings import counter as S

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_RED = QColor("#b3261e")
RECORD_TINT = QColor("#fdecea")
REVOKED_GREY = QColor("#80868b")

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex


class _RowsModel(QAbstractTableModel, Generic[Row]):
    """Rows of one DTO type; subclasses say how a cell reads."""

    columns: type[IntEnum]
    headers: tuple[str, ...]

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[Row] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Row]:
        return list(self._rows)

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.headers):
            return self.headers[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or index.column() >= len(self.columns):
            return None
        return self.cell(self._rows[index.row()], self.columns(index.column()), role)

    def cell(self, row: Row, column: IntEnum, role: int) -> Any:
        raise NotImplementedError


def _text(value: Any) -> str:
    return str(value) if value not in (None, "") else S.EMPTY_VALUE


# -- look-up hits ------------------------------------------------------------------------

class HitColumn(IntEnum):
    NAME = 0
    USCC = 1
    LEGAL_REP = 2
    STATUS = 3
    MATCH = 4


def match_text(hit: EnterpriseHit) -> str:
    """How the hit matched; a former name is named, so the clerk sees why it came up."""
    if hit.matched_name and hit.matched_name != hit.name:
        return S.FORMER_NAME.format(name=hit.matched_name)
    return S.MATCH_KINDS.get(hit.match, hit.match)


class HitsModel(_RowsModel[EnterpriseHit]):
    columns = HitColumn
    headers = S.HIT_HEADERS

    def cell(self, hit: EnterpriseHit, column: HitColumn, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole):
            return {
                HitColumn.NAME: hit.name,
                HitColumn.USCC: hit.uscc,
                HitColumn.LEGAL_REP: _text(hit.legal_rep),
                HitColumn.STATUS: _text(hit.reg_status),
                HitColumn.MATCH: match_text(hit),
            }[column]
        return None


# -- the 20-domain overview --------------------------------------------------------------

class DomainColumn(IntEnum):
    CODE = 0
    NAME = 1
    RESPONSIBLE = 2
    CONCLUSION = 3


class DomainOverviewModel(QStandardItemModel):
    """The 20 domains of the enterprise shown. Its cells are worked out once, when the rows are set,
    and kept as Qt's own items: the overview's rows are sized to their word-wrapped contents, so
    every resize of the panel asks each cell's size (about eight roles a cell) — answered in Python
    that took ~11 ms a resize, from Qt's items ~1 ms (docs/performance.md, the preview)."""

    columns = DomainColumn
    headers = S.DOMAIN_HEADERS
    ROLES = (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole,
             Qt.ItemDataRole.TextAlignmentRole)

    def __init__(self, parent=None):
        super().__init__(0, len(DomainColumn), parent)
        self.setHorizontalHeaderLabels(list(self.headers))
        self._rows: list[DomainConclusion] = []

    def set_rows(self, rows: Sequence[DomainConclusion]) -> None:
        self._rows = list(rows)
        self.setRowCount(0)
        for d in self._rows:
            self.appendRow([self._item(d, column) for column in DomainColumn])

    def rows(self) -> list[DomainConclusion]:
        return list(self._rows)

    def row_at(self, row: int) -> DomainConclusion | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _item(self, d: DomainConclusion, column: DomainColumn) -> QStandardItem:
        item = QStandardItem()
        item.setEditable(False)
        for role in self.ROLES:
            value = self.cell(d, column, role)
            if value is not None:
                item.setData(value, role)
        return item

    def cell(self, d: DomainConclusion, column: DomainColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                DomainColumn.CODE: f"{d.code:02d}",
                DomainColumn.NAME: d.name,
                DomainColumn.RESPONSIBLE: d.responsible,
                DomainColumn.CONCLUSION: d.conclusion,
            }[column]
        if role == SORT_ROLE:
            return {DomainColumn.CODE: d.code, DomainColumn.NAME: d.name,
                    DomainColumn.RESPONSIBLE: d.responsible, DomainColumn.CONCLUSION: d.violations}[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{d.name}：{d.conclusion}（{d.responsible}）"
        if d.violations and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(RECORD_RED)
        if d.violations and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(RECORD_TINT)
        if d.violations and role == Qt.ItemDataRole.FontRole and column == DomainColumn.CONCLUSION:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DomainColumn.CODE:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


# -- the report archive ------------------------------------------------------------------

class HistoryColumn(IntEnum):
    REPORT_NO = 0
    ENTERPRISE = 1
    USCC = 2
    ISSUED_AT = 3
    ISSUED_BY = 4
    COUNTER = 5
    VALID_UNTIL = 6
    STATUS = 7
    PRINTS = 8


class HistoryModel(_RowsModel[ArchivedReport]):
    columns = HistoryColumn
    headers = S.HISTORY_HEADERS

    def cell(self, r: ArchivedReport, column: HistoryColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                HistoryColumn.REPORT_NO: r.report_no,
                HistoryColumn.ENTERPRISE: r.enterprise_name,
                HistoryColumn.USCC: r.uscc,
                HistoryColumn.ISSUED_AT: f"{r.issued_at:%Y-%m-%d %H:%M}",
                HistoryColumn.ISSUED_BY: r.issued_by,
                HistoryColumn.COUNTER: r.counter,
                HistoryColumn.VALID_UNTIL: f"{r.valid_until:%Y-%m-%d}",
                HistoryColumn.STATUS: r.status,
                HistoryColumn.PRINTS: str(r.print_count),
            }[column]
        if role == SORT_ROLE:
            return {
                HistoryColumn.ISSUED_AT: r.issued_at.isoformat(),
                HistoryColumn.VALID_UNTIL: r.valid_until.isoformat(),
                HistoryColumn.PRINTS: r.print_count,
            }.get(column, self.cell(r, column, Qt.ItemDataRole.DisplayRole))
        if role == Qt.ItemDataRole.ToolTipRole and r.revoked:
            return f"{r.status}：{r.revoke_reason or ''}（{r.revoked_by or ''}）"
        if role == Qt.ItemDataRole.ToolTipRole and column in (HistoryColumn.ENTERPRISE, HistoryColumn.COUNTER):
            return self.cell(r, column, Qt.ItemDataRole.DisplayRole)  # the whole text of a narrowed column
        if role == Qt.ItemDataRole.ForegroundRole and r.revoked:
            return QBrush(REVOKED_GREY)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == HistoryColumn.PRINTS:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def index_of(self, report_no: str) -> int:
        for i, r in enumerate(self._rows):
            if r.report_no == report_no:
                return i
        return -1
