"""What the objection and credit-repair dialogs share. Each runs its write itself (off the GUI
thread) and says a refusal inside it, so nothing typed is lost:

- CaseStepDialog: one step of a case — the reason (required) and an optional paper date; it closes
  only once the step is done.
- CaseRegisterDialog: filing a case at the counter; once filed it shows the number and the first
  deadlines, and Enter closes it.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QPlainTextEdit, QWidget)

from desktop.services.context import DeskContext
from desktop.strings import cases as S
from desktop.views.date_field import DateField

BAD, BUSY, GOOD = "#b3261e", "#1a73e8", "#137333"


def paper_date_row(parent: QWidget, text: str, name: str,
                   tip: str | None = None) -> tuple[QCheckBox, DateField, QHBoxLayout]:
    """A check box for a paper act recorded later and its date (typed as 2026-11-02 or 20261102,
    today at the latest), off until checked."""
    paper = QCheckBox(text, parent)
    if tip is not None:
        paper.setToolTip(tip)
    day = DateField(parent, label=text.replace("&", "").rstrip("：:"))
    day.setObjectName(name)
    day.setDateRange(day.minimumDate(), QDate.currentDate())
    day.setDate(QDate.currentDate())
    day.setEnabled(False)
    paper.toggled.connect(day.setEnabled)
    row = QHBoxLayout()
    row.addWidget(paper)
    row.addWidget(day)
    row.addWidget(day.message, 1)  # the reason a typed date was refused
    row.addStretch(1)
    return paper, day, row


class CaseDialog(QDialog):
    """A message line over OK / cancel; Enter submits, a refusal is said in the message."""

    message_style = "QLabel {{ color: {colour}; }}"

    def __init__(self, ctx: DeskContext, lane: str, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result_view = None
        self._lane = (self, lane)

    def add_message_and_buttons(self, name: str, ok: str, cancel: str, selectable: bool = False) -> None:
        self.message = QLabel(self)
        self.message.setObjectName(name)
        self.message.setWordWrap(True)
        if selectable:
            self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.cancel = self.buttons.addButton(cancel, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    @property
    def working(self) -> bool:
        return self.ctx.tasks.is_running(self._lane)

    def accept(self) -> None:  # Enter: submit, never close without the write done
        self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def _failed(self, text: str) -> None:
        self.ok.setEnabled(True)
        self._say(text, BAD)

    def _say(self, text: str, colour: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(self.message_style.format(colour=colour))


class CaseStepDialog(CaseDialog):
    """Subclasses build the dialog with add_reason and add_step_buttons, and name the use case."""

    def __init__(self, ctx: DeskContext, case_id: int, action: str, label: str, parent=None):
        super().__init__(ctx, "step", parent)
        self.action, self.label, self._case_id = action, label, case_id
        self.setMinimumWidth(520)

    def add_reason(self, form: QFormLayout, reason_name: str, date_name: str) -> None:
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName(reason_name)
        self.reason.setPlaceholderText(S.STEP_REASON_HINT)
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(90)
        label = QLabel(S.STEP_REASON, self)
        label.setBuddy(self.reason)
        form.addRow(label, self.reason)
        self.paper, self.day, paper_row = paper_date_row(self, S.STEP_PAPER, date_name, S.STEP_PAPER_TIP)
        form.addRow(paper_row)

    def add_step_buttons(self, message_name: str) -> None:
        self.add_message_and_buttons(message_name, S.STEP_OK, S.STEP_CANCEL)
        self.ok.setToolTip(S.STEP_OK_TIP)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # Enter in the reason starts a new line
            QShortcut(QKeySequence(keys), self, activated=self.submit)

    def step_usecase(self):
        """The desk's use case that takes the step."""
        raise NotImplementedError

    def step_extra(self) -> dict | None:
        """More arguments of the step, or None with the reason said (the step is not taken)."""
        return {}

    def submit(self) -> None:
        if self.working:
            return
        reason = self.reason.toPlainText().strip()
        if not reason:
            self._say(S.STEP_EMPTY_REASON, BAD)
            self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        extra = self.step_extra()
        if extra is None:
            return
        on = self.day.date().toPython() if self.paper.isChecked() else None
        self._say(S.WORKING, BUSY)
        self.ok.setEnabled(False)
        self.ctx.tasks.write(self.step_usecase(), self.ctx.actor, self._case_id, self.action, reason, on=on,
                             lane=self._lane, key=str(self._case_id), on_done=self._done,
                             on_message=self._failed, **extra)

    def _done(self, view) -> None:
        self.result_view = view
        QDialog.accept(self)


class CaseRegisterDialog(CaseDialog):
    """Subclasses build `self.form`, add the buttons (add_register_buttons) and say what to write
    (`request`); the done message names the case and its accept and close deadlines."""

    message_style = "QLabel {{ color: {colour}; font-size: 11pt; }}"
    deadline_names: dict[str, str]
    done_text: str  # {id} {status} {deadlines}

    def __init__(self, ctx: DeskContext, lane: str, title: str, parent=None):
        super().__init__(ctx, lane, parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)

    def add_register_buttons(self, message_name: str, ok: str, selectable: bool = False) -> None:
        self.add_message_and_buttons(message_name, ok, S.CANCEL, selectable)

    def request(self):
        """(use case, its arguments after the actor, its keywords), or None (the reason said)."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.result_view is not None:  # filed: Enter closes
            QDialog.accept(self)
            return
        if self.ctx.tasks.is_running(self._lane):
            return
        call = self.request()
        if call is None:
            return
        usecase, args, keywords = call
        self._say(S.REGISTER_BUSY, BUSY)
        self.ok.setEnabled(False)
        self.ctx.tasks.write(usecase, self.ctx.actor, *args, lane=self._lane, key=lambda view: str(view.id),
                             on_done=self._filed, on_message=self._failed, **keywords)

    def _filed(self, view) -> None:
        self.result_view = view
        self.form.setEnabled(False)
        lines = [S.DONE_DEADLINE.format(name=self.deadline_names[key], due=f"{d.due:%Y-%m-%d}",
                                        mark=S.PROVISIONAL if d.provisional else "")
                 for key, d in view.due.items() if key in ("accept", "close")]
        self._say(self.done_text.format(id=view.id, status=view.status, deadlines="；".join(lines)), GOOD)
        self.ok.setText(S.CLOSE)
        self.ok.setEnabled(True)
        self.ok.setFocus()
        self.cancel.hide()
