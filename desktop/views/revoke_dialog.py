"""The revoke dialog of 出具记录: asks for the reason before anything is revoked."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from core.usecases import ArchivedReport
from desktop.strings import counter as S

BAD = "#b3261e"
REASON_MAX = 500  # what the archive accepts (core/services/reports/archive.revoke)


class RevokeDialog(QDialog):
    """Asks for the reason; 撤销报告 stays disabled until one is written, so the dialog never
    closes on an empty reason only to be refused afterwards."""

    def __init__(self, report: ArchivedReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(S.REVOKE_TITLE)
        prompt = QLabel(S.REVOKE_PROMPT.format(no=report.report_no, name=report.enterprise_name), self)
        prompt.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("revokeReason")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(S.REVOKE_PLACEHOLDER)
        self.reason.setMinimumWidth(420)
        self.hint = QLabel(S.REVOKE_NEEDS_REASON, self)
        self.hint.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(S.REVOKE_CONFIRM)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(S.CANCEL)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.reason)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._reason_changed("")

    def text(self) -> str:
        return " ".join(self.reason.text().split())

    def _reason_changed(self, _text: str) -> None:
        written = bool(self.text())
        self.ok_button.setEnabled(written)
        self.hint.setVisible(not written)

    def accept(self) -> None:
        if self.text():  # Enter in the box with no reason does nothing
            super().accept()
