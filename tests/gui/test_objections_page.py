"""异议与修复: a clerk registers an objection from the look-up page; a 主管 walks it through the
queue's buttons and dialogs to 已答复, sees overdue and due-soon items stand out, opens documents."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QImage
from PySide6.QtTest import QTest

from core.services.people.users import Role
from core.usecases import Filing
from desktop.views.main_window import MainWindow
from desktop.views.objections_model import ObjectionColumn, OVERDUE_TINT, SOON_TINT
from desktop.views.objections_page import ObjectionsPage
from tests.gui.conftest import make_actor
from tests.gui.test_counter_pages import search, shot, type_text

WAIT = 15000
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def documents(folder: Path) -> tuple[Path, Path]:
    png = folder / "授权委托书.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#1a5fb4"))
    assert image.save(str(png))
    pdf = folder / "情况说明.pdf"
    pdf.write_bytes(PDF)
    return png, pdf


def penalty_no(desk_env) -> str:
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    content = desk_env.desk.overview(make_actor(Role.CLERK), uscc)
    return content.violations[0].decision_no


def file_directly(desk_env, filed_on: date, who: str = "李明") -> int:
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    filing = Filing(uscc, "enterprise", "基本信息", "信息错误", who, filed_on=filed_on)
    return desk_env.desk.file_objection(make_actor(Role.CLERK), filing).id


def due_soon_filing(desk_env) -> int:
    """An objection whose accept deadline is within one working day (filed some days ago)."""
    for back in range(0, 30):
        view = desk_env.desk.file_objection(make_actor(Role.CLERK), Filing(
            desk_env.enterprises["苏州恒达精密机械有限公司"], "enterprise", "基本信息", "信息遗漏",
            "赵六", filed_on=date.today() - timedelta(days=back)))
        if view.due_soon:
            return view.id
        desk_env.desk.objection_step(make_actor(Role.CLERK), view.id, "withdraw", "测试用，撤回")
    raise AssertionError("no filing date gives a due-soon deadline")


def activate(qtbot, dialog) -> None:
    """The dialog has the keyboard, as it does when it opens on a real screen."""
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT)


def open_page(qtbot, make_ctx, size=(1366, 768)):
    ctx = make_ctx(Role.SUPERVISOR)
    page = ObjectionsPage(ctx)
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    return page, ctx


def row_of(page: ObjectionsPage, objection_id: int) -> int:
    for r in range(page.proxy.rowCount()):
        if page.proxy.index(r, ObjectionColumn.ID).data() == str(objection_id):
            return r
    return -1


def cell(page: ObjectionsPage, objection_id: int, column: ObjectionColumn, role=Qt.ItemDataRole.DisplayRole):
    return page.proxy.index(row_of(page, objection_id), column).data(role)


def step(qtbot, page: ObjectionsPage, action: str, reason: str, outcome: str | None = None,
         folder: Path | None = None) -> None:
    """Click the step's button, fill the dialog by keyboard, press Enter; wait for the answer."""
    button = page.detail.action_buttons[action]
    assert button.isVisible() and button.isEnabled(), action
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.action == action
    activate(qtbot, dialog)
    if outcome:
        dialog.outcome.setCurrentIndex(dialog.outcome.findText(outcome))
    dialog.reason.setFocus()
    type_text(dialog.reason, reason)
    if folder is not None:
        shot(dialog, folder, f"objection_step_{action}")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)


