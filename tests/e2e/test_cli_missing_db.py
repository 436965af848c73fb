"""A vanished embedded database is never replaced silently (issue 8, part 4), and comes back from
a backup with `restore` (part 5): creditdesk-admin as a real process."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import PASSWORD_ENV, Cli

MISSING = "数据库文件不见了"
CODE = "91320506MA1XXXXXX0"

# Every command of the parser but init and uscc, with arguments good enough to reach the database.
COMMANDS = {
    "demo": ("demo", "--enterprises", "5"),
    "import": ("import", "enterprises", "{tmp}/e.csv"),
    "lookup": ("lookup", "恒达"),
    "report-content": ("report", "content", "--uscc", CODE),
    "report-issue": ("report", "issue", "--uscc", CODE, "--out", "{tmp}/r.pdf"),
    "report-show": ("report", "show", "SZ-2026-00000001"),
    "report-list": ("report", "list"),
    "report-save": ("report", "save", "SZ-2026-00000001", "--out", "{tmp}/s.pdf"),
    "report-revoke": ("report", "revoke", "SZ-2026-00000001", "--reason", "作废"),
    "verify": ("verify", "123456"),
    "keys-init": ("keys", "init"),
    "keys-list": ("keys", "list"),
    "keys-export-public": ("keys", "export-public", "--out", "{tmp}/t.json"),
    "keys-retire": ("keys", "retire", "abcdef12"),
    "users-add": ("users", "add", "x", "--role", "窗口人员", "--password-env", PASSWORD_ENV),
    "users-list": ("users", "list"),
    "users-disable": ("users", "disable", "clerk"),
    "users-reset": ("users", "reset", "clerk", "--password-env", PASSWORD_ENV),
    "audit-verify": ("audit", "verify"),
    "audit-checkpoint": ("audit", "checkpoint", "--out", "{tmp}/c.json"),
    "backup": ("backup", "--out", "{tmp}/b.sqlite3"),
    "penalties-unstated": ("penalties", "unstated"),
    "profile-list": ("profile", "list"),
    "profile-use": ("profile", "use", "national-2025"),
    "report-reissue": ("report", "reissue", "SZ-2026-00000001", "--out", "{tmp}/ri.pdf"),
    "objection-file": ("objection", "file", "--uscc", CODE, "--kind", "enterprise", "--record", "基本信息",
                       "--grounds", "信息错误", "--by", "张伟"),
    "objection-list": ("objection", "list"),
    "objection-show": ("objection", "show", "1"),
    **{f"objection-{step}": ("objection", step, "1", "--reason", "理由")
       for step in ("accept", "supplement", "reject", "check", "refer", "answer", "withdraw")},
    "objection-resolve": ("objection", "resolve", "1", "--outcome", "维持", "--reason", "理由"),
    "repair-apply": ("repair", "apply", "--record", "苏环行罚〔2026〕1号"),
    "repair-list": ("repair", "list"),
    **{f"repair-{step}": ("repair", step, "1", "--reason", "理由") for step in ("accept", "consult", "sync")},
    "repair-decide": ("repair", "decide", "1", "--grant", "--reason", "理由"),
    "calendar-import": ("calendar", "import", "{tmp}/e.csv"),
    "calendar-show": ("calendar", "show", "2027"),
    "stats": ("stats", "--json"),
}


def test_the_list_covers_every_command_but_init_and_uscc():
    from core.cli import build_parser

    (top,) = [a for a in build_parser()._actions if a.dest == "command"]
    names = set()
    for name, sub in top.choices.items():
        nested = [a for a in sub._actions if a.dest == f"{name}_command"]
        names |= {f"{name}-{n}" for n in nested[0].choices} if nested else {name}
    assert names - {"init", "uscc", "restore"} == set(COMMANDS)


@pytest.fixture
def installed(people_template_sqlite, home, launcher) -> Cli:
    """An installation (the people, a signing key, a backup) whose database is then deleted."""
    home.mkdir(parents=True)
    for part in people_template_sqlite.parent.glob(f"{people_template_sqlite.name}*"):
        shutil.copy2(part, home / part.name)
    tool = Cli(home).fast(launcher)
    tool.admin.ok("keys", "init", "--label", "本窗口")
    (home / "backups").mkdir()
    tool.admin.ok("backup", "--out", home / "backups" / "creditdesk-20261126.sqlite3")
    return tool


def remove_database(home: Path) -> Path:
    db = home / "creditdesk.sqlite3"
    for part in home.glob("creditdesk.sqlite3*"):
        part.unlink()
    return db


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_on_a_missing_database_exits_2(installed, home, tmp_path, name):
    db = remove_database(home)
    (tmp_path / "e.csv").write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    args = [part.format(tmp=tmp_path) for part in COMMANDS[name]]
    run = installed.admin(*args)
    assert run.code == 2, f"{args} exited {run.code}: {run.out}{run.err}"
    assert "Traceback" not in run.err
    (line,) = run.err_lines
    assert MISSING in line and str(db) in line and "creditdesk-20261126.sqlite3" in line, line
    assert not db.exists(), f"{args} created a new database file"


def test_an_empty_database_file_is_missing_too(installed, home):
    db = remove_database(home)
    db.write_bytes(b"")
    run = installed.admin("lookup", "恒达")
    assert run.code == 2 and MISSING in run.err
    assert db.stat().st_size == 0


def test_uscc_needs_no_database_and_init_creates_it(installed, home):
    db = remove_database(home)
    assert installed("uscc", CODE).code in (0, 1)
    assert not db.exists()
    installed.ok("init")
    assert db.is_file()
    assert installed("lookup", "x").code == 2  # a new, empty database: nobody can sign in yet


def test_a_new_machine_without_init_is_refused_too(tmp_path, launcher):
    tool = Cli(tmp_path / "new-home").fast(launcher)
    run = tool.as_user("admin")("lookup", "x")
    assert run.code == 2 and MISSING in run.err and "最近的备份：无" in run.err
    assert not (tmp_path / "new-home" / "creditdesk.sqlite3").exists()


def test_restore_brings_it_back_as_an_administrator_of_the_backup(installed, home, tmp_path):
    backup = home / "backups" / "creditdesk-20261126.sqlite3"
    db = remove_database(home)

    run = installed("restore", backup, "--yes")  # nobody
    assert run.code == 2 and "--user" in run.err and not db.exists()
    run = installed.as_user("admin", "wrong-password-1")("restore", backup, "--yes")
    assert run.code == 2 and "密码" in run.err and not db.exists()
    run = installed.clerk("restore", backup, "--yes")
    assert run.code == 2 and "管理员" in run.err and not db.exists()
    run = installed.admin("restore", backup)  # no terminal and no --yes: asks for --yes
    assert run.code == 2 and "--yes" in run.err and not db.exists()

    run = installed.admin("restore", backup, "--yes")
    assert run.code == 0, run.err
    assert "审计链完好" in run.out
    assert installed.admin.ok("audit", "verify", "--json").json()["ok"] is True


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"SQLite format 3\x00" + b"\x00" * 100])
def test_restore_refuses_a_file_that_is_not_a_backup(installed, home, tmp_path, content):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = (home / "creditdesk.sqlite3").read_bytes()
    run = installed.admin("restore", bad, "--yes")
    assert run.code == 2 and "不是" in run.err, run.err
    assert (home / "creditdesk.sqlite3").read_bytes() == before


def test_backup_refuses_an_existing_file_without_force(installed, tmp_path):
    out = tmp_path / "exists.sqlite3"
    out.write_text("keep", encoding="utf-8")
    run = installed.admin("backup", "--out", out)
    assert run.code == 2 and "--force" in run.err and out.read_text(encoding="utf-8") == "keep"
    installed.admin.ok("backup", "--out", out, "--force")
    assert out.read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize("name", ["lookup", "report-issue", "import", "users-add"])
def test_a_read_only_database_is_refused_with_the_reason(installed, home, tmp_path, name):
    from tests.read_only import read_only

    (tmp_path / "e.csv").write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    args = [part.format(tmp=tmp_path) for part in COMMANDS[name]]
    db = home / "creditdesk.sqlite3"
    with read_only(db):
        run = installed.admin(*args)
    assert run.code == 2, f"{args} exited {run.code}: {run.out}{run.err}"
    assert "Traceback" not in run.err and "disk I/O" not in run.err and "readonly" not in run.err
    (line,) = run.err_lines
    assert "数据库文件不可读写" in line and str(db) in line, line
