"""异议与修复 (for 主管): two tabs, 异议 and 信用修复, each a queue by due date over one item in full.

The 异议 queue is this page's own (case_page_base holds what it shares with the 信用修复 panel);
the objection adds its documents, opened or saved off the GUI thread."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QTabWidget, QVBoxLayout, QWidget

from core.usecases import ObjectionView, Permission
from desktop.services.context import DeskContext
from desktop.strings import objections as S
from desktop.strings import repairs as RS
from desktop.views.case_page_base import BAD, BUSY, GOOD, CaseQueue
from desktop.views.objections_detail import ObjectionDetail
from desktop.views.objections_model import ObjectionColumn, ObjectionsModel
from desktop.views.objections_step_dialog import StepDialog
from desktop.views.repairs_panel import RepairsPanel
from desktop.views.file_dialogs import save_file_name

REFRESH_KINDS = frozenset({"objections"})


class ObjectionsPage(CaseQueue):
    strings, case_name, refresh_kinds, splitter_sizes = S, "objection", REFRESH_KINDS, (220, 460)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.dialog: StepDialog | None = None
        self._files = tempfile.TemporaryDirectory(prefix="creditdesk-objection-")
        self._file_lane = (self, "file")

        title = QLabel(S.QUEUE_TITLE, self)
        title.setStyleSheet("QLabel { font-size: 14pt; font-weight: bold; }")
        self.build_queue()
        self.filter.setToolTip(S.FILTER_TIP)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self._refresh_current,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        objections = QWidget(self)
        self.lay_out_queue(objections)

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

    # -- the objection queue -----------------------------------------------------------------

    def make_model(self) -> ObjectionsModel:
        return ObjectionsModel(self)

    def shape_table(self) -> None:
        # Long records and grounds are cut (whole in the tooltip) so the deadline stays in sight.
        header = self.table.horizontalHeader()
        for column, width in ((ObjectionColumn.RECORD, 230), (ObjectionColumn.GROUNDS, 170)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    def make_detail(self) -> ObjectionDetail:
        detail = ObjectionDetail(self.ctx.actor.can(Permission.OBJECTION_DECIDE), self)
        detail.open_requested.connect(self.open_attachment)
        detail.save_requested.connect(self.save_attachment)
        return detail

    def list_request(self, key: str):
        return self.ctx.desk.objections, {"open_only": key == "open", "overdue": key == "overdue"}

    def detail_usecase(self):
        return self.ctx.desk.objection

    def make_step_dialog(self, objection: ObjectionView, action: str) -> StepDialog:
        return StepDialog(self.ctx, objection, action, self)

    def after_step(self, view: ObjectionView) -> None:
        self.detail.show_objection(view)  # the list itself refreshes on the "objections" announcement

    @property
    def working(self) -> bool:
        return self.ctx.tasks.is_running(self._file_lane) or (
            self.dialog is not None and self.dialog.isVisible() and self.dialog.working)

    def show_repairs(self) -> None:
        self.tabs.setCurrentWidget(self.repairs)

    def _refresh_current(self) -> None:
        (self.repairs.refresh if self.tabs.currentWidget() is self.repairs else self.refresh)()

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
        path = save_file_name(self, S.SAVE_TITLE, name, S.SAVE_FILTER)
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

    def escape(self) -> None:
        """Esc: back to the queue of the tab shown."""
        table = self.repairs.table if self.tabs.currentWidget() is self.repairs else self.table
        table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._files.cleanup()
        super().closeEvent(event)
