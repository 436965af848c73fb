"""A small dialog of labelled fields whose 确定 runs one write off the GUI thread.

The dialog stays open until the write succeeded: a refusal (a short password, a taken user
name, a wrong old password) shows in red under the fields and nothing typed is lost.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

BAD = "#b3261e"


def password_field(parent: QWidget, name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(256)
    field.setMinimumWidth(280)
    return field


class FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, cancel_text: str, parent: QWidget | None = None,
                 note: str = ""):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.note = QLabel(note, self)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.message = QLabel(self)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(cancel_text, QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.result_value = None

    def problem(self) -> str | None:
        """What is wrong with the fields before anything is sent (override)."""
        return None

    def start(self, on_done: Callable, on_message: Callable[[str], None]) -> None:
        """Start the write (override): call on_done(result) or on_message(text)."""
        raise NotImplementedError

    def submit(self) -> None:
        problem = self.problem()
        if problem:
            self.say(problem)
            return
        self.say("")
        self.ok_button.setEnabled(False)
        self.start(self._done, self._failed)

    def say(self, text: str) -> None:
        self.message.setText(text)

    def _done(self, result) -> None:
        self.result_value = result
        self.ok_button.setEnabled(True)
        self.accept()

    def _failed(self, text: str) -> None:
        self.ok_button.setEnabled(True)
        self.say(text)
