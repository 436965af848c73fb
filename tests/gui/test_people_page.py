"""人员 (管理员), driven with keyboard and mouse on SQLite and PostgreSQL: add a person who then
signs in; disable (cannot sign in) and enable; reset a password; change a role — every refusal in
Chinese with the dialog kept open; and everyone's own password change from the main window."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.errors import AuthError
from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.strings import people as S
from desktop.views.people_page import PeoplePage, PersonColumn
from tests.desks import PASSWORD, make_desk
from tests.gui.modal_answers import WAIT, answer_next_dialog, type_into

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def env(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date.today() - timedelta(days=400))
    return make_desk(db, profile, keys, counter="三号窗口")


@pytest.fixture
def ctx_for(env, tmp_path):
    runners = []

    def build(role: Role, session=None) -> DeskContext:
        tasks = TaskRunner(AppEvents())
        runners.append(tasks)
        return DeskContext(env.desk, tasks, session or env.as_(role), UiSettings(tmp_path / "ui.ini"), tasks.events)

    yield build
    for tasks in runners:
        tasks.wait()


@pytest.fixture
def page(qtbot, ctx_for):
    page = PeoplePage(ctx_for(Role.ADMIN))
    qtbot.addWidget(page)
    page.resize(1024, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitActive(page)
    qtbot.waitUntil(lambda: page.people is not None, timeout=WAIT)
    return page


def rows(page) -> dict[str, list[str]]:
    model = page.model
    return {model.index(r, 0).data(): [model.index(r, c).data() for c in PersonColumn]
            for r in range(model.rowCount())}


def click_row(qtbot, page, username: str) -> None:
    row = [p.username for p in page.model.rows()].index(username)
    rect = page.table.visualRect(page.model.index(row, PersonColumn.NAME))
    qtbot.mouseClick(page.table.viewport(), LEFT, pos=rect.center())
    assert page.selected().username == username


def submit_and_expect(qtbot, dialog, message: str) -> None:
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.text() == message, timeout=WAIT)
    assert dialog.isVisible()  # nothing typed is lost


def grab(widget, folder: Path, name: str) -> None:
    for size in ((1024, 768), (1920, 1080)):
        widget.resize(*size)
        QTest.qWait(100)
        assert widget.grab().save(str(folder / f"{name}-{size[0]}x{size[1]}.png"))


def test_add_a_person_who_then_signs_in(qtbot, page, env, screenshot_dir):
    seen = []

    def add(dialog):
        type_into(dialog.username, "zhaoliu")
        type_into(dialog.display_name, "赵六")
        dialog.role.setFocus()
        QTest.keyClick(dialog.role, Qt.Key.Key_Down)  # 窗口人员 → 核验人员
        assert dialog.role_help.text() == S.ROLE_HELP["核验人员"]
        type_into(dialog.password, "short")
        type_into(dialog.password_again, "short")
        dialog.resize(dialog.sizeHint())
        assert dialog.grab().save(str(screenshot_dir / "people-add-dialog.png"))
        dialog.username.setFocus()
        submit_and_expect(qtbot, dialog, "密码至少 8 个字符")
        type_into(dialog.password, "zhaoliu-pass")
        type_into(dialog.password_again, "zhaoliu-typo")
        submit_and_expect(qtbot, dialog, S.MISMATCH)
        type_into(dialog.password_again, "zhaoliu-pass")
        qtbot.mouseClick(dialog.ok_button, LEFT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)

    answer_next_dialog(add, seen)
    qtbot.mouseClick(page.add_button, LEFT)
    assert seen and seen[0].result() == 1
    qtbot.waitUntil(lambda: "zhaoliu" in rows(page), timeout=WAIT)
    assert rows(page)["zhaoliu"] == ["zhaoliu", "赵六", "核验人员", "—", "正常", "—"]
    assert page.status.text() == S.ADDED.format(name="赵六", username="zhaoliu", role="核验人员")
    session = env.desk.login("zhaoliu", "zhaoliu-pass")
    assert session.role is Role.VERIFIER
    page.refresh()
    qtbot.waitUntil(lambda: rows(page)["zhaoliu"][PersonColumn.COUNTER] == "三号窗口", timeout=WAIT)
    grab(page, screenshot_dir, "people-page")


def test_disable_then_enable_reset_and_change_role(qtbot, page, env):
    click_row(qtbot, page, "张三")
    answer_next_dialog(lambda box: qtbot.mouseClick(box.buttons()[0], LEFT)
                       if box.buttons()[0].text() == S.DISABLE_YES else None)
    qtbot.mouseClick(page.toggle_button, LEFT)
    qtbot.waitUntil(lambda: rows(page)["张三"][PersonColumn.STATE] == S.STATE_DISABLED, timeout=WAIT)
    assert page.status.text() == S.DISABLED.format(name="张三")
    with pytest.raises(AuthError, match="已停用"):
        env.desk.login("张三", PASSWORD)
    assert page.toggle_button.text() == S.ENABLE
    qtbot.mouseClick(page.toggle_button, LEFT)
    qtbot.waitUntil(lambda: rows(page)["张三"][PersonColumn.STATE] == S.STATE_ACTIVE, timeout=WAIT)
    assert env.desk.login("张三", PASSWORD).role is Role.CLERK

    def reset(dialog):
        type_into(dialog.password, "new-pass-for-zs")
        type_into(dialog.password_again, "new-pass-for-zs")
        qtbot.mouseClick(dialog.ok_button, LEFT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)

    answer_next_dialog(reset)
    qtbot.mouseClick(page.reset_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text() == S.RESET_DONE.format(name="张三"), timeout=WAIT)
    with pytest.raises(AuthError):
        env.desk.login("张三", PASSWORD)
    assert env.desk.login("张三", "new-pass-for-zs").role is Role.CLERK

    def promote(dialog):
        submit_and_expect(qtbot, dialog, S.ROLE_SAME)
        dialog.role.setFocus()
        QTest.keyClick(dialog.role, Qt.Key.Key_Down)
        QTest.keyClick(dialog.role, Qt.Key.Key_Down)  # → 主管
        qtbot.mouseClick(dialog.ok_button, LEFT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)

    answer_next_dialog(promote)
    qtbot.mouseClick(page.role_button, LEFT)
    qtbot.waitUntil(lambda: rows(page)["张三"][PersonColumn.ROLE] == "主管", timeout=WAIT)
    assert env.desk.login("张三", "new-pass-for-zs").role is Role.SUPERVISOR


def test_an_administrator_cannot_disable_themselves(qtbot, page):
    click_row(qtbot, page, "管理员")
    answer_next_dialog(lambda box: qtbot.mouseClick(box.buttons()[0], LEFT))
    qtbot.mouseClick(page.toggle_button, LEFT)
    qtbot.waitUntil(lambda: page.status.text() == "不能停用自己的账号", timeout=WAIT)
    assert rows(page)["管理员"][PersonColumn.STATE] == S.STATE_ACTIVE


@pytest.mark.parametrize("role", list(Role))
def test_everyone_changes_their_own_password_from_the_main_window(qtbot, ctx_for, env, role, screenshot_dir):
    from desktop.views.main_window import MainWindow

    window = MainWindow(ctx_for(role))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.password_button.text() == S.OWN_BUTTON and window.password_button.isVisible()
    seen = []

    def change(dialog):
        type_into(dialog.old, "not-my-password")
        type_into(dialog.new, "brand-new-pass")
        type_into(dialog.again, "brand-new-pass")
        submit_and_expect(qtbot, dialog, "原密码不正确")
        assert dialog.new.text() == "brand-new-pass"  # kept
        if role is Role.CLERK:
            dialog.resize(dialog.sizeHint())
            assert dialog.grab().save(str(screenshot_dir / "password-dialog.png"))
        type_into(dialog.old, PASSWORD)
        qtbot.mouseClick(dialog.ok_button, LEFT)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)

    answer_next_dialog(change, seen)
    qtbot.mouseClick(window.password_button, LEFT)
    assert seen and seen[0].result() == 1
    username = env.as_(role).username
    with pytest.raises(AuthError):
        env.desk.login(username, PASSWORD)
    assert env.desk.login(username, "brand-new-pass").role is role
    assert (window.settings_button is not None) == (role is Role.ADMIN)
    window.close()


def test_nothing_is_acted_on_before_a_person_is_picked(qtbot, page):
    """Focus alone puts the table's current cell on the first row; 停用, 重设密码 and 更改角色 wait
    until the administrator clicks a person, then act on that one."""
    page.table.setFocus()
    assert page.selected() is None
    assert not any(b.isEnabled() for b in (page.toggle_button, page.reset_button, page.role_button))
    row = next(r for r in range(page.model.rowCount()) if page.model.row_at(r).username != "管理员")
    rect = page.table.visualRect(page.model.index(row, PersonColumn.COUNTER))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.selected() == page.model.row_at(row)
    assert all(b.isEnabled() for b in (page.toggle_button, page.reset_button, page.role_button))
