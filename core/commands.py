"""The handlers behind creditdesk-admin's commands: parse nothing, print results."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from core import uscc as uscc_rules
from core.config import Settings
from core.db.engine import Database, describe_url
from core.errors import InvalidRequest
from core.policy import load_profile
from core.uscc import InvalidUscc


def _json(data) -> None:
    from core.cli import print_json

    print_json(data)


def _open(args, *, ready: bool = True) -> tuple[Database, Settings]:
    from core.db import schema

    settings = Settings.from_env(args.db, args.profile)
    db = Database(settings.db_url)
    if ready:
        schema.ensure_ready(db)
    return db, settings


def cmd_init(args) -> int:
    from core.db import schema

    db, settings = _open(args, ready=False)
    before, after = schema.upgrade(db)
    where = describe_url(settings.db_url)
    if before == after:
        print(f"数据库已是最新结构（版本 {after}）：{where}")
    else:
        print(f"数据库结构已{'创建' if before is None else '升级'}（版本 {after}）：{where}")
    return 0


def cmd_demo(args) -> int:
    from core.services.reports.assemble import ReportAssembler
    from core.services.demo.generate import generate_demo, has_data, sample_uscc

    if args.enterprises < 1:
        raise InvalidRequest("企业数量应为正整数")
    db, settings = _open(args)
    profile = load_profile(settings.profile_id)

    def progress(stage: str, done: int, total: int) -> None:
        print(f"\r正在生成{stage}：{done}/{total}", end="", file=sys.stderr, flush=True)

    if has_data(db):
        print("数据库中已有数据，未再生成演示数据（演示数据只写入空数据库）", file=sys.stderr)
    else:
        s = generate_demo(db, profile, enterprises=args.enterprises, seed=args.seed, progress=progress)
        print(file=sys.stderr)
        print(
            f"已生成演示数据：企业 {s.enterprises} 家，行政处罚 {s.penalties} 条，"
            f"欠缴 {s.arrears} 条，信用修复 {s.repairs} 条（{s.seconds:.1f} 秒）"
        )
    print(f"数据库：{describe_url(settings.db_url)}")
    if args.show_report and (code := sample_uscc(db)):
        print(f"\n示例报告内容（creditdesk-admin report content --uscc {code}）：\n")
        print_content(ReportAssembler(db, profile).assemble(code))
    return 0


def cmd_import(args) -> int:
    from core.services.records.ingest.importer import ImportService

    db, settings = _open(args)
    service = ImportService(db, load_profile(settings.profile_id))
    result = service.import_file(args.kind, Path(args.file), user=args.user, unit=args.unit)
    if args.json:
        _json(result.to_json())
        return 0
    print(
        f"导入批次 {result.batch_id}：接受 {result.accepted} 行（其中更新 {result.updated} 行），"
        f"拒绝 {len({r.row for r in result.rejected})} 行"
    )
    for r in result.rejected:
        print(f"  第 {r.row} 行{f'「{r.column}」' if r.column else ''}：{r.reason}")
    return 0


def cmd_lookup(args) -> int:
    from core.services.records.lookup import LookupService

    if args.limit < 1:
        raise InvalidRequest("--limit 应为正整数")
    db, _ = _open(args)
    hits = LookupService(db).search(args.query, limit=args.limit)
    if args.json:
        _json([
            {"uscc": h.uscc, "name": h.name, "matched_name": h.matched_name,
             "legal_rep": h.legal_rep, "status": h.reg_status, "match": h.match}
            for h in hits
        ])
        return 0
    if not hits:
        print(f"未找到与“{args.query}”匹配的企业")
    for h in hits:
        former = f"（曾用名：{h.matched_name}）" if h.matched_name != h.name else ""
        print(f"{h.uscc}  {h.name}{former}  {h.legal_rep or ''}  {h.reg_status or ''}")
    return 0


def cmd_uscc(args) -> int:
    try:
        print(uscc_rules.validate(args.code))
        return 0
    except InvalidUscc as exc:
        print(f"无效：{exc}")
        return 1


def parse_domains(text: str) -> list[int] | None:
    if text.strip().lower() == "all":
        return None
    try:
        return [int(part) for part in text.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        raise InvalidRequest(f"领域应为逗号分隔的代码（如 1,5,15）或 all：{text}") from None


def cmd_report_content(args) -> int:
    from core.services.reports.assemble import ReportAssembler

    db, settings = _open(args)
    profile = load_profile(settings.profile_id)
    content = ReportAssembler(db, profile).assemble(
        args.uscc, parse_domains(args.domains), args.date_from, args.date_to, args.report_date
    )
    if not profile.in_force(content.report_date):
        print(f"注意：政策“{profile.name}”在 {content.report_date} 不在有效期内", file=sys.stderr)
    if args.json:
        _json(content.to_json())
        return 0
    print_content(content)
    return 0


def print_content(content) -> None:
    e = content.enterprise
    print(f"企业：{e.name}（{e.uscc}）  法定代表人：{e.legal_rep or '—'}")
    print(f"期间：{content.period_from} 至 {content.period_to}    报告日期：{content.report_date}")
    for d in content.domains:
        print(f"  {d.code:>2} {d.name.ljust(8, chr(0x3000))} {d.conclusion}")
    for v in content.violations:
        mark = f"  已信用修复（{v.repair_date}）" if v.repaired else ""
        print(f"  违法记录：{v.decision_date} {v.decision_no} {v.organ} {v.penalty_kind}{mark}")
    for a in content.arrears:
        print(f"  欠缴：{a.kind} {a.period} {a.amount} 元（{a.source_unit}）")
    for r in content.repairs:
        print(f"  信用修复：{r.repair_date} {r.decision_no} {r.organ} {r.document_no}")
    if content.is_clean:
        print("结论：所选领域在查询期间内无违法记录，无欠缴信息。")


_HANDLERS: dict[str, Callable] = {
    "init": cmd_init,
    "demo": cmd_demo,
    "import": cmd_import,
    "lookup": cmd_lookup,
    "uscc": cmd_uscc,
    "report content": cmd_report_content,
}


def handler_for(args) -> Callable:
    from core import commands_reports, commands_users

    handlers = {**_HANDLERS, **commands_reports.HANDLERS, **commands_users.HANDLERS}
    sub = getattr(args, f"{args.command}_command", None)
    return handlers[f"{args.command} {sub}" if sub else args.command]
