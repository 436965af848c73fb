"""出具记录: the reports issued, with reprint, save, view and (for supervisors) revoke."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from core.usecases import ArchivedReport
from core.usecases import Permission
from desktop.services.context import DeskContext
from desktop.services.printing import print_pdf
from desktop.strings import counter as S
from desktop.views.pdf_preview import PdfDialog
from desktop.views.table_models import SORT_ROLE, HistoryColumn, HistoryModel
from desktop.views.table_view import read_only_table

MUTED, BUSY, GOOD, BAD = "#5f6368", "#1a73e8", "#137333", "#b3261e"
REFRESH_KINDS = {"report"}


REASON_MAX = 500  # what the archive accepts (core/services/reports/archive.revoke)


class RevokeDialog(QDialog):
    """Asks for the reason; 撤销报告 stays disabled until one is written, so the dialog never
    closes on an empty reason only to be refused afterwards."""

    def __init__(self, report: ArchivedReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(S.REVOKE_TITLE)
        prompt = QLabel(S.REVOKE_PROMPT.format(no=report.report_no, name=report.enterprise_name), self)
        prompt.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("revokeReason")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(S.REVOKE_PLACEHOLDER)
        self.reason.setMinimumWidth(420)
        self.hint = QLabel(S.REVOKE_NEEDS_REASON, self)
        self.hint.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(S.REVOKE_CONFIRM)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(S.CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._reason_changed("")

    def text(self) -> str:
        return " ".join(self.reason.text().split())

    def _reason_changed(self, _text: str) -> None:
        written = bool(self.text())
        self.ok_button.setEnabled(written)
        self.hint.setVisible(not written)

    def accept(self) -> None:
        if self.text():  # Enter in the box with no reason does nothing
            super().accept()


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
        self.filter = QLineEdit(self)
        self.filter.setObjectName("historyFilter")
        self.filter.setPlaceholderText(S.HISTORY_FILTER_PLACEHOLDER)
        self.filter.setClearButtonEnabled(True)
        self.filter.setMinimumHeight(34)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(S.HISTORY_FILTER, self))
        top.addWidget(self.filter, 1)
        top.addWidget(self.refresh_button)

        self.model = HistoryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter.textChanged.connect(self._filter_changed)
        self.table = read_only_table(self, self.proxy, "historyTable", HistoryColumn.ENTERPRISE)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(HistoryColumn.ISSUED_AT, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda *_: self.view_selected())

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
        self.count_label.setText(S.HISTORY_LOADING)
        self.ctx.tasks.query(self.ctx.desk.history, self.ctx.actor, lane=self._load_lane,
                             on_done=self._loaded, on_message=self._load_failed)

    def _loaded(self, rows: list[ArchivedReport]) -> None:
        keep = self.selected()
        self.model.set_rows(rows)
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

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_count()

    def _show_count(self) -> None:
        n, shown = self.model.rowCount(), self.proxy.rowCount()
        if n == 0:
            text = S.HISTORY_EMPTY
        elif shown == n:
            text = S.HISTORY_COUNT.format(n=n)
        else:
            text = S.HISTORY_FILTERED.format(shown=shown, n=n)
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
        """Esc: clear the filter."""
        self.filter.clear()

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
        path, _ = QFileDialog.getSaveFileName(self, S.SAVE_TITLE, f"{report.report_no}.pdf", S.SAVE_FILTER)
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
        self.save_button.setEnabled(live)  # a revoked report is not handed out again
        self.reprint_button.setEnabled(live and self.ctx.actor.can(Permission.PRINT))
        self.revoke_button.setEnabled(live and self.ctx.actor.can(Permission.REVOKE))
        revoked = S.ALREADY_REVOKED if report is not None and report.revoked else ""
        self.reprint_button.setToolTip(revoked)
        self.save_button.setToolTip(revoked)
