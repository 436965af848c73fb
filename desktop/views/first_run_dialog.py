"""First run: explain what will happen, ask for the administrator and the first counter account,
prepare everything."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QProgressBar, QVBoxLayout,
)

from core.usecases import Account
from desktop.services.tasks import TaskRunner
from desktop.strings import common as t


class _AccountForm(QGroupBox):
    def __init__(self, title: str, username: str, name: str):
        super().__init__(title)
        self.user, self.name = QLineEdit(username), QLineEdit(name)
        self.password, self.password2 = QLineEdit(), QLineEdit()
        for field in (self.password, self.password2):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow(t.FIRST_USER, self.user)
        self.name.setPlaceholderText(t.FIRST_NAME_HINT)
        form.addRow(t.FIRST_NAME, self.name)
        form.addRow(t.FIRST_PASSWORD, self.password)
        form.addRow(t.FIRST_PASSWORD2, self.password2)

    def account(self) -> Account:
        username = self.user.text().strip()
        return Account(username, self.name.text().strip() or username, self.password.text())

    def mismatch(self) -> bool:
        return self.password.text() != self.password2.text()


class FirstRunDialog(QDialog):
    def __init__(self, setup: Callable[[Account, Account], object], tasks: TaskRunner, parent=None):
        """`setup(admin, clerk)` runs off the GUI thread."""
        super().__init__(parent)
        self.setWindowTitle(t.FIRST_TITLE)
        self.setMinimumWidth(520)
        self._setup, self._tasks = setup, tasks
        intro = QLabel(t.FIRST_INTRO)
        intro.setWordWrap(True)
        self.admin = _AccountForm(t.FIRST_ADMIN, "admin", "管理员")
        self.clerk = _AccountForm(t.FIRST_CLERK, "window1", "")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e")
        self.buttons = QDialogButtonBox()
        self.start = self.buttons.addButton(t.FIRST_START, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(t.LOGIN_QUIT, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro,):
            layout.addWidget(w)
        layout.addWidget(self.admin)
        layout.addWidget(self.clerk)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.admin.password.setFocus()

    def submit(self) -> None:
        for form in (self.admin, self.clerk):
            if form.mismatch():
                self.message.setText(t.FIRST_MISMATCH.format(who=form.title()))
                return
        if self.admin.account().username == self.clerk.account().username:
            self.message.setText(t.FIRST_SAME_USER)
            return
        self.start.setEnabled(False)
        self.progress.show()
        self.message.setStyleSheet("")
        self.message.setText(t.FIRST_BUSY)
        self._tasks.write(self._setup, self.admin.account(), self.clerk.account(), lane=(self, "setup"),
                          on_done=lambda _: self.accept(), on_message=self._failed)

    def _failed(self, reason: str) -> None:
        self.start.setEnabled(True)
        self.progress.hide()
        self.message.setStyleSheet("color:#b3261e")
        self.message.setText(reason)
