"""What an administrator sees in the counter app: where their work is done (the console comes later)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.strings import common as t


class AdminPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        info = QLabel(t.ADMIN_INFO)
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info.setStyleSheet("QLabel { font-size: 12pt; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.addWidget(info)
        layout.addStretch(1)
