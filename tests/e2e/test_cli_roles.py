"""Who may run which command (issue 7), command by command, on both databases.

One table: every creditdesk-admin command, which roles may run it, and what a success leaves in
the audit chain. Each row is run without a person, with a wrong password and as each of the four
people; then the chain (read straight from `audit_events`, as a DBA would) must hold a `refused`
event for every refusal and the row's event for every success.

The rows share one prepared database per kind (module scope) and run through the e2e launcher
(one forked process per command, see conftest.py): about 150 commands per kind.
"""
from __future__ import annotations

import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest

from core import uscc
from tests.desks import TEST_EXTENSION
from tests.e2e.conftest import (PASSWORD_ENV, ROLES, Cli, Event, Run, audit_events, last_seq,
                                private_pg_schema, set_up_people)

CJK = re.compile(r"[\u4e00-\u9fff]")
KEY_ID = re.compile(r"\b[0-9a-f]{8}\b")
ANONYMOUS = "匿名"
PEOPLE = ("clerk", "verifier", "supervisor", "admin")  # the order each row runs them in
WRONG = "not-the-password-1"
NEW_PASSWORD = "a-new-password-2026"

EVERYONE = frozenset(PEOPLE)
COUNTER = frozenset({"clerk", "supervisor"})
SUPERVISOR = frozenset({"supervisor"})
ADMIN = frozenset({"admin"})
VERIFIERS = EVERYONE - ADMIN  # verify: anyone without --user; signed in, the roles of the table

_rng = random.Random(7007)
HENGDA, LVYUAN, HUAXIN = (uscc.generate(_rng, division="320506") for _ in range(3))
ENTERPRISES = [["统一社会信用代码", "企业名称", "法定代表人"],
               [HENGDA, "苏州恒达精密机械有限公司", "张伟"],
               [LVYUAN, "吴中区绿源环保科技有限公司", "李娜"],
               [HUAXIN, "苏州华新纺织有限公司", "王芳"]]
# 华新's one penalty: its report is corrected after issue (an upheld objection), so it may be reissued.
PENALTIES = [["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚内容", "处罚决定日期",
              "处罚机关", "数据来源单位", "领域", "程序类型", "决定类型"],
             ["苏州华新纺织有限公司", HUAXIN, "苏环行罚〔2026〕88号", "罚款", "罚款人民币2000元",
              (date.today() - timedelta(days=90)).isoformat(), "苏州市生态环境局", "苏州市生态环境局", "4",
              "普通程序", "给予处罚"]]


# --- the table -----------------------------------------------------------------------------------

Subject = Callable[[Run, dict], "str | None"]


@dataclass(frozen=True)
class Case:
    """One command. `args` may name {tmp}, {who}, {csv}, {uscc}, {report}, {corrected}, {revocable}, {qr},
    {spare_key} and {temp_user}, filled in from the prepared database."""

    id: str
    args: tuple[str, ...]
    allowed: frozenset[str]
    person: bool = True  # False: runs without anybody (uscc, verify, init)
    signs_in: bool = True  # False: --user and the password are not looked at (uscc, init)
    event: str | None = None  # what a success leaves in the audit chain
    subject: Subject | None = None  # ... and about what (None: not checked)
    writes: str | None = None  # a file that exists after a success only
    env: dict[str, str] = field(default_factory=dict)


def _out(name: str) -> str:
    return "{tmp}/" + name + "-{who}"


def _json_field(key: str) -> Subject:
    return lambda run, ctx: str(run.json()[key])


def _ctx(key: str) -> Subject:
    return lambda run, ctx: ctx[key]


def _key_id(run: Run, ctx: dict) -> str:
    (key_id,) = set(KEY_ID.findall(run.out))
    return key_id


NEW_PASSWORD_ENV = {"NEW_PW": NEW_PASSWORD}

