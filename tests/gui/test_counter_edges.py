"""Issue 11 part 5: the counter's rough edges, each as the person at the counter meets it."""
from __future__ import annotations

from collections import Counter
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication
from sqlalchemy import update

from core.db.models import Enterprise
from core.services.people.roles import Role
from desktop.strings import common as t
from desktop.strings import verify as VS
from desktop.views.history_page import HistoryPage
from desktop.views.report_panel import ReportPanel
from desktop.views.verify_page import VerifyPage
from tests.gui.test_counter_pages import WAIT, shot
from tests.pdf_pages import page_texts

ENDED = "昆山市玉山镇明远餐饮店"


def open_panel(qtbot, ctx, desk_env, name: str = "苏州恒达精密机械有限公司") -> ReportPanel:
    panel = ReportPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=WAIT)
    panel.set_enterprise(desk_env.desk.overview(ctx.actor, desk_env.enterprises[name]))
    qtbot.waitUntil(lambda: not panel.checking_today, timeout=WAIT)  # today's reports are known
    return panel


def answer_same_day_question(qtbot, panel: ReportPanel, issue: bool = True) -> str:
    """The enterprise had a report today: 出具 asks first; answer 仍然出具 (or 取消)."""
    qtbot.waitUntil(lambda: panel.confirm_box is not None and panel.confirm_box.isVisible(), timeout=WAIT)
    box = panel.confirm_box
    asked = box.text()
    wanted = "仍然出具" if issue else "取消"
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == wanted), Qt.MouseButton.LeftButton)
    return asked


def pdf_lines(pdf: bytes) -> list[str]:
    text = "\n".join(page_texts(pdf))
    return [line.strip() for line in text.splitlines() if line.strip()]


def valid_until_lines(pdf: bytes) -> list[str]:
    return [line for line in pdf_lines(pdf) if "有效期至" in line]


# -- 1. the preview's validity is the issued report's -------------------------------------------

def test_preview_shows_the_validity_the_issued_report_will_carry(qtbot, make_ctx, desk_env):
    ctx = make_ctx()
    panel = open_panel(qtbot, ctx, desk_env)
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.preview.page_count() >= 1 and not panel.busy, timeout=WAIT)
    previewed = valid_until_lines(panel.preview.pdf_bytes())
    assert previewed, "the preview prints no 有效期至"
    assert not any(date.today().isoformat() in line for line in previewed), previewed

    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    answer_same_day_question(qtbot, panel)  # the fixture issued one for this enterprise today
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    issued = valid_until_lines(panel.result.pdf)
    assert previewed == issued
    later = panel.result.issue.valid_until
    assert later > date.today() and any(later.isoformat() in line for line in issued)


# -- 2. no two shortcuts answer the same keys ---------------------------------------------------

def active_shortcuts(window) -> list[str]:
    """Every key sequence that would fire now: the window's, and those of visible widgets."""
    keys: list[str] = []

    def add(sequence: QKeySequence) -> None:
        if not sequence.isEmpty():
            keys.append(sequence.toString(QKeySequence.SequenceFormat.PortableText))

    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if shortcut.isEnabled() and owner.isVisible() and owner.window() is window:
            add(shortcut.key())
    for action in window.findChildren(QAction):
        if action.isEnabled():
            for sequence in action.shortcuts():
                add(sequence)
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.isEnabled():
            add(button.shortcut())
    return keys


def test_no_two_shortcuts_collide_on_any_page(qtbot, make_ctx, desk_env):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.verify_page.verdict_shown, timeout=WAIT):  # the archive button shows
        window.verify_page.verify_text(desk_env.report.issue.qr_digits)
    for index, name in enumerate(window.page_names):
        window.show_page(index)
        keys = active_shortcuts(window)
        assert {"F2", "F5", "Ctrl+P", "Esc"} <= set(keys), (name, keys)
        twice = sorted(k for k, n in Counter(keys).items() if n > 1)
        assert not twice, f"{name}: {twice} answer more than one shortcut"
        if window.pages.currentWidget() is window.verify_page:
            assert window.verify_page.panel.archive_button.isVisible()
            assert "F3" in keys  # the page's own shortcut is among those walked


