"""Log-in: user name and password, checked off the GUI thread; the reason in plain words."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
)

from desktop.services.settings import LAST_USERNAME, UiSettings
from desktop.strings import common as t

if TYPE_CHECKING:  # the use cases (SQLAlchemy and more) are not needed to draw the log-in
    from core.usecases import UserSession
    from desktop.services.tasks import TaskRunner


class LoginDialog(QDialog):
    def __init__(self, login, tasks: TaskRunner, settings: UiSettings, parent=None,
                 title: str = t.LOGIN_TITLE, fixed_user: str | None = None, subtitle: str = t.APP_SUBTITLE):
        """`login(username, password) -> UserSession` is called off the GUI thread; `subtitle` names
        the report this deployment issues (its profile's title)."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._login, self._tasks, self._settings = login, tasks, settings
        self.actor: UserSession | None = None

        self.heading = heading = QLabel()
        self.set_subtitle(subtitle)
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.user = QLineEdit(fixed_user or settings.get(LAST_USERNAME))
        self.user.setReadOnly(fixed_user is not None)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setStyleSheet("color:#b3261e")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(t.LOGIN_USER, self.user)
        form.addRow(t.LOGIN_PASSWORD, self.password)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton(t.LOGIN_BUTTON, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(t.LOGIN_QUIT, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(12)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if self.user.text() else self.user).setFocus()

    def set_subtitle(self, subtitle: str) -> None:
        """The report this deployment issues, under the app's name."""
        self.heading.setText(f"<b style='font-size:20pt'>{t.APP_TITLE}</b><br>{subtitle}")

    def submit(self) -> None:
        username, password = self.user.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText(t.LOGIN_EMPTY)
            return
        self.ok.setEnabled(False)
        self.message.setText(t.LOGIN_BUSY)
        # A write: the desk records the log-in (and a refused one).
        self._tasks.write(self._login, username, password, lane=(self, "login"),
                          on_done=self._accepted, on_message=self._refused)

    def _accepted(self, actor: UserSession) -> None:
        self.actor = actor
        self._settings.set(LAST_USERNAME, actor.username)
        self.accept()

    def _refused(self, reason: str) -> None:
        self.ok.setEnabled(True)
        self.message.setText(reason)
        self.password.clear()
        self.password.setFocus()
