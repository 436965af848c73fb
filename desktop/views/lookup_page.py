"""查询与出具: find the enterprise as you type, see its overview, then preview, issue and print."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QApplication, QFrame, QGraphicsDropShadowEffect, QHBoxLayout,
                               QLabel, QLineEdit, QSizePolicy, QSplitter, QStackedWidget,
                               QVBoxLayout, QWidget)

from core.domain import EnterpriseHit, ReportContent
from core.usecases import Permission
from desktop.services.context import DeskContext
from desktop.strings import counter as S
from desktop.views.enterprise_panel import EnterprisePanel
from desktop.views.report_panel import ReportPanel
from desktop.views.table_models import SORT_ROLE, HitColumn, HitsModel
from desktop.views.table_view import read_only_table

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 50
DROPDOWN_ROWS = 10  # the results list under the search box shows this many rows before scrolling
MUTED, BUSY, BAD = "#5f6368", "#1a73e8", "#b3261e"


class LookupPage(QWidget):
    enterprise_selected = Signal(str)  # USCC

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        # Each lane answers only its latest task: a slow answer to an older query is dropped.
        self._search_lane, self._overview_lane = (self, "search"), (self, "overview")
        self._shown_uscc = ""
        self._enter_pending = False  # Enter pressed before the answer came: go to it on arrival
        self._focus_report = False

        self.search = QLineEdit(self)
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText(S.SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(40)
        self.search.setStyleSheet("QLineEdit { font-size: 14pt; padding: 2px 8px; }")
        self.search.textChanged.connect(self._query_changed)
        self.search.installEventFilter(self)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.run_search)
        self.search_status = QLabel(S.TYPE_TO_SEARCH, self)
        self.search_status.setObjectName("searchStatus")
        self.search_status.setWordWrap(True)  # a long reason wraps instead of widening the window
        self.search_status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        label = QLabel(S.SEARCH_LABEL, self)
        label.setStyleSheet("QLabel { font-size: 13pt; font-weight: bold; }")
        label.setBuddy(self.search)
        hint = QLabel(S.SEARCH_HINT, self)
        hint.setStyleSheet(f"QLabel {{ color: {MUTED}; }}")

        self.model = HitsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "hitsTable", HitColumn.NAME)
        self.table.installEventFilter(self)
        self.empty = QLabel(S.TYPE_TO_SEARCH, self)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(f"QLabel {{ color: {MUTED}; font-size: 12pt; }}")
        self.table.clicked.connect(self._pick_index)
        self.results = QStackedWidget(self)
        self.results.addWidget(self.empty)
        self.results.addWidget(self.table)
        # The results drop down under the search box, over the page, as in any search field.
        self.dropdown = QFrame(self)
        self.dropdown.setObjectName("resultsDropdown")
        self.dropdown.setFrameShape(QFrame.Shape.StyledPanel)
        self.dropdown.setStyleSheet(
            "QFrame#resultsDropdown { background: white; border: 1px solid #9aa0a6; }")
        shadow = QGraphicsDropShadowEffect(self.dropdown)
        shadow.setBlurRadius(18)
        shadow.setOffset(0, 4)
        shadow.setColor(QColor(0, 0, 0, 90))
        self.dropdown.setGraphicsEffect(shadow)
        box = QVBoxLayout(self.dropdown)
        box.setContentsMargins(1, 1, 1, 1)
        box.addWidget(self.results)
        self.dropdown.hide()

        self.enterprise = EnterprisePanel(self)
        self.enterprise.allow_objections(ctx.actor.can(Permission.OBJECTION_FILE))
        self.enterprise.objection_requested.connect(self.register_objection)
        self.enterprise.repair_requested.connect(self.apply_repair)
        self.enterprise.objections_requested.connect(self.show_objections)
        self.filing_dialog = self.repair_dialog = self.objections_dialog = None
        self.report = ReportPanel(ctx, self)

        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.search_status, 1)
        status_row.addWidget(hint)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.enterprise)
        self.splitter.addWidget(self.report)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([440, 900])
        self.splitter.setChildrenCollapsible(False)
        if (state := ctx.settings.geometry("lookup_splitter")) is not None:
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: ctx.settings.set_geometry("lookup_splitter", self.splitter.saveState()))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(status_row)
        layout.addWidget(self.splitter, 1)
        QApplication.instance().focusChanged.connect(self._focus_moved)
        self._say("", MUTED)
        self._chain_tab_order()

    def _chain_tab_order(self) -> None:
        """Tab from the search box reaches what each customer changes (报告用途), then 预览 and
        出具; the period, the domains and the enterprise's own buttons come after."""
        report = self.report
        chain = [self.search, report.purpose, report.purpose_other, report.preview_button,
                 report.issue_button, report.print_button, report.save_button,
                 *report.presets.buttons(), report.date_from.edit, report.checklist.all_button,
                 report.checklist.none_button, *report.checklist.boxes.values(),
                 self.enterprise.objections_button, self.enterprise.repair_button,
                 self.enterprise.objection_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- public ------------------------------------------------------------------------------

    @property
    def searching(self) -> bool:
        """A query is on its way; its answer is the one that will be shown."""
        return self.ctx.tasks.is_running(self._search_lane)

    @property
    def loading(self) -> bool:
        """The chosen enterprise's overview is on its way."""
        return self.ctx.tasks.is_running(self._overview_lane)

    def focus_search(self) -> None:
        """F2: back to the search box, its text selected so typing replaces it."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
        if self.search.text() and self.model.rowCount() > 1:
            self.show_results()

    def escape(self) -> None:
        """Esc: close the results list if open, else clear the search; then back to the box."""
        if self.dropdown.isVisible():
            self.hide_results()
        elif self.search.text():
            self.search.clear()
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def show_results(self) -> None:
        self._place_dropdown()
        self.dropdown.show()
        self.dropdown.raise_()

    def hide_results(self) -> None:
        self.dropdown.hide()

    def print_current(self) -> bool:
        """Ctrl+P: print the report just issued (False when there is none)."""
        return self.report.print_current()

    def register_objection(self, record: tuple[str, str] | None = None):
        """登记异议 for the enterprise shown (a record of it, or pick one in the dialog)."""
        from desktop.views.objections_filing_dialog import FilingDialog

        if self.enterprise.content is None:
            return None
        self.filing_dialog = FilingDialog(self.ctx, self.enterprise.content, record, self)
        self.filing_dialog.open()
        return self.filing_dialog

    def apply_repair(self, decision_no: str | None = None):
        """申请信用修复 for a penalty of the enterprise shown."""
        from desktop.views.repair_apply_dialog import RepairApplyDialog

        if self.enterprise.content is None:
            return None
        self.repair_dialog = RepairApplyDialog(self.ctx, self.enterprise.content, decision_no, self)
        self.repair_dialog.open()
        return self.repair_dialog

    def show_objections(self):
        """The enterprise's open objections, where the clerk records its withdrawal."""
        from desktop.views.enterprise_objections_dialog import EnterpriseObjectionsDialog

        if self.enterprise.content is None:
            return None
        self.objections_dialog = EnterpriseObjectionsDialog(self.ctx, self.enterprise.content, self)
        self.objections_dialog.open()
        return self.objections_dialog

    def current_hit(self) -> EnterpriseHit | None:
        index = self.table.currentIndex()
        return self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None

    def select_hit(self, row: int) -> None:
        """Pick a result row (as a click or Enter would): its enterprise is loaded."""
        self.table.selectRow(row)
        self._pick_index(self.proxy.index(row, 0))

    def detach(self) -> None:
        """The window closes: the application's focus changes no longer reach this page (once)."""
        if getattr(self, "_detached", False):
            return
        self._detached = True
        self.timer.stop()
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_moved)
        except (RuntimeError, TypeError):
            pass  # already detached

    # -- searching ---------------------------------------------------------------------------

    def _query_changed(self, _text: str) -> None:
        self._enter_pending = False
        self.timer.start()

    def run_search(self) -> None:
        self.timer.stop()
        query = self.search.text().strip()
        if not query:
            self.ctx.tasks.drop(self._search_lane)
            self.model.set_rows(())
            self._show_empty(S.TYPE_TO_SEARCH)
            self._say("", MUTED)
            self.hide_results()
            return
        self._say(S.SEARCHING, BUSY)
        self.ctx.tasks.query(self.ctx.desk.search, self.ctx.actor, query, SEARCH_LIMIT,
                             lane=self._search_lane, on_done=self._found,
                             on_message=lambda text: self._say(text, BAD))

    def _found(self, hits: list[EnterpriseHit]) -> None:
        self.model.set_rows(hits)
        if not hits:
            self._show_empty(S.NO_MATCH)
            self._say(S.NO_MATCH, BAD)
            self.show_results()
            return
        self.results.setCurrentWidget(self.table)
        more = len(hits) >= SEARCH_LIMIT
        self._say((S.RESULT_COUNT_MORE if more else S.RESULT_COUNT).format(n=len(hits)), MUTED)
        if len(hits) == 1:
            self._enter_pending = False
            self.select_hit(0)  # one answer (a typed USCC): show it at once
            return
        self.show_results()
        if self._enter_pending:
            self._enter_pending = False
            self._enter_table()

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.results.setCurrentWidget(self.empty)

    def _say(self, text: str, colour: str) -> None:
        self.search_status.setText(text)
        self.search_status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")

    # -- the chosen enterprise ---------------------------------------------------------------

    def _pick_index(self, index: QModelIndex) -> None:
        hit = self.model.row_at(self.proxy.mapToSource(index).row()) if index.isValid() else None
        if hit is None:
            return
        self.hide_results()
        if hit.uscc != self._shown_uscc:
            self.load_enterprise(hit.uscc)

    def load_enterprise(self, uscc: str) -> None:
        self._shown_uscc = uscc
        self.enterprise.set_content(None, S.LOADING_ENTERPRISE)
        self.report.set_enterprise(None)
        self.enterprise_selected.emit(uscc)
        # A write: the desk records the look-up.
        self.ctx.tasks.write(self.ctx.desk.overview, self.ctx.actor, uscc, lane=self._overview_lane,
                             on_done=self._overview, on_message=self._overview_failed)

    def _overview(self, content: ReportContent) -> None:
        self.enterprise.set_content(content, kinds=self.ctx.desk.profile.record_kinds)
        self.report.set_enterprise(content)
        if self._focus_report or self.table.hasFocus():
            self._focus_report = False
            self.report.preview_button.setFocus(Qt.FocusReason.TabFocusReason)

    def _overview_failed(self, text: str) -> None:
        self._shown_uscc = ""
        self.enterprise.set_content(None, text)

    # -- keyboard ----------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if obj is self.search:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                if self.timer.isActive():
                    self.run_search()
                if self.searching:
                    self._enter_pending = True
                elif self.proxy.rowCount() == 1 and key != Qt.Key.Key_Down:
                    self.select_hit(0)
                elif self.proxy.rowCount():
                    self.show_results()
                    self._enter_table()
                return True
            if key == Qt.Key.Key_Escape:
                self.escape()
                return True
        elif obj is self.table:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._focus_report = True  # once the overview is in, Enter again previews
                self._pick_index(self.table.currentIndex())
                return True
            if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and self.table.currentIndex().row() <= 0):
                self.focus_search()
                return True
        return False

    def _enter_table(self) -> None:
        self.table.setFocus(Qt.FocusReason.TabFocusReason)
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """The list closes when the clerk moves on elsewhere, as a drop-down does."""
        if new is None or not self.dropdown.isVisible():
            return
        if new is not self.search and not self.dropdown.isAncestorOf(new) and self.isAncestorOf(new):
            self.hide_results()

    def _place_dropdown(self) -> None:
        # Under the status line, so "找到 n 家企业" stays readable above the list.
        below = self.search_status.mapTo(self, self.search_status.rect().bottomLeft()).y()
        top_left = self.search.mapTo(self, self.search.rect().bottomLeft())
        top_left.setY(below)
        rows = max(1, min(DROPDOWN_ROWS, self.proxy.rowCount()))
        if self.results.currentWidget() is self.table:
            height = (self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth() + 4
                      + rows * self.table.verticalHeader().defaultSectionSize())
        else:
            height = 90
        height = min(height, self.height() - top_left.y() - 12)
        self.dropdown.setGeometry(top_left.x(), top_left.y() + 2, self.search.width(), height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.dropdown.isVisible():
            self._place_dropdown()
