"""Issue 11 part 5: the counter fits the screens counters have.

At 1024×768, with an enterprise loaded and a preview shown, every button of the look-up page
lies inside the window and the window stays 1024 wide (the report panel puts its choices above
the preview instead of beside it). At 1366×768 the 核验 verdict, its facts and 查看存档报告 show
without scrolling. Grabs at 1024×768, 1366×768 and 1920×1080 are saved to look at.
"""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QWidget

from core.services.people.roles import Role
from tests.gui.test_counter_pages import WAIT, shot

SIZES = [(1024, 768), (1366, 768), (1920, 1080)]


def inside(widget: QWidget, window: QWidget) -> bool:
    """The widget's whole rectangle, mapped to the window, lies within the window."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    return window.rect().contains(QRect(top_left, widget.size()))


def open_window(qtbot, make_ctx, width: int, height: int, role: Role = Role.SUPERVISOR):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx(role))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("width, height", SIZES)
def test_the_lookup_page_fits_with_a_preview(qtbot, make_ctx, desk_env, screenshot_dir, width, height):
    window = open_window(qtbot, make_ctx, width, height)
    page = window.lookup_page
    page.load_enterprise(desk_env.enterprises["苏州恒达精密机械有限公司"])
    qtbot.waitUntil(lambda: page.report.content is not None, timeout=WAIT)
    page.report.make_preview()
    qtbot.waitUntil(lambda: page.report.preview.page_count() >= 1 and not page.report.busy, timeout=WAIT)
    qtbot.wait(300)

    assert window.width() <= width and window.height() <= height
    buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisible()]
    report = page.report
    for wanted in (report.preview_button, report.issue_button, report.print_button, report.save_button):
        assert wanted in buttons
    outside = [b.text() or b.objectName() for b in buttons if not inside(b, window)]
    assert not outside, f"{width}×{height}: off-screen: {outside}"
    assert inside(report.preview.view, window) and report.preview.view.height() >= 150
    assert report.stacked == (width < 1366)  # choices above the preview only when narrow
    shot(window, screenshot_dir, f"fit_lookup_{width}x{height}")


def test_the_window_never_opens_wider_than_the_screen(qtbot, make_ctx, desk_env):
    window = open_window(qtbot, make_ctx, 1366, 768)
    free = window.screen().availableGeometry()
    window.resize(free.width() + 400, free.height() + 300)  # a size saved on a bigger monitor
    window.fit_screen()
    assert window.width() <= max(free.width(), window.minimumSizeHint().width())
    assert window.minimumSizeHint().width() <= 1024  # a 1024 px screen is never forced wider


def test_the_verdict_fits_1366_by_768_without_scrolling(qtbot, make_ctx, desk_env, screenshot_dir):
    window = open_window(qtbot, make_ctx, 1366, 768)
    window.show_page(window.pages.indexOf(window.verify_page))
    page = window.verify_page
    with qtbot.waitSignal(page.verdict_shown, timeout=WAIT):
        page.verify_text(desk_env.report.issue.qr_digits)
    qtbot.waitUntil(lambda: page.panel.archive_button.isVisible(), timeout=WAIT)
    qtbot.wait(200)
    scroll = page.panel.findChild(QScrollArea)
    assert scroll.verticalScrollBar().maximum() == 0, "the verdict needs scrolling at 1366×768"
    assert inside(page.panel.archive_button, window)
    visible = scroll.viewport().rect()
    button = page.panel.archive_button
    assert visible.contains(QRect(button.mapTo(scroll.viewport(), button.rect().topLeft()), button.size()))
    shot(window, screenshot_dir, "fit_verdict_1366x768")
