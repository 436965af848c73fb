"""One step of an objection: the reason (required), the outcome for 核查结论, an optional paper date.

The dialog runs the step itself (off the GUI thread) and closes only when it is done; a missing
reason or a refusal shows inside it, so the supervisor never loses what they typed.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout)

from core.errors import CreditDeskError
from core.services.objections import rules
from core.states import ObjectionStatus
from core.usecases import ObjectionView
from desktop.services.context import DeskContext
from desktop.strings import objections as S
from desktop.views.objections_correction import CorrectionBox
from desktop.views.objections_model import record_text

BAD, BUSY = "#b3261e", "#1a73e8"


def outcomes_from(status: str) -> list[str]:
    """The 核查结论 the current state allows (平台核查 cannot end in 无法确认)."""
    allowed = set(rules.ALLOWED[ObjectionStatus(status)])
    return [o.value for o in rules.OUTCOMES if o in allowed]


class StepDialog(QDialog):
    def __init__(self, ctx: DeskContext, objection: ObjectionView, action: str, parent=None):
        super().__init__(parent)
        self.ctx, self.objection, self.action = ctx, objection, action
        self.step = rules.ACTIONS[action]
        self.result_view: ObjectionView | None = None
        self._lane = (self, "step")
        self.setWindowTitle(S.STEP_TITLE.format(label=self.step.label, id=objection.id))
        self.setMinimumWidth(520)

        intro = QLabel(S.STEP_INTRO.format(enterprise=objection.enterprise_name,
                                           record=record_text(objection), status=objection.status), self)
        intro.setWordWrap(True)
        form = QFormLayout()
        self.outcome = QComboBox(self)
        self.outcome.setObjectName("stepOutcome")
        if len(self.step.targets) > 1:
            self.outcome.addItems(outcomes_from(objection.status))
            label = QLabel(S.STEP_OUTCOME, self)
            label.setBuddy(self.outcome)
            form.addRow(label, self.outcome)
        else:
            self.outcome.hide()
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("stepReason")
        self.reason.setPlaceholderText(S.STEP_REASON_HINT)
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(90)
        label = QLabel(S.STEP_REASON, self)
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        self.paper = QCheckBox(S.STEP_PAPER, self)
        self.paper.setToolTip(S.STEP_PAPER_TIP)
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setObjectName("stepDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setMaximumDate(QDate.currentDate())
        self.day.setEnabled(False)
        self.paper.toggled.connect(self.day.setEnabled)
        paper_row = QHBoxLayout()
        paper_row.addWidget(self.paper)
        paper_row.addWidget(self.day)
        paper_row.addStretch(1)
        form.addRow(paper_row)

        self.correction = CorrectionBox(objection.record_kind, self)
        self.correction.setObjectName("correctionBox")
        self.outcome.currentTextChanged.connect(self._outcome_changed)
        self._outcome_changed(self.outcome.currentText())

        self.message = QLabel(self)
        self.message.setObjectName("stepMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(S.STEP_OK, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton(S.STEP_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        # Enter in the reason starts a new line; Ctrl+Enter submits from anywhere.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self.submit)
        self.ok.setToolTip(S.STEP_OK_TIP)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.correction)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.outcome if len(self.step.targets) > 1 else self.reason).setFocus()
        self.setTabOrder(self.outcome, self.reason)
        self.setTabOrder(self.reason, self.paper)
        self.setTabOrder(self.paper, self.day)
        self.setTabOrder(self.day, self.ok)

    @property
    def working(self) -> bool:
        return self.ctx.tasks.is_running(self._lane)

    def accept(self) -> None:  # Enter: submit, never close without the step done
        self.submit()

    def submit(self) -> None:
        if self.working:
            return
        reason = self.reason.toPlainText().strip()
        if not reason:
            self._say(S.STEP_EMPTY_REASON, BAD)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        outcome = None
        if len(self.step.targets) > 1:
            outcome = self.outcome.currentText() or None
            if not outcome:
                self._say(S.STEP_NO_OUTCOME, BAD)
                return
        correction = None
        if outcome == ObjectionStatus.CORRECTED:
            try:
                correction = self.correction.correction()
            except CreditDeskError as exc:
                self._say(str(exc), BAD)
                return
            if correction.empty:
                self._say(S.CORRECT_EMPTY, BAD)
                self.correction.changes.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        on = self.day.date().toPython() if self.paper.isChecked() else None
        self._say(S.WORKING, BUSY)
        self.ok.setEnabled(False)
        extra = {"correction": correction} if correction is not None else {}
        self.ctx.tasks.write(self.ctx.desk.objection_step, self.ctx.actor, self.objection.id, self.action,
                             reason, on=on, outcome=outcome, lane=self._lane, **extra,
                             key=str(self.objection.id), on_done=self._done, on_message=self._failed)

    def _outcome_changed(self, outcome: str) -> None:
        self.correction.setVisible(len(self.step.targets) > 1 and outcome == ObjectionStatus.CORRECTED)
        self.adjustSize()

    def _done(self, view: ObjectionView) -> None:
        self.result_view = view
        super().accept()

    def _failed(self, text: str) -> None:
        self.ok.setEnabled(True)
        self._say(text, BAD)

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; }}")