CASES = [
    Case("init", ("init",), EVERYONE, person=False, signs_in=False),
    Case("uscc", ("uscc", "{uscc}"), EVERYONE, person=False, signs_in=False),
    Case("demo", ("demo", "--enterprises", "5", "--seed", "1"), ADMIN),  # data exists: no-op, exit 0
    Case("import", ("import", "enterprises", "{csv}", "--json"), ADMIN,
         event="import", subject=_json_field("batch_id")),
    Case("lookup", ("lookup", "恒达", "--json"), COUNTER),
    Case("report-content", ("report", "content", "--uscc", "{uscc}", "--json"), COUNTER),
    Case("report-issue", ("report", "issue", "--uscc", "{uscc}", "--out", _out("issue") + ".pdf", "--json"),
         COUNTER, event="issue", subject=_json_field("report_no"), writes=_out("issue") + ".pdf"),
    Case("report-reissue", ("report", "reissue", "{corrected}", "--out", _out("reissue") + ".pdf", "--json"),
         COUNTER, event="issue", subject=_json_field("report_no"), writes=_out("reissue") + ".pdf"),
    Case("report-show", ("report", "show", "{report}", "--json"), SUPERVISOR),
    Case("report-list", ("report", "list", "--json"), SUPERVISOR),
    Case("penalties-unstated", ("penalties", "unstated", "--json"), SUPERVISOR),
    Case("report-save", ("report", "save", "{report}", "--out", _out("save") + ".pdf"), COUNTER,
         event="save", subject=_ctx("report"), writes=_out("save") + ".pdf"),
    Case("report-revoke", ("report", "revoke", "{revocable}", "--reason", "作废"), SUPERVISOR,
         event="revoke", subject=_ctx("revocable")),
    Case("verify", ("verify", "{qr}", "--json"), VERIFIERS, person=False,
         event="verify", subject=_ctx("report")),
    Case("keys-init", ("keys", "init", "--label", "{who}"), ADMIN, event="key_create", subject=_key_id),
    Case("keys-list", ("keys", "list", "--json"), ADMIN),
    Case("keys-export-public", ("keys", "export-public", "--out", _out("trust") + ".json"), ADMIN,
         writes=_out("trust") + ".json"),
    Case("keys-retire", ("keys", "retire", "{spare_key}"), ADMIN, event="key_retire", subject=_ctx("spare_key")),
    Case("users-add", ("users", "add", "newcomer", "--role", "核验人员", "--password-env", "NEW_PW"), ADMIN,
         event="user_add", subject=lambda run, ctx: "newcomer", env=NEW_PASSWORD_ENV),
    Case("users-list", ("users", "list", "--json"), ADMIN),
    Case("users-disable", ("users", "disable", "{temp_user}"), ADMIN,
         event="user_disable", subject=_ctx("temp_user")),
    Case("users-reset", ("users", "reset", "{temp_user}", "--password-env", "NEW_PW"), ADMIN,
         event="user_reset", subject=_ctx("temp_user"), env=NEW_PASSWORD_ENV),
    Case("audit-verify", ("audit", "verify", "--json"), ADMIN, event="audit_verify"),
    Case("audit-checkpoint", ("audit", "checkpoint", "--out", _out("checkpoint") + ".json"), ADMIN,
         event="audit_checkpoint", writes=_out("checkpoint") + ".json"),
    Case("profile-list", ("profile", "list", "--json"), EVERYONE),
    Case("profile-use", ("profile", "use", "suzhou-2024", "--extended-by", TEST_EXTENSION[0], "--until",
                         TEST_EXTENSION[1].isoformat()), ADMIN, event="profile", subject=lambda run, ctx: "suzhou-2024"),
    Case("objection-file", ("objection", "file", "--uscc", "{uscc}", "--kind", "enterprise", "--record", "基本信息",
                            "--grounds", "信息错误", "--by", "{who}", "--json"), COUNTER,
         event="objection", subject=lambda run, ctx: f"异议{run.json()['objection_id']}"),
    Case("objection-list", ("objection", "list", "--json"), COUNTER),
    Case("objection-show", ("objection", "show", "{objection_accept}", "--json"), COUNTER),
    *(Case(f"objection-{step}", ("objection", step, f"{{objection_{step}}}", *extra, "--reason", "按规定办理"),
           SUPERVISOR, event="objection", subject=lambda run, ctx, step=step: f"异议{ctx[f'objection_{step}']}")
      for step, extra in (("accept", ()), ("supplement", ()), ("reject", ()), ("check", ()), ("refer", ()),
                          ("resolve", ("--outcome", "维持")), ("answer", ()))),
    Case("objection-withdraw", ("objection", "withdraw", "{objection_withdraw_{who}}", "--reason", "企业撤回"),
         COUNTER, event="objection", subject=lambda run, ctx: f"异议{run.args[-3]}"),
    Case("repair-apply", ("repair", "apply", "--record", "{repair_record_{who}}", "--json"), COUNTER,
         event="repair", subject=lambda run, ctx: f"修复申请{run.json()['application_id']}"),
    Case("repair-list", ("repair", "list", "--json"), COUNTER),
    *(Case(f"repair-{step}", ("repair", step, f"{{repair_{step}}}", *extra, "--reason", "按规定办理"),
           SUPERVISOR, event="repair", subject=lambda run, ctx, step=step: f"修复申请{ctx[f'repair_{step}']}")
      for step, extra in (("accept", ()), ("consult", ()), ("decide", ("--grant",)), ("sync", ()))),
    Case("calendar-import", ("calendar", "import", "{tmp}/calendar.csv", "--json"), ADMIN, event="calendar",
         subject=lambda run, ctx: "calendar.csv"),
    Case("calendar-show", ("calendar", "show", "2027", "--json"), EVERYONE),
    Case("stats", ("stats", "--json"), SUPERVISOR),
    Case("backup", ("backup", "--out", _out("backup") + ".bak"), ADMIN, writes=_out("backup") + ".bak"),
    # last: the administrator restores the backup made when the database was prepared
    Case("restore", ("restore", "{backup}", "--yes"), ADMIN),
]
COMMANDS = {c.id for c in CASES}


