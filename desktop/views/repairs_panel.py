"""信用修复 (the second half of 异议与修复): the applications by due date, one in full, a button per step."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import repairs as S
from desktop.views.repair_step_dialog import RepairStepDialog
from desktop.views.repairs_detail import RepairDetailView
from desktop.views.repairs_model import RepairColumn, RepairsModel
from desktop.views.table_models import SORT_ROLE
from desktop.views.table_view import read_only_table

BUSY, GOOD, BAD = "#1a73e8", "#137333", "#b3261e"
REFRESH_KINDS = {"repairs"}


class RepairsPanel(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: RepairStepDialog | None = None
        self._load_lane, self._detail_lane = (self, "load"), (self, "detail")

        self.filter = QComboBox(self)
        self.filter.setObjectName("repairFilter")
        for key, text in S.FILTERS:
            self.filter.addItem(text, key)
        self.filter.currentIndexChanged.connect(lambda *_: self.refresh())
        filter_label = QLabel(S.FILTER_LABEL, self)
        filter_label.setBuddy(self.filter)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.setToolTip(S.REFRESH_TIP)
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("repairCount")
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)

        self.model = RepairsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "repairTable", RepairColumn.ENTERPRISE)
        self.table.setToolTip(S.QUEUE_TIP)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RepairColumn.DUE, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda *_: self.open_selected())
        self.table.clicked.connect(lambda *_: self.open_selected())
        self.table.installEventFilter(self)

        self.detail = RepairDetailView(self)
        self.detail.action_requested.connect(self.ask_step)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([200, 420])
        self.splitter.setChildrenCollapsible(False)
        self.status = QLabel(self)
        self.status.setObjectName("repairStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.status)
        ctx.events.data_changed.connect(self._data_changed)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self.ctx.tasks.is_running(self._load_lane) or self.ctx.tasks.is_running(self._detail_lane)

    def filter_key(self) -> str:
        return self.filter.currentData()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(self.filter.findData(key))

    def refresh(self) -> None:
        key = self.filter_key()
        self.count_label.setText(S.LOADING)
        self.ctx.tasks.query(self.ctx.desk.repairs, self.ctx.actor, open_only=key != "all",
                             lane=self._load_lane, on_done=self._loaded,
                             on_message=lambda text: self._say(text, BAD))

    def _loaded(self, rows: list[RepairView]) -> None:
        if self.filter_key() == "overdue":
            rows = [r for r in rows if r.overdue]
        keep = self.detail.application.id if self.detail.application else None
        self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.overdue)
        soon = sum(1 for r in rows if r.due_soon)
        if not rows:
            self.count_label.setText(S.EMPTY[self.filter_key()])
        elif overdue or soon:
            self.count_label.setText(S.COUNT_MARKED.format(n=len(rows), overdue=overdue, soon=soon))
        else:
            self.count_label.setText(S.COUNT.format(n=len(rows)))
        if keep is not None and self.select(keep, load=False):
            self.load_detail(keep)

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind in REFRESH_KINDS:
            self.refresh()

    def selected(self) -> RepairView | None:
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select(self, application_id: int, load: bool = True) -> bool:
        row = self.model.index_of(application_id)
        if row < 0:
            return False
        self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
        if load:
            self.open_selected()
        return True

    def open_selected(self) -> None:
        r = self.selected()
        if r is not None:
            self.load_detail(r.id)

    def load_detail(self, application_id: int) -> None:
        if self.detail.application is None or self.detail.application.id != application_id:
            self.detail.show_hint(S.LOADING_ONE)
        self.ctx.tasks.query(self.ctx.desk.repair_detail, self.ctx.actor, application_id,
                             lane=self._detail_lane, on_done=self.detail.show_detail,
                             on_message=lambda text: self._say(text, BAD))

    def ask_step(self, action: str) -> RepairStepDialog | None:
        r = self.detail.application
        if r is None or action not in r.actions:
            return None
        dialog = self.dialog = RepairStepDialog(self.ctx, r, action, self)
        dialog.finished.connect(lambda _result: self._step_finished(dialog))
        dialog.open()
        return dialog

    def _step_finished(self, dialog: RepairStepDialog) -> None:
        view = dialog.result_view
        if view is None:
            return
        self.load_detail(view.id)
        self._say(S.STEP_DONE.format(label=dialog.label, id=view.id, status=view.status), GOOD)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()
            return True
        return False

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")

