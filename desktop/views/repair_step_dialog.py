"""One step of a credit-repair application: the reason (required) and an optional paper date.

Like the objection step dialog it runs the step itself and closes only once it is done; an empty
reason, or a grant before the earliest repair day, is said inside it and nothing typed is lost.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout)

from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import objections as OS
from desktop.strings import repairs as S

BAD, BUSY, SOON = "#b3261e", "#1a73e8", "#8a5300"


class RepairStepDialog(QDialog):
    def __init__(self, ctx: DeskContext, application: RepairView, action: str, parent=None):
        super().__init__(parent)
        self.ctx, self.application, self.action = ctx, application, action
        self.label = S.ACTION_LABELS[action]
        self.result_view: RepairView | None = None
        self._lane = (self, "step")
        self.setWindowTitle(S.STEP_TITLE.format(label=self.label, id=application.id))
        self.setMinimumWidth(520)

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
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("repairReason")
        self.reason.setPlaceholderText(OS.STEP_REASON_HINT)
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(90)
        label = QLabel(OS.STEP_REASON, self)
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        self.paper = QCheckBox(OS.STEP_PAPER, self)
        self.paper.setToolTip(OS.STEP_PAPER_TIP)
        self.day = QDateEdit(QDate.currentDate(), self)
        self.day.setObjectName("repairStepDate")
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

        self.message = QLabel(self)
        self.message.setObjectName("repairStepMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(OS.STEP_OK, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.ok.setToolTip(OS.STEP_OK_TIP)
        self.cancel = self.buttons.addButton(OS.STEP_CANCEL, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # Enter in the reason starts a new line
            QShortcut(QKeySequence(keys), self, activated=self.submit)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

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
            self._say(OS.STEP_EMPTY_REASON, BAD)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        on = self.day.date().toPython() if self.paper.isChecked() else None
        self._say(OS.WORKING, BUSY)
        self.ok.setEnabled(False)
        self.ctx.tasks.write(self.ctx.desk.repair_step, self.ctx.actor, self.application.id, self.action,
                             reason, on=on, lane=self._lane, key=str(self.application.id),
                             on_done=self._done, on_message=self._failed)

    def _done(self, view: RepairView) -> None:
        self.result_view = view
        super().accept()

    def _failed(self, text: str) -> None:
        self.ok.setEnabled(True)
        self._say(text, BAD)

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"QLabel {{ color: {colour}; }}")
