"""One step of an objection: the reason (required), the outcome for 核查结论, an optional paper date.

The dialog runs the step itself (off the GUI thread) and closes only when it is done; a missing
reason or a refusal shows inside it, so the supervisor never loses what they typed.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout

from core.errors import CreditDeskError
from core.services.objections import rules
from core.states import ObjectionStatus
from core.usecases import ObjectionView
from desktop.services.context import DeskContext
from desktop.strings import objections as S
from desktop.views.case_dialog_base import BAD, CaseStepDialog
from desktop.views.objections_correction import CorrectionBox
from desktop.views.objections_model import record_text


def outcomes_from(status: str) -> list[str]:
    """The 核查结论 the current state allows (平台核查 cannot end in 无法确认)."""
    allowed = set(rules.ALLOWED[ObjectionStatus(status)])
    return [o.value for o in rules.OUTCOMES if o in allowed]


class StepDialog(CaseStepDialog):
    def __init__(self, ctx: DeskContext, objection: ObjectionView, action: str, parent=None):
        step = rules.ACTIONS[action]
        super().__init__(ctx, objection.id, action, step.label, parent)
        self.objection, self.step = objection, step
        self.result_view: ObjectionView | None = None
        self.setWindowTitle(S.STEP_TITLE.format(label=step.label, id=objection.id))

        intro = QLabel(S.STEP_INTRO.format(enterprise=objection.enterprise_name,
                                           record=record_text(objection), status=objection.status), self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("stepOutcome")
        if self._chooses_outcome:
            self.outcome.addItems(outcomes_from(objection.status))
            label = QLabel(S.STEP_OUTCOME, self)
            label.setBuddy(self.outcome)
            form.addRow(label, self.outcome)
        else:
            self.outcome.hide()
        self.add_reason(form, "stepReason", "stepDate")

        self.correction = CorrectionBox(objection.record_kind, self)
        self.correction.setObjectName("correctionBox")
        self.outcome.currentTextChanged.connect(self._outcome_changed)
        self._outcome_changed(self.outcome.currentText())

        self.add_step_buttons("stepMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.correction)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.outcome if self._chooses_outcome else self.reason).setFocus()
        self.setTabOrder(self.outcome, self.reason)
        self.setTabOrder(self.reason, self.paper)
        self.setTabOrder(self.paper, self.day)
        self.setTabOrder(self.day, self.ok)

    @property
    def _chooses_outcome(self) -> bool:
        return len(self.step.targets) > 1  # 核查结论: the outcome chooses the state

    def step_usecase(self):
        return self.ctx.desk.objection_step

    def step_extra(self) -> dict | None:
        outcome = None
        if self._chooses_outcome:
            outcome = self.outcome.currentText() or None
            if not outcome:
                self._say(S.STEP_NO_OUTCOME, BAD)
                return None
        correction = None
        if outcome == ObjectionStatus.CORRECTED:
            try:
                correction = self.correction.correction()
            except CreditDeskError as exc:
                self._say(str(exc), BAD)
                return None
            if correction.empty:
                self._say(S.CORRECT_EMPTY, BAD)
                self.correction.changes.setFocus(Qt.FocusReason.OtherFocusReason)
                return None
        return {"outcome": outcome, **({"correction": correction} if correction is not None else {})}

    def _outcome_changed(self, outcome: str) -> None:
        self.correction.setVisible(self._chooses_outcome and outcome == ObjectionStatus.CORRECTED)
        self.adjustSize()
