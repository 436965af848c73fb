"""导入结果: what the last import did, the rows it refused and why, and their export as XLSX for
the providing unit."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.strings import imports as S
from desktop.views.file_dialogs import save_file_name
from desktop.views.import_models import RejectionColumn, RejectionsModel
from desktop.views.table_models import SORT_ROLE
from desktop.views.table_view import read_only_table

WRAPPED_ROWS = 300


class ImportResultView(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result = None  # the last ImportResult
        self.source: Path | None = None  # the file it came from
        self.exported = None  # the last RejectionsExport
        self.summary = QLabel(S.RESULT_NONE, self)
        self.summary.setObjectName("importResultSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("QLabel { font-size: 12pt; }")
        self.warnings = QLabel(self)
        self.warnings.setObjectName("importResultWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("QLabel { color: #8a5300; }")
        self.warnings.hide()
        self.model = RejectionsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "importRejections", RejectionColumn.REASON)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RejectionColumn.ROW, Qt.SortOrder.AscendingOrder)  # in file order
        self.table.setWordWrap(True)
        self.export_button = QPushButton(S.EXPORT, self)
        self.export_button.setObjectName("importExport")
        self.export_button.setToolTip(S.EXPORT_TIP)
        self.export_button.setMinimumHeight(32)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        self.status = QLabel(self)
        self.status.setObjectName("importExportStatus")
        self.status.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.warnings)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def show_result(self, result, source: Path) -> None:
        self.result, self.source, self.exported = result, Path(source), None
        text = S.DONE.format(batch=result.batch_id, accepted=result.accepted, updated=result.updated,
                             rejected=result.rejected_rows)
        listed = len({r.row for r in result.rejected})
        if listed < result.rejected_rows:
            text += S.RESULT_LISTED.format(n=len(result.rejected))
        elif not result.rejected:
            text += S.RESULT_NO_REJECTIONS
        self.summary.setText(text)
        self.warnings.setText("\n".join(f"• {reason}" for _column, reason in result.warnings))
        self.warnings.setVisible(bool(result.warnings))
        self.model.set_rows(result.rejected)
        # Long reasons on several lines, following the table's width — cheap for a few rows only.
        few = len(result.rejected) <= WRAPPED_ROWS
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents if few else QHeaderView.ResizeMode.Fixed)
        self.export_button.setEnabled(bool(result.rejected))
        self.status.clear()

    def export(self) -> None:
        if self.result is None or not self.result.rejected:
            return
        name = S.EXPORT_NAME.format(stem=self.source.stem, batch=self.result.batch_id)
        path = save_file_name(self, S.EXPORT_TITLE, name, S.EXPORT_FILTER)  # Chinese, starts in 文档
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.export_button.setEnabled(False)
        self.status.setText(S.EXPORTING)
        self.ctx.tasks.query(self.ctx.desk.export_rejections, self.ctx.actor, self.result, Path(path), self.source,
                             on_done=self._exported, on_message=self._export_failed, lane=(self, "export"))

    def _exported(self, done) -> None:
        self.exported = done
        self.export_button.setEnabled(True)
        text = S.EXPORTED_NOTE if done.note else S.EXPORTED
        self.status.setText(text.format(n=done.problems, path=done.path, note=done.note))

    def _export_failed(self, text: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(text)
