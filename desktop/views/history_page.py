"""出具记录: the reports issued, with reprint, save, view and (for supervisors) revoke."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from core.usecases import ArchivedReport
from core.usecases import Permission
from desktop.services.context import DeskContext
from desktop.services.printing import print_pdf
from desktop.strings import counter as S
from desktop.strings import history as H
from desktop.views.file_dialogs import save_file_name
from desktop.views.history_filter_bar import HistoryFilterBar, HistoryQuery
from desktop.views.pdf_preview import PdfDialog
from desktop.views.table_models import SORT_ROLE, HistoryColumn, HistoryModel
from desktop.views.revoke_dialog import RevokeDialog
from desktop.views.table_view import read_only_table

MUTED, BUSY, GOOD, BAD = "#5f6368", "#1a73e8", "#137333", "#b3261e"
REFRESH_KINDS = {"report"}
COUNTER_COLUMN_WIDTH = 100  # px; the whole name is in the tooltip
ROW_LIMIT = 500  # rows the table shows; the export writes every matching report


class HistoryPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.viewer: PdfDialog | None = None
        self.revoke_dialog: RevokeDialog | None = None
        self._printer: QPrinter | None = None
        # The list loads in one lane (a newer load makes an older one stale), actions in another.
        self._load_lane, self._action_lane = (self, "load"), (self, "action")

        title = QLabel(S.HISTORY_TITLE, self)
        title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.filters = HistoryFilterBar(self)
        self.filter = self.filters.search  # the search box (named as before)
        self.filters.changed.connect(self.refresh)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(H.EXPORT, self)
        self.export_button.setObjectName("historyExport")
        self.export_button.setToolTip(H.EXPORT_TIP)
        self.export_button.clicked.connect(self.export)
        for button in (self.refresh_button, self.export_button):
            button.setMinimumHeight(32)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)

        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)  # sorting only: the desk filters in the database
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "historyTable", HistoryColumn.ENTERPRISE)
        header = self.table.horizontalHeader()  # a long counter name must not squeeze the enterprise out
        header.setSectionResizeMode(HistoryColumn.COUNTER, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryColumn.COUNTER, COUNTER_COLUMN_WIDTH)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HistoryColumn.ISSUED_AT, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda *_: self.view_selected())
        self.shown_query: HistoryQuery | None = None  # the filters of the rows on screen
        self.truncated = False
        self._period_refused = False

        self.view_button = QPushButton(S.VIEW, self)
        self.reprint_button = QPushButton(S.REPRINT, self)
        self.save_button = QPushButton(S.SAVE_AS, self)
        self.revoke_button = QPushButton(S.REVOKE, self)
        self.revoke_button.setToolTip(S.REVOKE_TIP)
        self.revoke_button.setVisible(ctx.actor.can(Permission.REVOKE))
        self.view_button.clicked.connect(self.view_selected)
        self.reprint_button.clicked.connect(self.reprint)
        self.save_button.clicked.connect(self.save_as)
        self.revoke_button.clicked.connect(self.revoke)
        self.count_label = QLabel(self)
        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        for button in (self.view_button, self.reprint_button, self.save_button, self.revoke_button):
            button.setMinimumHeight(36)
            actions.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        ctx.events.data_changed.connect(self._data_changed)
        self._update_buttons()
        self.refresh()

    # -- loading -----------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.ctx.tasks.is_running(self._load_lane)

    @property
    def working(self) -> bool:
        """A view, reprint, save or revoke is on its way."""
        return self.ctx.tasks.is_running(self._action_lane)

    def refresh(self) -> None:
        problem = self.filters.bad_period()
        if problem:
            self._period_refused = True
            self._say(problem, BAD)
            return
        if self._period_refused:
            self._period_refused = False
            self._say("", MUTED)
        query = self.filters.query()
        self.count_label.setText(S.HISTORY_LOADING)
        self.ctx.tasks.query(self.ctx.desk.history, self.ctx.actor, limit=ROW_LIMIT + 1,
                             date_from=query.date_from, date_to=query.date_to, search=query.search or None,
                             lane=self._load_lane, on_done=lambda rows: self._loaded(query, rows),
                             on_message=self._load_failed)

    def _loaded(self, query: HistoryQuery, rows: list[ArchivedReport]) -> None:
        keep = self.selected()
        self.shown_query, self.truncated = query, len(rows) > ROW_LIMIT
        self.model.set_rows(rows[:ROW_LIMIT])
        if keep is not None:
            self.select_report(keep.report_no)
        self._show_count()
        self._update_buttons()

    def _load_failed(self, text: str) -> None:
        self.count_label.setText("")
        self._say(text, BAD)

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind in REFRESH_KINDS:
            self.refresh()

    def _show_count(self) -> None:
        n, narrowed = self.model.rowCount(), self.shown_query is not None and self.shown_query.narrowed
        if self.truncated:
            text = H.COUNT_TRUNCATED.format(limit=ROW_LIMIT)
        elif n == 0:
            text = H.EMPTY_FILTERED if narrowed else S.HISTORY_EMPTY
        else:
            text = H.COUNT_FILTERED.format(n=n) if narrowed else S.HISTORY_COUNT.format(n=n)
        self.count_label.setText(text)

    # -- selection ---------------------------------------------------------------------------

    def selected(self) -> ArchivedReport | None:
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select_report(self, report_no: str) -> bool:
        row = self.model.index_of(report_no)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def escape(self) -> None:
        """Esc: clear the search."""
        self.filters.clear_search()

    # -- export ------------------------------------------------------------------------------

    def export(self) -> None:
        query = self.filters.query()
        name = H.EXPORT_NAME.format(span=H.span_text(query.date_from, query.date_to))
        path = save_file_name(self, H.EXPORT_TITLE, name, H.EXPORT_FILTER)  # starts in 文档
        if path:
            self.export_to(path if path.lower().endswith(".xlsx") else f"{path}.xlsx")

    def export_to(self, path: str) -> None:
        """Every report meeting the filters, written by the desk as an XLSX workbook."""
        problem = self.filters.bad_period()
        if problem:
            self._say(problem, BAD)
            return
        q = self.filters.query()
        self._act(self.ctx.tasks.write, self.ctx.desk.export_history, self.ctx.actor, path,
                  q.date_from, q.date_to, q.search or None, busy=H.EXPORTING,
                  done=lambda n: self._say(H.EXPORTED.format(n=n, path=path) if n else H.EXPORT_NOTHING,
                                           GOOD if n else MUTED))

    # -- actions -----------------------------------------------------------------------------

    def view_selected(self) -> None:
        report = self._pick()
        if report is None:
            return
        self._act(self.ctx.tasks.query, self.ctx.desk.report_pdf, self.ctx.actor, report.report_no,
                  done=lambda pdf: self._open_viewer(report, pdf))

    def _open_viewer(self, report: ArchivedReport, pdf: bytes) -> None:
        self._say("", MUTED)
        self.viewer = PdfDialog(S.VIEW_TITLE.format(no=report.report_no, name=report.enterprise_name),
                                pdf, self)
        self.viewer.open()

    def reprint(self) -> None:
        report = self._pick()
        if report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(report.report_no)
        if QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            self.reprint_with(printer)

    def reprint_with(self, printer: QPrinter) -> None:
        """Fetch the archived PDF, print it on this printer and count the print, off the GUI thread."""
        report = self._pick()
        if report is None:
            return
        desk, actor, no = self.ctx.desk, self.ctx.actor, report.report_no
        self._printer = printer

        def count(pages: int) -> None:  # the pages are out: counting the print is the only write
            self._act(self.ctx.tasks.write, desk.record_print, actor, no, pages, busy=S.PRINTING, key=no,
                      done=lambda n: self._say(S.PRINTED.format(pages=pages, count=n), GOOD))

        self._act(self.ctx.tasks.query, lambda: print_pdf(desk.report_pdf(actor, no), printer),
                  busy=S.PRINTING, done=count)

    def save_as(self) -> None:
        report = self._pick()
        if report is None:
            return
        path = save_file_name(self, S.SAVE_TITLE, f"{report.report_no}.pdf", S.SAVE_FILTER)
        if path:
            self.save_selected_to(path)

    def save_selected_to(self, path: str) -> None:
        report = self._pick()
        if report is None:
            return
        desk, actor, no = self.ctx.desk, self.ctx.actor, report.report_no

        def job() -> None:
            Path(path).write_bytes(desk.report_pdf(actor, no))
            desk.record_save(actor, no, path)

        self._act(self.ctx.tasks.write, job, done=lambda _: self._say(S.SAVED.format(path=path), GOOD))

    def revoke(self) -> None:
        report = self._pick()
        if report is None:
            return
        dialog = RevokeDialog(report, self)
        self.revoke_dialog = dialog

        def answered(result: int) -> None:
            if self.revoke_dialog is dialog:
                self.revoke_dialog = None
            chosen = self.selected()
            if result == QDialog.DialogCode.Accepted and chosen is not None and chosen.report_no == report.report_no:
                self.revoke_selected(dialog.text())

        dialog.finished.connect(answered)
        dialog.open()

    def revoke_selected(self, reason: str) -> None:
        report = self._pick()
        if report is None:
            return
        no = report.report_no
        self._act(self.ctx.tasks.write, self.ctx.desk.revoke, self.ctx.actor, no, reason,
                  key=no, done=lambda _: self._say(S.REVOKED.format(no=no), GOOD))

    # -- plumbing ----------------------------------------------------------------------------

    def _pick(self) -> ArchivedReport | None:
        report = self.selected()
        if report is None:
            self._say(S.PICK_REPORT, BAD)
        return report

    def _act(self, start, fn, *args, done, busy: str = S.WORKING, **options) -> None:
        """Start one action through `start` (tasks.query or tasks.write); buttons wait for it."""

        def finished(result) -> None:
            self._printer = None
            self._update_buttons()
            done(result)

        def failed(text: str) -> None:
            self._printer = None
            self._update_buttons()
            self._say(text, BAD)

        start(fn, *args, lane=self._action_lane, on_done=finished, on_message=failed, **options)
        self._update_buttons()
        self._say(busy, BUSY)

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")

    def _update_buttons(self) -> None:
        report = self.selected() if hasattr(self, "table") else None
        ready = report is not None and not self.working
        live = ready and not report.revoked
        self.view_button.setEnabled(ready)
        self.export_button.setEnabled(not self.working and self.model.rowCount() > 0)
        self.save_button.setEnabled(live)  # a revoked report is not handed out again
        self.reprint_button.setEnabled(live and self.ctx.actor.can(Permission.PRINT))
        self.revoke_button.setEnabled(live and self.ctx.actor.can(Permission.REVOKE))
        revoked = S.ALREADY_REVOKED if report is not None and report.revoked else ""
        self.reprint_button.setToolTip(revoked)
        self.save_button.setToolTip(revoked)
