"""Issue 11 part 5: a database that refuses to write, or is gone, is said in Chinese — and the
status bar turns red at once, not only at the next periodic check.

The read-only case is a real one: the counter opened on its database file read-only (SQLite's
`mode=ro`, as a write-protected share or a mistaken permission gives): reading works, so the
periodic check stays happy, and every write fails with SQLite's "attempt to write a readonly
database".
"""
from __future__ import annotations

import re
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from core.db.engine import Database, unavailable
from core.errors import DatabaseUnavailable
from core.usecases import CounterDesk
from desktop.services.errors import message_for
from desktop.views.main_window import MainWindow
from tests.gui.test_counter_pages import WAIT, shot

RED = "#c01c28"
ENGLISH = re.compile(r"[A-Za-z]{3,}(?:\s+[A-Za-z]{2,})+")  # two English words in a row


def english_words(text: str) -> list[str]:
    return ENGLISH.findall(re.sub(r"(sqlite|postgresql)[^\s（）]*", "", text))


@pytest.fixture
def read_only_desk(desk_env) -> CounterDesk:
    path = desk_env.db.file
    desk_env.db.dispose()
    db = Database(f"sqlite:///file:{path}?mode=ro&uri=true")
    yield CounterDesk(db, desk_env.desk.profile, desk_env.desk.settings, desk_env.keys)
    db.dispose()


def open_window(qtbot, ctx, monkeypatch) -> MainWindow:
    monkeypatch.setattr(MainWindow, "status_interval_ms", 60_000)  # red must not wait for the check
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=WAIT)
    return window


def test_a_read_only_database_is_said_in_chinese_and_turns_the_status_red(
        qtbot, make_ctx, desk_env, read_only_desk, monkeypatch, screenshot_dir):
    window = open_window(qtbot, make_ctx(desk=read_only_desk), monkeypatch)
    page = window.lookup_page
    page.search.setText("恒达")  # reading works: one enterprise found ...
    page.run_search()
    qtbot.waitUntil(lambda: "找到 1 家企业" in page.search_status.text(), timeout=WAIT)
    # ... and opened at once, which is a write (the look-up is recorded): refused
    qtbot.waitUntil(lambda: not page.loading and "数据库" in page.enterprise.hint.text(), timeout=WAIT)
    said = page.enterprise.hint.text()
    assert said.startswith("数据库不可用：数据库是只读的"), said
    assert "readonly" not in said and not english_words(said), said
    assert RED in window.db_label.text() and "只读" in window.db_label.text()
    assert window.width() <= 1024  # the long reason wraps; it does not push the window wider
    assert "只读" in window.db_label.toolTip() and window.database_problem == said
    qtbot.wait(200)
    shot(window, screenshot_dir, "database_read_only_1024")

    # The periodic check only reads, and reading works: the status stays red after it.
    window.refresh_status()
    qtbot.wait(300)
    window.ctx.tasks.wait()
    qtbot.wait(100)
    assert RED in window.db_label.text()
    window.close()


def test_a_vanished_database_turns_the_status_red_at_the_first_refused_action(
        qtbot, make_ctx, desk_env, monkeypatch):
    window = open_window(qtbot, make_ctx(), monkeypatch)
    path = desk_env.db.file
    for part in path.parent.glob(path.name + "*"):
        part.unlink()
    page = window.lookup_page
    page.load_enterprise(desk_env.enterprises["苏州恒达精密机械有限公司"])
    qtbot.waitUntil(lambda: not page.loading, timeout=WAIT)
    said = page.enterprise.hint.text()
    assert said.startswith("数据库不可用：数据库文件不见了") and not english_words(said), said
    assert RED in window.db_label.text() and "数据库文件不见了" in window.db_label.text()
    assert window.width() <= 1024
    window.close()


@pytest.mark.parametrize("driver_words, chinese", [
    ("disk I/O error", "读写磁盘出错"),
    ("attempt to write a readonly database", "数据库是只读的"),
    ("database or disk is full", "磁盘已满"),
    ("database disk image is malformed", "数据库文件已损坏"),
    ("something nobody has seen before", "数据库返回了错误"),
])
def test_sqlite_words_become_chinese(driver_words, chinese):
    error = unavailable("sqlite:////srv/creditdesk.sqlite3",
                        OperationalError("INSERT ...", {}, sqlite3.OperationalError(driver_words)))
    assert isinstance(error, DatabaseUnavailable)
    said = message_for(error)
    assert said.startswith(f"数据库不可用：{chinese}") and "/srv/creditdesk.sqlite3" in said, said
    assert not english_words(said), said


def test_our_own_sentences_are_left_as_they_are():
    said = "数据库不可用：数据库文件不见了：/home/clerk/creditdesk.sqlite3"
    assert message_for(DatabaseUnavailable(said)) == said