def test_the_table_covers_every_command():
    from core.cli import build_parser

    parser = build_parser()
    (top,) = [a for a in parser._actions if a.dest == "command"]
    names = set()
    for name, sub in top.choices.items():
        nested = [a for a in sub._actions if a.dest == f"{name}_command"]
        names |= {f"{name}-{n}" for n in nested[0].choices} if nested else {name}
    assert names == COMMANDS


# --- one prepared database per kind --------------------------------------------------------------

@dataclass
class Desk:
    tool: Cli  # nobody signed in; runs through the launcher
    url: str
    ctx: dict[str, str]


def _prepare(tool: Cli, tmp: Path) -> Desk:
    set_up_people(tool)
    admin, clerk = tool.admin, tool.clerk
    csv = tmp / "enterprises.csv"
    csv.write_text("\n".join(",".join(row) for row in ENTERPRISES) + "\n", encoding="utf-8")
    (tmp / "calendar.csv").write_text("日期,类型,说明\n2027-01-01,休,元旦（测试用，非真实通知）\n", encoding="utf-8")
    admin.ok("import", "enterprises", csv)
    admin.ok("import", "penalties", _penalties_csv(tmp), "--unit", "苏州市生态环境局")
    spare = set(KEY_ID.findall(admin.ok("keys", "init", "--label", "备用").out)).pop()
    admin.ok("keys", "init", "--label", "本窗口")  # the newest key signs; the spare may be retired
    keep = clerk.ok("report", "issue", "--uscc", HENGDA, "--out", tmp / "keep.pdf", "--json").json()
    revocable = clerk.ok("report", "issue", "--uscc", LVYUAN, "--out", tmp / "rev.pdf", "--json").json()
    admin.with_env(NEW_PW=NEW_PASSWORD).ok("users", "add", "temp", "--role", "窗口人员", "--password-env", "NEW_PW")
    corrected = _corrected_report(tool, tmp)
    # restore's own backup: the rows of one kind may run on different xdist workers, each with its
    # own prepared database, so restore must not rely on the backup row having run before it
    admin.ok("backup", "--out", tmp / "prepared.bak")
    ctx = {"backup": str(tmp / "prepared.bak"), "tmp": str(tmp), "csv": str(csv), "uscc": HENGDA, "report": keep["report_no"], "corrected": corrected,
           "revocable": revocable["report_no"], "qr": keep["qr_payload"], "spare_key": spare,
           "temp_user": "temp", **_objections(tool), **_repairs(tool)}
    return Desk(tool, tool.db_url, ctx)


