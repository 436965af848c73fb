"""人员 (管理员): everyone who may log in, with role, last counter and state; add, disable or
enable, reset a password, change a role. Each act is one use case with its audit event."""
from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from core.usecases import Person
from desktop.services.context import DeskContext
from desktop.strings import people as S
from desktop.views.people_dialogs import AddPersonDialog, ChangeRoleDialog, ResetPasswordDialog
from desktop.views.table_models import _RowsModel
from desktop.views.table_view import read_only_table

GREY, RED, GREEN = QColor("#80868b"), QColor("#b3261e"), QColor("#1a7f37")


class PersonColumn(IntEnum):
    USERNAME = 0
    NAME = 1
    ROLE = 2
    COUNTER = 3
    STATE = 4
    LAST_LOGIN = 5


def state_text(person: Person, now: datetime | None = None) -> str:
    if not person.active:
        return S.STATE_DISABLED
    if person.locked(now):
        return S.STATE_LOCKED.format(until=person.locked_until)
    return S.STATE_ACTIVE


class PeopleModel(_RowsModel[Person]):
    columns = PersonColumn
    headers = S.HEADERS

    def cell(self, person: Person, column: PersonColumn, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                PersonColumn.USERNAME: person.username,
                PersonColumn.NAME: person.display_name,
                PersonColumn.ROLE: person.role.value,
                PersonColumn.COUNTER: person.counter or S.NEVER,
                PersonColumn.STATE: state_text(person),
                PersonColumn.LAST_LOGIN: (f"{person.last_login_at:%Y-%m-%d %H:%M}"
                                          if person.last_login_at else S.NEVER),
            }[column]
        if role == Qt.ItemDataRole.ForegroundRole:
            if not person.active:
                return QBrush(GREY)
            if column is PersonColumn.STATE:
                return QBrush(RED if person.locked() else GREEN)
        return None


class PeoplePage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.people: list[Person] | None = None
        title = QLabel(S.TITLE, self)
        title.setStyleSheet("QLabel { font-size: 15pt; font-weight: bold; }")
        intro = QLabel(S.INTRO, self)
        intro.setWordWrap(True)
        self.model = PeopleModel(self)
        self.table = read_only_table(self, self.model, "peopleTable", PersonColumn.COUNTER, row_height=32)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _: self.change_role())
        self.add_button = self._button(S.ADD, self.add_person)
        self.toggle_button = self._button(S.DISABLE, self.toggle_active)
        self.reset_button = self._button(S.RESET, self.reset_password)
        self.role_button = self._button(S.ROLE, self.change_role)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.toggle_button, self.reset_button, self.role_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.status = QLabel(S.LOADING, self)
        self.status.setObjectName("peopleStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        ctx.events.data_changed.connect(self._data_changed)
        self._update_buttons()
        self.refresh()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setMinimumHeight(34)
        button.clicked.connect(slot)
        return button

    # -- loading --------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.ctx.tasks.query(self.ctx.desk.people, self.ctx.actor, lane=(self, "people"),
                             on_done=self._show, on_message=self._say)

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind == "users":
            self.refresh()

    def _show(self, people: list[Person]) -> None:
        selected = self.selected()
        self.people = people
        self.model.set_rows(people)
        if selected is not None:
            names = [p.username for p in people]
            if selected.username in names:
                self.table.selectRow(names.index(selected.username))
        self._update_buttons()
        if not self.status.property("keep"):
            self.status.setText(S.COUNT.format(total=len(people), active=sum(p.active for p in people)))
        self.status.setProperty("keep", False)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _announce(self, text: str) -> None:
        """A done act's sentence, kept when the list refreshes right after it."""
        self.status.setText(text)
        self.status.setProperty("keep", True)

    # -- acts -----------------------------------------------------------------------------------

    def selected(self) -> Person | None:
        """The highlighted person — only a row the administrator picked, never the table's
        current cell alone (focus alone puts it on the first row)."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self, *_) -> None:
        person = self.selected()
        self.toggle_button.setText(S.ENABLE if person is not None and not person.active else S.DISABLE)
        for button in (self.toggle_button, self.reset_button, self.role_button):
            button.setEnabled(person is not None)

    def select(self, username: str) -> None:
        for row, person in enumerate(self.model.rows()):
            if person.username == username:
                self.table.selectRow(row)
                self.table.setCurrentIndex(self.model.index(row, 0))
                return

    def add_person(self) -> None:
        dialog = AddPersonDialog(self.ctx, self)
        if dialog.exec():
            user = dialog.result_value
            self._announce(S.ADDED.format(name=user.display_name, username=user.username, role=user.role.value))

    def reset_password(self) -> None:
        person = self.selected()
        if person is None:
            return self._say(S.PICK_FIRST)
        if ResetPasswordDialog(self.ctx, person, self).exec():
            self._announce(S.RESET_DONE.format(name=person.display_name))

    def change_role(self) -> None:
        person = self.selected()
        if person is None:
            return self._say(S.PICK_FIRST)
        dialog = ChangeRoleDialog(self.ctx, person, self)
        if dialog.exec():
            self._announce(S.ROLE_DONE.format(name=person.display_name, role=dialog.result_value.role.value))

    def toggle_active(self) -> None:
        person = self.selected()
        if person is None:
            return self._say(S.PICK_FIRST)
        if not person.active:
            self.ctx.tasks.write(self.ctx.desk.enable_user, self.ctx.actor, person.username, lane=(self, "act"),
                                 on_done=lambda _: self._announce(S.ENABLED.format(name=person.display_name)),
                                 on_message=self._say)
            return
        if not self.confirm_disable(person):
            return
        self.ctx.tasks.write(self.ctx.desk.disable_user, self.ctx.actor, person.username, lane=(self, "act"),
                             on_done=lambda _: self._announce(S.DISABLED.format(name=person.display_name)),
                             on_message=self._say)

    def confirm_disable(self, person: Person) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, S.DISABLE_TITLE,
                          S.DISABLE_ASK.format(name=person.display_name, username=person.username),
                          parent=self)
        yes = box.addButton(S.DISABLE_YES, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(S.CANCEL, QMessageBox.ButtonRole.RejectRole)
        box.exec()
        box.deleteLater()
        return box.clickedButton() is yes