def test_register_from_lookup_page(qtbot, make_ctx, desk_env, screenshot_dir, tmp_path):
    from desktop.views.lookup_page import LookupPage

    ctx = make_ctx(Role.CLERK)
    page = LookupPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitExposed(page)
    search(qtbot, page, "恒达")
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)
    assert page.enterprise.objection_button.isVisible()
    shot(page, screenshot_dir, "objection_lookup_button")

    # The domain with a violation offers its decision, and the basic information.
    ref = page.enterprise.content.violations[0].decision_no
    row = next(r for r in range(page.enterprise.proxy.rowCount())
               if page.enterprise.proxy.index(r, 0).data() == "04")
    menu = page.enterprise.records_menu(row)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts == [f"对行政处罚“{ref}”登记异议…", f"对行政处罚“{ref}”申请信用修复…", "对企业基本信息登记异议…"]
    menu.actions()[0].trigger()
    dialog = page.filing_dialog
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT)
    activate(qtbot, dialog)
    assert tuple(dialog.record.currentData()) == ("penalty", ref)
    assert dialog.filer.text() == "张伟"  # the legal representative, ready to change

    # 其他 without words: the dialog stays open and says what is missing.
    dialog.grounds.setCurrentIndex(dialog.grounds.findText("其他"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "具体说明" in dialog.message.text() and dialog.text.hasFocus()
    type_text(dialog.text, "该处罚已于复议中撤销")
    # An agent without the power of attorney is stopped too.
    qtbot.mouseClick(dialog.as_buttons["委托代理人"], Qt.MouseButton.LeftButton)
    assert dialog.agent_note.isVisible()
    dialog.filer.clear()
    type_text(dialog.filer, "陈律师")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "授权委托书" in dialog.message.text()
    dialog.add_files(documents(tmp_path))
    assert dialog.files.count() == 2
    dialog.report_no.setFocus()
    type_text(dialog.report_no, desk_env.report.report_no)
    shot(dialog, screenshot_dir, "objection_filing_dialog")
    with qtbot.waitSignal(ctx.events.data_changed, timeout=WAIT) as announced:
        QTest.keyClick(dialog.report_no, Qt.Key.Key_Return)
    view = dialog.result_view
    assert announced.args == ["objections", str(view.id)]
    assert view.status == "已登记" and view.filed_as == "委托代理人" and len(view.attachments) == 2
    assert f"已登记异议 第 {view.id} 号" in dialog.message.text() and "受理期限" in dialog.message.text()
    assert dialog.ok.text() == "关闭" and not dialog.form.isEnabled()
    shot(dialog, screenshot_dir, "objection_filing_done")
    QTest.keyClick(dialog.ok, Qt.Key.Key_Return)
    assert not dialog.isVisible()

    # Alt+J (the button) opens the same dialog with the record to choose; 企业基本信息 first.
    activate(qtbot, page)
    QTest.keyClick(page, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.filing_dialog is not dialog and page.filing_dialog.isVisible(), timeout=WAIT)
    again = page.filing_dialog
    assert tuple(again.record.currentData()) == ("enterprise", "基本信息")
    assert again.record.count() == 2  # the basic information and the one penalty
    again.reject()


def test_supervisor_walks_an_objection(qtbot, make_ctx, desk_env, screenshot_dir, tmp_path):
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    png, pdf = documents(tmp_path)
    ref = penalty_no(desk_env)
    walked = desk_env.desk.file_objection(make_actor(Role.CLERK), Filing(
        uscc, "penalty", ref, "与原始决定不一致", "陈律师", filed_as="委托代理人",
        grounds_text="罚款金额与决定书不一致", attachments=(png, pdf))).id
    late = file_directly(desk_env, date.today() - timedelta(days=45))
    soon = due_soon_filing(desk_env)

    page, ctx = open_page(qtbot, make_ctx)
    assert page.filter_key() == "open" and page.model.rowCount() == 3
    assert "已超期 1 件" in page.count_label.text() and "即将到期 1 件" in page.count_label.text()
    # Soonest due first: the overdue one at the top.
    assert page.proxy.index(0, ObjectionColumn.ID).data() == str(late)
    assert cell(page, late, ObjectionColumn.DUE).startswith("【超期】")
    assert "已超期" in cell(page, late, ObjectionColumn.DUE)
    assert cell(page, late, ObjectionColumn.DUE, Qt.ItemDataRole.BackgroundRole).color() == OVERDUE_TINT
    assert cell(page, soon, ObjectionColumn.DUE).startswith("【将到期】")
    assert cell(page, soon, ObjectionColumn.DUE, Qt.ItemDataRole.BackgroundRole).color() == SOON_TINT
    plain = cell(page, walked, ObjectionColumn.DUE)
    assert "剩" in plain and "【" not in plain
    assert cell(page, walked, ObjectionColumn.STATUS) == "已登记"
    assert cell(page, walked, ObjectionColumn.RECORD) == f"行政处罚 {ref}"
    shot(page, screenshot_dir, "objection_queue_1366")

    # Overdue only.
    page.set_filter("overdue")
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 1, timeout=WAIT)
    assert page.proxy.index(0, ObjectionColumn.ID).data() == str(late)
    page.set_filter("open")
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 3, timeout=WAIT)

    # Keyboard: arrows to the row, Enter opens it.
    page.table.setFocus()
    page.table.selectRow(0)
    for _ in range(row_of(page, walked)):
        QTest.keyClick(page.table, Qt.Key.Key_Down)
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.detail.objection is not None and page.detail.objection.id == walked,
                    timeout=WAIT)
    detail = page.detail
    assert detail.fields["异议记录"].text() == f"行政处罚 {ref}"
    assert detail.fields["提出人"].text() == "陈律师（委托代理人）"
    assert [detail.attachments.item(i).text().split("（")[0] for i in range(2)] == ["授权委托书.png", "情况说明.pdf"]
    assert all(name in detail.deadlines.text() for name in ("受理：", "平台核查：", "提供单位协查：", "办结："))
    visible = {name for name, b in detail.action_buttons.items() if b.isVisible()}
    assert visible == {"supplement", "accept", "reject", "withdraw"}
    assert detail.timeline.rowCount() == 1 and detail.timeline.item(0, 1).text() == "已登记"
    qtbot.wait(50)  # the detail's layout settles after it is shown
    shot(page, screenshot_dir, "objection_detail_1366")

    # An empty reason keeps the dialog open with a message.
    qtbot.mouseClick(detail.action_buttons["accept"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    activate(qtbot, dialog)
    assert dialog.isVisible() and dialog.reason.hasFocus()
    QTest.keyClick(dialog.ok, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.message.text() == "请填写理由：它将记入办理经过"
    shot(dialog, screenshot_dir, "objection_step_empty_reason")
    dialog.reject()
    assert detail.objection.status == "已登记"

    for action, reason, outcome, status in (
            ("accept", "材料齐全，予以受理", None, "已受理"),
            ("check", "开始核对原始处罚决定书", None, "平台核查"),
            ("refer", "请苏州市生态环境局协查", None, "协查中"),
            ("resolve", "提供单位复核：处罚信息准确", "维持", "维持"),
            ("answer", "已书面答复企业", None, "已答复")):
        step(qtbot, page, action, reason, outcome, screenshot_dir if action == "resolve" else None)
        assert detail.objection.status == status, action
        assert page.status.text().startswith(f"已办理“"), page.status.text()
        if status != "已答复":
            qtbot.waitUntil(lambda s=status: cell(page, walked, ObjectionColumn.STATUS) == s, timeout=WAIT)
    assert detail.objection.outcome == "维持" and detail.fields["核查结论"].text() == "维持"
    assert detail.timeline.rowCount() == 6
    assert [detail.timeline.item(r, 1).text() for r in range(6)] == [
        "已登记", "已受理", "平台核查", "协查中", "维持", "已答复"]
    assert not any(b.isVisible() for b in detail.action_buttons.values())
    assert detail.action_note.text() == "已办结，无需再办理"
    # Answered: out of the open queue, in 全部 as 已办结.
    qtbot.waitUntil(lambda: row_of(page, walked) < 0, timeout=WAIT)
    page.set_filter("all")
    qtbot.waitUntil(lambda: not page.loading and row_of(page, walked) >= 0, timeout=WAIT)
    assert cell(page, walked, ObjectionColumn.DUE).startswith("已办结")
    page.select(walked)
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    qtbot.wait(50)
    shot(page, screenshot_dir, "objection_answered_1366")


def test_attachments_open_and_save(qtbot, make_ctx, desk_env, tmp_path):
    png, pdf = documents(tmp_path)
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    oid = desk_env.desk.file_objection(make_actor(Role.CLERK), Filing(
        uscc, "enterprise", "基本信息", "信息错误", "张伟", attachments=(png, pdf))).id
    page, _ = open_page(qtbot, make_ctx)
    page.select(oid)
    qtbot.waitUntil(lambda: page.detail.objection is not None and not page.loading, timeout=WAIT)

    class Viewer(QObject):  # the system viewer: QDesktopServices hands it the file's URL
        def __init__(self):
            super().__init__()
            self.urls: list[QUrl] = []

        @Slot(QUrl)
        def show(self, url: QUrl) -> None:
            self.urls.append(url)

    viewer = Viewer()
    QDesktopServices.setUrlHandler("file", viewer, "show")
    try:
        page.detail.attachments.setCurrentRow(1)
        qtbot.mouseClick(page.detail.open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(viewer.urls), timeout=WAIT)
    finally:
        QDesktopServices.unsetUrlHandler("file")
    opened = Path(viewer.urls[0].toLocalFile())
    assert opened.name.endswith("情况说明.pdf") and opened.read_bytes() == PDF
    assert page.status.text() == "已打开附件：情况说明.pdf"

    target = tmp_path / "saved.png"
    page.save_attachment_to(page.detail.objection.attachments[0].id, str(target))
    qtbot.waitUntil(lambda: target.exists() and page.status.text().startswith("已保存"), timeout=WAIT)
    assert target.read_bytes() == png.read_bytes()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 768)])
