"""导入记录: the import batches so far, all of them or one providing unit's, newest first."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.strings import imports as S
from desktop.views.import_models import BatchColumn, BatchesModel
from desktop.views.table_models import SORT_ROLE
from desktop.views.table_view import read_only_table


class ImportHistory(QWidget):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.history = None  # the last answer (BatchHistory)
        self._stale = True
        self.unit = QComboBox(self)
        self.unit.setObjectName("importHistoryUnit")
        self.unit.setMinimumWidth(260)
        self.unit.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.unit.addItem(S.HISTORY_ALL, None)
        self.unit.currentIndexChanged.connect(lambda _i: self.refresh())
        label = QLabel(S.HISTORY_UNIT, self)
        label.setBuddy(self.unit)
        self.refresh_button = QPushButton(S.HISTORY_REFRESH, self)
        self.refresh_button.clicked.connect(self.refresh)
        self.count = QLabel(self)
        self.count.setObjectName("importHistoryCount")
        self.model = BatchesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "importHistoryTable", BatchColumn.FILE)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(BatchColumn.TIME, Qt.SortOrder.DescendingOrder)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.unit)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.count, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        ctx.events.data_changed.connect(self._data_changed)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind == "records":
            self._stale = True
            if self.isVisible():
                self.refresh()

    def selected_unit(self) -> str | None:
        """None: every unit; "": the batches without a unit; else a unit's name."""
        return self.unit.currentData()

    def refresh(self) -> None:
        self._stale = False
        self.count.setText(S.HISTORY_LOADING)
        self.ctx.tasks.query(self.ctx.desk.import_history, self.ctx.actor, self.selected_unit(),
                             on_done=self._show, on_message=self.count.setText, lane=(self, "history"))

    def _show(self, history) -> None:
        self.history = history
        chosen = self.selected_unit()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(S.HISTORY_ALL, None)
        for unit in history.units:
            self.unit.addItem(unit or S.HISTORY_UNNAMED, unit)
        found = self.unit.findData(chosen) if chosen is not None else 0
        self.unit.setCurrentIndex(max(found, 0))
        self.unit.blockSignals(False)
        self.model.set_rows(history.batches)
        more = S.HISTORY_MORE.format(n=len(history.batches)) if history.more else ""
        self.count.setText(S.HISTORY_COUNT.format(n=len(history.batches), more=more) if history.batches
                           else S.HISTORY_EMPTY)
