"""One objection in full: the record, who filed it, the four deadlines, the documents, the timeline
and one button per step allowed from here. It shows; the page does the work."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QListWidget,
                               QListWidgetItem, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from core.services.objections import rules
from core.usecases import ObjectionView
from desktop.strings import objections as S
from desktop.views.case_detail_base import CaseDetail, deadlines_html, section
from desktop.views.objections_model import grounds_text, record_text

FIELDS = (S.F_ENTERPRISE, S.F_USCC, S.F_RECORD, S.F_GROUNDS, S.F_FILER, S.F_FILED_ON, S.F_REPORT, S.F_OUTCOME)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


class ObjectionDetail(CaseDetail):
    open_requested = Signal(int)  # attachment id
    save_requested = Signal(int)

    def __init__(self, can_decide: bool, parent: QWidget | None = None):
        super().__init__("objection", S.PICK_ONE, FIELDS, len(FIELDS),
                         [(a.name, a.label) for a in rules.ACTIONS.values()], parent)
        self.can_decide = can_decide

    def lay_out_body(self, body: QWidget, grid: QGridLayout) -> None:
        grid.setColumnStretch(1, 1)
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
        left.addWidget(section(S.DEADLINES, body))
        left.addWidget(self.deadlines)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(section(S.ATTACHMENTS, body))
        right.addLayout(files)
        right.addWidget(section(S.TIMELINE, body))
        right.addWidget(self.timeline, 1)
        box = QHBoxLayout(body)
        box.setContentsMargins(4, 0, 4, 0)
        box.setSpacing(16)
        box.addLayout(left, 2)
        box.addLayout(right, 3)

    # -- showing -----------------------------------------------------------------------------

    @property
    def shown(self) -> ObjectionView | None:
        return self.objection

    def _forget(self) -> None:
        self.objection = None

    def show_objection(self, o: ObjectionView | None) -> None:
        if o is None:
            self.show_hint(S.PICK_ONE)
            return
        self.objection = o
        values = {S.F_ENTERPRISE: o.enterprise_name, S.F_USCC: o.uscc, S.F_RECORD: record_text(o),
                  S.F_GROUNDS: grounds_text(o), S.F_FILER: S.FILER.format(name=o.filed_by, role=o.filed_as),
                  S.F_FILED_ON: f"{o.filed_on:%Y-%m-%d}", S.F_REPORT: o.report_no or "—",
                  S.F_OUTCOME: o.outcome or "—"}
        self.show_body(S.DETAIL_TITLE.format(id=o.id, status=o.status), values, self._deadlines(o), o.actions)
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
        for n, (name, button) in enumerate(self.action_buttons.items(), start=1):
            tip = S.ACTION_TIP.format(label=rules.ACTIONS[name].label, n=n)
            button.setToolTip(tip if self._mine(name) else S.NOT_YOURS)
        self.stack.setCurrentIndex(1)

    show_case = show_objection

    def _mine(self, name: str) -> bool:
        """Whether this user may take the step: a 主管 any, counter staff the enterprise's own acts."""
        return self.can_decide or rules.ACTIONS[name].counter_may

    def enable_step(self, name: str, button: QPushButton, free: bool) -> None:
        button.setEnabled(free and self._mine(name))

    @staticmethod
    def _deadlines(o: ObjectionView) -> str:
        """The four deadlines; the one the current state works to in bold, with its mark."""
        return deadlines_html(S.DEADLINE_NAMES, o.due, o.next_due, o.overdue, o.due_soon)

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
