"""异议与修复 (for 主管): two tabs, 异议 and 信用修复, each a queue by due date over one item in full."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSplitter, QTabWidget, QVBoxLayout, QWidget)

from core.services.objections import rules
from core.usecases import ObjectionView, Permission
from desktop.services.context import DeskContext
from desktop.strings import objections as S
from desktop.strings import repairs as RS
from desktop.views.objections_detail import ObjectionDetail
from desktop.views.objections_model import ObjectionColumn, ObjectionsModel
from desktop.views.objections_step_dialog import StepDialog
from desktop.views.repairs_panel import RepairsPanel
from desktop.views.table_models import SORT_ROLE
from desktop.views.table_view import read_only_table

MUTED, BUSY, GOOD, BAD = "#5f6368", "#1a73e8", "#137333", "#b3261e"
REFRESH_KINDS = {"objections"}


class ObjectionsPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: StepDialog | None = None
        self._files = tempfile.TemporaryDirectory(prefix="creditdesk-objection-")
        self._load_lane, self._detail_lane, self._file_lane = (self, "load"), (self, "detail"), (self, "file")

        title = QLabel(S.QUEUE_TITLE, self)
        title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.filter = QComboBox(self)
        self.filter.setObjectName("objectionFilter")
        for key, text in S.FILTERS:
            self.filter.addItem(text, key)
        self.filter.setToolTip(S.FILTER_TIP)
        self.filter.currentIndexChanged.connect(lambda *_: self.refresh())
        filter_label = QLabel(S.FILTER_LABEL, self)
        filter_label.setBuddy(self.filter)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.setToolTip(S.REFRESH_TIP)
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self._refresh_current,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("objectionCount")
        top = QHBoxLayout()
        top.addWidget(filter_label)
        top.addWidget(self.filter)
        top.addWidget(self.refresh_button)
        top.addSpacing(12)
        top.addWidget(self.count_label, 1)

        self.model = ObjectionsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "objectionTable", ObjectionColumn.ENTERPRISE)
        self.table.setToolTip(S.QUEUE_TIP)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # Long records and grounds are cut (whole in the tooltip) so the deadline stays in sight.
        header = self.table.horizontalHeader()
        for column, width in ((ObjectionColumn.RECORD, 230), (ObjectionColumn.GROUNDS, 170)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(ObjectionColumn.DUE, Qt.SortOrder.AscendingOrder)
        self.table.activated.connect(lambda *_: self.open_selected())
        self.table.clicked.connect(lambda *_: self.open_selected())
        self.table.installEventFilter(self)

        self.detail = ObjectionDetail(ctx.actor.can(Permission.OBJECTION_DECIDE), self)
        self.detail.action_requested.connect(self.ask_step)
        self.detail.open_requested.connect(self.open_attachment)
        self.detail.save_requested.connect(self.save_attachment)

        # The queue across the page, the chosen objection under it.
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([220, 460])
        self.splitter.setChildrenCollapsible(False)
        self.status = QLabel(self)
        self.status.setObjectName("objectionStatus")
        self.status.setWordWrap(True)
        objections = QWidget(self)
        box = QVBoxLayout(objections)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(top)
        box.addWidget(self.splitter, 1)
        box.addWidget(self.status)

        # 异议 and 信用修复: the same layout, one tab each; the title names both.
        self.repairs = RepairsPanel(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("objectionTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(objections, RS.TAB_OBJECTIONS)
        self.tabs.addTab(self.repairs, RS.TAB_REPAIRS)
        self.tabs.setToolTip(RS.TABS_TIP)
        title.setContentsMargins(0, 0, 12, 0)
        self.tabs.setCornerWidget(title, Qt.Corner.TopLeftCorner)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.filter, self.refresh_button)
        self.setTabOrder(self.refresh_button, self.table)
        ctx.events.data_changed.connect(self._data_changed)
        self.refresh()

    # -- the queue ---------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self.ctx.tasks.is_running(self._load_lane) or self.ctx.tasks.is_running(self._detail_lane)

    @property
    def working(self) -> bool:
        return self.ctx.tasks.is_running(self._file_lane) or (
            self.dialog is not None and self.dialog.isVisible() and self.dialog.working)

    def show_repairs(self) -> None:
        self.tabs.setCurrentWidget(self.repairs)

    def _refresh_current(self) -> None:
        (self.repairs.refresh if self.tabs.currentWidget() is self.repairs else self.refresh)()

    def filter_key(self) -> str:
        return self.filter.currentData()

    def set_filter(self, key: str) -> None:
        self.filter.setCurrentIndex(self.filter.findData(key))

    def refresh(self) -> None:
        key = self.filter_key()
        self.count_label.setText(S.LOADING)
        self.ctx.tasks.query(self.ctx.desk.objections, self.ctx.actor, open_only=key == "open",
                             overdue=key == "overdue", lane=self._load_lane, on_done=self._loaded,
                             on_message=lambda text: self._say(text, BAD))

    def _loaded(self, rows: list[ObjectionView]) -> None:
        keep = self.detail.objection.id if self.detail.objection else None
        self.model.set_rows(rows)
        overdue = sum(1 for o in rows if o.overdue)
        soon = sum(1 for o in rows if o.due_soon)
        if not rows:
            self.count_label.setText(S.EMPTY[self.filter_key()])
        elif overdue or soon:
            self.count_label.setText(S.COUNT_MARKED.format(n=len(rows), overdue=overdue, soon=soon))
        else:
            self.count_label.setText(S.COUNT.format(n=len(rows)))
        if keep is not None and self.select(keep, load=False):
            self.load_detail(keep)  # its state or deadlines may have moved

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind in REFRESH_KINDS:
            self.refresh()

    def selected(self) -> ObjectionView | None:
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select(self, objection_id: int, load: bool = True) -> bool:
        row = self.model.index_of(objection_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        if load:
            self.open_selected()
        return True

    def open_selected(self) -> None:
        o = self.selected()
        if o is not None:
            self.load_detail(o.id)

    def load_detail(self, objection_id: int) -> None:
        if self.detail.objection is None or self.detail.objection.id != objection_id:
            self.detail.show_hint(S.LOADING_ONE)
        self.ctx.tasks.query(self.ctx.desk.objection, self.ctx.actor, objection_id, lane=self._detail_lane,
                             on_done=self.detail.show_objection,
                             on_message=lambda text: self._say(text, BAD))

    # -- steps -------------------------------------------------------------------------------

    def ask_step(self, action: str) -> StepDialog | None:
        """Open the dialog of one step (it asks the reason and runs the step itself)."""
        o = self.detail.objection
        if o is None or action not in o.actions:
            return None
        dialog = self.dialog = StepDialog(self.ctx, o, action, self)
        dialog.finished.connect(lambda _result: self._step_finished(dialog))
        dialog.open()
        return dialog

    def _step_finished(self, dialog: StepDialog) -> None:
        view = dialog.result_view
        if view is None:
            return
        self.detail.show_objection(view)
        self._say(S.STEP_DONE.format(label=rules.ACTIONS[dialog.action].label, id=view.id,
                                     status=view.status), GOOD)
        # The list itself refreshes on the "objections" announcement.

    # -- attachments -------------------------------------------------------------------------

    def open_attachment(self, attachment_id: int) -> None:
        folder = Path(self._files.name)

        def write(answer) -> Path:
            name, _media, data = answer
            path = folder / f"{attachment_id}-{Path(name).name}"
            path.write_bytes(data)
            return path

        def opened(path: Path) -> None:
            if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._say(S.OPENED.format(name=path.name.split("-", 1)[-1]), GOOD)
            else:
                self._say(S.OPEN_FAILED, BAD)

        desk, actor = self.ctx.desk, self.ctx.actor
        self._say(S.READING_FILE, BUSY)
        self.ctx.tasks.query(lambda: write(desk.objection_attachment(actor, attachment_id)),
                             lane=self._file_lane, on_done=opened,
                             on_message=lambda text: self._say(text, BAD))

    def save_attachment(self, attachment_id: int) -> None:
        known = self.detail.objection.attachments if self.detail.objection else ()
        name = next((a.file_name for a in known if a.id == attachment_id), S.ATTACHMENTS)
        path, _ = QFileDialog.getSaveFileName(self, S.SAVE_TITLE, name)
        if path:
            self.save_attachment_to(attachment_id, path)

    def save_attachment_to(self, attachment_id: int, path: str) -> None:
        desk, actor = self.ctx.desk, self.ctx.actor

        def write() -> None:
            Path(path).write_bytes(desk.objection_attachment(actor, attachment_id)[2])

        self._say(S.READING_FILE, BUSY)
        self.ctx.tasks.query(write, lane=self._file_lane,
                             on_done=lambda _: self._say(S.SAVED.format(path=path), GOOD),
                             on_message=lambda text: self._say(text, BAD))

    # -- plumbing ----------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.table and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_selected()  # focus stays here: ↑↓ and Enter again, Alt+n for a step
            return True
        return False

    def escape(self) -> None:
        """Esc: back to the queue of the tab shown."""
        table = self.repairs.table if self.tabs.currentWidget() is self.repairs else self.table
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._files.cleanup()
        super().closeEvent(event)
