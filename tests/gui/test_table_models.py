"""The counter's table models hold real DTOs from a real desk and pass Qt's model checks."""
from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush

from core.services.people.users import Role
from desktop.views.table_models import (RECORD_RED, SORT_ROLE, DomainColumn, DomainOverviewModel,
                                        HitColumn, HistoryColumn, HistoryModel, HitsModel)
from tests.factories import add_enterprise
from tests.gui.conftest import make_actor


def _proxy(model) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def test_hits_model_shows_former_name_matches(qtmodeltester, desk_env):
    add_enterprise(desk_env.db, "苏州新名称机械有限公司", former=("苏州旧名称机械厂",))
    clerk = make_actor(Role.CLERK)
    hits = desk_env.desk.search(clerk, "旧名称") + desk_env.desk.search(clerk, "恒达")
    model = HitsModel()
    model.set_rows(hits)
    qtmodeltester.check(model)
    qtmodeltester.check(_proxy(model))
    assert model.rowCount() == 2 and model.columnCount() == len(HitColumn)
    assert model.headerData(HitColumn.USCC, Qt.Orientation.Horizontal) == "统一社会信用代码"
    former = model.index(0, HitColumn.MATCH).data()
    assert model.index(0, HitColumn.NAME).data() == "苏州新名称机械有限公司"
    assert former == "曾用名：苏州旧名称机械厂"
    assert model.index(1, HitColumn.MATCH).data() in ("名称完全一致", "名称开头", "名称包含")
    assert model.index(1, HitColumn.LEGAL_REP).data() == "张伟"


def test_domain_overview_marks_records_in_red(qtmodeltester, desk_env):
    content = desk_env.desk.overview(make_actor(), desk_env.enterprises["苏州恒达精密机械有限公司"])
    model = DomainOverviewModel()
    model.set_rows(content.domains)
    qtmodeltester.check(model)
    assert model.rowCount() == 20
    row = next(i for i in range(20) if model.index(i, DomainColumn.CODE).data() == "04")
    assert model.index(row, DomainColumn.CONCLUSION).data() == "1 条违法记录"
    brush = model.index(row, DomainColumn.NAME).data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color() == RECORD_RED
    assert model.index(0, DomainColumn.CONCLUSION).data() == "无违法记录"
    assert model.index(0, DomainColumn.NAME).data(Qt.ItemDataRole.ForegroundRole) is None
    proxy = _proxy(model)
    qtmodeltester.check(proxy)
    proxy.sort(DomainColumn.CONCLUSION, Qt.SortOrder.DescendingOrder)
    assert proxy.index(0, DomainColumn.NAME).data() == "生态环境"


def test_history_model_sorts_counts_as_numbers(qtmodeltester, desk_env):
    first, second, _ = desk_env.enterprises.values()
    newer = desk_env.issue(second)
    clerk = make_actor()
    for _ in range(10):
        desk_env.desk.record_print(clerk, newer.report_no, 3)
    desk_env.desk.record_print(clerk, desk_env.report.report_no, 3)
    desk_env.revoke(desk_env.report.report_no)
    model = HistoryModel()
    model.set_rows(desk_env.desk.history(make_actor(Role.SUPERVISOR)))
    qtmodeltester.check(model)
    assert [h for h in (model.headerData(c, Qt.Orientation.Horizontal) for c in HistoryColumn)] == [
        "报告编号", "企业名称", "统一社会信用代码", "出具时间", "出具人", "窗口", "有效期至", "状态", "打印次数"]
    row = model.index_of(desk_env.report.report_no)
    assert model.index(row, HistoryColumn.STATUS).data() == "已撤销"
    assert "企业申请作废" in model.index(row, HistoryColumn.STATUS).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, HistoryColumn.ISSUED_BY).data() == "zhangsan"
    proxy = _proxy(model)
    qtmodeltester.check(proxy)
    proxy.sort(HistoryColumn.PRINTS, Qt.SortOrder.AscendingOrder)  # 1 before 10, not "10" < "1"
    assert [proxy.index(r, HistoryColumn.PRINTS).data() for r in range(2)] == ["1", "10"]
    proxy.setFilterKeyColumn(-1)
    proxy.setFilterFixedString("星海")
    assert proxy.rowCount() == 1 and proxy.index(0, HistoryColumn.REPORT_NO).data() == newer.report_no
