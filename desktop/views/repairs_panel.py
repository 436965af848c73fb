"""信用修复 (the second half of 异议与修复): the applications by due date, one in full, a button per step
(the queue, detail and status line are case_page_base's, shared with the 异议 tab)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from core.usecases import RepairView
from desktop.services.context import DeskContext
from desktop.strings import repairs as S
from desktop.views.case_page_base import CaseQueue
from desktop.views.repair_step_dialog import RepairStepDialog
from desktop.views.repairs_detail import RepairDetailView
from desktop.views.repairs_model import RepairsModel

REFRESH_KINDS = frozenset({"repairs"})


class RepairsPanel(CaseQueue):
    strings, case_name, refresh_kinds, splitter_sizes = S, "repair", REFRESH_KINDS, (200, 420)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.dialog: RepairStepDialog | None = None
        self.build_queue()
        self.lay_out_queue(self)
        ctx.events.data_changed.connect(self._data_changed)
        self.refresh()

    def make_model(self) -> RepairsModel:
        return RepairsModel(self)

    def make_detail(self) -> RepairDetailView:
        return RepairDetailView(self)

    def list_request(self, key: str):
        return self.ctx.desk.repairs, {"open_only": key != "all"}

    def visible_rows(self, rows: list[RepairView]) -> list[RepairView]:
        return [r for r in rows if r.overdue] if self.filter_key() == "overdue" else rows

    def detail_usecase(self):
        return self.ctx.desk.repair_detail

    def make_step_dialog(self, application: RepairView, action: str) -> RepairStepDialog:
        return RepairStepDialog(self.ctx, application, action, self)

    def after_step(self, view: RepairView) -> None:
        self.load_detail(view.id)