def test_f2_on_the_verify_page_goes_to_lookup_and_f3_opens_the_archive(qtbot, make_ctx, desk_env,
                                                                        screenshot_dir):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    page = window.verify_page
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.pages.currentWidget() is page
    page.verify_text(desk_env.report.issue.qr_digits)
    qtbot.waitUntil(lambda: page.panel.archive_button.isVisible(), timeout=WAIT)
    assert page.panel.archive_button.text() == "查看存档报告（F3）"
    shot(window, screenshot_dir, "edges_verify_f3")

    QTest.keyClick(page.scan_field, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: page.archive_dialog is not None and page.archive_dialog.isVisible(), timeout=WAIT)
    page.archive_dialog.accept()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    QTest.keyClick(page.scan_field, Qt.Key.Key_F2)
    assert window.pages.currentWidget() is window.lookup_page


# -- 3. 报告用途 starts afresh for each customer and person; 其他 has a box ----------------------

def test_purpose_resets_for_the_next_customer_and_person(qtbot, make_ctx, desk_env, screenshot_dir):
    ctx = make_ctx()
    panel = open_panel(qtbot, ctx, desk_env)
    assert panel.purpose.currentText() == "其他" and panel.purpose_other.isVisible()
    assert "仍印“其他”" in panel.purpose_other.placeholderText()
    shot(panel, screenshot_dir, "edges_purpose_other")

    panel.purpose.setFocus()
    QTest.keyClick(panel.purpose, Qt.Key.Key_Up)  # 其他 → 招投标
    assert panel.purpose.currentText() == "招投标" and not panel.purpose_other.isVisible()
    assert panel.request().purpose == "招投标"
    QTest.keyClick(panel.purpose, Qt.Key.Key_Down)  # back to 其他: the box shows again
    assert panel.purpose_other.isVisible()
    QTest.keyClick(panel.purpose, Qt.Key.Key_Tab)
    QTest.keyClicks(panel.purpose_other, "tender 2026")
    assert panel.purpose_other.text() == "tender 2026"
    QTest.keyClick(panel.purpose, Qt.Key.Key_Up)

    panel.set_enterprise(desk_env.desk.overview(ctx.actor, desk_env.enterprises[ENDED]))
    assert panel.purpose.currentText() == "其他" and panel.request().purpose == "其他"
    assert panel.purpose_other.isVisible() and panel.purpose_other.text() == ""

    # Log-out builds a new window: the next person starts at the default too.
    from desktop.views.main_window import MainWindow

    first = MainWindow(make_ctx())
    qtbot.addWidget(first)
    first.lookup_page.report.purpose.setCurrentText("融资")
    first.close()
    second = MainWindow(make_ctx())
    qtbot.addWidget(second)
    assert second.lookup_page.report.purpose.currentText() == "其他"


# -- 4. revoking asks for a reason first; a revoked report is not saved again -------------------

def test_revoke_needs_a_reason_before_the_dialog_closes(qtbot, make_ctx, desk_env, screenshot_dir):
    page = HistoryPage(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    assert page.select_report(desk_env.report.report_no)
    assert page.save_button.isEnabled()

    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    dialog = page.revoke_dialog
    qtbot.waitUntil(lambda: dialog.isVisible(), timeout=WAIT)
    assert not dialog.ok_button.isEnabled() and dialog.hint.isVisible()
    assert dialog.hint.text() == "请填写撤销原因后再撤销"
    shot(dialog, screenshot_dir, "edges_revoke_empty")
    QTest.keyClicks(dialog.reason, "   ")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.ok_button.isEnabled()  # blanks are no reason
    assert page.status.text() == ""

    dialog.reason.clear()
    QTest.keyClicks(dialog.reason, "wrong copy")
    assert dialog.ok_button.isEnabled() and not dialog.hint.isVisible()
    shot(dialog, screenshot_dir, "edges_revoke_reason")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().revoked, timeout=WAIT)
    assert page.status.text() == f"报告 {desk_env.report.report_no} 已撤销"
    assert not page.save_button.isEnabled() and page.save_button.toolTip() == "该报告已撤销"
    assert not page.reprint_button.isEnabled() and page.view_button.isEnabled()
    shot(page, screenshot_dir, "edges_revoked_no_save")


