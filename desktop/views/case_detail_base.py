"""What the objection and credit-repair details share: a hint until a case is picked, then a title,
labelled fields, the deadlines (the one the state works to in bold) and, always in sight under the
scrolling details, one button per step. They show; the page does the work."""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QStackedWidget, QVBoxLayout, QWidget)

from core.services.objections.workdays import Deadline
from desktop.strings import cases as S

MUTED = "#5f6368"
OVERDUE, SOON = "#b3261e", "#8a5300"


def section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("QLabel { font-weight: bold; margin-top: 6px; }")
    return label


def deadlines_html(names: Mapping[str, str], due: Mapping[str, Deadline], current: Deadline | None,
                   overdue: bool, due_soon: bool) -> str:
    """One line a deadline; the one the current state works to (`current`) in bold, with its mark."""
    rows = []
    for key, name in names.items():
        d = due.get(key)
        if d is None:
            continue
        mark = S.PROVISIONAL if d.provisional else ""
        text = S.DEADLINE_ROW.format(name=name, due=f"{d.due:%Y-%m-%d}", mark=mark)
        if current is not None and d == current:
            colour = OVERDUE if overdue else SOON if due_soon else "#202124"
            flag = S.MARK_OVERDUE if overdue else S.MARK_SOON if due_soon else ""
            text = f"<b style='color:{colour}'>{flag}{text}</b>"
        rows.append(text)
    return "<br>".join(rows)


class CaseDetail(QWidget):
    """Subclasses lay the body out (`lay_out_body`), say what they show (`show_case`) and which
    case is shown (`shown`)."""

    action_requested = Signal(str)  # the step's action name
    button_prefix = "action_"  # the buttons' object names: action_accept …

    def __init__(self, name: str, pick_one: str, fields: Iterable[str], field_rows: int,
                 actions: Iterable[tuple[str, str]], parent: QWidget | None = None):
        """`name` prefixes the object names (objectionTitle, repairDeadlines …); the fields fill
        `field_rows` rows of the first column, then the next; `actions` are (name, label)."""
        super().__init__(parent)
        self.hint = QLabel(pick_one, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"QLabel {{ color: {MUTED}; font-size: 12pt; }}")

        body = QWidget(self)
        self.title = QLabel(body)
        self.title.setObjectName(f"{name}Title")
        self.title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        for n, key in enumerate(fields):
            row, col = (n, 0) if n < field_rows else (n - field_rows, 2)
            label = QLabel(f"{key}：", body)
            label.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
            value = QLabel(body)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addWidget(label, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, col + 1)
        self.deadlines = QLabel(body)
        self.deadlines.setObjectName(f"{name}Deadlines")
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)
        self.lay_out_body(body, grid)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        # The steps: one button each, always visible under the scrolling details.
        self.action_bar = QHBoxLayout()
        self.action_note = QLabel(self)
        self.action_note.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
        self.action_buttons: dict[str, QPushButton] = {}
        for n, (action, label) in enumerate(actions, start=1):
            button = QPushButton(label, self)
            button.setShortcut(QKeySequence(f"Alt+{n}"))
            button.setObjectName(f"{self.button_prefix}{action}")
            button.setToolTip(S.ACTION_TIP.format(label=label, n=n))
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, action=action: self.action_requested.emit(action))
            self.action_buttons[action] = button
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
        self.show_case(None)

    def lay_out_body(self, body: QWidget, grid: QGridLayout) -> None:
        raise NotImplementedError

    def show_case(self, case) -> None:
        raise NotImplementedError

    @property
    def shown(self):
        """The case shown (its view), None while the hint is."""
        raise NotImplementedError

    def _forget(self) -> None:
        raise NotImplementedError

    def show_hint(self, text: str) -> None:
        self._forget()
        self.hint.setText(text)
        self.stack.setCurrentWidget(self.hint)

    def show_body(self, title: str, values: Mapping[str, str], deadlines: str, actions: Iterable[str]) -> None:
        """The case's title, fields and deadlines; the buttons of the steps allowed from here."""
        self.title.setText(title)
        for key, value in values.items():
            self.fields[key].setText(value)
        self.deadlines.setText(deadlines)
        allowed = set(actions)
        for name, button in self.action_buttons.items():
            button.setVisible(name in allowed)
            self.enable_step(name, button, True)
        self.action_note.setText("" if allowed else S.NO_ACTIONS)

    def enable_step(self, name: str, button: QPushButton, free: bool) -> None:
        button.setEnabled(free)

    def set_busy(self, busy: bool) -> None:
        for name, button in self.action_buttons.items():
            self.enable_step(name, button, not busy)