REPAIR_STEPS = {"accept": (), "consult": ("accept",), "decide": ("accept", "consult"),
                "sync": ("accept", "consult", "decide")}
REPAIR_RECORDS = [f"苏环行罚〔2025〕{n}号" for n in range(201, 201 + len(REPAIR_STEPS) + 2)]


def _penalties_csv(tmp: Path) -> Path:
    path = tmp / "penalties.csv"
    rows = [["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期", "处罚机关",
             "数据来源单位", "领域", "程序类型", "决定类型"]]
    rows += [["苏州恒达精密机械有限公司", HENGDA, no, "罚款", "2025-05-10", "苏州市生态环境局", "苏州市生态环境局",
              "4", "普通程序", "给予处罚"] for no in REPAIR_RECORDS]
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _repairs(tool: Cli) -> dict[str, str]:
    """One application per step row in the state its step starts from; one penalty per counter
    person to apply for."""
    sup = tool.as_user("supervisor")
    ids = {}
    for record, (name, steps) in zip(REPAIR_RECORDS, REPAIR_STEPS.items()):
        made = sup.ok("repair", "apply", "--record", record, "--json").json()["application_id"]
        for step in steps:
            sup.ok("repair", step, str(made), "--reason", "准备", *(("--grant",) if step == "decide" else ()))
        ids[f"repair_{name}"] = str(made)
    spare = REPAIR_RECORDS[len(REPAIR_STEPS):]
    ids.update({"repair_record_clerk": spare[0], "repair_record_supervisor": spare[1]})
    for who in ("nobody", "wrong", "verifier", "admin"):
        ids[f"repair_record_{who}"] = spare[0]
    return ids


def _corrected_report(tool: Cli, tmp: Path) -> str:
    """A report of 华新 whose penalty an upheld objection corrected after it was issued."""
    penalties = tmp / "penalties-huaxin.csv"
    penalties.write_text("\n".join(",".join(row) for row in PENALTIES) + "\n", encoding="utf-8")
    tool.admin.ok("import", "penalties", penalties)
    report = tool.clerk.ok("report", "issue", "--uscc", HUAXIN, "--out", tmp / "huaxin.pdf", "--json").json()
    sup = tool.as_user("supervisor")
    made = str(sup.ok("objection", "file", "--uscc", HUAXIN, "--record", PENALTIES[1][2], "--grounds", "信息错误",
                      "--by", "王芳", "--json").json()["objection_id"])
    for step in ("accept", "check"):
        sup.ok("objection", step, made, "--reason", "准备")
    sup.ok("objection", "resolve", made, "--outcome", "已更正", "--set", "处罚内容=罚款人民币1000元",
           "--reason", "处罚机关确认金额有误")
    return report["report_no"]


