"""First run: explain what will happen, ask for the administrator and the first counter account,
prepare everything."""
from __future__ import annotations

import unicodedata
from collections.abc import Callable

from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QProgressBar, QVBoxLayout,
)

from core.usecases import Account, ProfileInfo
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


class _ProfileChoice(QGroupBox):
    """Which policy the counters issue under: each bundled profile with its period."""

    def __init__(self, profiles: Sequence[ProfileInfo], default_id: str | None):
        super().__init__(t.FIRST_PROFILE)
        self.profiles = list(profiles)
        self.box = QComboBox()
        for info in self.profiles:
            text = t.FIRST_PROFILE_ITEM.format(document=info.document, period=info.period_text)
            self.box.addItem(text + ("" if info.in_force else t.FIRST_PROFILE_ENDED), info.id)
        self.name = QLabel()
        self.name.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color:#b3261e")
        note = QLabel(t.FIRST_PROFILE_NOTE)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        for w in (self.box, self.name, self.warning, note):
            layout.addWidget(w)
        self.box.currentIndexChanged.connect(self._changed)
        ids = [info.id for info in self.profiles]
        self.box.setCurrentIndex(ids.index(default_id) if default_id in ids else 0)
        self._changed(self.box.currentIndex())

    def _changed(self, index: int) -> None:
        info = self.profiles[index] if 0 <= index < len(self.profiles) else None
        ended = info is not None and not info.in_force
        self.name.setText(f"《{info.name}》" if info else "")
        self.warning.setText(t.FIRST_PROFILE_WARNING.format(end=info.valid_to) if ended else "")
        self.warning.setVisible(ended)
        self.warning.setMinimumHeight(self.warning.fontMetrics().lineSpacing() * 2 + 6 if ended else 0)
        if self.window().isVisible():  # the wrapped warning needs its height: after the layout settles
            QTimer.singleShot(0, self.window().adjustSize)

    def chosen(self) -> str:
        return self.box.currentData()


class FirstRunDialog(QDialog):
    def __init__(self, setup: Callable[..., object], tasks: TaskRunner, parent=None, *,
                 profiles: Sequence[ProfileInfo] = (), default_profile: str | None = None,
                 ask_counter: bool = False, counter: str = ""):
        """`setup(admin, clerk)` runs off the GUI thread; with `profiles` offered the chosen id
        follows (`setup(admin, clerk, profile_id)`), and with `ask_counter` the counter's name last."""
        super().__init__(parent)
        self.setWindowTitle(t.FIRST_TITLE)
        self.setMinimumWidth(520)
        self._setup, self._tasks = setup, tasks
        intro = QLabel(t.FIRST_INTRO)
        intro.setWordWrap(True)
        self.counter_box = None
        if ask_counter:
            self.counter_box = QGroupBox(t.FIRST_COUNTER)
            self.counter = QLineEdit(counter)
            self.counter.setPlaceholderText(t.FIRST_COUNTER_HINT)
            self.counter.setMaxLength(40)
            QFormLayout(self.counter_box).addRow(t.FIRST_COUNTER_NAME, self.counter)
        self.admin = _AccountForm(t.FIRST_ADMIN, "admin", "管理员")
        self.clerk = _AccountForm(t.FIRST_CLERK, "window1", "")
        self.profile = _ProfileChoice(profiles, default_profile) if profiles else None
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
        if self.counter_box is not None:
            layout.addWidget(self.counter_box)
        layout.addWidget(self.admin)
        layout.addWidget(self.clerk)
        if self.profile is not None:
            layout.addWidget(self.profile)
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
        if self.counter_box is not None:
            problem = self._counter_problem()
            if problem:
                self.message.setText(problem)
                self.counter.setFocus()
                return
        self.start.setEnabled(False)
        self.progress.show()
        self.message.setStyleSheet("")
        self.message.setText(t.FIRST_BUSY)
        chosen = (self.profile.chosen(),) if self.profile is not None else ()
        if self.counter_box is not None:
            chosen += (self.counter_name(),)
        self._tasks.write(self._setup, self.admin.account(), self.clerk.account(), *chosen, lane=(self, "setup"),
                          on_done=lambda _: self.accept(), on_message=self._failed)

    def counter_name(self) -> str:
        return " ".join(self.counter.text().split()) if self.counter_box is not None else ""

    def _counter_problem(self) -> str | None:
        name = self.counter_name()
        if not name:
            return t.FIRST_COUNTER_EMPTY
        if len(name) < 2 or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
            return t.FIRST_COUNTER_BAD
        return None

    def _failed(self, reason: str) -> None:
        self.start.setEnabled(True)
        self.progress.hide()
        self.message.setStyleSheet("color:#b3261e")
        self.message.setText(reason)
