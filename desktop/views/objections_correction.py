"""How an objection resolved as 已更正 corrects its record: field changes (字段=值, one a line)
or the record's removal from reports. Part of the step dialog; it shows only for 已更正."""
from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QLabel, QPlainTextEdit, QRadioButton, QVBoxLayout

from core.services.objections.corrections import Correction, field_labels
from desktop.strings import objections as S


class CorrectionBox(QGroupBox):
    def __init__(self, record_kind: str, parent=None):
        super().__init__(S.CORRECT_TITLE, parent)
        self.change = QRadioButton(S.CORRECT_CHANGE, self)
        self.remove = QRadioButton(S.CORRECT_REMOVE, self)
        group = QButtonGroup(self)
        group.addButton(self.change)
        group.addButton(self.remove)
        self.changes = QPlainTextEdit(self)
        self.changes.setObjectName("correctionChanges")
        self.changes.setTabChangesFocus(True)
        self.changes.setPlaceholderText(S.CORRECT_HINT)
        self.changes.setMaximumHeight(70)
        fields = QLabel(S.CORRECT_FIELDS.format(fields="、".join(field_labels())), self)
        fields.setWordWrap(True)
        fields.setStyleSheet("QLabel { color: #5f6368; }")
        # Only a penalty's content is corrected here; an arrear can only be removed (the
        # providing unit corrects the rest by its next delivery).
        can_change = record_kind == "penalty"
        self.change.setEnabled(can_change)
        self.changes.setEnabled(can_change)
        fields.setVisible(can_change)
        (self.change if can_change else self.remove).setChecked(True)
        self.change.toggled.connect(self.changes.setEnabled)
        layout = QVBoxLayout(self)
        layout.addWidget(self.change)
        layout.addWidget(self.changes)
        layout.addWidget(fields)
        layout.addWidget(self.remove)

    def correction(self) -> Correction:
        """What was entered; InvalidRequest (a Chinese sentence) for a line without 字段=值."""
        if self.remove.isChecked():
            return Correction(remove=True)
        lines = [line for line in self.changes.toPlainText().splitlines() if line.strip()]
        return Correction.from_assignments(lines)
