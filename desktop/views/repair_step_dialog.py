"""One step of a credit-repair application: the reason (required) and an optional paper date.

Like the objection step dialog it runs the step itself and closes only once it is done; an empty
reason, or a grant before the earliest repair day, is said inside it and nothing typed is lost.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout

from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import repairs as S
from desktop.views.case_dialog_base import CaseStepDialog

SOON = "#8a5300"


class RepairStepDialog(CaseStepDialog):
    def __init__(self, ctx: DeskContext, application: RepairView, action: str, parent=None):
        super().__init__(ctx, application.id, action, S.ACTION_LABELS[action], parent)
        self.application = application
        self.result_view: RepairView | None = None
        self.setWindowTitle(S.STEP_TITLE.format(label=self.label, id=application.id))

        earliest = f"{application.earliest:%Y-%m-%d}" if application.earliest else "—"
        intro = QLabel(S.STEP_INTRO.format(enterprise=application.enterprise_name or application.uscc,
                                           decision=application.decision_no, status=application.status,
                                           earliest=earliest), self)
        intro.setWordWrap(True)
        self.warning = QLabel(self)
        self.warning.setObjectName("grantWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"QLabel {{ color: {SOON}; }}")
        early = action == "grant" and application.earliest is not None and application.earliest > date.today()
        self.warning.setText(S.STEP_GRANT_EARLY.format(day=earliest) if early else "")
        self.warning.setVisible(early)

        form = QFormLayout()
        self.add_reason(form, "repairReason", "repairStepDate")
        self.add_step_buttons("repairStepMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def step_usecase(self):
        return self.ctx.desk.repair_step
