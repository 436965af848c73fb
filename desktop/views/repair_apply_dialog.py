"""申请信用修复 at the counter: pick the penalty, see its earliest repair day and rule, file.

The rule is read off the GUI thread when a penalty is chosen; filing runs on the writer; the
dialog then shows the application number and deadlines, and Enter closes it.
"""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QVBoxLayout, QWidget)

from core.domain import ReportContent
from core.services.objections.repair import Eligibility
from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import objections as OS
from desktop.strings import repairs as S

BAD, BUSY, GOOD, MUTED = "#b3261e", "#1a73e8", "#137333", "#5f6368"


class RepairApplyDialog(QDialog):
    def __init__(self, ctx: DeskContext, content: ReportContent, decision_no: str | None = None, parent=None):
        super().__init__(parent)
        self.ctx, self.content = ctx, content
        self.result_view: RepairView | None = None
        self.eligibility: Eligibility | None = None
        self._lane, self._rule_lane = (self, "apply"), (self, "rule")
        self.setWindowTitle(S.APPLY_TITLE.format(name=content.enterprise.name))
        self.setMinimumWidth(560)

        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        self.penalty = QComboBox(self.form)
        self.penalty.setObjectName("repairPenalty")
        for v in content.violations:
            if not v.repaired:
                self.penalty.addItem(f"{v.decision_no}（{v.organ}，{v.decision_date:%Y-%m-%d}）", v.decision_no)
        if decision_no and (i := self.penalty.findData(decision_no)) >= 0:
            self.penalty.setCurrentIndex(i)
        label = QLabel(S.APPLY_PENALTY, self.form)
        label.setBuddy(self.penalty)
        form.addRow(label, self.penalty)
        self.rule = QLabel(self.form)
        self.rule.setObjectName("repairRule")
        self.rule.setWordWrap(True)
        self.rule.setTextFormat(Qt.TextFormat.RichText)
        self.rule.setMinimumHeight(2 * self.rule.fontMetrics().lineSpacing() + 4)  # two lines, never over the next row
        form.addRow(self.rule)
        self.paper = QCheckBox(S.APPLY_PAPER, self.form)
        self.paper.setToolTip(OS.STEP_PAPER_TIP)
        self.applied_on = QDateEdit(QDate.currentDate(), self.form)
        self.applied_on.setObjectName("repairAppliedOn")
        self.applied_on.setCalendarPopup(True)
        self.applied_on.setDisplayFormat("yyyy-MM-dd")
        self.applied_on.setMaximumDate(QDate.currentDate())
        self.applied_on.setEnabled(False)
        self.paper.toggled.connect(self.applied_on.setEnabled)
        paper_row = QHBoxLayout()
        paper_row.addWidget(self.paper)
        paper_row.addWidget(self.applied_on)
        paper_row.addStretch(1)
        form.addRow(paper_row)

        self.message = QLabel(self)
        self.message.setObjectName("repairApplyMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(S.APPLY_OK, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton(S.APPLY_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.penalty.currentIndexChanged.connect(lambda *_: self.read_rule())
        if self.penalty.count():
            self.read_rule()
        else:
            self.rule.setText(S.APPLY_NO_PENALTY)
            self.ok.setEnabled(False)
        self.penalty.setFocus()

    @property
    def working(self) -> bool:
        return self.ctx.tasks.is_running(self._lane) or self.ctx.tasks.is_running(self._rule_lane)

    def decision_no(self) -> str | None:
        return self.penalty.currentData()

    def read_rule(self) -> None:
        self.eligibility = None
        self.rule.setText(S.APPLY_READING)
        self.rule.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
        self.ctx.tasks.query(self.ctx.desk.repair_eligibility, self.ctx.actor, self.decision_no(),
                             uscc=self.content.enterprise.uscc, lane=self._rule_lane,
                             on_done=self._rule_read, on_message=lambda text: self._say(text, BAD))

    def _rule_read(self, e: Eligibility) -> None:
        self.eligibility = e
        ready = e.earliest <= date.today()
        first = S.APPLY_EARLIEST.format(day=f"{e.earliest:%Y-%m-%d}",
                                        state=S.APPLY_EARLIEST_OK if ready else S.APPLY_EARLIEST_WAIT)
        colour = GOOD if ready else "#8a5300"
        self.rule.setText(f"<b style='color:{colour}'>{html.escape(first)}</b><br>"
                          f"{html.escape(S.APPLY_RULE.format(rule=e.rule))}")
        self.rule.setStyleSheet("")
        self.adjustSize()

    def accept(self) -> None:  # Enter files (or, once filed, closes)
        self.submit()

    def submit(self) -> None:
        if self.result_view is not None:
            super().accept()
            return
        if self.ctx.tasks.is_running(self._lane) or not self.decision_no():
            return
        on = self.applied_on.date().toPython() if self.paper.isChecked() else None
        self._say(S.APPLY_BUSY, BUSY)
        self.ok.setEnabled(False)
        self.ctx.tasks.write(self.ctx.desk.repair_apply, self.ctx.actor, self.decision_no(),
                             uscc=self.content.enterprise.uscc, on=on, lane=self._lane,
                             key=lambda view: str(view.id), on_done=self._filed, on_message=self._failed)

    def _filed(self, view: RepairView) -> None:
        self.result_view = view
        self.form.setEnabled(False)
        lines = [S.APPLY_DONE_DEADLINE.format(name=S.DEADLINE_NAMES[key], due=f"{d.due:%Y-%m-%d}",
                                              mark=OS.PROVISIONAL if d.provisional else "")
                 for key, d in view.due.items() if key in ("accept", "close")]
        self._say(S.APPLY_DONE.format(id=view.id, status=view.status, deadlines="；".join(lines)), GOOD)
        self.ok.setText(S.APPLY_CLOSE)
        self.ok.setEnabled(True)
        self.ok.setFocus()
        self.cancel.hide()

    def _failed(self, text: str) -> None:
        self.ok.setEnabled(True)
        self._say(text, BAD)

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")
