"""Issue 11 part 5: dates are typed as people type them; Tab, shortcuts and focus are plain.

- The period's start takes 2024-01-01 or 20240101 after Ctrl+A; a date outside the allowed
  range, an impossible date or a non-date is refused with a Chinese reason and changes nothing.
- From the search box a few Tab presses reach 预览; F7 previews and F8 issues.
- The domain check box the keyboard is on carries a clear blue mark.
"""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QTableView

from core.services.people.roles import Role
from desktop.views.domain_checklist import FOCUS_MARK
from desktop.views.report_panel import ReportPanel
from tests.gui.test_counter_edges import open_panel
from tests.gui.test_counter_pages import WAIT, shot, type_text

LEAP_DAY = date(2028, 2, 29)  # 近3年 starts 2025-03-01


def panel_on(qtbot, ctx, desk_env, today=LEAP_DAY) -> ReportPanel:
    panel = ReportPanel(ctx, today=lambda: today)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=WAIT)
    panel.set_enterprise(desk_env.desk.overview(ctx.actor, desk_env.enterprises["昆山市玉山镇明远餐饮店"]))
    return panel


def type_over(field, text: str, enter: bool = False) -> None:
    """Click into the field, Ctrl+A, type — as a person replaces a date."""
    QTest.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(field.edit, text)  # non-ASCII (full-width digits) as an input method commits it
    if enter:
        QTest.keyClick(field.edit, Qt.Key.Key_Return)


def test_a_typed_date_is_taken_as_typed(qtbot, make_ctx, desk_env, screenshot_dir):
    panel = panel_on(qtbot, make_ctx(), desk_env)
    start = panel.date_from
    assert start.date() == QDate(2025, 3, 1) and start.text() == "2025-03-01"

    type_over(start, "2026-05-01")
    assert start.date() == QDate(2026, 5, 1) and panel.custom_button.isChecked()
    assert panel.request().period_from == date(2026, 5, 1) and not start.message.isVisible()

    type_over(start, "20250601", enter=True)
    assert start.date() == QDate(2025, 6, 1) and start.text() == "2025-06-01"
    assert panel.request().period_from == date(2025, 6, 1)

    type_over(start, "２０２７／１／２", enter=True)  # full-width, as a Chinese input method types
    assert start.date() == QDate(2027, 1, 2) and start.text() == "2027-01-02"


def test_a_refused_date_says_why_and_changes_nothing(qtbot, make_ctx, desk_env, screenshot_dir):
    panel = panel_on(qtbot, make_ctx(), desk_env)
    start = panel.date_from
    type_over(start, "2026-05-01", enter=True)

    type_over(start, "2021-01-01")  # before the earliest start the policy allows
    assert start.date() == QDate(2026, 5, 1) and panel.request().period_from == date(2026, 5, 1)
    assert start.message.isVisible()
    assert start.message.text() == "起始日期 2021-01-01 早于可选的最早日期 2025-03-01。"
    shot(panel, screenshot_dir, "date_too_early")
    QTest.keyClick(start.edit, Qt.Key.Key_Return)
    assert start.text() == "2026-05-01" and start.date() == QDate(2026, 5, 1)
    assert start.message.isVisible() and "日期未更改，仍为 2026-05-01" in start.message.text()

    type_over(start, "2029-01-01")
    assert start.message.text() == "起始日期 2029-01-01 晚于可选的最晚日期 2028-02-29。"
    type_over(start, "2027-02-30")
    assert start.message.text() == "“2027-02-30”不是有效的日期（没有这一天）。"
    assert start.date() == QDate(2026, 5, 1)
    type_over(start, "May 1", enter=True)
    assert "不是日期，请按 2024-01-01 或 20240101 的格式输入" in start.message.text()
    assert start.text() == "2026-05-01" and start.date() == QDate(2026, 5, 1)

    type_over(start, "2027-01-01")  # a good date clears the reason
    assert not start.message.isVisible() and start.date() == QDate(2027, 1, 1)


def test_the_calendar_offers_the_allowed_range(qtbot, make_ctx, desk_env):
    panel = panel_on(qtbot, make_ctx(), desk_env)
    qtbot.mouseClick(panel.date_from.calendar_button, Qt.MouseButton.LeftButton)
    calendar = panel.date_from.calendar
    assert calendar.isVisible()
    assert (calendar.minimumDate(), calendar.maximumDate()) == (QDate(2025, 3, 1), QDate(2028, 2, 29))
    calendar.setSelectedDate(QDate(2026, 7, 15))
    QTest.keyClick(calendar.findChild(QTableView, "qt_calendar_calendarview"), Qt.Key.Key_Return)
    assert not calendar.isVisible() and panel.date_from.date() == QDate(2026, 7, 15)
    assert panel.custom_button.isChecked()


def test_tab_from_the_search_box_reaches_preview_quickly(qtbot, make_ctx, desk_env):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx())
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    page = window.lookup_page
    page.load_enterprise(desk_env.enterprises["苏州工业园区星海电子科技有限公司"])
    qtbot.waitUntil(lambda: page.report.content is not None and not page.report.checking_today, timeout=WAIT)
    page.focus_search()
    assert page.search.hasFocus()
    presses, seen = 0, []
    while not page.report.preview_button.hasFocus() and presses < 32:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        presses += 1
        seen.append(QApplication.focusWidget())
    assert page.report.preview_button.hasFocus()
    assert presses <= 3, presses  # 报告用途, its words for 其他, then 预览
    assert seen[0] is page.report.purpose

    # F7 previews, F8 issues (this enterprise had no report today: no question).
    QTest.keyClick(window, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: page.report.preview.page_count() >= 1 and not page.report.busy, timeout=WAIT)
    QTest.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: page.report.result is not None, timeout=WAIT)
    assert page.report.preview_button.text() == "预览（F7）"
    assert page.report.issue_button.text() == "出具报告（F8）"


def _has_colour(image, colour: QColor) -> bool:
    wanted = colour.rgb() & 0xFFFFFF
    return any(image.pixel(x, y) & 0xFFFFFF == wanted
               for x in range(image.width()) for y in range(image.height()))


def test_the_focused_domain_box_is_plainly_marked(qtbot, make_ctx, desk_env, screenshot_dir):
    panel = open_panel(qtbot, make_ctx(Role.CLERK), desk_env)
    box = panel.checklist.boxes[4]
    mark = QColor(FOCUS_MARK)
    assert not _has_colour(box.grab().toImage(), mark)
    box.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(box.hasFocus, timeout=WAIT)
    focused = box.grab().toImage()
    assert _has_colour(focused, mark)
    QTest.keyClick(box, Qt.Key.Key_Tab)
    assert not box.hasFocus() and not _has_colour(box.grab().toImage(), mark)
    shot(panel.checklist, screenshot_dir, "domain_focus")