def _objections(tool: Cli) -> dict[str, str]:
    """One objection per step row, each in the state its step starts from (and one per person for
    withdrawing, which both counter roles may record)."""
    sup = tool.as_user("supervisor")
    ready = {"accept": (), "supplement": (), "reject": (), "check": ("accept",),
             "refer": ("accept", "check"), "resolve": ("accept", "check"),
             "answer": ("accept", "check", "resolve"),
             **{f"withdraw_{who}": () for who in PEOPLE}}
    ids = {}
    for name, steps in ready.items():
        made = sup.ok("objection", "file", "--uscc", HENGDA, "--kind", "enterprise", "--record", "基本信息",
                      "--grounds", "信息错误", "--by", "张伟", "--json").json()["objection_id"]
        for step in steps:
            sup.ok("objection", step, str(made), "--reason", "准备", *(("--outcome", "维持") if step == "resolve" else ()))
        ids[f"objection_{name}"] = str(made)
    ids["objection_withdraw_nobody"] = ids["objection_withdraw_wrong"] = ids["objection_withdraw_admin"]
    return ids


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def desk(request, tmp_path_factory, launcher):
    root = tmp_path_factory.mktemp(f"roles-{request.param}")
    if request.param == "embedded":
        yield _prepare(Cli(root / "home").fast(launcher), root)
        return
    request.getfixturevalue("pg_url")  # skipped or failed like every PostgreSQL test
    with private_pg_schema() as (url, _):
        yield _prepare(Cli(root / "home", ["--db", url]).fast(launcher), root)


# --- running a row -------------------------------------------------------------------------------

def _fill(case: Case, ctx: dict, who: str) -> list[str]:
    # {who} first, so a row can name a person's own prepared item: {objection_withdraw_{who}}
    return [part.replace("{who}", who).format(**ctx, who=who) for part in case.args]


def _attempt(desk: Desk, tool: Cli, case: Case, who: str) -> tuple[Run, list[Event]]:
    """Run the row's command; return what it did and the audit events it added."""
    before = last_seq(desk.url)
    run = tool.with_env(**case.env)(*_fill(case, desk.ctx, who))
    assert "Traceback" not in run.err, run.err
    return run, audit_events(desk.url, before)


def assert_one_line(run: Run) -> str:
    assert len(run.err_lines) == 1 and CJK.search(run.err), f"{run.args}: {run.err!r}"
    return run.err_lines[0]


def roles_named(sentence: str) -> set[str]:
    """The roles a refusal names as needed: "...需要窗口人员或主管角色" -> {窗口人员, 主管}."""
    wanted = re.findall(r"需要([^，。；]+?)角色", sentence)
    return set(wanted[-1].split("或")) if wanted else set()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_who_may_run_it(desk: Desk, case: Case):
    tool = desk.tool

    # (a) nobody signed in
    run, events = _attempt(desk, tool, case, "nobody")
    if case.person:
        assert run.code == 2, f"{run.args} without a person exited {run.code}: {run.out}{run.err}"
        line = assert_one_line(run)
        assert "--user" in line and PASSWORD_ENV in line, line
        assert events == []
    else:
        assert run.code == 0, f"{run.args} exited {run.code}: {run.err}"
        if case.event:  # verify: recorded as an anonymous check
            assert [(e.actor, e.action) for e in events] == [(ANONYMOUS, case.event)], events
            if case.subject:
                assert events[0].subject == case.subject(run, desk.ctx)

    # (b) a wrong password (the clerk's account: every row signs the clerk in right afterwards,
    # which clears the failure count long before five)
    run, events = _attempt(desk, tool.as_user("clerk", WRONG), case, "wrong")
    if case.signs_in:
        assert run.code == 2, f"{run.args} with a wrong password exited {run.code}: {run.out}"
        assert "密码错误" in assert_one_line(run)
        assert [(e.actor, e.action) for e in events] == [("clerk", "login_failed")], events
    else:
        assert run.code == 0, f"{run.args} exited {run.code}: {run.err}"
        assert events == []

    # (c) each of the four people
    for who in PEOPLE:
        run, events = _attempt(desk, tool.as_user(who), case, who)
        actions = [(e.actor, e.action) for e in events]
        written = Path(case.writes.format(**desk.ctx, who=who)) if case.writes else None
        if who in case.allowed:
            assert run.code == 0, f"{who}: {run.args} exited {run.code}: {run.err}"
            if case.event:
                made = [e for e in events if e.action == case.event]
                assert [e.actor for e in made] == [who], actions
                if case.subject:
                    assert made[0].subject == case.subject(run, desk.ctx), made
            assert written is None or written.is_file()
            continue
        assert run.code == 2, f"{who} ({ROLES[who]}): {run.args} exited {run.code}: {run.out}"
        assert run.out == ""
        line = assert_one_line(run)
        assert f"您的角色（{ROLES[who]}）" in line, line
        needed = roles_named(line)
        assert needed and needed <= {ROLES[r] for r in case.allowed}, \
            f"{who}: the refusal should name a role that may run it ({case.allowed}): {line}"
        assert ("refused" in [a for _, a in actions]) and all(e.actor == who for e in events), actions
        assert case.event is None or case.event not in [a for _, a in actions], actions
        assert written is None or not written.exists()


