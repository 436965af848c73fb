"""The counter's whole day through the real start-up path: first run, log-in, the main window.

first run (demo data, key, administrator and counter account) → the clerk logs in → types part
of a name → picks the enterprise → unticks some domains → preview → issue → print to a PDF file
through QPrinter → verifies it on the verify page → lock and unlock → log out; then a supervisor
finds the report in 出具记录, printed once.
"""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest

from core.config import Settings
from core.db.engine import Database
from core.policy import load_profile
from core.usecases import CounterDesk, ProfileChoice, bundled_profiles, default_choice
from core.services.signing.keys import KeyService
from core.services.people.setup import first_run, needs_first_run
from core.services.people.roles import Role
from core.states import AuditAction
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.views.first_run_dialog import FirstRunDialog
from desktop.views.login_dialog import LoginDialog
from desktop.views.main_window import MainWindow
from tests.gui.test_counter_pages import shot, type_text
from tests.pdf_pages import page_count


@pytest.fixture
def fresh_counter(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'counter.sqlite3'}")
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    settings = Settings(db_url=db.url, profile_id="suzhou-2024", counter="五号窗口")
    desk = CounterDesk(db, load_profile(), settings, keys)
    tasks = TaskRunner(AppEvents())
    yield desk, keys, tasks, UiSettings(tmp_path / "ui.ini")
    tasks.wait()
    db.dispose()


ADMIN_PASSWORD, CLERK_PASSWORD, SUPERVISOR_PASSWORD = "admin-pass-1", "counter-pass-1", "super-pass-1"


