"""`creditdesk-admin profile list|use`: the deployment's policy profile, its period and extension."""
from __future__ import annotations

from tests.desks import TEST_EXTENSION
from tests.e2e.conftest import audit_events, last_seq
from tests.factories import new_uscc


def test_list_use_extension_and_refusal(cli, tmp_path):
    listed = {p["id"]: p for p in cli.clerk.ok("profile", "list", "--json").json()}
    suzhou, national = listed["suzhou-2024"], listed["national-2025"]
    assert (suzhou["valid_from"], suzhou["valid_to"]) == ("2024-03-01", "2026-02-28")
    assert suzhou["in_use"] and suzhou["recorded"] and suzhou["in_force"]
    assert (suzhou["extended_by"], suzhou["extended_until"]) == (TEST_EXTENSION[0], TEST_EXTENSION[1].isoformat())
    assert (national["valid_to"], national["in_use"], national["in_force"]) == (None, False, True)

    seq = last_seq(cli.db_url)
    back = cli.admin.ok("profile", "use", "suzhou-2024")  # as published: the trial has ended
    assert "2026-02-28" in back.out
    assert [(e.action, e.details) for e in audit_events(cli.db_url, seq) if e.action != "login"] == [
        ("profile", {"profile": "suzhou-2024", "extended_by": None, "until": None})]
    out = tmp_path / "r.pdf"
    refused = cli.clerk("report", "issue", "--uscc", new_uscc(), "--out", str(out))
    assert refused.code == 2 and not out.exists()
    assert "苏府规字〔2024〕1号" in refused.err and "有效期已于 2026-02-28 结束" in refused.err
    assert "Traceback" not in refused.err

    cli.admin.ok("profile", "use", "suzhou-2024", "--extended-by", "苏府办〔2026〕12号", "--until", "2027-02-28")
    line = [ln for ln in cli.clerk.ok("profile", "list").out.splitlines() if "suzhou-2024" in ln][0]
    assert line.startswith("*") and "经苏府办〔2026〕12号延长至 2027-02-28" in line


def test_refusals_exit_2(cli):
    cases = [
        (cli.clerk, ("profile", "use", "national-2025"), "管理员"),
        (cli.admin, ("profile", "use", "national-2025", "--extended-by", "某文件", "--until", "2030-01-01"),
         "没有截止日期"),
        (cli.admin, ("profile", "use", "suzhou-2024", "--extended-by", "某文件", "--until", "2026-01-01"),
         "应晚于"),
        (cli.admin, ("profile", "use", "suzhou-2024", "--until", "2027-01-01"), "同时给出"),
        (cli.admin, ("profile", "use", "nowhere-1999"), "未找到政策配置"),
    ]
    for tool, args, words in cases:
        run = tool(*args)
        assert run.code == 2, (args, run.err)
        assert words in run.err and "Traceback" not in run.err
    assert cli.admin.ok("profile", "use", "national-2025").out
    assert [p["id"] for p in cli.clerk.ok("profile", "list", "--json").json() if p["in_use"]] == ["national-2025"]
