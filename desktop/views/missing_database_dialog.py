"""The embedded database of an installation is gone: say so, and offer the two ways on.

Never a silent fresh start: 恢复备份 restores the newest backup (then checks the audit chain);
重新安装 is deliberate — the person types 重新安装 first, then sets up a new administrator in the
first-run dialog. Closing the dialog quits the app and changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout,
)

from desktop.services.tasks import TaskRunner
from desktop.strings import common as t

RESTORED, REINSTALL = "restored", "reinstall"


class MissingDatabaseDialog(QDialog):
    def __init__(self, path: Path, backup: Path | None, restore: Callable[[Path], object],
                 tasks: TaskRunner, parent=None):
        """`restore(backup)` runs off the GUI thread and returns the audit chain check."""
        super().__init__(parent)
        self.setWindowTitle(t.MISSING_TITLE)
        self.setMinimumWidth(560)
        self.path, self.backup, self._restore, self._tasks = Path(path), backup, restore, tasks
        self.choice: str | None = None
        self.check = None
        self.text = QLabel(t.MISSING_TEXT.format(path=path, backup=backup or t.MISSING_NO_BACKUP))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText(t.MISSING_CONFIRM_HINT)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color:#b3261e")
        self.buttons = QDialogButtonBox()
        self.restore_button: QPushButton = self.buttons.addButton(
            t.MISSING_RESTORE, QDialogButtonBox.ButtonRole.AcceptRole)
        self.reinstall_button: QPushButton = self.buttons.addButton(
            t.MISSING_REINSTALL, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.addButton(t.LOGIN_QUIT, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(backup is not None)
        self.restore_button.setDefault(backup is not None)
        self.reinstall_button.setEnabled(False)
        self.restore_button.clicked.connect(self.restore)
        self.reinstall_button.clicked.connect(self.reinstall)
        self.buttons.rejected.connect(self.reject)
        self.confirm.textChanged.connect(self._confirm_changed)
        layout = QVBoxLayout(self)
        for widget in (self.text, self.confirm, self.progress, self.message, self.buttons):
            layout.addWidget(widget)

    def _confirm_changed(self, text: str) -> None:
        self.reinstall_button.setEnabled(text.strip() == t.MISSING_CONFIRM_WORD)

    def reinstall(self) -> None:
        if self.confirm.text().strip() != t.MISSING_CONFIRM_WORD:
            return
        self.choice = REINSTALL
        self.accept()

    def restore(self) -> None:
        if self.backup is None:
            return
        self._busy(True)
        self.message.setText(t.MISSING_RESTORING)
        self._tasks.write(self._restore, self.backup, on_done=self._restored, on_error=self._failed)

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for button in (self.restore_button, self.reinstall_button):
            button.setEnabled(not busy and (button is self.restore_button or
                                            self.confirm.text().strip() == t.MISSING_CONFIRM_WORD))

    def _restored(self, check) -> None:
        self._busy(False)
        self.check, self.choice = check, RESTORED
        self.accept()

    def outcome(self) -> str:
        """What the restore found, in one sentence (after 恢复备份)."""
        if self.check is None:
            return ""
        if self.check.ok:
            return t.MISSING_RESTORED.format(backup=self.backup, count=self.check.count)
        return t.MISSING_RESTORED_BROKEN.format(backup=self.backup, problem=self.check.problem)

    def _failed(self, exc: BaseException) -> None:
        from core.errors import explain

        self._busy(False)
        self.message.setText(explain(exc).message)
