"""本企业异议 at the counter: the shown enterprise's open objections, and its 企业撤回.

Counter staff have no 异议与修复 page; withdrawing is the enterprise's own act, taken at the
counter, so the clerk records it here (with the reason, through the objection step dialog).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel,
                               QTableWidget, QTableWidgetItem, QVBoxLayout)

from core.domain import ReportContent
from core.usecases import ObjectionView
from desktop.services.context import DeskContext
from desktop.strings import repairs as S
from desktop.views.objections_model import due_text, grounds_text, record_text
from desktop.views.objections_step_dialog import StepDialog

BAD, GOOD, MUTED = "#b3261e", "#137333", "#5f6368"


class EnterpriseObjectionsDialog(QDialog):
    def __init__(self, ctx: DeskContext, content: ReportContent, parent=None):
        super().__init__(parent)
        self.ctx, self.content = ctx, content
        self.rows: list[ObjectionView] = []
        self.step_dialog: StepDialog | None = None
        self._lane = (self, "load")
        self._keep_message = False  # the withdrawal just recorded stays said after the reload
        self.setWindowTitle(S.OBJECTIONS_TITLE.format(name=content.enterprise.name))
        self.setMinimumSize(720, 320)

        self.table = QTableWidget(0, len(S.OBJECTIONS_HEADERS), self)
        self.table.setObjectName("enterpriseObjections")
        self.table.setHorizontalHeaderLabels(S.OBJECTIONS_HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.message = QLabel(S.OBJECTIONS_LOADING, self)
        self.message.setObjectName("enterpriseObjectionsMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.withdraw = self.buttons.addButton(S.WITHDRAW, QDialogButtonBox.ButtonRole.ActionRole)
        self.withdraw.setToolTip(S.WITHDRAW_TIP)
        self.withdraw.setEnabled(False)
        self.withdraw.clicked.connect(self.ask_withdraw)
        self.close_button = self.buttons.addButton(S.CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self.ctx.tasks.is_running(self._lane)

    def refresh(self) -> None:
        self.ctx.tasks.query(self.ctx.desk.objections_of, self.ctx.actor, self.content.enterprise.uscc,
                             lane=self._lane, on_done=self._loaded,
                             on_message=lambda text: self._say(text, BAD))

    def _loaded(self, rows: list[ObjectionView]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, o in enumerate(rows):
            for col, text in enumerate((str(o.id), record_text(o), grounds_text(o), o.status, due_text(o))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        if rows:
            self.table.selectRow(0)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self._keep_message:
            self._say(S.OBJECTIONS_COUNT.format(n=len(rows)) if rows else S.OBJECTIONS_NONE, MUTED)
        self._keep_message = False
        self._selection_changed()

    def selected(self) -> ObjectionView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) and self.table.selectedItems() else None

    def _selection_changed(self) -> None:
        o = self.selected()
        self.withdraw.setEnabled(o is not None and "withdraw" in o.actions)

    def ask_withdraw(self) -> StepDialog | None:
        o = self.selected()
        if o is None or "withdraw" not in o.actions:
            return None
        dialog = self.step_dialog = StepDialog(self.ctx, o, "withdraw", self)
        dialog.finished.connect(lambda _result: self._withdrawn(dialog))
        dialog.open()
        return dialog

    def _withdrawn(self, dialog: StepDialog) -> None:
        view = dialog.result_view
        if view is not None:
            self._say(S.WITHDRAWN.format(id=view.id, status=view.status), GOOD)
            self._keep_message = True
            self.refresh()

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")
