"""The administrator's 管理 page: the policy in use, what the app's other pages do for them and
what is still done with creditdesk-admin."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.strings import common as t


class AdminPage(QWidget):
    def __init__(self, ctx=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.profile = QLabel(t.ADMIN_PROFILE_LOADING)
        self.profile.setWordWrap(True)
        self.profile.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.profile.setStyleSheet("QLabel { font-size: 12pt; }")
        self.info = info = QLabel(t.ADMIN_INFO)
        info.setObjectName("adminInfo")
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.setStyleSheet("QLabel { font-size: 12pt; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(self.profile)
        layout.addSpacing(16)
        layout.addWidget(info)
        layout.addStretch(1)
        if ctx is not None:
            ctx.tasks.query(ctx.desk.profile_in_force, ctx.actor, lane=(self, "profile"),
                            on_done=self._show_profile, on_message=self.profile.setText)
        else:
            self.profile.hide()

    def _show_profile(self, info) -> None:
        extension = (t.ADMIN_PROFILE_EXTENDED.format(document=info.extended_by, until=info.extended_until)
                     if info.extended_by else "")
        state = (t.ADMIN_PROFILE_IN_FORCE if info.in_force else
                 t.ADMIN_PROFILE_ENDED.format(reason=info.reason or ""))
        self.profile.setText(t.ADMIN_PROFILE.format(name=info.name, document=info.document,
                                                    period=info.period_text, extension=extension, state=state))
        colour = "#1a7f37" if info.in_force else "#b3261e"
        self.profile.setStyleSheet(f"QLabel {{ font-size: 12pt; color: {colour}; }}")
