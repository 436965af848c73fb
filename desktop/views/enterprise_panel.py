"""The chosen enterprise at a glance: its register details and the 20 domains over the period."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QMenu,
                               QPushButton, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget)

from core.domain import ReportContent
from desktop.strings import counter as S
from desktop.strings import objections as OS
from desktop.strings import repairs as RS
from desktop.views.table_models import SORT_ROLE, DomainColumn, DomainOverviewModel
from desktop.views.table_view import read_only_table

ACTIVE_STATUSES = ("存续", "在业", "开业", "正常")
CLEAN_STYLE = "QLabel { background: #e6f4ea; color: #137333; border-radius: 4px; padding: 6px 10px; }"
DIRTY_STYLE = "QLabel { background: #fdecea; color: #b3261e; border-radius: 4px; padding: 6px 10px; }"


def _value(text: object) -> str:
    return str(text) if text not in (None, "") else S.EMPTY_VALUE


class EnterprisePanel(QWidget):
    """`set_content(content)` shows an overview from `desk.overview`; None shows the hint.

    `objection_requested((record_kind, record_ref) | None)`: the clerk asked to register an
    objection (from the button, or a domain row's context menu naming its records)."""

    objection_requested = Signal(object)
    repair_requested = Signal(object)  # a penalty's decision number, or None to choose one
    objections_requested = Signal()  # the enterprise's open objections (for 企业撤回)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.content: ReportContent | None = None
        self.menu: QMenu | None = None

        self.hint = QLabel(S.PICK_ENTERPRISE, self)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A long reason (a database path) wraps; it never widens the window past the screen.
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.hint.setStyleSheet("QLabel { color: #5f6368; font-size: 12pt; }")

        self.name_label = QLabel(self)
        self.name_label.setObjectName("enterpriseName")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_label.setStyleSheet("QLabel { font-size: 15pt; font-weight: bold; }")
        self.fields: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        # Two short fields a row; the long ones (address, former names) across the panel.
        places = ((S.FIELD_USCC, 0, 0, 1), (S.FIELD_LEGAL_REP, 0, 2, 1), (S.FIELD_STATUS, 1, 0, 1),
                  (S.FIELD_FOUNDED, 1, 2, 1), (S.FIELD_ADDRESS, 2, 0, 3), (S.FIELD_FORMER, 3, 0, 3))
        for key, row, col, span in places:
            name = QLabel(f"{key}：", self)
            name.setStyleSheet("QLabel { color: #5f6368; }")
            value = QLabel(self)
            value.setWordWrap(span > 1)  # a name or a date stays on one line; an address wraps
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            grid.addWidget(name, row, col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, col + 1, 1, span)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(3, 2)

        self.overview_title = QLabel(self)
        self.overview_title.setStyleSheet("QLabel { font-weight: bold; margin-top: 6px; }")
        self.summary = QLabel(self)
        self.summary.setObjectName("overviewSummary")
        self.summary.setWordWrap(True)
        self.other_info = QLabel(self)
        self.other_info.setObjectName("otherInfo")
        self.other_info.setWordWrap(True)  # five counts under the national profile

        self.model = DomainOverviewModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self, self.proxy, "domainTable", DomainColumn.RESPONSIBLE,
                                     row_height=26, selectable=False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DomainColumn.CODE, Qt.SortOrder.AscendingOrder)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # 责任单位 in full: long lists of units wrap onto more lines instead of ending in "…".
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self.show_record_menu)
        self.objection_button = QPushButton(OS.FILE_BUTTON, self)
        self.objection_button.setObjectName("fileObjection")
        self.objection_button.setToolTip(OS.FILE_BUTTON_TIP)
        self.objection_button.clicked.connect(lambda: self.objection_requested.emit(None))
        self.repair_button = QPushButton(RS.APPLY_BUTTON, self)
        self.repair_button.setObjectName("applyRepair")
        self.repair_button.setToolTip(RS.APPLY_BUTTON_TIP)
        self.repair_button.clicked.connect(lambda: self.repair_requested.emit(None))
        self.objections_button = QPushButton(RS.OBJECTIONS_BUTTON, self)
        self.objections_button.setObjectName("enterpriseObjections")
        self.objections_button.setToolTip(RS.OBJECTIONS_BUTTON_TIP)
        self.objections_button.clicked.connect(self.objections_requested.emit)
        objection_row = QHBoxLayout()
        objection_row.addStretch(1)
        objection_row.addWidget(self.repair_button)
        objection_row.addWidget(self.objection_button)

        details = QWidget(self)
        box = QVBoxLayout(details)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        box.addWidget(self.name_label)
        box.addLayout(grid)
        line = QFrame(details)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        box.addWidget(line)
        box.addWidget(self.overview_title)
        box.addWidget(self.summary)
        # 本企业异议 beside the other counts (they wrap): the bottom row stays narrow enough for 1024 px.
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.other_info, 1)
        counts_row.addWidget(self.objections_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(counts_row)
        box.addWidget(self.table, 1)
        box.addLayout(objection_row)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.hint)
        self.stack.addWidget(details)
        self.details = details
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.set_content(None)

    def allow_objections(self, allowed: bool) -> None:
        self.objection_button.setVisible(allowed)
        self.repair_button.setVisible(allowed)
        self.objections_button.setVisible(allowed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu if allowed
                                        else Qt.ContextMenuPolicy.NoContextMenu)

    def records_menu(self, row: int) -> QMenu | None:
        """登记异议 for each record of the domain in this (view) row, and for the basic information."""
        if self.content is None:
            return None
        domain = self.model.row_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
        menu = QMenu(self)
        for v in self.content.violations:
            if domain is not None and v.domain == domain.code:
                action = menu.addAction(OS.FILE_MENU_RECORD.format(kind=OS.RECORD_LABELS["penalty"],
                                                                   ref=v.decision_no))
                action.triggered.connect(lambda _=False, ref=v.decision_no:
                                         self.objection_requested.emit(("penalty", ref)))
                if not v.repaired:
                    action = menu.addAction(RS.APPLY_MENU.format(ref=v.decision_no))
                    action.triggered.connect(lambda _=False, ref=v.decision_no: self.repair_requested.emit(ref))
        if menu.actions():
            menu.addSeparator()
        menu.addAction(OS.FILE_MENU_ENTERPRISE).triggered.connect(
            lambda: self.objection_requested.emit(("enterprise", "基本信息")))
        return menu

    def show_record_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        self.menu = self.records_menu(index.row() if index.isValid() else -1)
        if self.menu is not None:
            self.menu.popup(self.table.viewport().mapToGlobal(pos))

    def set_content(self, content: ReportContent | None, hint: str | None = None,
                    kinds: tuple[str, ...] = ()) -> None:
        """`kinds`: the record kinds the profile's reports carry; 行政强制, 名单 and 刑事裁判 are
        counted only when it carries them."""
        self.content = content
        if content is None:
            self.model.set_rows(())
            self.hint.setText(hint or S.PICK_ENTERPRISE)
            self.stack.setCurrentWidget(self.hint)
            return
        e = content.enterprise
        self.name_label.setText(e.name)
        self.fields[S.FIELD_USCC].setText(e.uscc)
        self.fields[S.FIELD_LEGAL_REP].setText(_value(e.legal_rep))
        self.fields[S.FIELD_STATUS].setText(_value(e.reg_status))
        # 注销 / 吊销 must not slip past the clerk: the enterprise may no longer exist.
        gone = bool(e.reg_status) and e.reg_status not in ACTIVE_STATUSES
        self.fields[S.FIELD_STATUS].setStyleSheet(
            "QLabel { color: #b3261e; font-weight: bold; }" if gone else "")
        self.fields[S.FIELD_FOUNDED].setText(f"{e.founded_on:%Y-%m-%d}" if e.founded_on else S.EMPTY_VALUE)
        self.fields[S.FIELD_ADDRESS].setText(_value(e.address))
        self.fields[S.FIELD_FORMER].setText("；".join(e.former_names) or S.NONE_FORMER)

        self.overview_title.setText(S.OVERVIEW_TITLE.format(
            start=f"{content.period_from:%Y-%m-%d}", end=f"{content.period_to:%Y-%m-%d}"))
        dirty = [d for d in content.domains if d.violations]
        if dirty:
            total = sum(d.violations for d in dirty)
            self.summary.setText(S.OVERVIEW_DIRTY.format(n=len(dirty), total=total)
                                 + "：" + "、".join(d.name for d in dirty))
            self.summary.setStyleSheet(DIRTY_STYLE)
        else:
            self.summary.setText(S.OVERVIEW_CLEAN)
            self.summary.setStyleSheet(CLEAN_STYLE)
        self.other_info.setText("　　".join(_other_counts(content, kinds)))
        serious = content.arrears or content.enforcements or content.listings or content.criminal
        self.other_info.setStyleSheet("QLabel { color: #b3261e; font-weight: bold; }" if serious else "")
        self.model.set_rows(content.domains)
        self.stack.setCurrentWidget(self.details)


def _other_counts(content: ReportContent, kinds: tuple[str, ...]) -> list[str]:
    """欠缴信息 n 条, 信用修复 n 条, then the national kinds the profile carries."""
    parts = [S.ARREARS_COUNT.format(n=len(content.arrears)),
             S.REPAIRS_COUNT.format(n=len(content.repairs))]
    for kind, label, items in (("enforcement", S.ENFORCEMENT_COUNT, content.enforcements),
                               ("dishonest_lists", S.LISTINGS_COUNT, content.listings),
                               ("criminal", S.CRIMINAL_COUNT, content.criminal)):
        if kind in kinds:
            parts.append(S.UNSOURCED_COUNT.format(label=label) if kind in content.unsourced
                         else S.KIND_COUNT.format(label=label, n=len(items)))
    return parts