def test_cancelling_the_revoke_dialog_revokes_nothing(qtbot, make_ctx, desk_env):
    page = HistoryPage(make_ctx(Role.SUPERVISOR))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    page.select_report(desk_env.report.report_no)
    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    dialog = page.revoke_dialog
    QTest.keyClicks(dialog.reason, "changed my mind")
    QTest.keyClick(dialog.reason, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    qtbot.wait(200)
    assert not page.working and not page.selected().revoked and page.save_button.isEnabled()


# -- 5. issuing for an enterprise that is 注销 / 吊销 asks first --------------------------------

def test_issuing_for_a_deregistered_enterprise_asks_first(qtbot, make_ctx, desk_env, screenshot_dir):
    with desk_env.db.session(write=True) as s:
        s.execute(update(Enterprise).where(Enterprise.uscc == desk_env.enterprises[ENDED])
                  .values(reg_status="注销"))
    ctx = make_ctx()
    panel = open_panel(qtbot, ctx, desk_env, ENDED)

    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=WAIT)
    assert "注销" in box.text() and ENDED in box.text() and not panel.busy
    shot(box, screenshot_dir, "edges_confirm_ended")
    QTest.keyClick(box, Qt.Key.Key_Return)  # the default answer is 取消
    assert not box.isVisible() and panel.result is None and not panel.busy

    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    qtbot.waitUntil(lambda: box.isVisible(), timeout=WAIT)
    yes = next(b for b in box.buttons() if b.text() == "仍然出具")
    qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    assert panel.result.report_no in panel.report_no_label.text()


def test_a_trading_enterprise_is_issued_without_a_question(qtbot, make_ctx, desk_env):
    panel = open_panel(qtbot, make_ctx(), desk_env, "苏州工业园区星海电子科技有限公司")
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is None
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)


# -- 6. the window's title names the person, their role and the counter, once -------------------

def test_window_title_names_person_role_and_counter_once(qtbot, make_ctx, desk_env):
    from desktop.views.main_window import MainWindow

    app = QApplication.instance()
    before = app.applicationDisplayName()
    app.setApplicationDisplayName(t.APP_TITLE)  # as desktop/app.py does
    try:
        window = MainWindow(make_ctx(Role.CLERK))
        qtbot.addWidget(window)
        title = window.windowTitle()
        assert title == "张三（窗口人员） — 一号窗口 — 信用报告窗口"
        # Qt appends the display name to a title not ending with it: here it is not added again.
        assert title.endswith(app.applicationDisplayName()) and title.count(t.APP_TITLE) == 1
    finally:
        app.setApplicationDisplayName(before)


# -- 7. the 核验 page asks only for what can be checked ------------------------------------------

def test_verify_hint_does_not_ask_for_digits_that_are_not_printed(qtbot, make_ctx, desk_env,
                                                                 screenshot_dir):
    page = VerifyPage(make_ctx())
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    shown = (page.hint.text(), page.scan_field.placeholderText())
    assert not any("二维码下方的数字" in words for words in shown)
    assert "二维码下方印的是报告编号" in page.hint.text() and "不能代替二维码" in page.hint.text()
    QTest.keyClick(page.scan_field, Qt.Key.Key_Return)
    assert page.message.text() == VS.EMPTY_INPUT and "二维码下方" not in page.message.text()
    shot(page, screenshot_dir, "edges_verify_hint")

    # What is printed below the code, the report number, is no code to check: the page says so
    # and points to the look-up by number (tests/gui/test_report_lookup.py) instead of a verdict.
    page.verify_text(desk_env.report.report_no)
    assert page.panel.state == "notice" and "F4" in page.panel.reason.text()
    assert "不是本系统的核验码" not in page.panel.reason.text()



