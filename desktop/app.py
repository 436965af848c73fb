"""The composition root: settings, database, services, then log-in and the main window.

Nothing else in desktop/ builds services; every page gets what it needs from here.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid

from core.config import Settings
from core.errors import explain
from desktop.services.events import AppEvents
from desktop.services.fonts import install_fonts
from desktop.services.qt_chinese import install_qt_chinese
from desktop.services.settings import LAST_USERNAME, UiSettings
from desktop.services.desk_start import DeskBuilder, build_desk
from desktop.services.tasks import TaskRunner
from desktop.strings import common as t
from desktop.views.login_dialog import LoginDialog  # before the desk's thread starts importing


def _subtitle(profile) -> str:
    return f"{profile.title}{profile.subtitle}"


def _glanced_subtitle(glance, settings: Settings) -> str:
    """The log-in's subtitle before the desk is built: the profile the database records."""
    from core.policy import load_profile

    try:
        return _subtitle(load_profile(glance.profile_id or settings.profile_id))
    except Exception:  # noqa: BLE001 - an unknown profile is the desk's to report; the desk's subtitle follows
        return t.APP_SUBTITLE


class DeskApp:
    """Log-in, main window, log-out, log-in again — until the person quits."""

    def __init__(self, app: QApplication, settings: Settings, ui: UiSettings, home: Path | None = None,
                 glance=None):
        """`glance` (schema.glance of the database, by main()): the database is ready to log in, so
        the desk is built in the background and the log-in window shows at once."""
        from core.config import data_dir

        self.app, self.settings, self.ui = app, settings, ui
        self.home = Path(home) if home else data_dir()  # the data directory: keys, backups, marker
        self.events = AppEvents()
        self.tasks = TaskRunner(self.events)  # writes announce their changes on these events
        self.window = None
        self.logging_out = False
        self.glance = glance
        self.backup_started = False
        self.exit_code = 0  # of a start that failed after the log-in window was up
        self._desk = None
        self._building = DeskBuilder(settings) if glance is not None else None
        if self._building is None:
            self.desk, _ = build_desk(settings)

    @property
    def desk(self):
        """The desk; waits for it while it is still being built (never on the GUI thread in
        practice: the log-in asks for it from its worker, long after the window is up)."""
        if self._desk is None and self._building is not None:
            self._desk, _ = self._building.wait()
        return self._desk

    @desk.setter
    def desk(self, desk) -> None:
        self._desk = desk

    @property
    def keys(self):
        return self.desk.keys

    def start(self) -> bool:
        if self._building is not None:  # ready to log in (schema.glance): no checks are due
            self._building.ready.connect(self.start_daily_backup)  # once the desk is built
            return self.show_login()
        from core.db import schema
        from core.db.installation import holds_installation
        from core.usecases import first_run, needs_first_run
        from desktop.views.first_run_dialog import FirstRunDialog

        if schema.is_missing(self.desk.db) and holds_installation(self.home):
            # never a silent fresh start: the person restores a backup or reinstalls on purpose
            if not self.resolve_missing_database():
                return False
        if needs_first_run(self.desk.db, self.home):
            from datetime import date

            from core.config import UNNAMED_COUNTER
            from core.usecases import ProfileChoice, bundled_profiles, default_choice

            desk = self.desk
            setup = lambda admin, clerk, profile_id, counter: first_run(  # noqa: E731
                desk.db, desk.profile, desk.keys, counter=counter, admin=admin, clerk=clerk,
                demo=desk.db.is_embedded, choice=ProfileChoice(profile_id))
            today = date.today()
            named = "" if desk.settings.counter == UNNAMED_COUNTER else desk.settings.counter
            dialog = FirstRunDialog(setup, self.tasks, profiles=bundled_profiles(today),
                                    default_profile=default_choice(desk.profile, today).profile_id,
                                    ask_counter=True, counter=named)
            if not dialog.exec():
                return False
            # from now on this counter's name (出具窗口, the audit chain's counter) is the one given
            desk.settings = dataclasses.replace(desk.settings, counter=dialog.counter_name())
            desk.refresh_profile()  # the policy chosen in the dialog
            # the counter account logs in first: the log-in asks for its password only
            self.ui.set(LAST_USERNAME, dialog.clerk.account().username)
        self.start_daily_backup()
        return self.show_login()

    def resolve_missing_database(self) -> bool:
        """The missing-database dialog: True once the database is restored or (after the typed
        confirmation) created empty for a new installation; False to quit."""
        from core.db import schema
        from core.db.backup import restore
        from core.db.installation import newest_backup
        from desktop.views.missing_database_dialog import REINSTALL, RESTORED, MissingDatabaseDialog

        db = self.desk.db
        dialog = MissingDatabaseDialog(db.file, newest_backup(self.home), lambda path: restore(path, db),
                                       self.tasks)
        self.missing_dialog = dialog
        if not dialog.exec():
            return False
        if dialog.choice == RESTORED:
            self.inform(dialog.outcome())
            return True
        if dialog.choice == REINSTALL:
            schema.upgrade(db)  # deliberate: an empty database; first run asks for a new administrator
            return True
        return False

    def inform(self, text: str) -> None:
        if text:
            QMessageBox.information(None, t.APP_TITLE, text)

    def start_daily_backup(self) -> None:
        """Today's backup of the embedded database (kept: the last 14), off the GUI thread.

        On the read pool: a backup only reads the database, and the log-in (a write) does not wait."""
        from core.db.backup import daily_backup
        from core.db.installation import backups_dir

        if self.backup_started:
            return
        self.backup_started = True
        if not self.desk.db.is_embedded:
            return
        self.tasks.query(daily_backup, self.desk.db, backups_dir(self.home),
                         on_error=lambda exc: self.tasks.error_message.emit(
                             t.BACKUP_FAILED.format(reason=explain(exc).message)))

    def show_login(self) -> bool:
        if self._desk is not None:
            login, subtitle = self._desk.login, _subtitle(self._desk.profile)
        else:  # the desk is still being built: the log-in's worker waits for it
            login = lambda username, password: self.desk.login(username, password)  # noqa: E731
            subtitle = _glanced_subtitle(self.glance, self.settings)
        dialog = LoginDialog(login, self.tasks, self.ui, subtitle=subtitle)
        if self._desk is None:  # the subtitle follows the deployment's choice as the desk reads it
            def follow() -> None:  # `ready` comes only after a desk was built
                if isValid(dialog):
                    dialog.set_subtitle(_subtitle(self.desk.profile))

            def fail(exc) -> None:  # as main() does for a desk that cannot be opened: say why, quit
                explained = explain(exc)
                self.exit_code = explained.exit_code
                if isValid(dialog):
                    dialog.reject()
                QMessageBox.critical(None, t.ERROR_TITLE, explained.message)

            self._building.ready.connect(follow)
            self._building.failed.connect(fail)
            if self._building.done.is_set() and self._building.error is None:
                follow()
            QTimer.singleShot(0, self._building.start)  # once the dialog's loop runs: it is up
        accepted, actor = dialog.exec(), dialog.actor
        dialog.deleteLater()  # a log-in dialog per log-out would otherwise pile up
        if not accepted:
            self.app.quit()
            return False
        from desktop.services.context import DeskContext
        from desktop.views.main_window import MainWindow

        ctx = DeskContext(self.desk, self.tasks, actor, self.ui, self.events)
        self.window = MainWindow(ctx)
        self.window.logout_requested.connect(self.logout)
        self.window.closed.connect(self._window_closed)
        self.window.show()
        return True

    def finish(self) -> None:
        """Quitting: today's backup is made even when the log-in was closed at once; the tasks
        (a log-out, the backup) and the desk's thread end first."""
        if self._building is not None:
            if not self.backup_started:
                try:
                    self._building.wait()
                except Exception:  # noqa: BLE001 - no desk, no backup: nothing to add on the way out
                    pass
                else:
                    self.start_daily_backup()
            self._building.finish()
        self.tasks.wait()

    def logout(self) -> None:
        actor = self.window.ctx.actor
        self.tasks.write(self.desk.logout, actor, on_error=lambda _: None)  # the window goes either way
        self.logging_out = True
        self.window.close()

    def _window_closed(self) -> None:
        self.window.deleteLater()
        if self.logging_out:
            self.logging_out = False
            QTimer.singleShot(0, self.show_login)
        else:
            self.app.quit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="creditdesk", description="信用报告窗口")
    parser.add_argument("--db", help="数据库地址（默认内置数据库）")
    parser.add_argument("--profile", help="政策配置（默认 suzhou-2024）")
    parser.add_argument("--self-test", action="store_true", help="无界面自检后退出")
    args = parser.parse_args(argv)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CreditDesk")
    app.setApplicationDisplayName(t.APP_TITLE)
    app.setQuitOnLastWindowClosed(False)
    install_fonts(app)
    install_qt_chinese(app)  # Qt's own dialogs in Chinese, including what Qt's catalogue misses
    try:
        settings = Settings.from_env(args.db, args.profile)
        from core.db.schema import glance

        desk_app = DeskApp(app, settings, UiSettings(), glance=glance(settings.db_url))
        if not desk_app.start():
            desk_app.finish()
            return desk_app.exit_code
    except Exception as exc:  # noqa: BLE001 - one sentence (and a logged reference), never a traceback
        explained = explain(exc)
        QMessageBox.critical(None, t.ERROR_TITLE, explained.message)
        return explained.exit_code
    code = app.exec()
    desk_app.finish()
    return code


if __name__ == "__main__":
    sys.exit(main())
