"""The counter's whole day through the real start-up path: first run, log-in, the main window.

first run (demo data, key, administrator) → log in → type part of a name → pick the enterprise
→ untick some domains → preview → issue → print to a PDF file through QPrinter → the history
shows the report → verify it on the verify page → lock and unlock → log out.
"""
from __future__ import annotations

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest

from core.config import Settings
from core.db.engine import Database
from core.policy import load_profile
from core.services.desk import CounterDesk
from core.services.signing.keys import KeyService
from core.services.people.setup import first_run, needs_first_run
from core.services.people.users import Role
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.views.first_run_dialog import FirstRunDialog
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from tests.gui.test_counter_pages import shot, type_text


@pytest.fixture
def fresh_counter(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'counter.sqlite3'}")
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    settings = Settings(db_url=db.url, profile_id="suzhou-2024", counter="五号窗口")
    desk = CounterDesk(db, load_profile(), settings, keys)
    tasks = TaskRunner()
    yield desk, keys, tasks, UiSettings(tmp_path / "ui.ini")
    tasks.wait()
    db.dispose()


def test_whole_day_at_the_counter(qtbot, fresh_counter, tmp_path, screenshot_dir):
    desk, keys, tasks, ui = fresh_counter
    assert needs_first_run(desk.db)

    # First run: the newcomer sets the administrator's password; demo data and a key appear.
    setup = FirstRunDialog(lambda user, name, pw: first_run(desk.db, desk.profile, keys, username=user,
                                                            display_name=name, password=pw), tasks)
    qtbot.addWidget(setup)
    setup.show()
    setup.password.setText("counter-pass")
    setup.password2.setText("counter-pass")
    shot(setup, screenshot_dir, "day-1-first-run")
    with qtbot.waitSignal(setup.accepted, timeout=60000):
        setup.start.click()
    assert not needs_first_run(desk.db)

    # Log in: a wrong password is refused in plain words, the right one lets the person in.
    login = LoginDialog(desk.login, tasks, ui)
    qtbot.addWidget(login)
    login.show()
    login.user.setText("admin")
    login.password.setText("wrong-password")
    login.ok.click()
    qtbot.waitUntil(lambda: "用户名或密码错误" in login.message.text(), timeout=10000)
    shot(login, screenshot_dir, "day-2-login")
    login.password.setText("counter-pass")
    with qtbot.waitSignal(login.accepted, timeout=10000):
        login.ok.click()
    actor = login.actor
    assert (actor.username, actor.role, actor.counter) == ("admin", Role.ADMIN, "五号窗口")

    window = MainWindow(DeskContext(desk, tasks, actor, ui, AppEvents()))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.page_names == ["查询与出具", "核验", "出具记录"]
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=10000)
    assert "内置数据库" in window.db_label.text() and "五号窗口" in window.counter_label.text()

    # Look up by part of a name; pick the first enterprise.
    page = window.lookup_page
    QTest.keyClick(window, Qt.Key.Key_F2)
    type_text(page.search, "科技")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10000)
    assert all("科技" in (h.matched_name or h.name) for h in page.model.rows())
    page.select_hit(0)
    qtbot.waitUntil(lambda: page.report.content is not None, timeout=10000)
    chosen = page.report.content.enterprise

    # Untick three domains, preview, issue.
    for code in (1, 2, 3):
        page.report.checklist.boxes[code].setChecked(False)
    page.report.make_preview()
    qtbot.waitUntil(lambda: page.report.preview.page_count() >= 1 and not page.report.busy, timeout=20000)
    page.report.issue()
    qtbot.waitUntil(lambda: page.report.result is not None, timeout=20000)
    issued = page.report.result
    assert issued.content.domain_codes == tuple(range(4, 21))
    assert issued.content.enterprise.uscc == chosen.uscc
    shot(window, screenshot_dir, "day-3-issued")

    # Print to a PDF file through QPrinter; the printed file has the report's page count.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.report.print_with(printer)
    qtbot.waitUntil(lambda: not page.report.busy and (tmp_path / "printed.pdf").exists(), timeout=60000)
    assert len(pypdfium2.PdfDocument(str(tmp_path / "printed.pdf"))) == len(pypdfium2.PdfDocument(issued.pdf))

    # The history shows the report, printed once.
    window.show_page(window.page_names.index("出具记录"))
    history = window.history_page
    qtbot.waitUntil(lambda: history.model.index_of(issued.report_no) is not None, timeout=10000)
    row = history.model.row_at(history.model.index_of(issued.report_no))
    assert row.print_count == 1 and row.issued_by == "admin"
    shot(window, screenshot_dir, "day-4-history")

    # The same person verifies the code from the printed file (F5, then the file).
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.pages.currentWidget() is window.verify_page
    window.verify_page.open_file(str(tmp_path / "printed.pdf"))
    qtbot.waitUntil(lambda: window.verify_page.panel.state == "valid", timeout=30000)
    shot(window, screenshot_dir, "day-5-verified")

    # Idle lock hides the work until the password is given again.
    window.lock()
    assert window.locked and not window.centralWidget().isVisible()
    window.lock_dialog.password.setText("counter-pass")
    window.lock_dialog.ok.click()
    qtbot.waitUntil(lambda: not window.locked, timeout=10000)
    assert window.centralWidget().isVisible()

    with qtbot.waitSignal(window.logout_requested):
        window.logout_requested.emit()
    actions = [r.action for r in desk.audit.recent(username="admin")]
    assert {"login", "login_failed", "lookup", "issue", "print", "verify"} <= set(actions)


def test_a_verifier_sees_only_the_verify_page(qtbot, desk_env, make_ctx):
    window = MainWindow(make_ctx(Role.VERIFIER))
    qtbot.addWidget(window)
    assert window.page_names == ["核验"]
    assert window.lookup_page is None and window.history_page is None


def test_window_size_and_layout_are_remembered(qtbot, desk_env, make_ctx):
    ctx = make_ctx(Role.CLERK)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(760, 560)  # within the offscreen screen (800×600)
    window.show()
    size = (window.width(), window.height())
    assert size != (1366, 768)  # not the size a first start gets
    splitter = window.lookup_page.splitter
    splitter.setSizes([600, 600])
    splitter.splitterMoved.emit(600, 1)
    sizes = splitter.sizes()
    window.close()
    again = MainWindow(DeskContext(ctx.desk, ctx.tasks, ctx.actor, ctx.settings, AppEvents()))
    qtbot.addWidget(again)
    again.show()
    assert (again.width(), again.height()) == size
    assert again.lookup_page.splitter.sizes() == sizes
