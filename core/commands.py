"""The handlers behind creditdesk-admin's commands: sign the person in, call a use case, print.

`run(args)` opens the desk, signs in the person named by `--user` (password from the environment
or a prompt) and calls the handler with the desk and the session. `uscc` needs no database;
`init` and `verify` need no person (`verify` is recorded as an anonymous check without one).
"""
from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

from core import uscc as uscc_rules
from core.config import Settings
from core.errors import AuthError, InvalidRequest
from core.services.reports.request import ReportRequest
from core.terminal import safe
from core.uscc import InvalidUscc

PASSWORD_ENV = "CREDITDESK_PASSWORD"
USER_ENV = "CREDITDESK_USER"


def _json(data) -> None:
    from core.cli import print_json

    print_json(data)


def read_password(env: str | None, *, prompt: str, confirm: bool = False) -> str:
    """From the named environment variable, else CREDITDESK_PASSWORD, else a terminal prompt."""
    name = env or PASSWORD_ENV
    value = os.environ.get(name)
    if value:
        return value
    if env:
        raise InvalidRequest(f"环境变量 {env} 未设置密码")
    if not sys.stdin.isatty():
        raise AuthError(f"请通过环境变量 {PASSWORD_ENV}（或 --password-env 指定的变量）提供密码")
    first = getpass.getpass(prompt)
    if confirm and first != getpass.getpass("再次输入："):
        raise InvalidRequest("两次输入的密码不一致")
    return first


def sign_in(desk, args):
    user = args.user or os.environ.get(USER_ENV)
    if not user:
        raise AuthError("此命令需要操作人：请用 --user 指定用户名，并通过环境变量 "
                        f"{PASSWORD_ENV} 提供密码")
    return desk.login(user, read_password(args.login_password_env, prompt=f"{user} 的密码："))


def settings_for(args) -> Settings:
    return Settings.from_env(args.db, args.profile)


def open_ready_desk(args, *, tolerate_unavailable: bool = False):
    from core.db import schema
    from core.errors import DatabaseUnavailable
    from core.usecases import open_desk

    desk = open_desk(settings_for(args))
    try:
        schema.ensure_ready(desk.db)  # a missing or empty embedded database: DatabaseMissing, exit 2
    except DatabaseUnavailable:
        if not tolerate_unavailable:
            raise
    return desk


# -- commands without a person ----------------------------------------------------------------

def cmd_uscc(args) -> int:
    try:
        print(uscc_rules.validate(args.code))
        return 0
    except InvalidUscc as exc:
        print(f"无效：{exc}")
        return 1


def cmd_init(args) -> int:
    from core.db import schema
    from core.db.engine import Database
    from core.services.people.setup import Account, create_first_people

    settings = settings_for(args)
    db = Database(settings.db_url)
    before, after = schema.upgrade(db)
    from core.db.engine import describe_url

    where = describe_url(settings.db_url)
    if before == after:
        print(f"数据库已是最新结构（版本 {after}）：{where}")
    else:
        print(f"数据库结构已{'创建' if before is None else '升级'}（版本 {after}）：{where}")
    if args.admin:
        password = read_password(args.login_password_env, prompt=f"{args.admin} 的新密码：", confirm=True)
        create_first_people(db, settings.counter, Account(args.admin, args.name or args.admin, password))
        print(f"已创建首位管理员 {args.admin}")
    return 0


# -- commands of a signed-in person -----------------------------------------------------------

def cmd_demo(args, desk, session) -> int:
    from core.services.demo.generate import sample_uscc

    def progress(stage: str, done: int, total: int) -> None:
        print(f"\r正在生成{stage}：{done}/{total}", end="", file=sys.stderr, flush=True)

    summary = desk.demo(session, args.enterprises, args.seed, progress)
    if summary is None:
        print("数据库中已有数据，未再生成演示数据（演示数据只写入空数据库）", file=sys.stderr)
    else:
        print(file=sys.stderr)
        s = summary
        print(f"已生成演示数据：企业 {s.enterprises} 家，行政处罚 {s.penalties} 条，"
              f"欠缴 {s.arrears} 条，信用修复 {s.repairs} 条（{s.seconds:.1f} 秒）")
    from core.db.engine import describe_url

    print(f"数据库：{describe_url(desk.settings.db_url)}")
    if args.show_report and (code := sample_uscc(desk.db)):
        print(f"\n示例报告内容（creditdesk-admin report content --uscc {code}）：\n")
        from core.services.reports.assemble import ReportAssembler

        print_content(ReportAssembler(desk.db, desk.profile).assemble(code))
    return 0


def cmd_import(args, desk, session) -> int:
    result = desk.import_file(session, args.kind, Path(args.file), unit=args.unit)
    if args.json:
        _json(result.to_json())
        return 0
    print(
        f"导入批次 {result.batch_id}：接受 {result.accepted} 行（其中更新 {result.updated} 行），"
        f"拒绝 {result.rejected_rows} 行"
    )
    if result.rejected_rows and len({r.row for r in result.rejected}) < result.rejected_rows:
        print(f"  （以下只列出前 {len(result.rejected)} 条问题；用 --json 取得同样的列表）")
    for r in result.rejected:
        print(f"  第 {r.row} 行{f'「{safe(r.column)}」' if r.column else ''}：{safe(r.reason)}")
    for _column, reason in result.warnings:
        print(f"  注意：{safe(reason)}")
    return 0


