"""creditdesk-admin users: people and roles from the command line, on both databases."""
from __future__ import annotations

from tests.e2e.conftest import Cli


def test_add_list_disable_reset(cli: Cli):
    cli.extra_env["PW"] = "first-password"
    assert "已添加用户 zhang（张三，窗口人员）" in cli.ok("users", "add", "zhang", "--role", "窗口人员",
                                                 "--name", "张三", "--password-env", "PW").out
    cli.ok("users", "add", "li", "--role", "核验人员", "--password-env", "PW")
    listed = {u["username"]: u for u in cli.ok("users", "list", "--json").json()}
    assert (listed["zhang"]["role"], listed["zhang"]["active"]) == ("窗口人员", True)
    assert listed["li"]["role"] == "核验人员"
    cli.ok("users", "disable", "zhang")
    assert cli.ok("users", "list", "--json").json()[1]["active"] is False
    cli.extra_env["PW"] = "second-password"
    assert "已解锁" in cli.ok("users", "reset", "zhang", "--password-env", "PW").out
    assert cli.ok("users", "list", "--json").json()[1]["active"] is True


def test_refusals_are_one_plain_line(cli: Cli):
    cli.extra_env["PW"] = "short"
    cases = [
        ("users", "add", "wang", "--role", "老板", "--password-env", "PW"),  # unknown role
        ("users", "add", "wang", "--role", "主管", "--password-env", "PW"),  # password too short
        ("users", "add", "wang", "--role", "主管", "--password-env", "NOT_SET"),
        ("users", "add", "wang", "--role", "主管"),  # no terminal to ask on
        ("users", "disable", "nobody"),
    ]
    for args in cases:
        run = cli(*args)
        assert run.code != 0 and run.out == "", args
        assert len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err, run.err
    assert cli.ok("users", "list", "--json").json() == []
