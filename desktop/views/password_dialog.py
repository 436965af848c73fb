"""Everyone's own password change: the old password, the new one twice (every role)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.services.context import DeskContext
from desktop.strings import people as S
from desktop.views.form_dialog import FormDialog, password_field


class PasswordDialog(FormDialog):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(S.OWN_TITLE.format(name=ctx.actor.display_name), S.OK, S.CANCEL, parent,
                         note=S.OWN_NOTE)
        self.ctx = ctx
        self.old = password_field(self, "oldPassword")
        self.new = password_field(self, "newPassword")
        self.again = password_field(self, "newPasswordAgain")
        self.form.addRow(S.OLD_PASSWORD, self.old)
        self.form.addRow(S.NEW_PASSWORD, self.new)
        self.form.addRow(S.NEW_PASSWORD_AGAIN, self.again)
        self.old.setFocus()

    def problem(self) -> str | None:
        if not self.old.text():
            return S.OLD_EMPTY
        if self.new.text() != self.again.text():
            return S.MISMATCH
        return None

    def start(self, on_done, on_message) -> None:
        self.ctx.tasks.write(self.ctx.desk.change_own_password, self.ctx.actor, self.old.text(),
                             self.new.text(), lane=(self, "save"), on_done=on_done, on_message=on_message)

    def _failed(self, text: str) -> None:
        super()._failed(text)
        if text == "原密码不正确":
            self.old.selectAll()
            self.old.setFocus()


def change_own_password(ctx: DeskContext, parent: QWidget | None = None) -> bool:
    """Open the dialog for the signed-in person; True once the password was changed."""
    return bool(PasswordDialog(ctx, parent).exec())