def test_page_in_the_window(qtbot, make_ctx, desk_env, screenshot_dir, size):
    """Only a 主管 has the page; F6 goes there; the queue and detail fit the window."""
    clerk = MainWindow(make_ctx(Role.CLERK))
    qtbot.addWidget(clerk)
    assert clerk.objections_page is None and "异议与修复" not in clerk.page_names

    oid = file_directly(desk_env, date.today() - timedelta(days=45), who="欧阳建国")
    file_directly(desk_env, date.today())
    window = MainWindow(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    assert "异议与修复" in window.page_names
    QTest.keyClick(window, Qt.Key.Key_F6)
    page = window.objections_page
    assert window.pages.currentWidget() is page
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() == 2, timeout=WAIT)
    page.select(oid)
    qtbot.waitUntil(lambda: page.detail.objection is not None and not page.loading, timeout=WAIT)
    qtbot.wait(100)
    shot(window, screenshot_dir, f"objection_window_{size[0]}")
    # Every step button of the state fits (none squeezed below its text).
    for button in page.detail.action_buttons.values():
        if button.isVisible():
            assert button.width() >= button.sizeHint().width() - 2, button.text()


def test_queue_marks_provisional_deadlines(qtmodeltester):
    """A deadline in a year whose holidays are not announced says 暂定 in the cell and the tooltip."""
    from core.services.objections.workdays import Deadline
    from core.usecases import ObjectionView
    from desktop.views.objections_model import ObjectionsModel

    later = Deadline(date(2031, 1, 6), provisional=True)
    view = ObjectionView(7, "91320500MA1XXXXXX0", "苏州恒达精密机械有限公司", "arrear", "社会保险 2030-11",
                         None, "信息错误", None, "张伟", "法定代表人", date(2030, 12, 20), "已受理",
                         date(2030, 12, 23), None, None, {"accept": later, "check": later,
                                                          "provider": later, "close": later},
                         later, 5, ("check", "withdraw"))
    model = ObjectionsModel()
    model.set_rows([view])
    qtmodeltester.check(model)
    due = model.index(0, ObjectionColumn.DUE)
    assert due.data() == "2031-01-06（剩 5 个工作日） 暂定"
    assert "节假日安排尚未公布" in due.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, ObjectionColumn.RECORD).data() == "欠缴信息 社会保险 2030-11"


