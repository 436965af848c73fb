"""信用修复: a clerk applies from the look-up page; a 主管 walks applications through the 信用修复
tab of 异议与修复 (an early grant refused inside the dialog); the clerk records a withdrawal."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.services.people.users import Role
from core.usecases import Filing
from desktop.views.main_window import MainWindow
from desktop.views.objections_model import OVERDUE_TINT, SOON_TINT
from desktop.views.objections_page import ObjectionsPage
from desktop.views.repairs_model import RepairColumn
from tests.factories import add_penalty
from tests.gui.conftest import make_actor
from tests.gui.test_counter_pages import search, shot, type_text
from tests.gui.test_objections_page import activate

WAIT = 15000


def hengda(desk_env) -> str:
    return desk_env.enterprises["苏州恒达精密机械有限公司"]


def open_lookup(qtbot, make_ctx, role=Role.CLERK, size=(1366, 720)):
    from desktop.views.lookup_page import LookupPage

    ctx = make_ctx(role)
    page = LookupPage(ctx)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    search(qtbot, page, "恒达")
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)
    return page, ctx


def open_repairs(qtbot, make_ctx, size=(1366, 768)):
    ctx = make_ctx(Role.SUPERVISOR)
    page = ObjectionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    activate(qtbot, page)
    QTest.keyClick(page, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)  # the 信用修复 tab
    assert page.tabs.currentWidget() is page.repairs
    panel = page.repairs
    qtbot.waitUntil(lambda: not panel.loading, timeout=WAIT)
    return page, panel


def row_of(panel, application_id: int) -> int:
    return next((r for r in range(panel.proxy.rowCount())
                 if panel.proxy.index(r, RepairColumn.ID).data() == str(application_id)), -1)


def cell(panel, application_id: int, column: RepairColumn, role=Qt.ItemDataRole.DisplayRole):
    return panel.proxy.index(row_of(panel, application_id), column).data(role)


def click_row(qtbot, panel, application_id: int) -> None:
    table = panel.table
    rect = table.visualRect(panel.proxy.index(row_of(panel, application_id), RepairColumn.DECISION))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: panel.detail.application is not None
                    and panel.detail.application.id == application_id and not panel.loading, timeout=WAIT)


def open_step(qtbot, panel, action: str):
    button = panel.detail.action_buttons[action]
    assert button.isVisible() and button.isEnabled(), action
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible() and dialog.action == action
    activate(qtbot, dialog)
    return dialog


def step(qtbot, panel, action: str, reason: str) -> None:
    dialog = open_step(qtbot, panel, action)
    type_text(dialog.reason, reason)
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not panel.loading and panel.detail.application is not None, timeout=WAIT)


def due_soon_application(desk_env) -> int:
    """An application whose accept deadline is within one working day (applied some days ago)."""
    clerk, boss = make_actor(Role.CLERK), make_actor(Role.SUPERVISOR)
    ref = add_penalty(desk_env.db, hengda(desk_env), date.today() - timedelta(days=500), severity="一般")
    for back in range(0, 30):
        view = desk_env.desk.repair_apply(clerk, ref, uscc=hengda(desk_env), on=date.today() - timedelta(days=back))
        if view.due_soon:
            return view.id
        desk_env.desk.repair_step(boss, view.id, "refuse", "测试用，不予")
    raise AssertionError("no application date gives a due-soon deadline")


def test_apply_from_lookup_page(qtbot, make_ctx, desk_env, screenshot_dir):
    page, ctx = open_lookup(qtbot, make_ctx)
    panel = page.enterprise
    assert panel.repair_button.isVisible() and panel.objections_button.isVisible()
    shot(page, screenshot_dir, "repair_lookup_buttons")
    ref = panel.content.violations[0].decision_no
    row = next(r for r in range(panel.proxy.rowCount()) if panel.proxy.index(r, 0).data() == "04")
    menu = panel.records_menu(row)
    action = next(a for a in menu.actions() if a.text() == f"对行政处罚“{ref}”申请信用修复…")
    action.trigger()
    dialog = page.repair_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.eligibility is not None, timeout=WAIT)
    activate(qtbot, dialog)
    assert dialog.decision_no() == ref
    # The test penalty's severity is 未注明: held to the 严重 rule, 12 months from the decision.
    decided = desk_env.desk.repair_eligibility(make_actor(), ref).earliest
    assert f"最早可修复日期：{decided:%Y-%m-%d}（未届满" in dialog.rule.text()
    assert not dialog.rule.geometry().intersects(dialog.paper.geometry().translated(dialog.form.pos()))
    assert "按严重失信最短公示 12 个月计" in dialog.rule.text()
    shot(dialog, screenshot_dir, "repair_apply_dialog")
    with qtbot.waitSignal(ctx.events.data_changed, timeout=WAIT) as announced:
        QTest.keyClick(dialog.penalty, Qt.Key.Key_Return)
    view = dialog.result_view
    assert announced.args == ["repairs", str(view.id)]
    assert view.status == "已申请" and view.decision_no == ref
    text = dialog.message.text()
    assert f"已登记信用修复申请 第 {view.id} 号（已申请）" in text and "受理期限" in text and "办结期限" in text
    assert dialog.ok.text() == "关闭" and not dialog.form.isEnabled()
    shot(dialog, screenshot_dir, "repair_apply_done")
    QTest.keyClick(dialog.ok, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    # Alt+X: the same dialog; a second application for the same penalty is refused in it.
    activate(qtbot, page)
    QTest.keyClick(page, Qt.Key.Key_X, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.repair_dialog is not dialog and page.repair_dialog.isVisible(), timeout=WAIT)
    again = page.repair_dialog
    qtbot.waitUntil(lambda: again.eligibility is not None, timeout=WAIT)
    qtbot.mouseClick(again.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "已有办理中的信用修复申请" in again.message.text(), timeout=WAIT)
    assert again.isVisible() and again.result_view is None and again.ok.isEnabled()
    again.reject()


def test_supervisor_walks_repairs(qtbot, make_ctx, desk_env, screenshot_dir):
    clerk, uscc = make_actor(Role.CLERK), hengda(desk_env)
    old = add_penalty(desk_env.db, uscc, date.today() - timedelta(days=400), severity="一般")
    recent = add_penalty(desk_env.db, uscc, date.today() - timedelta(days=30), severity="严重")
    late_ref = add_penalty(desk_env.db, uscc, date.today() - timedelta(days=600), severity="一般")
    walked = desk_env.desk.repair_apply(clerk, old, uscc=uscc).id
    early = desk_env.desk.repair_apply(clerk, recent, uscc=uscc).id
    late = desk_env.desk.repair_apply(clerk, late_ref, uscc=uscc, on=date.today() - timedelta(days=45)).id
    soon = due_soon_application(desk_env)

    page, panel = open_repairs(qtbot, make_ctx)
    assert panel.model.rowCount() == 4
    assert "已超期 1 件" in panel.count_label.text() and "即将到期 1 件" in panel.count_label.text()
    assert panel.proxy.index(0, RepairColumn.ID).data() == str(late)  # soonest due first
    assert cell(panel, late, RepairColumn.DUE).startswith("【超期】")
    assert cell(panel, late, RepairColumn.DUE, Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_TINT
    assert cell(panel, soon, RepairColumn.DUE).startswith("【将到期】")
    assert cell(panel, soon, RepairColumn.DUE, Qt.ItemDataRole.BackgroundRole).color() == SOON_TINT
    plain = cell(panel, walked, RepairColumn.DUE)
    assert "剩" in plain and "【" not in plain
    assert cell(panel, walked, RepairColumn.EARLIEST).endswith("（已届满）")
    assert cell(panel, early, RepairColumn.EARLIEST).endswith("（未届满）")
    assert cell(panel, walked, RepairColumn.ENTERPRISE) == "苏州恒达精密机械有限公司"
    shot(page, screenshot_dir, "repair_queue_1366")

    # accept → consult → grant, each by its button and a typed reason.
    click_row(qtbot, panel, walked)
    detail = panel.detail
    assert detail.fields["失信程度"].text() == "一般" and "最短公示 3 个月" in detail.fields["最短公示期"].text()
    assert detail.fields["处罚机关"].text() == "苏州市生态环境局"
    assert [n for n, b in detail.action_buttons.items() if b.isVisible()] == ["accept", "refuse"]
    shot(page, screenshot_dir, "repair_detail_1366")
    # An empty reason keeps the dialog open and says so.
    dialog = open_step(qtbot, panel, "accept")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "请填写理由" in dialog.message.text()
    shot(dialog, screenshot_dir, "repair_step_empty_reason")
    dialog.reject()
    step(qtbot, panel, "accept", "材料齐全，予以受理")
    assert detail.application.status == "已受理" and "已受理" in panel.status.text()
    step(qtbot, panel, "consult", "已函询苏州市生态环境局")
    assert detail.application.status == "征求处罚机关意见"
    step(qtbot, panel, "grant", "处罚机关同意，已履行处罚")
    assert detail.application.status == "准予" and detail.application.repair_id is not None
    assert "处罚机关同意" in detail.fields["决定"].text()
    assert [n for n, b in detail.action_buttons.items() if b.isVisible()] == ["sync"]
    qtbot.waitUntil(lambda: cell(panel, walked, RepairColumn.STATUS) == "准予", timeout=WAIT)

    # A serious penalty of a month ago: granting is refused inside the dialog, nothing lost.
    click_row(qtbot, panel, early)
    assert detail.fields["失信程度"].text() == "严重"
    step(qtbot, panel, "accept", "受理")
    step(qtbot, panel, "consult", "征求意见")
    dialog = open_step(qtbot, panel, "grant")
    assert dialog.warning.isVisible() and "最早可修复日期" in dialog.warning.text()
    type_text(dialog.reason, "企业已整改")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.working and "最短公示期未满" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible() and dialog.reason.toPlainText() == "企业已整改" and dialog.ok.isEnabled()
    shot(dialog, screenshot_dir, "repair_grant_refused")
    dialog.reject()
    assert desk_env.desk.repair_detail(make_actor(Role.SUPERVISOR), early).view.status == "征求处罚机关意见"


def test_clerk_records_withdrawal(qtbot, make_ctx, desk_env, screenshot_dir):
    filing = Filing(hengda(desk_env), "enterprise", "基本信息", "信息错误", "李明")
    oid = desk_env.desk.file_objection(make_actor(Role.CLERK), filing).id
    page, ctx = open_lookup(qtbot, make_ctx)
    qtbot.mouseClick(page.enterprise.objections_button, Qt.MouseButton.LeftButton)
    listing = page.objections_dialog
    qtbot.waitUntil(lambda: listing.isVisible() and not listing.loading and bool(listing.rows), timeout=WAIT)
    assert listing.table.item(0, 0).text() == str(oid) and listing.withdraw.isEnabled()
    assert "共 1 件未办结" in listing.message.text()
    shot(listing, screenshot_dir, "repair_enterprise_objections")
    activate(qtbot, listing)
    QTest.keyClick(listing, Qt.Key.Key_W, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: listing.step_dialog is not None and listing.step_dialog.isVisible(), timeout=WAIT)
    dialog = listing.step_dialog
    activate(qtbot, dialog)
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "请填写理由" in dialog.message.text()
    type_text(dialog.reason, "企业书面申请撤回异议")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not listing.loading and not listing.rows, timeout=WAIT)
    assert f"异议 第 {oid} 号现为“已撤回”" in listing.message.text() and not listing.withdraw.isEnabled()
    assert desk_env.desk.objection(make_actor(Role.SUPERVISOR), oid).status == "已撤回"


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_repairs_in_the_window(qtbot, make_ctx, desk_env, screenshot_dir, size):
    uscc = hengda(desk_env)
    ref = add_penalty(desk_env.db, uscc, date.today() - timedelta(days=400), severity="一般")
    rid = desk_env.desk.repair_apply(make_actor(Role.CLERK), ref, uscc=uscc).id
    window = MainWindow(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    QTest.keyClick(window, Qt.Key.Key_F6)
    page = window.objections_page
    page.show_repairs()
    panel = page.repairs
    qtbot.waitUntil(lambda: not panel.loading and panel.model.rowCount() == 1, timeout=WAIT)
    click_row(qtbot, panel, rid)
    qtbot.wait(100)
    shot(window, screenshot_dir, f"repair_window_{size[0]}")
    for button in panel.detail.action_buttons.values():
        if button.isVisible():
            assert button.width() >= button.sizeHint().width() - 2, button.text()

    # The look-up page's three entries fit beside the overview.
    lookup = window.lookup_page
    QTest.keyClick(window, Qt.Key.Key_F2)
    search(qtbot, lookup, "恒达")
    qtbot.waitUntil(lambda: lookup.enterprise.model.rowCount() == 20, timeout=WAIT)
    qtbot.wait(100)
    shot(window, screenshot_dir, f"repair_lookup_{size[0]}")
    for button in (lookup.enterprise.objections_button, lookup.enterprise.repair_button,
                   lookup.enterprise.objection_button):
        assert button.isVisible() and button.width() >= button.sizeHint().width() - 2, button.text()
