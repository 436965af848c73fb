"""creditdesk-admin users and signing in: people and roles from the command line, on both databases."""
from __future__ import annotations

import re

from tests.e2e.conftest import PASSWORDS, Cli, audit_events

CJK = re.compile(r"[\u4e00-\u9fff]")
PEOPLE = ["admin", "clerk", "supervisor", "verifier"]  # what every `cli` starts with, by name


def one_line_refusal(run, *, quiet: bool = True) -> str:
    """Exit 2, one Chinese line on stderr (and, if quiet, nothing on stdout)."""
    assert run.code == 2 and (run.out == "" or not quiet), (run.args, run.code, run.out)
    assert "Traceback" not in run.err
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and CJK.search(lines[0]), run.err
    return lines[0]


def test_add_list_disable_reset(cli: Cli):
    admin = cli.admin.with_env(PW="first-password")
    assert "已添加用户 zhang（张三，窗口人员）" in admin.ok("users", "add", "zhang", "--role", "窗口人员",
                                                   "--name", "张三", "--password-env", "PW").out
    admin.ok("users", "add", "li", "--role", "核验人员", "--password-env", "PW")
    listed = {u["username"]: u for u in admin.ok("users", "list", "--json").json()}
    assert sorted(listed) == sorted([*PEOPLE, "li", "zhang"])
    assert (listed["zhang"]["role"], listed["zhang"]["name"], listed["zhang"]["active"]) == ("窗口人员", "张三", True)
    assert listed["li"]["role"] == "核验人员"
    # the new person signs in with the password from PW (not the administrator's)
    zhang = cli.as_user("zhang", "first-password")
    assert zhang.ok("lookup", "恒达", "--json").json() == []
    admin.ok("users", "disable", "zhang")
    assert {u["username"]: u["active"] for u in admin.ok("users", "list", "--json").json()}["zhang"] is False
    assert "停用" in one_line_refusal(zhang("lookup", "恒达"))
    assert "已解锁" in admin.with_env(PW="second-password").ok("users", "reset", "zhang", "--password-env", "PW").out
    assert {u["username"]: u["active"] for u in admin.ok("users", "list", "--json").json()}["zhang"] is True
    one_line_refusal(zhang("lookup", "恒达"))  # the old password no longer works
    cli.as_user("zhang", "second-password").ok("lookup", "恒达")


def test_refusals_are_one_plain_line(cli: Cli):
    admin = cli.admin.with_env(PW="short")
    cases = [
        ("users", "add", "wang", "--role", "老板", "--password-env", "PW"),  # unknown role
        ("users", "add", "wang", "--role", "主管", "--password-env", "PW"),  # password too short
        ("users", "add", "wang", "--role", "主管", "--password-env", "NOT_SET"),
        # no terminal to ask on; CREDITDESK_PASSWORD holds the administrator's own and is not taken
        ("users", "add", "wang", "--role", "主管"),
        ("users", "add", "clerk", "--role", "主管", "--password-env", "ADMIN_PW"),  # exists already
        ("users", "disable", "nobody"),
        ("users", "disable", "admin"),  # not oneself
    ]
    for args in cases:
        one_line_refusal(admin.with_env(ADMIN_PW=PASSWORDS["admin"])(*args))
    assert [u["username"] for u in admin.ok("users", "list", "--json").json()] == PEOPLE


def test_signing_in(cli: Cli):
    """--user and CREDITDESK_PASSWORD, or CREDITDESK_USER, or --password-env; a missing or wrong
    password is one line and exit 2."""
    nobody = one_line_refusal(cli("users", "list"))
    assert "--user" in nobody and "CREDITDESK_PASSWORD" in nobody
    no_password = one_line_refusal(cli.as_user("admin", "")("users", "list"))  # "" = not set
    assert "CREDITDESK_PASSWORD" in no_password
    wrong = one_line_refusal(cli.as_user("admin", "not-the-password")("users", "list"))
    assert "密码错误" in wrong
    unknown = one_line_refusal(cli.as_user("stranger", "any-password-1")("users", "list"))
    assert unknown == wrong.split("（")[0]  # the same words whether or not the name exists
    by_env = cli.with_env(CREDITDESK_USER="admin", CREDITDESK_PASSWORD=PASSWORDS["admin"])
    assert by_env.ok("users", "list", "--json").json()
    other_var = cli.as_user("admin", "").with_env(ADMIN_SECRET=PASSWORDS["admin"])
    assert other_var.ok("--password-env", "ADMIN_SECRET", "users", "list", "--json").json()
    unset_var = one_line_refusal(cli.as_user("admin")("--password-env", "NOT_SET", "users", "list"))
    assert "NOT_SET" in unset_var
    logins = [(e.actor, e.action) for e in audit_events(cli.db_url) if e.action.startswith("login")]
    assert logins[-4:] == [("admin", "login_failed"), ("stranger", "login_failed"),
                           ("admin", "login"), ("admin", "login")]


def test_init_admin_makes_the_first_administrator_once(home):
    tool = Cli(home)
    no_password = tool("init", "--admin", "boss")  # the schema is made; the administrator is not
    one_line_refusal(no_password, quiet=False)
    assert "CREDITDESK_PASSWORD" in no_password.err
    too_short = one_line_refusal(tool.with_env(CREDITDESK_PASSWORD="short")("init", "--admin", "boss"),
                                 quiet=False)
    assert "8" in too_short
    made = tool.with_env(CREDITDESK_PASSWORD="boss-password-1").ok("init", "--admin", "boss", "--name", "王主任")
    assert "boss" in made.out
    boss = tool.as_user("boss", "boss-password-1")
    assert [(u["username"], u["name"], u["role"]) for u in boss.ok("users", "list", "--json").json()] == [
        ("boss", "王主任", "管理员")]
    again = one_line_refusal(tool.with_env(CREDITDESK_PASSWORD="other-password-1")("init", "--admin", "other"),
                             quiet=False)
    assert "已有用户" in again
    assert "已是最新" in tool.ok("init").out  # plain init still upgrades the schema
    assert [e.action for e in audit_events(tool.db_url)][:1] == ["first_run"]
