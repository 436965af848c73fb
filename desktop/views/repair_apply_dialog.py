"""申请信用修复 at the counter: pick the penalty, see its earliest repair day and rule, file.

The rule is read off the GUI thread when a penalty is chosen; filing runs on the writer; the
dialog then shows the application number and deadlines, and Enter closes it.
"""
from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from core.domain import ReportContent
from core.services.objections.repair import Eligibility
from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import repairs as S
from desktop.views.case_dialog_base import BAD, GOOD, CaseRegisterDialog, paper_date_row

MUTED = "#5f6368"


class RepairApplyDialog(CaseRegisterDialog):
    deadline_names, done_text = S.DEADLINE_NAMES, S.APPLY_DONE

    def __init__(self, ctx: DeskContext, content: ReportContent, decision_no: str | None = None, parent=None):
        super().__init__(ctx, "apply", S.APPLY_TITLE.format(name=content.enterprise.name), parent)
        self.content = content
        self.result_view: RepairView | None = None
        self.eligibility: Eligibility | None = None
        self._rule_lane = (self, "rule")

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
        self.paper, self.applied_on, paper_row = paper_date_row(self.form, S.APPLY_PAPER, "repairAppliedOn",
                                                                S.STEP_PAPER_TIP)
        form.addRow(paper_row)

        self.add_register_buttons("repairApplyMessage", S.APPLY_OK)
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

    def request(self):  # nothing to file until a penalty is chosen
        if not self.decision_no():
            return None
        on = self.applied_on.date().toPython() if self.paper.isChecked() else None
        return self.ctx.desk.repair_apply, (self.decision_no(),), {"uscc": self.content.enterprise.uscc, "on": on}
