"""What a start loads: the log-in window comes up without the report renderer, alembic, the pinyin
search or the spreadsheet reader; a command on a current database never loads alembic.

Each check runs in a fresh interpreter (a subprocess): sys.modules of the test process says nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("reportlab", "alembic", "pypinyin", "openpyxl")
LOGIN_HEAVY = HEAVY + ("sqlalchemy",)  # the log-in window shows before the desk (SQLAlchemy) is built

LOGIN = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop.app
seen = {}
def poll():
    w = QApplication.activeModalWidget()
    if w is not None and w.isVisible() and type(w).__name__ == "LoginDialog":
        seen["loaded"] = sorted(m for m in %r if m in sys.modules)
        seen["heading"] = w.heading.text()
        w.reject()
    else:
        QTimer.singleShot(5, poll)
QTimer.singleShot(0, poll)
code = desktop.app.main([])
seen["code"] = code
print(json.dumps(seen, ensure_ascii=False))
""" % (LOGIN_HEAVY,)


LOG_IN_AT_ONCE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import desktop.app
seen = {}
def poll():
    w = QApplication.activeModalWidget()
    if "asked" not in seen and w is not None and w.isVisible() and type(w).__name__ == "LoginDialog":
        seen["asked"] = True  # typed and sent at once: the desk is most likely still being built
        w.user.setText("clerk"); w.password.setText("password-1"); w.submit()
    for top in QApplication.topLevelWidgets():
        if type(top).__name__ == "MainWindow" and top.isVisible():
            seen["actor"] = top.ctx.actor.username
            import gc
            seen["frozen"] = gc.get_freeze_count() > 100_000  # desk_start.freeze_heap
            top.close()
            return
    QTimer.singleShot(5, poll)
QTimer.singleShot(0, poll)
seen["code"] = desktop.app.main([])
print(json.dumps(seen, ensure_ascii=False))
"""


@pytest.fixture
def home(tmp_path):
    """A data directory with a ready embedded database: the schema at its head and its people."""
    from core.db import schema
    from core.db.engine import Database
    from core.services.people.setup import Account, create_first_people

    env = _env(tmp_path)
    db = Database(f"sqlite:///{tmp_path / 'creditdesk.sqlite3'}")
    schema.upgrade(db)
    create_first_people(db, "一号窗口", Account("admin", "管理员", "password-1"),
                        Account("clerk", "窗口人员", "password-1"))
    db.dispose()
    return tmp_path, env


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDITDESK_")}
    return {**env, "CREDITDESK_HOME": str(home), "XDG_CONFIG_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT)}


def _run(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_log_in_window_shows_before_the_heavy_modules_load(home):
    _, env = home
    out = _run(LOGIN, env)
    assert out.returncode == 0, out.stderr
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["loaded"] == []  # no renderer, alembic, pinyin or spreadsheet reader yet
    assert "专用信用报告" in seen["heading"]  # the configured profile's title, as before
    assert seen["code"] == 0
    # today's backup was still made, after the desk was built behind the window
    assert list((home[0] / "backups").glob("creditdesk-*.sqlite3"))


def test_a_log_in_sent_before_the_desk_is_built_opens_the_main_window(home):
    from core.db.engine import Database

    folder, env = home
    out = _run(LOG_IN_AT_ONCE, env)
    assert out.returncode == 0, out.stderr
    # ... and the start-up heap (~300,000 objects) is out of the garbage collector's sight: a full
    # collection would otherwise walk it with the GIL held (~80 ms of GUI thread here, each time)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"asked": True, "actor": "clerk", "frozen": True,
                                                               "code": 0}
    db = Database(f"sqlite:///{folder / 'creditdesk.sqlite3'}")
    with db.engine.connect() as conn:  # the log-in was recorded, as any log-in is
        actions = [row[0] for row in conn.exec_driver_sql(
            "SELECT action FROM audit_events WHERE actor = 'clerk'")]
    db.dispose()
    assert actions.count("login") == 1, actions


def test_a_command_on_a_current_database_never_loads_alembic(home):
    _, env = home
    code = ("import sys\nfrom core.cli import main\nrc = main(['--user', 'admin', 'users', 'list', '--json'])\n"
            f"print(rc, sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = _run(code, {**env, "CREDITDESK_PASSWORD": "password-1"})
    assert out.returncode == 0, out.stderr
    *listing, last = out.stdout.strip().splitlines()
    assert {user["username"] for user in json.loads("\n".join(listing))} == {"admin", "clerk"}
    assert last.split(" ", 1) == ["0", "[]"]  # the schema was checked (at its head) without alembic


@pytest.mark.parametrize("argv", [["--help"], ["uscc", "91320000134775223D"]])
def test_commands_without_a_database_load_no_database_code(argv):
    """`--help` and `uscc` answer without SQLAlchemy, the renderer or alembic."""
    code = (f"import sys\nfrom core.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {LOGIN_HEAVY!r} if m in sys.modules))")
    out = _run(code, _env(Path("/nonexistent")))
    assert ("creditdesk-admin" if argv == ["--help"] else "91320000134775223D") in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_desk_that_cannot_be_built_behind_the_window_says_why_and_quits(home):
    """The same sentence and exit code as when the desk was built before any window."""
    _, env = home
    code = ("from PySide6.QtWidgets import QMessageBox\n"
            "QMessageBox.critical = staticmethod(lambda parent, title, text: print('critical:', text))\n"
            "import desktop.app\nprint('exit:', desktop.app.main([]))\n")
    out = _run(code, {**env, "CREDITDESK_PROFILE": "no-such-profile"})
    lines = [line for line in out.stdout.splitlines() if line.startswith(("critical:", "exit:"))]
    assert len(lines) == 2 and lines[0].startswith("critical: 未找到政策配置“no-such-profile”"), out.stdout
    assert lines[1] == "exit: 2"
