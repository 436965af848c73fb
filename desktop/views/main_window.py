"""The shell: pages the role allows, a navigation bar, a status bar, shortcuts and the idle lock."""
from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication, QButtonGroup, QHBoxLayout, QLabel, QMainWindow, QPushButton, QStackedWidget,
    QVBoxLayout, QWidget,
)

from core.usecases import Permission
from desktop.services.context import DeskContext
from desktop.services.errors import database_sentence
from desktop.services.settings import IDLE_LOCK_MINUTES
from desktop.strings import common as t
from desktop.strings import objections as OS
from desktop.views.login_dialog import LoginDialog

STATUS_REFRESH_MS = 5_000  # a lost, moved or read-only database shows within seconds
STATUS_TEXT_PX = 420  # the database's state in the status bar, at most this wide
ERROR_SHOWN_MS = 15_000  # an error no page took stays this long in the status bar


def _database_state(desk):
    """The status bar's periodic check (off the GUI thread): connection, and for the embedded
    file whether it is still there and writable."""
    status = desk.status()
    return status, desk.db.health() if status.embedded else None


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without a key press or mouse action anywhere in the app."""

    idle = Signal()
    _ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel}

    def __init__(self, minutes: int, parent: QObject | None = None):
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.idle)
        QApplication.instance().installEventFilter(self)
        self.timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in self._ACTIVITY and self.timer.isActive():
            self.timer.start()
        return False

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)


class MainWindow(QMainWindow):
    logout_requested = Signal()
    closed = Signal()

    status_interval_ms = STATUS_REFRESH_MS  # tests may shorten it on the class or the instance

    def __init__(self, ctx: DeskContext, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(t.WINDOW_TITLE.format(app=t.APP_TITLE, name=ctx.actor.display_name,
                                                  role=ctx.actor.role.value, counter=ctx.actor.counter))
        self.pages = QStackedWidget()
        self.nav = QButtonGroup(self)
        self.page_names: list[str] = []
        bar = QHBoxLayout()
        for name, page in self._build_pages():
            button = QPushButton(name)
            button.setCheckable(True)
            button.setMinimumHeight(40)
            button.setStyleSheet("QPushButton{font-size:13pt;padding:4px 18px}"
                                 "QPushButton:checked{background:#1a5fb4;color:white;border-radius:4px}")
            if page is getattr(self, "objections_page", None):
                button.setToolTip(OS.PAGE_TIP)
            self.nav.addButton(button, len(self.page_names))
            bar.addWidget(button)
            self.pages.addWidget(page)
            self.page_names.append(name)
        bar.addStretch(1)
        self.nav.idClicked.connect(self.show_page)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._build_shortcuts()
        self.idle = IdleWatcher(ctx.settings.get(IDLE_LOCK_MINUTES), self)
        self.idle.idle.connect(self.lock)
        self.locked = False
        self.show_page(0)
        geometry = ctx.settings.geometry("main_window")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1366, 768)
        self.fit_screen()

    def fit_screen(self) -> None:
        """Never wider or taller than the screen's free area (a 1024×768 counter PC, a saved
        size from a bigger monitor): the pages reflow to what is there."""
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            return
        free = screen.availableGeometry()
        if self.width() > free.width() or self.height() > free.height():
            self.resize(min(self.width(), free.width()), min(self.height(), free.height()))

    # -- pages ----------------------------------------------------------------------------

    def _build_pages(self):
        from desktop.views.history_page import HistoryPage
        from desktop.views.lookup_page import LookupPage
        from desktop.views.objections_page import ObjectionsPage
        from desktop.views.verify_page import VerifyPage

        actor = self.ctx.actor
        self.lookup_page = LookupPage(self.ctx) if actor.can(Permission.LOOKUP) else None
        self.verify_page = VerifyPage(self.ctx) if actor.can(Permission.VERIFY) else None
        self.history_page = HistoryPage(self.ctx) if actor.can(Permission.HISTORY) else None
        self.objections_page = (ObjectionsPage(self.ctx) if actor.can(Permission.OBJECTION_DECIDE)
                                else None)
        from desktop.views.stats_page import StatsPage
        from desktop.strings import stats as ST

        self.stats_page = StatsPage(self.ctx) if actor.can(Permission.STATS) else None
        pages = [(name, page) for name, page in (
            (t.PAGE_LOOKUP, self.lookup_page), (t.PAGE_VERIFY, self.verify_page),
            (t.PAGE_HISTORY, self.history_page), (OS.PAGE_OBJECTIONS, self.objections_page),
            (ST.PAGE, self.stats_page))
            if page is not None]
        self.import_page = None
        self.people_page = self.audit_page = None
        if not pages:  # an administrator: no counter pages, the way to their tools instead
            from desktop.views.admin_page import AdminPage
            from desktop.strings import imports as IS
            from desktop.views.import_page import ImportPage

            self.import_page = ImportPage(self.ctx) if actor.can(Permission.IMPORT) else None
            pages = [(IS.PAGE, self.import_page)] if self.import_page is not None else []
            from desktop.strings import audit as AUS, people as PS
            from desktop.views.audit_page import AuditPage
            from desktop.views.people_page import PeoplePage

            self.people_page = PeoplePage(self.ctx) if actor.can(Permission.MANAGE_USERS) else None
            self.audit_page = AuditPage(self.ctx) if actor.can(Permission.AUDIT) else None
            pages += [(n, p) for n, p in ((PS.PAGE, self.people_page), (AUS.PAGE, self.audit_page)) if p]
            pages.append((t.PAGE_ADMIN, AdminPage(self.ctx)))
        yield from pages

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.nav.button(index).setChecked(True)
        page = self.pages.currentWidget()
        if page is self.lookup_page and hasattr(page, "focus_search"):
            page.focus_search()
        elif page is not None:
            page.setFocus()

    def _go(self, page) -> None:
        if page is not None:
            self.show_page(self.pages.indexOf(page))

    # -- chrome ---------------------------------------------------------------------------

    def _build_status_bar(self) -> None:
        actor = self.ctx.actor
        self.user_label = QLabel(t.STATUS_USER.format(name=actor.display_name, role=actor.role.value))
        self.counter_label = QLabel(t.STATUS_COUNTER.format(counter=actor.counter))
        self.db_label = QLabel()
        self.database_problem: str | None = None
        self._last_status = None  # the last answer of the periodic check
        self.busy_label = QLabel()
        for label in (self.user_label, self.counter_label, self.db_label):
            self.statusBar().addPermanentWidget(label)
        from desktop.strings import people as PS, settings as SS

        self.password_button = QPushButton(PS.OWN_BUTTON)
        self.password_button.clicked.connect(self.change_password)
        self.settings_button = QPushButton(SS.BUTTON) if actor.can(Permission.SETTINGS) else None
        for button in (self.password_button, self.settings_button):
            if button is not None:
                button.setFlat(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stays within the page
                self.statusBar().addPermanentWidget(button)
        if self.settings_button is not None:
            self.settings_button.clicked.connect(self.open_settings)
        self.statusBar().addWidget(self.busy_label)
        # Bound methods, not lambdas: the runner outlives this window (log-out, log-in again)
        # and Qt disconnects a receiver's slots when it is deleted.
        self.write_problem: str | None = None  # the last write the database refused, until one succeeds
        self.ctx.tasks.busy_changed.connect(self._show_busy)
        self.ctx.tasks.error_message.connect(self._show_error)
        self.ctx.tasks.database_state.connect(self._database_answer)
        self.status_timer = QTimer(self, interval=self.status_interval_ms)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()
        self.refresh_status()

    def change_password(self) -> bool:
        from desktop.views.password_dialog import change_own_password

        return change_own_password(self.ctx, self)

    def open_settings(self) -> bool:
        from desktop.views.settings_dialog import open_settings

        saved = open_settings(self.ctx, self)
        if saved:  # the idle lock follows the new minutes at once
            self.idle.timer.setInterval(max(1, self.ctx.settings.get(IDLE_LOCK_MINUTES)) * 60_000)
            if not self.locked:
                self.idle.timer.start()
        return saved

    def _show_busy(self, busy: bool) -> None:
        self.busy_label.setText(t.STATUS_BUSY if busy else "")

    def _show_error(self, text: str) -> None:
        self.statusBar().showMessage(text, ERROR_SHOWN_MS)

    def refresh_status(self) -> None:
        # status() reports a lost database itself; anything else would repeat every few seconds, so it stays quiet.
        self.ctx.tasks.query(_database_state, self.ctx.desk, lane=(self, "status"), on_done=self._show_status,
                             on_error=lambda _: None)

    def _database_answer(self, problem: str, write: bool) -> None:
        """A task just found the database unusable: red at once. A refused write stays red until
        a write goes through (the periodic check only reads); a failed read until the check."""
        if problem:
            if write:
                self.write_problem = problem
            self._paint_status(self._last_status, problem)
        elif self.write_problem:
            self.write_problem = None
            self.refresh_status()

    def _show_status(self, state) -> None:
        status, problem = state
        if problem:
            problem = database_sentence(problem)
        elif self.write_problem:
            # reads work (the check) but the last write was refused: still red until one succeeds
            problem = self.write_problem
        self._paint_status(status, problem)

    def _paint_status(self, status, problem: str | None) -> None:
        self._last_status = status
        if status is None:  # a task failed before the first check answered
            shown = self.db_label.fontMetrics().elidedText(problem, Qt.TextElideMode.ElideRight, STATUS_TEXT_PX)
            self.db_label.setText(f"<span style='color:#c01c28'>{html.escape(shown)}</span>")
            self.db_label.setToolTip(problem)
            self.database_problem = problem
            return
        kind = t.STATUS_DB_EMBEDDED if status.embedded else t.STATUS_DB_SHARED
        connected = status.connected and not problem
        if problem:  # gone, moved or read-only: red, with the reason (health() says 数据库不可用：…)
            text = problem if problem.startswith("数据库不可用") else t.STATUS_UNAVAILABLE.format(reason=problem)
        else:
            text = t.STATUS_CONNECTED if connected else t.STATUS_DISCONNECTED
        color = "#26a269" if connected else "#c01c28"
        # A long reason (a path) would widen the window past the screen: shortened here, whole in
        # the tooltip (the page that failed says it whole too).
        shown = self.db_label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, STATUS_TEXT_PX)
        self.db_label.setText(f"{kind}：<span style='color:{color}'>{html.escape(shown)}</span>")
        self.db_label.setToolTip(f"{status.location}\n{problem}" if problem else status.location)
        self.database_problem = problem

    def _build_shortcuts(self) -> None:
        def bind(keys, slot) -> None:
            QShortcut(QKeySequence(keys), self, activated=slot,
                      context=Qt.ShortcutContext.WindowShortcut)

        bind("F2", lambda: self._go(self.lookup_page))
        bind("F5", lambda: self._go(self.verify_page))
        bind("F6", lambda: self._go(self.objections_page))
        bind("Ctrl+P", self._print)
        bind("Esc", self._escape)
        menu = self.menuBar().addMenu("系统")
        for text, slot, keys in ((t.MENU_LOCK, self.lock, "Ctrl+L"),
                                 (t.MENU_LOGOUT, self.logout_requested.emit, None),
                                 (t.MENU_QUIT, self.close, "Ctrl+Q")):
            action = QAction(text, self)
            action.triggered.connect(slot)
            if keys:
                action.setShortcut(QKeySequence(keys))
            menu.addAction(action)

    def _print(self) -> None:
        if self.pages.currentWidget() is self.lookup_page and hasattr(self.lookup_page, "print_current"):
            self.lookup_page.print_current()

    def _escape(self) -> None:
        page = self.pages.currentWidget()
        if hasattr(page, "escape"):
            page.escape()
        elif self.pages.currentIndex() != 0:
            self.show_page(0)

    # -- idle lock ------------------------------------------------------------------------

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.centralWidget().hide()
        actor = self.ctx.actor
        profile = self.ctx.desk.profile
        dialog = LoginDialog(self.ctx.desk.login, self.ctx.tasks, self.ctx.settings, self,
                             title=t.LOCK_TITLE, fixed_user=actor.username,
                             subtitle=f"{profile.title}{profile.subtitle}")
        dialog.message.setStyleSheet("")
        dialog.message.setText(t.LOCK_TEXT.format(name=actor.display_name))
        self.lock_dialog = dialog
        dialog.finished.connect(self._unlocked)
        dialog.open()

    def _unlocked(self, result: int) -> None:
        self.locked = False
        if result:
            self.centralWidget().show()
            self.idle.timer.start()
        else:
            self.logout_requested.emit()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.ctx.settings.set_geometry("main_window", self.saveGeometry())
        self.ctx.settings.sync()
        self.detach()
        super().closeEvent(event)
        self.closed.emit()

    def detach(self) -> None:
        """Closed (log-out, idle log-out, quit): nothing app-wide reaches this window any more.

        The task helper, the app's events and the application object outlive it; a signal
        still connected to a window that is being deleted is how tracebacks "Internal C++ object
        already deleted" came after each log-out. Runs once (close and log-out both call it)."""
        if getattr(self, "_detached", False):
            return
        self._detached = True
        self.status_timer.stop()
        self.idle.stop()
        for signal, slot in ((self.ctx.tasks.busy_changed, self._show_busy),
                             (self.ctx.tasks.error_message, self._show_error),
                             (self.ctx.tasks.database_state, self._database_answer)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # already detached
        for page in (self.pages.widget(i) for i in range(self.pages.count())):
            if hasattr(page, "detach"):
                page.detach()
