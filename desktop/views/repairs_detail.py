"""One credit-repair application in full: the penalty, the rule of its earliest repair day, the
dates and deadlines, and one button per step allowed from here. It shows; the panel does the work."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from core.usecases.repair import RepairDetail
from desktop.strings import objections as OS
from desktop.strings import repairs as S
from desktop.views.repairs_model import earliest_text, next_due

MUTED = "#5f6368"
OVERDUE, SOON = "#b3261e", "#8a5300"
FIELDS = (S.F_ENTERPRISE, S.F_USCC, S.F_DECISION, S.F_PENALTY, S.F_ORGAN, S.F_DECIDED, S.F_SEVERITY,
          S.F_RULE, S.F_EARLIEST, S.F_APPLIED, S.F_OUTCOME)


class RepairDetailView(QWidget):
    action_requested = Signal(str)  # repair.ACTIONS name

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.detail: RepairDetail | None = None

        self.hint = QLabel(S.PICK_ONE, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"QLabel {{ color: {MUTED}; font-size: 12pt; }}")

        body = QWidget(self)
        self.title = QLabel(body)
        self.title.setObjectName("repairTitle")
        self.title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        # Two columns of fields: the penalty on the left, the application on the right.
        half = 6
        for n, key in enumerate(FIELDS):
            row, col = (n, 0) if n < half else (n - half, 2)
            name = QLabel(f"{key}：", body)
            name.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
            value = QLabel(body)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addWidget(name, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, col + 1)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)
        self.deadlines = QLabel(body)
        self.deadlines.setObjectName("repairDeadlines")
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)
        deadlines_title = QLabel(S.DEADLINES, body)
        deadlines_title.setStyleSheet("QLabel { font-weight: bold; margin-top: 6px; }")
        box = QVBoxLayout(body)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(4)
        box.addWidget(self.title)
        box.addLayout(grid)
        box.addWidget(deadlines_title)
        box.addWidget(self.deadlines)
        box.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        self.action_bar = QHBoxLayout()
        self.action_note = QLabel(self)
        self.action_note.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
        self.action_buttons: dict[str, QPushButton] = {}
        for n, (name, label) in enumerate(S.ACTION_LABELS.items(), start=1):
            button = QPushButton(label, self)
            button.setShortcut(QKeySequence(f"Alt+{n}"))
            button.setObjectName(f"repair_{name}")
            button.setToolTip(S.ACTION_TIP.format(label=label, n=n))
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, name=name: self.action_requested.emit(name))
            self.action_buttons[name] = button
            self.action_bar.addWidget(button)
        self.action_bar.addWidget(self.action_note)
        self.action_bar.addStretch(1)
        details = QWidget(self)
        outer = QVBoxLayout(details)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        line = QFrame(details)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        outer.addWidget(line)
        outer.addLayout(self.action_bar)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self.stack.addWidget(details)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.show_detail(None)

    @property
    def application(self):
        return self.detail.view if self.detail else None

    def show_hint(self, text: str) -> None:
        self.detail = None
        self.hint.setText(text)
        self.stack.setCurrentWidget(self.hint)

    def show_detail(self, d: RepairDetail | None) -> None:
        if d is None:
            self.show_hint(S.PICK_ONE)
            return
        self.detail = d
        r = d.view
        self.title.setText(S.DETAIL_TITLE.format(id=r.id, status=r.status))
        outcome = (S.OUTCOME_TEXT.format(status=r.status, day=f"{r.decided_on:%Y-%m-%d}", reason=r.reason or "")
                   if r.decided_on else "—")
        values = {S.F_ENTERPRISE: r.enterprise_name or "—", S.F_USCC: r.uscc, S.F_DECISION: r.decision_no,
                  S.F_PENALTY: S.PENALTY_TEXT.format(kind=d.penalty_kind, content=d.content or "—"),
                  S.F_ORGAN: d.organ, S.F_DECIDED: f"{d.decision_date:%Y-%m-%d}",
                  S.F_SEVERITY: d.eligibility.severity, S.F_RULE: d.eligibility.rule,
                  S.F_EARLIEST: earliest_text(r), S.F_APPLIED: f"{r.applied_on:%Y-%m-%d}",
                  S.F_OUTCOME: outcome}
        for key, value in values.items():
            self.fields[key].setText(value)
        self.deadlines.setText(self._deadlines(d))
        allowed = set(r.actions)
        for name, button in self.action_buttons.items():
            button.setVisible(name in allowed)
            button.setEnabled(True)
        self.action_note.setText("" if allowed else S.NO_ACTIONS)
        self.stack.setCurrentIndex(1)

    def set_busy(self, busy: bool) -> None:
        for button in self.action_buttons.values():
            button.setEnabled(not busy)

    @staticmethod
    def _deadlines(d: RepairDetail) -> str:
        r, current = d.view, next_due(d.view)
        rows = []
        for key, name in S.DEADLINE_NAMES.items():
            due = r.due.get(key)
            if due is None:
                continue
            mark = OS.PROVISIONAL if due.provisional else ""
            text = S.DEADLINE_ROW.format(name=name, due=f"{due.due:%Y-%m-%d}", mark=mark)
            if current is not None and due == current:
                colour = OVERDUE if r.overdue else SOON if r.due_soon else "#202124"
                flag = OS.MARK_OVERDUE if r.overdue else OS.MARK_SOON if r.due_soon else ""
                text = f"<b style='color:{colour}'>{flag}{text}</b>"
            rows.append(text)
        return "<br>".join(rows)
