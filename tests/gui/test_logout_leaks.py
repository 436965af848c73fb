"""Issue 11 part 5: logging out (by hand or by the idle lock) leaves nothing connected behind.

A person logs in through the real log-in dialog, works (a search, an enterprise, a report issued
elsewhere announced on the app's events), then logs out — 20 times, half of them through the idle
lock's 退出登录. After each log-out the app's signals still fire (a write announces a change,
the task helper reports busy and errors): no slot of a deleted window may run, no traceback
"Internal C++ object already deleted" may appear, and no window or page may stay alive.
"""
from __future__ import annotations

import gc

from PySide6.QtCore import SIGNAL, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from core.config import Settings
from desktop.services.settings import UiSettings
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from tests.gui.conftest import PASSWORD, PEOPLE
from core.services.people.roles import Role

WAIT = 15000
ROUNDS = 20


class _App:
    """The QApplication's quit, which the real app calls when the person closes the log-in."""

    def __init__(self) -> None:
        self.quitted = False

    def quit(self) -> None:
        self.quitted = True


def _answer_login(username: str) -> None:
    """Type into the log-in dialog once it is up, as the person would, and press 登录."""
    dialog = next((w for w in QApplication.topLevelWidgets()
                   if isinstance(w, LoginDialog) and w.isVisible() and w.parent() is None), None)
    if dialog is None:
        QTimer.singleShot(10, lambda: _answer_login(username))
        return
    dialog.user.setText(username)
    dialog.password.setText(PASSWORD)
    dialog.ok.click()


def _live_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]


def _pages() -> int:
    from desktop.views.lookup_page import LookupPage

    return sum(1 for w in QApplication.allWidgets() if isinstance(w, LookupPage))


def _receivers(app) -> tuple[int, int, int, int]:
    """How many slots listen to the app-wide signals a window or page connects to."""
    qapp = QApplication.instance()
    return (app.tasks.receivers(SIGNAL("busy_changed(bool)")),
            app.tasks.receivers(SIGNAL("error_message(QString)")),
            app.events.receivers(SIGNAL("data_changed(QString,QString)")),
            qapp.receivers(SIGNAL("focusChanged(QWidget*,QWidget*)")))


def test_twenty_logouts_leave_no_live_window_nor_connection(qtbot, desk_env, tmp_path, capfd):
    from desktop.app import DeskApp

    settings = Settings(db_url=desk_env.db.url, profile_id=desk_env.profile.id, counter="一号窗口")
    app = DeskApp(_App(), settings, UiSettings(tmp_path / "ui.ini"), home=desk_env.home)
    app.desk = desk_env.desk  # the test installation's desk: its keys, people and profile
    username = PEOPLE[Role.CLERK][0]
    QTimer.singleShot(0, lambda: _answer_login(username))
    assert app.show_login()
    first = app.window
    baseline_widgets = None
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]

    for round_ in range(ROUNDS):
        window = app.window
        qtbot.waitExposed(window)
        page = window.lookup_page
        page.search.setText("恒达")
        page.run_search()
        page.load_enterprise(uscc)
        qtbot.waitUntil(lambda: page.report.content is not None, timeout=WAIT)
        QTimer.singleShot(0, lambda: _answer_login(username))
        if round_ % 2:  # the idle lock: its dialog's 退出登录 logs out
            window.lock()
            qtbot.waitUntil(lambda: window.lock_dialog.isVisible(), timeout=WAIT)
            window.lock_dialog.reject()
        else:
            logout = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "退出登录")
            logout.trigger()
        qtbot.waitUntil(lambda: app.window is not window and app.window is not None
                        and app.window.isVisible(), timeout=WAIT)
        # What keeps happening in the app after a log-out reaches only the live window.
        app.events.data_changed.emit("report", desk_env.report.report_no)
        app.tasks.error_message.emit("测试消息")
        app.tasks.busy_changed.emit(True)
        app.tasks.busy_changed.emit(False)
        QApplication.instance().focusChanged.emit(None, app.window.lookup_page.search)
        qtbot.wait(20)
        app.tasks.wait()
        QApplication.sendPostedEvents(None, 0)  # deleteLater of the old window
        gc.collect()
        assert len(_live_windows()) == 1, f"round {round_}: {len(_live_windows())} main windows alive"
        assert _pages() == 1, f"round {round_}: {_pages()} look-up pages alive"
        if round_ == 1:
            baseline_widgets = len(QApplication.allWidgets())
            baseline_receivers = _receivers(app)
        elif round_ > 1:
            assert _receivers(app) == baseline_receivers, f"round {round_}: {_receivers(app)}"
    gc.collect()
    QApplication.sendPostedEvents(None, 0)
    grown = len(QApplication.allWidgets()) - baseline_widgets
    assert grown <= 5, f"{grown} widgets more than after the second log-out"
    out, err = capfd.readouterr()
    assert "already deleted" not in out + err and "Traceback" not in out + err, (out + err)[-3000:]
    assert first is not app.window and not app.app.quitted
    app.window.close()
    app.tasks.wait()
