"""First run: explain what will happen, ask for the first administrator, prepare everything."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QProgressBar, QVBoxLayout,
)

from desktop.services.errors import message_for
from desktop.services.tasks import TaskRunner
from desktop.strings import common as t


class FirstRunDialog(QDialog):
    def __init__(self, setup: Callable[[str, str, str], object], tasks: TaskRunner, parent=None):
        """`setup(username, display_name, password)` runs off the GUI thread."""
        super().__init__(parent)
        self.setWindowTitle(t.FIRST_TITLE)
        self.setMinimumWidth(520)
        self._setup, self._tasks = setup, tasks
        intro = QLabel(t.FIRST_INTRO)
        intro.setWordWrap(True)
        self.user = QLineEdit("admin")
        self.name = QLineEdit("管理员")
        self.password = QLineEdit()
        self.password2 = QLineEdit()
        for field in (self.password, self.password2):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(t.FIRST_USER, self.user)
        form.addRow(t.FIRST_NAME, self.name)
        form.addRow(t.FIRST_PASSWORD, self.password)
        form.addRow(t.FIRST_PASSWORD2, self.password2)
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
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def submit(self) -> None:
        if self.password.text() != self.password2.text():
            self.message.setText(t.FIRST_MISMATCH)
            return
        self.start.setEnabled(False)
        self.progress.show()
        self.message.setStyleSheet("")
        self.message.setText(t.FIRST_BUSY)
        self._tasks.run(self._setup, self.user.text().strip(), self.name.text().strip(),
                        self.password.text(), on_done=lambda _: self.accept(), on_error=self._failed,
                        write=True)

    def _failed(self, exc: BaseException) -> None:
        self.start.setEnabled(True)
        self.progress.hide()
        self.message.setStyleSheet("color:#b3261e")
        self.message.setText(message_for(exc))
