"""The tables of the 数据导入 page: a file's first rows with its columns as recognised, the
rejected rows of an import, and the import batches so far.

Colour is never the only sign: a column left aside says so in its header, a refused row says why
in its 问题 cell.
"""
from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.strings import imports as S
from desktop.views.table_models import SORT_ROLE, _RowsModel

_Index = QModelIndex | QPersistentModelIndex
BAD_TEXT, BAD_TINT = QColor("#b3261e"), QColor("#fdecea")
ASIDE_GREY = QColor("#80868b")


def problems_text(problems) -> str:
    return "；".join(f"「{column}」{reason}" if column else reason for column, reason in problems)


class SampleModel(QAbstractTableModel):
    """The preview's rows: 行号, 问题, then each file column (header: as written → as recognised)."""

    PROBLEMS = 1  # the section of 问题: next to the row number, seen without scrolling

    def __init__(self, parent=None):
        super().__init__(parent)
        self.preview = None

    def set_preview(self, preview) -> None:
        self.beginResetModel()
        self.preview = preview
        self.endResetModel()

    def _width(self) -> int:
        return len(self.preview.columns) if self.preview else 0

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() or not self.preview else len(self.preview.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() or not self.preview else self._width() + 2

    def column(self, section: int):
        """The file column shown at `section` (None for 行号 and 问题)."""
        return self.preview.columns[section - 2] if self.preview and 2 <= section < self._width() + 2 else None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not self.preview or not 0 <= section < self._width() + 2:
            return None
        c = self.column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if c is None:
                return S.ROW_NUMBER if section == 0 else S.ROW_PROBLEMS
            if c.field:
                return (S.COLUMN_SAME if c.field == c.header else S.COLUMN_KNOWN).format(header=c.header, field=c.field)
            return (S.COLUMN_REPEATED if c.repeated else S.COLUMN_UNKNOWN).format(header=c.header)
        if role == Qt.ItemDataRole.ToolTipRole and c is not None:
            if c.field:
                return S.COLUMN_TIP_KNOWN.format(header=c.header, field=c.field,
                                                 required=S.REQUIRED if c.required else "")
            if c.repeated:
                return S.COLUMN_TIP_REPEATED.format(header=c.header)
            return S.COLUMN_TIP_UNKNOWN.format(header=c.header, kind=self.preview.kind_name)
        if role == Qt.ItemDataRole.ForegroundRole and c is not None and not c.field:
            return QBrush(ASIDE_GREY)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self.preview or index.row() >= len(self.preview.rows):
            return None
        row = self.preview.rows[index.row()]
        section = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if section == 0:
                return str(row.number)
            if section == self.PROBLEMS:
                if row.problems:
                    return problems_text(row.problems)
                return S.ROW_UNCHECKED if self.preview.refusal else S.ROW_OK
            return row.cells[section - 2] if 2 <= section < len(row.cells) + 2 else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.problems:
                return QBrush(BAD_TEXT)
            c = self.column(section)
            return QBrush(ASIDE_GREY) if c is not None and not c.field else None
        if role == Qt.ItemDataRole.BackgroundRole and row.problems:
            return QBrush(BAD_TINT)
        return None


class RejectionColumn(IntEnum):
    ROW = 0
    COLUMN = 1
    REASON = 2


class RejectionsModel(_RowsModel):
    """One line per problem of an import result (`Rejection`: row, column, reason)."""

    columns = RejectionColumn
    headers = S.REJECTIONS_HEADERS

    def cell(self, r, column: RejectionColumn, role: int) -> Any:
        if role == SORT_ROLE:
            return r.row if column == RejectionColumn.ROW else self.cell(r, column, Qt.ItemDataRole.DisplayRole)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == RejectionColumn.ROW:
            return str(r.row)
        if column == RejectionColumn.COLUMN:
            return r.column or S.WHOLE_ROW
        return r.reason


class BatchColumn(IntEnum):
    TIME = 0
    UNIT = 1
    KIND = 2
    FILE = 3
    TOTAL = 4
    ACCEPTED = 5
    UPDATED = 6
    REJECTED = 7
    BY = 8
    BATCH = 9


class BatchesModel(_RowsModel):
    """The import batches (`BatchInfo`), newest first; a batch with rejections in red."""

    columns = BatchColumn
    headers = S.HISTORY_HEADERS

    def cell(self, b, column: BatchColumn, role: int) -> Any:
        if role == SORT_ROLE:
            raw = {BatchColumn.TIME: b.imported_at, BatchColumn.TOTAL: b.total_rows,
                   BatchColumn.ACCEPTED: b.accepted, BatchColumn.UPDATED: b.updated,
                   BatchColumn.REJECTED: b.rejected, BatchColumn.BATCH: b.id}
            return raw.get(column, self.cell(b, column, Qt.ItemDataRole.DisplayRole))
        if role == Qt.ItemDataRole.ForegroundRole and column == BatchColumn.REJECTED and b.rejected:
            return QBrush(BAD_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
                BatchColumn.TOTAL, BatchColumn.ACCEPTED, BatchColumn.UPDATED, BatchColumn.REJECTED, BatchColumn.BATCH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return {
            BatchColumn.TIME: S.DATETIME.format(b.imported_at), BatchColumn.UNIT: b.unit or S.HISTORY_UNNAMED,
            BatchColumn.KIND: b.kind_name, BatchColumn.FILE: b.file_name, BatchColumn.TOTAL: f"{b.total_rows:,}",
            BatchColumn.ACCEPTED: f"{b.accepted:,}", BatchColumn.UPDATED: f"{b.updated:,}",
            BatchColumn.REJECTED: f"{b.rejected:,}", BatchColumn.BY: b.imported_by, BatchColumn.BATCH: str(b.id),
        }[column]
