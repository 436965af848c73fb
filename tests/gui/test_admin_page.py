"""The administrator's 管理 page tells the truth: the pages and buttons it names are in the
administrator's window, and every command it says is still done on the command line is one
creditdesk-admin accepts as written."""
from __future__ import annotations

import re

from PySide6.QtTest import QTest

from core.cli import build_parser
from core.usecases import Role
from desktop.strings import common as t
from desktop.views.admin_page import AdminPage

PLACEHOLDERS = {"用户名": "admin", "文件": "/tmp/x.xlsx", "政策编号": "suzhou-2024", "日期": "2099-12-31"}


def test_the_admin_page_names_what_the_window_has_and_what_the_cli_does(qtbot, make_ctx, screenshot_dir):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx(Role.ADMIN))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page(window.page_names.index(t.PAGE_ADMIN))
    page = window.pages.currentWidget()
    assert isinstance(page, AdminPage)
    text = page.info.text()
    assert page.info.isVisible() and text == t.ADMIN_INFO

    others = [name for name in window.page_names if name != t.PAGE_ADMIN]
    assert others == ["数据导入", "人员", "审计日志"]
    for name in others:  # each of the window's own pages is named on 管理 …
        assert f"· {name}：" in text, name
    for button in (window.settings_button, window.password_button):  # … and the two buttons below
        assert button is not None and button.isVisible() and f"“{button.text()}”" in text
    assert "users add" not in text and "import penalties" not in text  # done in the app now

    commands = re.findall(r"^  (creditdesk-admin .+?)   ", text, flags=re.MULTILINE)
    assert [c.split()[3] for c in commands] == ["keys", "backup", "restore", "calendar", "profile", "audit"]
    for command in commands:
        words = [PLACEHOLDERS.get(w, w) for w in command.split()[1:]]
        build_parser().parse_args(words)  # exits (and fails the test) on a wrong command

    window.resize(1024, 768)
    QTest.qWait(150)
    assert window.grab().save(str(screenshot_dir / "admin-info-1024x768.png"))
    window.resize(1920, 1080)
    QTest.qWait(150)
    assert window.grab().save(str(screenshot_dir / "admin-info-1920x1080.png"))