# -- 8. a second report for the same enterprise the same day asks first ------------------------

def test_a_second_report_the_same_day_is_announced_and_asked(qtbot, make_ctx, desk_env, screenshot_dir):
    first_no = desk_env.report.report_no  # issued today by the fixture, for 恒达
    panel = open_panel(qtbot, make_ctx(), desk_env)
    assert panel.same_day_note.isVisible() and first_no in panel.same_day_note.text()
    assert "今天已为该企业出具过 1 份报告" in panel.same_day_note.text()
    shot(panel, screenshot_dir, "edges_same_day_note")

    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    asked = answer_same_day_question(qtbot, panel, issue=False)
    assert first_no in asked and "苏州恒达精密机械有限公司" in asked and "重复" in asked
    assert panel.result is None and not panel.busy

    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    answer_same_day_question(qtbot, panel)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    second_no = panel.result.report_no
    assert "2 份报告" in panel.same_day_note.text() and second_no in panel.same_day_note.text()

    # A revoked report is no reason to ask; a new day's first report is not asked about either.
    desk_env.revoke(first_no)
    desk_env.revoke(second_no)
    panel.set_enterprise(desk_env.desk.overview(panel.ctx.actor, desk_env.enterprises["苏州恒达精密机械有限公司"]))
    qtbot.waitUntil(lambda: not panel.checking_today, timeout=WAIT)
    assert not panel.same_day_note.isVisible()
    qtbot.mouseClick(panel.issue_button, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is None
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)


def test_todays_reports_are_readable_by_a_clerk_without_history(desk_env):
    from core.usecases import Permission
    from tests.gui.conftest import make_actor

    clerk = make_actor(Role.CLERK)
    assert not clerk.can(Permission.HISTORY)
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    assert desk_env.desk.reports_today(clerk, uscc) == (desk_env.report.report_no,)
    other = desk_env.enterprises["昆山市玉山镇明远餐饮店"]
    assert desk_env.desk.reports_today(clerk, other) == ()


# -- 9. 责任单位 is shown whole -----------------------------------------------------------------

def test_the_responsible_units_are_shown_whole(qtbot, make_ctx, desk_env, screenshot_dir):
    from PySide6.QtCore import QRect

    from desktop.views.enterprise_panel import EnterprisePanel
    from desktop.views.table_models import DomainColumn

    ctx = make_ctx()
    for width in (420, 700):
        panel = EnterprisePanel()
        qtbot.addWidget(panel)
        panel.resize(width, 900)
        panel.show()
        panel.set_content(desk_env.desk.overview(ctx.actor, desk_env.enterprises["苏州恒达精密机械有限公司"]))
        qtbot.waitExposed(panel)
        table = panel.table
        metrics = table.fontMetrics()
        longest = max(range(table.model().rowCount()),
                      key=lambda r: len(table.model().index(r, DomainColumn.RESPONSIBLE).data()))
        for row in range(table.model().rowCount()):
            index = table.model().index(row, DomainColumn.RESPONSIBLE)
            text = index.data()
            cell = table.visualRect(index)
            needed = metrics.boundingRect(QRect(0, 0, cell.width() - 8, 10_000),
                                          int(Qt.TextFlag.TextWordWrap), text)
            assert needed.height() <= cell.height(), f"{width}px: {text!r} does not fit its cell"
            assert index.data(Qt.ItemDataRole.ToolTipRole)  # and it is in the tooltip too
        assert "苏州工业园区" in table.model().index(longest, DomainColumn.RESPONSIBLE).data()
        shot(panel, screenshot_dir, f"edges_responsible_{width}")
