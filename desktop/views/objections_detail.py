"""One objection in full: the record, who filed it, the four deadlines, the documents, the timeline
and one button per step allowed from here. It shows; the page does the work."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QFrame, QGridLayout, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from core.services.objections import rules
from core.usecases import ObjectionView
from desktop.strings import objections as S
from desktop.views.objections_model import grounds_text, record_text

MUTED = "#5f6368"
OVERDUE, SOON = "#b3261e", "#8a5300"


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


def _section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("QLabel { font-weight: bold; margin-top: 6px; }")
    return label


class ObjectionDetail(QWidget):
    action_requested = Signal(str)  # rules.ACTIONS name
    open_requested = Signal(int)  # attachment id
    save_requested = Signal(int)

    def __init__(self, can_decide: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.can_decide = can_decide
        self.objection: ObjectionView | None = None

        self.hint = QLabel(S.PICK_ONE, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(f"QLabel {{ color: {MUTED}; font-size: 12pt; }}")

        body = QWidget(self)
        self.title = QLabel(body)
        self.title.setObjectName("objectionTitle")
        self.title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        for row, key in enumerate((S.F_ENTERPRISE, S.F_USCC, S.F_RECORD, S.F_GROUNDS, S.F_FILER,
                                   S.F_FILED_ON, S.F_REPORT, S.F_OUTCOME)):
            name = QLabel(f"{key}：", body)
            name.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
            value = QLabel(body)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)

        self.deadlines = QLabel(body)
        self.deadlines.setObjectName("objectionDeadlines")
        self.deadlines.setWordWrap(True)
        self.deadlines.setTextFormat(Qt.TextFormat.RichText)

        self.attachments = QListWidget(body)
        self.attachments.setObjectName("attachmentList")
        self.attachments.setMaximumHeight(64)
        self.attachments.itemDoubleClicked.connect(lambda *_: self._emit_attachment(self.open_requested))
        self.open_button = QPushButton(S.OPEN_ATTACHMENT, body)
        self.open_button.setToolTip(S.OPEN_TIP)
        self.save_button = QPushButton(S.SAVE_ATTACHMENT, body)
        self.save_button.setToolTip(S.SAVE_TIP)
        self.open_button.clicked.connect(lambda: self._emit_attachment(self.open_requested))
        self.save_button.clicked.connect(lambda: self._emit_attachment(self.save_requested))
        files = QHBoxLayout()
        files.addWidget(self.attachments, 1)
        file_buttons = QVBoxLayout()
        file_buttons.addWidget(self.open_button)
        file_buttons.addWidget(self.save_button)
        file_buttons.addStretch(1)
        files.addLayout(file_buttons)

        self.timeline = QTableWidget(0, len(S.TIMELINE_HEADERS), body)
        self.timeline.setObjectName("timelineTable")
        self.timeline.setHorizontalHeaderLabels(S.TIMELINE_HEADERS)
        self.timeline.verticalHeader().setVisible(False)
        self.timeline.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.timeline.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.timeline.setWordWrap(False)  # one line a step; the whole text in its tooltip
        self.timeline.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.timeline.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(S.TIMELINE_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.timeline.setMinimumHeight(100)

        # Two columns: who and what with the deadlines; the documents and what was done.
        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self.title)
        left.addLayout(grid)
        left.addWidget(_section(S.DEADLINES, body))
        left.addWidget(self.deadlines)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(_section(S.ATTACHMENTS, body))
        right.addLayout(files)
        right.addWidget(_section(S.TIMELINE, body))
        right.addWidget(self.timeline, 1)
        box = QHBoxLayout(body)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(16)
        box.addLayout(left, 2)
        box.addLayout(right, 3)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        # The steps: one button each, always visible under the scrolling details.
        self.action_bar = QHBoxLayout()
        self.action_note = QLabel(self)
        self.action_note.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")
        self.action_buttons: dict[str, QPushButton] = {}
        for n, action in enumerate(rules.ACTIONS.values(), start=1):
            button = QPushButton(action.label, self)
            button.setShortcut(QKeySequence(f"Alt+{n}"))
            button.setObjectName(f"action_{action.name}")
            button.setToolTip(S.ACTION_TIP.format(label=action.label, n=n))
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, name=action.name: self.action_requested.emit(name))
            self.action_buttons[action.name] = button
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
        self.show_objection(None)

    # -- showing -----------------------------------------------------------------------------

    def show_hint(self, text: str) -> None:
        self.objection = None
        self.hint.setText(text)
        self.stack.setCurrentWidget(self.hint)

    def show_objection(self, o: ObjectionView | None) -> None:
        if o is None:
            self.show_hint(S.PICK_ONE)
            return
        self.objection = o
        self.title.setText(S.DETAIL_TITLE.format(id=o.id, status=o.status))
        values = {S.F_ENTERPRISE: o.enterprise_name, S.F_USCC: o.uscc, S.F_RECORD: record_text(o),
                  S.F_GROUNDS: grounds_text(o), S.F_FILER: S.FILER.format(name=o.filed_by, role=o.filed_as),
                  S.F_FILED_ON: f"{o.filed_on:%Y-%m-%d}", S.F_REPORT: o.report_no or "—",
                  S.F_OUTCOME: o.outcome or "—"}
        for key, value in values.items():
            self.fields[key].setText(value)
        self.deadlines.setText(self._deadlines(o))
        self.attachments.clear()
        for a in o.attachments:
            item = QListWidgetItem(S.ATTACHMENT_ROW.format(name=a.file_name, size=_size(a.size)))
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(f"{a.media_type}\nSHA-256 {a.sha256}")
            self.attachments.addItem(item)
        if o.attachments:
            self.attachments.setCurrentRow(0)
        else:
            self.attachments.addItem(S.NO_ATTACHMENTS)
        self.attachments.setEnabled(bool(o.attachments))
        self.open_button.setEnabled(bool(o.attachments))
        self.save_button.setEnabled(bool(o.attachments))
        self._fill_timeline(o)
        allowed = set(o.actions)
        for name, button in self.action_buttons.items():
            mine = self.can_decide or rules.ACTIONS[name].counter_may
            button.setVisible(name in allowed)
            button.setEnabled(mine)
            n = list(self.action_buttons).index(name) + 1
            tip = S.ACTION_TIP.format(label=rules.ACTIONS[name].label, n=n)
            button.setToolTip(tip if mine else S.NOT_YOURS)
        self.action_note.setText("" if allowed else S.NO_ACTIONS)
        self.stack.setCurrentIndex(1)

    def set_busy(self, busy: bool) -> None:
        for name, button in self.action_buttons.items():
            button.setEnabled(not busy and (self.can_decide or rules.ACTIONS[name].counter_may))

    @staticmethod
    def _deadlines(o: ObjectionView) -> str:
        """The four deadlines; the one the current state works to in bold, with its mark."""
        rows = []
        for key, name in S.DEADLINE_NAMES.items():
            d = o.due.get(key)
            if d is None:
                continue
            mark = S.PROVISIONAL if d.provisional else ""
            text = S.DEADLINE_ROW.format(name=name, due=f"{d.due:%Y-%m-%d}", mark=mark)
            if o.next_due is not None and d == o.next_due:
                colour = OVERDUE if o.overdue else SOON if o.due_soon else "#202124"
                flag = S.MARK_OVERDUE if o.overdue else S.MARK_SOON if o.due_soon else ""
                text = f"<b style='color:{colour}'>{flag}{text}</b>"
            rows.append(text)
        return "<br>".join(rows)

    def _fill_timeline(self, o: ObjectionView) -> None:
        self.timeline.setRowCount(len(o.timeline))
        for row, step in enumerate(o.timeline):
            day = f"{step.acted_on:%Y-%m-%d}" + (S.BACKDATED if step.backdated else "")
            recorded = S.RECORDED_AT.format(at=f"{step.recorded_at:%Y-%m-%d %H:%M}")
            for col, text in enumerate((day, step.to_status, step.actor, step.counter, step.reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{text}\n{recorded}" if col == 0 else text)
                self.timeline.setItem(row, col, item)

    def selected_attachment(self) -> int | None:
        item = self.attachments.currentItem()
        value = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return int(value) if value is not None else None

    def _emit_attachment(self, signal) -> None:
        attachment = self.selected_attachment()
        if attachment is not None:
            signal.emit(attachment)
