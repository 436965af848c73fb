"""What the 异议 and 信用修复 tabs share: a queue of cases by due date (filter, refresh, count), the
chosen case in full under it, a status line, and a dialog per step. The cases come from the desk's
use cases off the GUI thread; a step's announcement refreshes the queue."""
from __future__ import annotations

from types import ModuleType

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from desktop.services.context import DeskContext
from desktop.views.case_detail_base import CaseDetail
from desktop.views.case_model_base import CaseModel
from desktop.views.table_models import SORT_ROLE
from desktop.views.table_view import read_only_table

MUTED, BUSY, GOOD, BAD = "#5f6368", "#1a73e8", "#137333", "#b3261e"


class CaseQueue(QWidget):
    """Subclasses name their words (`strings`), object names (`case_name`: objectionTable …), the
    announcements that refresh them, and the use cases, model, detail and step dialog."""

    strings: ModuleType
    case_name: str
    refresh_kinds: frozenset[str]
    splitter_sizes: tuple[int, int]

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog = None
        self._load_lane, self._detail_lane = (self, "load"), (self, "detail")

    # -- what differs ------------------------------------------------------------------------

    def make_model(self) -> CaseModel:
        raise NotImplementedError

    def make_detail(self) -> CaseDetail:
        raise NotImplementedError

    def make_step_dialog(self, case, action: str):
        raise NotImplementedError

    def list_request(self, key: str):
        """(use case, its keywords) that lists the cases of the filter `key`."""
        raise NotImplementedError

    def detail_usecase(self):
        raise NotImplementedError

    def visible_rows(self, rows: list) -> list:
        return rows

    def shape_table(self) -> None:
        """Column widths beyond the default (the enterprise column stretches)."""

    def after_step(self, view) -> None:
        raise NotImplementedError

    # -- the widgets -------------------------------------------------------------------------

    def build_queue(self) -> None:
        """The filter row, the queue over the detail, the status line (laid out by lay_out_queue)."""
        S = self.strings
        self.filter = QComboBox(self)
        self.filter.setObjectName(f"{self.case_name}Filter")
        for key, text in S.FILTERS:
            self.filter.addItem(text, key)
        self.filter.currentIndexChanged.connect(lambda *_: self.refresh())
        filter_label = QLabel(S.FILTER_LABEL, self)
        filter_label.setBuddy(self.filter)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.setToolTip(S.REFRESH_TIP)
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel(self)
        self.count_label.setObjectName(f"{self.case_name}Count")
        self._top = top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)

        self.model = self.make_model()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, f"{self.case_name}Table", self.model.columns.ENTERPRISE)
        self.table.setToolTip(S.QUEUE_TIP)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.shape_table()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(self.model.due_column, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda *_: self.open_selected())
        self.table.clicked.connect(lambda *_: self.open_selected())
        self.table.installEventFilter(self)

        self.detail = self.make_detail()
        self.detail.action_requested.connect(self.ask_step)
        # The queue across the page, the chosen case under it.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes(list(self.splitter_sizes))
        self.splitter.setChildrenCollapsible(False)
        self.status = QLabel(self)
        self.status.setObjectName(f"{self.case_name}Status")
        self.status.setWordWrap(True)

    def lay_out_queue(self, holder: QWidget) -> None:
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(self._top)
        box.addWidget(self.splitter, 1)
        box.addWidget(self.status)

    # -- the queue ---------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.ctx.tasks.is_running(self._load_lane) or self.ctx.tasks.is_running(self._detail_lane)

    def filter_key(self) -> str:
        return self.filter.currentData()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(self.filter.findData(key))

    def refresh(self) -> None:
        usecase, keywords = self.list_request(self.filter_key())
        self.count_label.setText(self.strings.LOADING)
        self.ctx.tasks.query(usecase, self.ctx.actor, **keywords, lane=self._load_lane, on_done=self._loaded,
                             on_message=lambda text: self._say(text, BAD))

    def _loaded(self, rows: list) -> None:
        S = self.strings
        rows = self.visible_rows(rows)
        keep = self.detail.shown.id if self.detail.shown else None
        self.model.set_rows(rows)
        overdue = sum(1 for c in rows if c.overdue)
        soon = sum(1 for c in rows if c.due_soon)
        if not rows:
            self.count_label.setText(S.EMPTY[self.filter_key()])
        elif overdue or soon:
            self.count_label.setText(S.COUNT_MARKED.format(n=len(rows), overdue=overdue, soon=soon))
        else:
            self.count_label.setText(S.COUNT.format(n=len(rows)))
        if keep is not None and self.select(keep, load=False):
            self.load_detail(keep)  # its state or deadlines may have moved

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind in self.refresh_kinds:
            self.refresh()

    def selected(self):
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select(self, case_id: int, load: bool = True) -> bool:
        row = self.model.index_of(case_id)
        if row < 0:
            return False
        self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        if load:
            self.open_selected()
        return True

    def open_selected(self) -> None:
        case = self.selected()
        if case is not None:
            self.load_detail(case.id)

    def load_detail(self, case_id: int) -> None:
        if self.detail.shown is None or self.detail.shown.id != case_id:
            self.detail.show_hint(self.strings.LOADING_ONE)
        self.ctx.tasks.query(self.detail_usecase(), self.ctx.actor, case_id, lane=self._detail_lane,
                             on_done=self.detail.show_case, on_message=lambda text: self._say(text, BAD))

    # -- steps -------------------------------------------------------------------------------

    def ask_step(self, action: str):
        """Open the dialog of one step (it asks the reason and runs the step itself)."""
        case = self.detail.shown
        if case is None or action not in case.actions:
            return None
        dialog = self.dialog = self.make_step_dialog(case, action)
        dialog.finished.connect(lambda _result: self._step_finished(dialog))
        dialog.open()
        return dialog

    def _step_finished(self, dialog) -> None:
        view = dialog.result_view
        if view is None:
            return
        self.after_step(view)
        self._say(self.strings.STEP_DONE.format(label=dialog.label, id=view.id, status=view.status), GOOD)

    # -- plumbing ----------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()  # focus stays here: ↑↓ and Enter again, Alt+n for a step
            return True
        return False

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")