def cmd_lookup(args, desk, session) -> int:
    if args.limit < 1:
        raise InvalidRequest("--limit 应为正整数")
    hits = desk.search(session, args.query, args.limit)
    if args.json:
        _json([
            {"uscc": h.uscc, "name": h.name, "matched_name": h.matched_name,
             "legal_rep": h.legal_rep, "status": h.reg_status, "match": h.match}
            for h in hits
        ])
        return 0
    if not hits:
        print(f"未找到与“{safe(args.query)}”匹配的企业")
    for h in hits:
        former = f"（曾用名：{safe(h.matched_name)}）" if h.matched_name != h.name else ""
        print(f"{safe(h.uscc)}  {safe(h.name)}{former}  {safe(h.legal_rep)}  {safe(h.reg_status)}")
    return 0


def parse_domains(text: str) -> tuple[int, ...] | None:
    if text.strip().lower() == "all":
        return None
    try:
        return tuple(int(part) for part in text.replace("，", ",").split(",") if part.strip())
    except ValueError:
        raise InvalidRequest(f"领域应为逗号分隔的代码（如 1,5,15）或 all：{text}") from None


def request_from(args) -> ReportRequest:
    """The scope arguments as one request; the use case checks it once."""
    return ReportRequest(args.uscc, parse_domains(args.domains), args.date_from, args.date_to,
                         getattr(args, "purpose", None) or "其他")


def cmd_report_content(args, desk, session) -> int:
    from datetime import date

    content = desk.content(session, request_from(args), args.report_date or date.today())
    if not desk.profile.in_force(content.report_date):
        print(f"注意：政策“{desk.profile.name}”在 {content.report_date} 不在有效期内", file=sys.stderr)
    if args.json:
        _json(content.to_json())
        return 0
    print_content(content)
    return 0


def print_content(content) -> None:
    e = content.enterprise
    print(f"企业：{safe(e.name)}（{safe(e.uscc)}）  法定代表人：{safe(e.legal_rep or '—')}")
    print(f"期间：{content.period_from} 至 {content.period_to}    报告日期：{content.report_date}")
    for d in content.domains:
        print(f"  {d.code:>2} {safe(d.name).ljust(8, chr(0x3000))} {safe(d.conclusion)}")
    for v in content.violations:
        mark = f"  已信用修复（{v.repair_date}）" if v.repaired else ""
        mark += f"  {v.objection.text}" if v.objection else ""
        print(f"  违法记录：{v.decision_date} {safe(v.decision_no)} {safe(v.organ)} {safe(v.penalty_kind)}{mark}")
    for a in content.arrears:
        print(f"  欠缴：{safe(a.kind)} {safe(a.period)} {a.amount} 元（{safe(a.source_unit)}）")
    for r in content.repairs:
        print(f"  信用修复：{r.repair_date} {safe(r.decision_no)} {safe(r.organ)} {safe(r.document_no)}")
    if content.is_clean:
        print("结论：所选领域在查询期间内无违法记录，无欠缴信息。")


def cmd_penalties_unstated(args, desk, session) -> int:
    found = desk.unstated_penalties(session, args.unit)
    if args.json:
        _json([p.to_json() for p in found])
        return 0
    where = f"数据来源单位“{safe(args.unit)}”" if args.unit else ""
    if not found:
        print(f"{where}没有程序类型或决定类型未注明的有效处罚记录")
        return 0
    for p in found:
        print(f"{safe(p.uscc)}  {safe(p.decision_no)}  {safe(p.organ)}  {safe(p.source_unit)}  "
              f"未注明：{'、'.join(p.missing)}")
    print(f"{where}共 {len(found):,} 条有效处罚记录的程序类型或决定类型未注明，请数据提供单位补全后重新导入")
    return 0


# -- dispatch ---------------------------------------------------------------------------------

_WITHOUT_PERSON: dict[str, Callable] = {"uscc": cmd_uscc, "init": cmd_init}
_HANDLERS: dict[str, Callable] = {
    "demo": cmd_demo, "import": cmd_import, "lookup": cmd_lookup, "report content": cmd_report_content,
    "penalties unstated": cmd_penalties_unstated,
}


def _name(args) -> str:
    sub = getattr(args, f"{args.command}_command", None)
    return f"{args.command} {sub}" if sub else args.command


def run(args) -> int:
    from core import (commands_admin, commands_backup, commands_calendar, commands_objections, commands_profiles,
                      commands_repair, commands_reports, commands_stats, commands_users)

    name = _name(args)
    if name in _WITHOUT_PERSON:
        code = _WITHOUT_PERSON[name](args)
        if name == "init" and code == 0:
            from core.config import data_dir
            from core.db.installation import write_marker

            write_marker(data_dir(), settings_for(args).db_url)  # this data directory now holds an installation
        return code
    if name == "verify":
        return commands_reports.cmd_verify(args)
    if name in commands_backup.WITHOUT_SESSION:
        return commands_backup.WITHOUT_SESSION[name](args)
    handlers = {**_HANDLERS, **commands_reports.HANDLERS, **commands_users.HANDLERS,
                **commands_admin.HANDLERS, **commands_backup.HANDLERS, **commands_profiles.HANDLERS,
                **commands_objections.HANDLERS, **commands_calendar.HANDLERS, **commands_repair.HANDLERS,
                **commands_stats.HANDLERS}
    desk = open_ready_desk(args)
    session = sign_in(desk, args)
    return handlers[name](args, desk, session)
