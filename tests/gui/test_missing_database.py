"""The app and a database that is gone (issue 8, part 4): at start-up the missing-database dialog,
not first run; while running, a red status within the check interval."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from core.config import Settings
from core.db import schema
from core.db.backup import backup
from core.db.engine import Database
from core.db.installation import write_marker
from core.services.people.setup import Account, create_first_people
from core.usecases import Role
from desktop.services.settings import UiSettings
from desktop.views.first_run_dialog import FirstRunDialog
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from desktop.views.missing_database_dialog import REINSTALL, RESTORED


class _App:
    def quit(self) -> None:
        pass


@pytest.fixture
def lost_installation(tmp_path, monkeypatch):
    """A data directory with an installation and a backup, whose database file was deleted."""
    home = tmp_path / "home"
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    url = f"sqlite:///{home / 'creditdesk.sqlite3'}"
    db = Database(url)
    schema.upgrade(db)
    create_first_people(db, "一号窗口", Account("admin", "管理员", "admin-pass-1"))
    write_marker(home, url)
    saved = backup(db, home / "backups" / "creditdesk-20261126.sqlite3").path
    db.dispose()
    for part in home.glob("creditdesk.sqlite3*"):
        part.unlink()
    return home, url, saved


@pytest.fixture
def shown(monkeypatch):
    """Which start-up dialogs were shown (each answers 'cancel' at once)."""
    seen: list[str] = []
    monkeypatch.setattr(FirstRunDialog, "exec", lambda self: seen.append("first_run") or 0)
    monkeypatch.setattr(LoginDialog, "exec", lambda self: seen.append("login") or 0)
    return seen


def start(home: Path, url: str, tmp_path: Path, act) -> tuple[object, bool]:
    from desktop.app import DeskApp

    desk_app = DeskApp(_App(), Settings(db_url=url, profile_id="suzhou-2024", counter="一号窗口"),
                       UiSettings(tmp_path / "ui.ini"), home=home)
    desk_app.inform = lambda text: setattr(desk_app, "told", text)

    def answer() -> None:
        dialog = getattr(desk_app, "missing_dialog", None)
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, answer)
            return
        act(dialog)

    QTimer.singleShot(0, answer)
    started = desk_app.start()
    desk_app.tasks.wait()
    return desk_app, started


def test_missing_database_shows_the_dialog_not_first_run(qtbot, lost_installation, shown, tmp_path):
    home, url, saved = lost_installation
    seen_text = []

    def quit_(dialog):
        seen_text.append(dialog.text.text())
        assert dialog.restore_button.isEnabled() and not dialog.reinstall_button.isEnabled()
        dialog.reject()

    desk_app, started = start(home, url, tmp_path, quit_)
    assert started is False and shown == []  # neither first run nor log-in
    assert "数据库文件不见了" in seen_text[0] and str(home / "creditdesk.sqlite3") in seen_text[0]
    assert str(saved) in seen_text[0]
    assert not (home / "creditdesk.sqlite3").exists()  # closing changed nothing
    desk_app.desk.db.dispose()


def test_restore_the_newest_backup_then_log_in(qtbot, lost_installation, shown, tmp_path):
    home, url, saved = lost_installation
    desk_app, started = start(home, url, tmp_path, lambda dialog: dialog.restore_button.click())
    assert desk_app.missing_dialog.choice == RESTORED
    assert "审计链完好" in desk_app.told
    assert shown == ["login"]  # the backup's people log in: no first run
    assert (home / "creditdesk.sqlite3").is_file()
    desk_app.desk.db.dispose()


def test_reinstall_needs_the_typed_word_then_first_run(qtbot, lost_installation, shown, tmp_path):
    home, url, _ = lost_installation

    def reinstall(dialog):
        dialog.confirm.setText("重新")
        assert not dialog.reinstall_button.isEnabled()
        dialog.confirm.setText("重新安装")
        assert dialog.reinstall_button.isEnabled()
        dialog.reinstall_button.click()

    desk_app, started = start(home, url, tmp_path, reinstall)
    assert desk_app.missing_dialog.choice == REINSTALL
    assert shown == ["first_run"]
    desk_app.desk.db.dispose()


def test_no_installation_goes_straight_to_first_run(qtbot, tmp_path, monkeypatch, shown):
    home = tmp_path / "fresh"
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    url = f"sqlite:///{home / 'creditdesk.sqlite3'}"
    desk_app, started = start(home, url, tmp_path, lambda dialog: pytest.fail("no missing-database dialog"))
    assert shown == ["first_run"] and getattr(desk_app, "missing_dialog", None) is None
    desk_app.desk.db.dispose()


def test_a_database_deleted_while_running_turns_the_status_red(qtbot, make_ctx, desk_env, monkeypatch):
    monkeypatch.setattr(MainWindow, "status_interval_ms", 100)
    window = MainWindow(make_ctx(Role.CLERK))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=5000)
    path = desk_env.db.file
    for part in path.parent.glob(path.name + "*"):
        part.unlink()
    qtbot.waitUntil(lambda: "数据库不可用" in window.db_label.text(), timeout=3000)
    assert "数据库文件不见了" in window.db_label.text() and "#c01c28" in window.db_label.text()
    assert window.database_problem and str(path) in window.database_problem
    assert not path.exists()  # the check did not create an empty file
    window.close()


def test_a_database_made_read_only_while_running_turns_the_status_red(qtbot, make_ctx, desk_env, monkeypatch):
    """Read-only (a full disk's remount, a permissions mistake): red, with the reason, and a search
    says the database cannot be used instead of answering 未找到."""
    from desktop.views.lookup_page import LookupPage
    from tests.read_only import read_only

    monkeypatch.setattr(MainWindow, "status_interval_ms", 100)
    window = MainWindow(make_ctx(Role.CLERK))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=5000)
    path = desk_env.db.file
    with read_only(path):
        qtbot.waitUntil(lambda: "数据库不可用" in window.db_label.text(), timeout=3000)
        assert "不可读写" in window.db_label.text() and "#c01c28" in window.db_label.text()
        assert str(path) in window.database_problem
        page = window.findChild(LookupPage)
        page.search.setText("恒达")
        page.run_search()
        qtbot.waitUntil(lambda: "数据库不可用" in page.search_status.text(), timeout=5000)
        assert "未找到" not in page.search_status.text()
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=3000)  # writable again: green
    window.close()