def test_whole_day_at_the_counter(qtbot, fresh_counter, tmp_path, screenshot_dir):
    """Every wait is on what its step produces — never on a state that was true before the step."""
    desk, keys, tasks, ui = fresh_counter
    assert needs_first_run(desk.db)

    # First run: the newcomer sets the administrator's and the counter account's passwords;
    # demo data and a key appear.
    # ... and, as the app does, which policy the counters issue under (each with its period).
    today = date.today()
    setup = FirstRunDialog(lambda admin, clerk, profile_id: first_run(
        desk.db, desk.profile, keys, counter=desk.settings.counter, admin=admin, clerk=clerk,
        choice=ProfileChoice(profile_id)), tasks,
        profiles=bundled_profiles(today), default_profile=default_choice(desk.profile, today).profile_id)
    qtbot.addWidget(setup)
    setup.show()
    for form, password in ((setup.admin, ADMIN_PASSWORD), (setup.clerk, CLERK_PASSWORD)):
        form.password.setText(password)
        form.password2.setText(password)
    shot(setup, screenshot_dir, "day-1-first-run")
    with qtbot.waitSignal(setup.accepted, timeout=60000):
        setup.start.click()
    assert not needs_first_run(desk.db)
    assert desk.profile_in_force(desk.login(setup.admin.account().username, ADMIN_PASSWORD)).id == \
        setup.profile.chosen()
    clerk_name = setup.clerk.account().username

    # Log in: a wrong password is refused in plain words, the right one lets the person in.
    login = LoginDialog(desk.login, tasks, ui)
    qtbot.addWidget(login)
    login.show()
    login.user.setText(clerk_name)
    login.password.setText("wrong-password")
    login.ok.click()
    qtbot.waitUntil(lambda: "用户名或密码错误" in login.message.text(), timeout=10000)
    shot(login, screenshot_dir, "day-2-login")
    login.password.setText(CLERK_PASSWORD)
    with qtbot.waitSignal(login.accepted, timeout=10000):
        login.ok.click()
    actor = login.actor
    assert (actor.username, actor.role, actor.counter) == (clerk_name, Role.CLERK, "五号窗口")

    window = MainWindow(DeskContext(desk, tasks, actor, ui, tasks.events))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.page_names == ["查询与出具", "核验"]
    qtbot.waitUntil(lambda: "已连接" in window.db_label.text(), timeout=10000)
    assert "内置数据库" in window.db_label.text() and "五号窗口" in window.counter_label.text()

    # Look up by part of a name; pick the first enterprise.
    page = window.lookup_page
    QTest.keyClick(window, Qt.Key.Key_F2)
    type_text(page.search, "科技")
    qtbot.waitUntil(lambda: not page.searching and page.model.rowCount() > 0, timeout=10000)
    assert all("科技" in (h.matched_name or h.name) for h in page.model.rows())
    page.select_hit(0)
    hit = page.current_hit()
    qtbot.waitUntil(lambda: page.report.content is not None
                    and page.report.content.enterprise.uscc == hit.uscc, timeout=10000)
    chosen = page.report.content.enterprise

    # Untick three domains, preview, issue.
    for code in (1, 2, 3):
        page.report.checklist.boxes[code].setChecked(False)
    assert page.report.preview.page_count() == 0
    page.report.make_preview()
    qtbot.waitUntil(lambda: page.report.preview.page_count() >= 1 and not page.report.busy, timeout=20000)
    with qtbot.waitSignal(page.report.issued, timeout=20000) as announced:
        page.report.issue()
    issued = page.report.result
    assert announced.args == [issued.report_no]
    assert issued.content.domain_codes == tuple(range(4, 21))
    assert issued.content.enterprise.uscc == chosen.uscc
    shot(window, screenshot_dir, "day-3-issued")

    # Print to a PDF file through QPrinter; the printed file has the report's page count.
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    page.report.print_with(printer)
    # The print job ends by counting the print; the panel says so only after both are done.
    qtbot.waitUntil(lambda: "第 1 次打印" in page.report.status.text(), timeout=60000)
    assert not page.report.busy
    assert page_count(str(tmp_path / "printed.pdf")) == page_count(issued.pdf)

    # The same person verifies the code from the printed file (F5, then the file).
    QTest.keyClick(window, Qt.Key.Key_F5)
    assert window.pages.currentWidget() is window.verify_page
    assert window.verify_page.panel.state == "idle"
    with qtbot.waitSignal(window.verify_page.verdict_shown, timeout=30000) as shown:
        window.verify_page.open_file(str(tmp_path / "printed.pdf"))
    assert shown.args[0].report_no == issued.report_no and window.verify_page.panel.state == "valid"
    shot(window, screenshot_dir, "day-4-verified")

    # Idle lock hides the work until the password is given again.
    window.lock()
    assert window.locked and not window.centralWidget().isVisible()
    window.lock_dialog.password.setText(CLERK_PASSWORD)
    with qtbot.waitSignal(window.lock_dialog.finished, timeout=10000):
        window.lock_dialog.ok.click()
    assert not window.locked
    assert window.centralWidget().isVisible()

    # Log out, recorded as the app records it.
    logged_out = []
    tasks.write(desk.logout, actor, on_done=lambda _: logged_out.append(actor.username))
    qtbot.waitUntil(lambda: logged_out == [clerk_name], timeout=10000)
    window.close()

    # The supervisor (added by the administrator) finds the report in 出具记录, printed once.
    admin = desk.login("admin", ADMIN_PASSWORD)
    desk.add_user(admin, "wangwu", SUPERVISOR_PASSWORD, Role.SUPERVISOR, "王五")
    supervisor = MainWindow(DeskContext(desk, tasks, desk.login("wangwu", SUPERVISOR_PASSWORD), ui, tasks.events))
    qtbot.addWidget(supervisor)
    supervisor.resize(1366, 768)
    supervisor.show()
    supervisor.show_page(supervisor.page_names.index("出具记录"))
    history = supervisor.history_page

    def listed():  # the row as the history shows it, once its list has loaded
        return history.model.row_at(history.model.index_of(issued.report_no))

    qtbot.waitUntil(lambda: listed() is not None, timeout=10000)
    assert listed().print_count == 1 and listed().issued_by == clerk_name
    shot(supervisor, screenshot_dir, "day-5-history")

    actions = {e.action for e in desk.audit_events(admin, limit=500, actor=clerk_name)}
    assert {AuditAction.LOGIN, AuditAction.LOGIN_FAILED, AuditAction.LOOKUP, AuditAction.ISSUE,
            AuditAction.REPRINT, AuditAction.VERIFY, AuditAction.LOGOUT} <= actions


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
