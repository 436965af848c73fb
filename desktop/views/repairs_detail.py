"""One credit-repair application in full: the penalty, the rule of its earliest repair day, the
dates and deadlines, and one button per step allowed from here. It shows; the panel does the work."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from core.usecases.repair import RepairDetail
from desktop.strings import repairs as S
from desktop.views.case_detail_base import CaseDetail, deadlines_html, section
from desktop.views.repairs_model import earliest_text, next_due

FIELDS = (S.F_ENTERPRISE, S.F_USCC, S.F_DECISION, S.F_PENALTY, S.F_ORGAN, S.F_DECIDED, S.F_SEVERITY,
          S.F_RULE, S.F_EARLIEST, S.F_APPLIED, S.F_OUTCOME)


class RepairDetailView(CaseDetail):
    button_prefix = "repair_"

    def __init__(self, parent: QWidget | None = None):
        # Two columns of fields: the penalty on the left, the application on the right.
        super().__init__("repair", S.PICK_ONE, FIELDS, 6, S.ACTION_LABELS.items(), parent)

    def lay_out_body(self, body: QWidget, grid: QGridLayout) -> None:
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        deadlines_title = section(S.DEADLINES, body)
        box = QVBoxLayout(body)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(4)
        box.addWidget(self.title)
        box.addLayout(grid)
        box.addWidget(deadlines_title)
        box.addWidget(self.deadlines)
        box.addStretch(1)

    @property
    def shown(self):
        return self.application

    @property
    def application(self):
        return self.detail.view if self.detail else None

    def _forget(self) -> None:
        self.detail: RepairDetail | None = None

    def show_detail(self, d: RepairDetail | None) -> None:
        if d is None:
            self.show_hint(S.PICK_ONE)
            return
        self.detail = d
        r = d.view
        outcome = (S.OUTCOME_TEXT.format(status=r.status, day=f"{r.decided_on:%Y-%m-%d}", reason=r.reason or "")
                   if r.decided_on else "—")
        values = {S.F_ENTERPRISE: r.enterprise_name or "—", S.F_USCC: r.uscc, S.F_DECISION: r.decision_no,
                  S.F_PENALTY: S.PENALTY_TEXT.format(kind=d.penalty_kind, content=d.content or "—"),
                  S.F_ORGAN: d.organ, S.F_DECIDED: f"{d.decision_date:%Y-%m-%d}",
                  S.F_SEVERITY: d.eligibility.severity, S.F_RULE: d.eligibility.rule,
                  S.F_EARLIEST: earliest_text(r), S.F_APPLIED: f"{r.applied_on:%Y-%m-%d}",
                  S.F_OUTCOME: outcome}
        self.show_body(S.DETAIL_TITLE.format(id=r.id, status=r.status), values, self._deadlines(d), r.actions)
        self.stack.setCurrentIndex(1)

    show_case = show_detail

    @staticmethod
    def _deadlines(d: RepairDetail) -> str:
        r = d.view
        return deadlines_html(S.DEADLINE_NAMES, r.due, next_due(r), r.overdue, r.due_soon)