def test_resolve_as_corrected_says_how(qtbot, make_ctx, desk_env, screenshot_dir):
    """已更正 asks how the record is corrected: 字段=值 lines or removal; nothing else closes it."""
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    oid = desk_env.desk.file_objection(make_actor(Role.CLERK), Filing(
        uscc, "penalty", penalty_no(desk_env), "信息错误", "张伟")).id
    boss = make_actor(Role.SUPERVISOR)
    for action in ("accept", "check"):
        desk_env.desk.objection_step(boss, oid, action, "按规定办理")
    page, _ = open_page(qtbot, make_ctx)
    page.select(oid)
    qtbot.waitUntil(lambda: page.detail.objection is not None and not page.loading, timeout=WAIT)
    qtbot.mouseClick(page.detail.action_buttons["resolve"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    activate(qtbot, dialog)
    # From 平台核查 the outcomes are 已更正 and 维持 (无法确认 needs the providing unit).
    assert [dialog.outcome.itemText(i) for i in range(dialog.outcome.count())] == ["已更正", "维持"]
    dialog.outcome.setCurrentIndex(1)
    assert not dialog.correction.isVisible()  # 维持 changes nothing
    dialog.outcome.setCurrentIndex(0)
    assert dialog.correction.isVisible() and dialog.correction.change.isChecked()
    type_text(dialog.reason, "原始决定书罚款金额为 1000 元")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "字段=值" in dialog.message.text()
    dialog.correction.changes.setFocus()
    type_text(dialog.correction.changes, "罚款金额（万元）")
    QTest.keyClick(dialog.ok, Qt.Key.Key_Return)
    assert dialog.isVisible() and "应写作“字段=值”" in dialog.message.text()
    dialog.correction.changes.clear()
    type_text(dialog.correction.changes, "罚款金额（万元）=0.1")
    shot(dialog, screenshot_dir, "objection_step_corrected")
    QTest.keyClick(dialog.ok, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert page.detail.objection.status == "已更正" and page.detail.objection.outcome == "已更正"
    assert "resolve" not in page.detail.objection.actions


def test_a_paper_date_is_typed_and_never_in_the_future(qtbot):
    """The date of a paper filing or step (objections and repair share the row): 20240101 typed
    is taken; tomorrow is refused with the reason shown, the date unchanged."""
    from datetime import date, timedelta

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QWidget

    from desktop.views.case_dialog_base import paper_date_row

    host = QWidget()
    qtbot.addWidget(host)
    paper, day, row = paper_date_row(host, "按纸质材料补录：", "paperDate")
    host.setLayout(row)
    host.show()
    assert not day.isEnabled()
    qtbot.mouseClick(paper, Qt.MouseButton.LeftButton)
    assert day.isEnabled()
    day.edit.selectAll()
    qtbot.keyClicks(day.edit, "20240101")
    assert day.date() == QDate(2024, 1, 1) and not day.message.isVisible()
    day.edit.selectAll()
    qtbot.keyClicks(day.edit, f"{date.today() + timedelta(days=1):%Y%m%d}")
    assert day.date() == QDate(2024, 1, 1)
    assert day.message.isVisible() and "晚于" in day.message.text()
