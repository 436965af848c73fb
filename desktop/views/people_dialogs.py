"""The 人员 page's dialogs: add a person, reset a password, change a role."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from core.usecases import Person, Role
from desktop.services.context import DeskContext
from desktop.strings import people as S
from desktop.views.form_dialog import FormDialog, password_field


def role_box(parent: QWidget, current: Role | None = None) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName("roleBox")
    for role in Role:
        box.addItem(role.value, role.name)  # a str enum would arrive as plain text
        box.setItemData(box.count() - 1, S.ROLE_HELP[role.value], Qt.ItemDataRole.ToolTipRole)
    if current is not None:
        box.setCurrentIndex(list(Role).index(current))
    return box


def chosen_role(box: QComboBox) -> Role:
    return Role[box.currentData()]


class _Passwords:
    """The new password, typed twice."""

    def _add_passwords(self, first: str, again: str) -> None:
        self.password = password_field(self, "password")
        self.password_again = password_field(self, "passwordAgain")
        self.form.addRow(first, self.password)
        self.form.addRow(again, self.password_again)

    def _password_problem(self) -> str | None:
        if self.password.text() != self.password_again.text():
            return S.MISMATCH
        return None  # the length rule is the core's: its sentence shows as it is


class AddPersonDialog(_Passwords, FormDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(S.ADD_TITLE, S.OK, S.CANCEL, parent)
        self.ctx = ctx
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(S.USERNAME_HINT)
        self.username.setMaxLength(64)
        self.display_name = QLineEdit(self)
        self.display_name.setObjectName("displayName")
        self.display_name.setPlaceholderText(S.NAME_HINT)
        self.display_name.setMaxLength(64)
        self.role = role_box(self, Role.CLERK)
        self.role_help = QLabel(self)
        self.role_help.setWordWrap(True)
        self.role_help.setStyleSheet("QLabel { color: #5f6368; }")
        self.role.currentIndexChanged.connect(self._explain_role)
        self._explain_role()
        self.form.addRow(S.USERNAME, self.username)
        self.form.addRow(S.NAME, self.display_name)
        self.form.addRow(S.ROLE_LABEL, self.role)
        self.form.addRow("", self.role_help)
        self._add_passwords(S.PASSWORD, S.PASSWORD_AGAIN)

    def _explain_role(self) -> None:
        self.role_help.setText(S.ROLE_HELP[chosen_role(self.role).value])

    def problem(self) -> str | None:
        if not self.username.text().strip():
            return S.USERNAME_EMPTY
        return self._password_problem()

    def start(self, on_done, on_message) -> None:
        self.ctx.tasks.write(self.ctx.desk.add_user, self.ctx.actor, self.username.text().strip(),
                             self.password.text(), chosen_role(self.role),
                             self.display_name.text().strip() or None,
                             lane=(self, "save"), on_done=on_done, on_message=on_message)


class ResetPasswordDialog(_Passwords, FormDialog):
    def __init__(self, ctx: DeskContext, person: Person, parent: QWidget | None = None):
        super().__init__(S.RESET_TITLE.format(name=person.display_name), S.OK, S.CANCEL, parent,
                         note=S.RESET_NOTE.format(name=person.display_name))
        self.ctx, self.person = ctx, person
        self._add_passwords(S.NEW_PASSWORD, S.NEW_PASSWORD_AGAIN)

    def problem(self) -> str | None:
        return self._password_problem()

    def start(self, on_done, on_message) -> None:
        self.ctx.tasks.write(self.ctx.desk.reset_user, self.ctx.actor, self.person.username,
                             self.password.text(), lane=(self, "save"), on_done=on_done,
                             on_message=on_message)


class ChangeRoleDialog(FormDialog):
    def __init__(self, ctx: DeskContext, person: Person, parent: QWidget | None = None):
        super().__init__(S.ROLE_TITLE.format(name=person.display_name), S.OK, S.CANCEL, parent,
                         note=S.ROLE_NOTE.format(name=person.display_name))
        self.ctx, self.person = ctx, person
        self.role = role_box(self, person.role)
        self.form.addRow(S.ROLE_LABEL, self.role)
        self.role_help = QLabel(S.ROLE_HELP[person.role.value], self)
        self.role_help.setWordWrap(True)
        self.role_help.setStyleSheet("QLabel { color: #5f6368; }")
        self.role.currentIndexChanged.connect(
            lambda: self.role_help.setText(S.ROLE_HELP[chosen_role(self.role).value]))
        self.form.addRow("", self.role_help)

    def problem(self) -> str | None:
        return S.ROLE_SAME if chosen_role(self.role) is self.person.role else None

    def start(self, on_done, on_message) -> None:
        self.ctx.tasks.write(self.ctx.desk.change_role, self.ctx.actor, self.person.username,
                             chosen_role(self.role), lane=(self, "save"), on_done=on_done,
                             on_message=on_message)