# --- around the table ----------------------------------------------------------------------------

def test_init_admin_is_refused_once_people_exist(desk: Desk):
    for tool in (desk.tool, desk.tool.admin):
        run = tool.with_env(**{PASSWORD_ENV: NEW_PASSWORD})("init", "--admin", "intruder")
        assert run.code == 2, run
        assert "管理员" in assert_one_line(run)
    names = [u["username"] for u in desk.tool.admin.ok("users", "list", "--json").json()]
    assert "intruder" not in names


def test_a_clerk_reprints_only_what_they_issued(desk: Desk):
    ctx = desk.ctx
    tmp = Path(ctx["tmp"])
    by_supervisor = desk.tool.supervisor.ok("report", "issue", "--uscc", LVYUAN, "--out", tmp / "sup.pdf",
                                            "--json").json()["report_no"]
    before = last_seq(desk.url)
    refused = desk.tool.clerk("report", "save", by_supervisor, "--out", tmp / "not-mine.pdf")
    assert refused.code == 2 and roles_named(assert_one_line(refused)) == {"主管"}
    assert not (tmp / "not-mine.pdf").exists()
    assert [(e.actor, e.action) for e in audit_events(desk.url, before)] == [("clerk", "login"), ("clerk", "refused")]
    revoke = desk.tool.clerk("report", "revoke", by_supervisor, "--reason", "作废")
    assert revoke.err.strip() == "您的角色（窗口人员）无权撤销报告，需要主管角色"


def test_five_wrong_passwords_lock_the_account(desk: Desk):
    admin = desk.tool.admin
    admin.with_env(NEW_PW=NEW_PASSWORD).ok("users", "add", "mallory", "--role", "窗口人员", "--password-env", "NEW_PW")
    before = last_seq(desk.url)
    guesses = [desk.tool.as_user("mallory", f"guess-{n}-wrong")("lookup", "恒达") for n in range(5)]
    assert [g.code for g in guesses] == [2] * 5
    assert "锁定" in assert_one_line(guesses[-1]) and "锁定" not in guesses[0].err
    right = desk.tool.as_user("mallory", NEW_PASSWORD)("lookup", "恒达")
    assert right.code == 2 and "锁定" in assert_one_line(right)  # even the right one, for 15 minutes
    events = audit_events(desk.url, before)
    assert [(e.actor, e.action) for e in events] == [("mallory", "login_failed")] * 6
    admin.with_env(NEW_PW="another-password-1").ok("users", "reset", "mallory", "--password-env", "NEW_PW")
    assert desk.tool.as_user("mallory", "another-password-1").ok("lookup", "恒达", "--json").json()


def test_refusals_and_successes_keep_the_chain_whole(desk: Desk):
    """Runs last in its module: everything the table did is one unbroken chain."""
    rows = len(audit_events(desk.url))
    check = desk.tool.admin("audit", "verify", "--json")
    result = json.loads(check.out)
    assert check.code == 0 and result["ok"] is True, result
    assert result["count"] == rows + 1  # + the administrator's log-in before the check
