"""creditdesk-admin objection …: the objection register for scripts (issue 10).

`objection file` and `objection withdraw` are counter acts (窗口人员, 主管); `list` and `show` are
open to both; every other step is a 主管's decision. `--on DATE` records a step taken on paper
earlier; the audit chain marks it as backdated.
"""
from __future__ import annotations

from pathlib import Path

from core.commands import _json
from core.services.objections.names import CORRECTABLE_LABELS, FILERS, RECORD_KINDS
from core.services.objections.rules import ACTIONS
from core.states import ObjectionGrounds

OUTCOMES = ("已更正", "维持", "无法确认")


def add_parsers(sub, parser_class, to_date) -> None:
    objection = sub.add_parser("objection", help="异议登记与处理（登记、撤回：窗口人员或主管；处理：主管）")
    osub = objection.add_subparsers(dest="objection_command", required=True, parser_class=parser_class)
    ofile = osub.add_parser("file", help="登记企业对一条记录的异议")
    ofile.add_argument("--uscc", required=True)
    ofile.add_argument("--record", required=True, metavar="DECISION_NO",
                       help="异议针对的记录：处罚决定书文号；--kind arrear 时为“险种 所属期”，"
                            "repair 时为修复文号，enterprise 时填“基本信息”")
    ofile.add_argument("--kind", default="penalty", choices=list(RECORD_KINDS),
                       help="记录类型（默认 penalty 行政处罚）")
    ofile.add_argument("--grounds", required=True, choices=[g.value for g in ObjectionGrounds])
    ofile.add_argument("--by", required=True, metavar="NAME", help="提出人姓名")
    ofile.add_argument("--as", dest="filed_as", default=FILERS[0], choices=FILERS,
                       help="提出人身份（委托代理人须附授权委托书）")
    ofile.add_argument("--text", help="异议说明（理由为“其他”时必填）")
    ofile.add_argument("--report", metavar="REPORT_NO", help="企业所持报告的编号")
    ofile.add_argument("--attach", action="append", default=[], metavar="FILE",
                       help="证明材料（PDF、PNG 或 JPEG，每个不超过 20 MB；可重复）")
    ofile.add_argument("--on", type=to_date, metavar="DATE", help="纸质材料的提交日期（补录）")
    ofile.add_argument("--json", action="store_true")
    olist = osub.add_parser("list", help="列出异议，按到期日排序")
    olist.add_argument("--open", action="store_true", help="只列出未办结的")
    olist.add_argument("--overdue", action="store_true", help="只列出已超期的")
    olist.add_argument("--json", action="store_true")
    oshow = osub.add_parser("show", help="查看一件异议及其处理经过")
    oshow.add_argument("objection_id", type=int, metavar="ID")
    oshow.add_argument("--json", action="store_true")
    for name in ("accept", "supplement", "reject", "check", "refer", "resolve", "answer", "withdraw"):
        act = osub.add_parser(name, help=f"{ACTIONS[name].label}（" +
                              ("窗口人员或主管" if ACTIONS[name].counter_may else "主管") + "）")
        act.add_argument("objection_id", type=int, metavar="ID")
        if name == "resolve":
            act.add_argument("--outcome", required=True, choices=OUTCOMES)
            act.add_argument("--set", dest="changes", action="append", default=[], metavar="字段=值",
                             help="已更正：修改处罚记录的一项内容（可重复），字段为 " + "、".join(CORRECTABLE_LABELS))
            act.add_argument("--remove", action="store_true",
                             help="已更正：将该记录从此后出具的报告中删除（记录保留，出具过的报告核验时提示）")
        act.add_argument("--reason", required=True, metavar="TEXT")
        act.add_argument("--on", type=to_date, metavar="DATE", help="实际办理日期（补录纸质办理）")
        act.add_argument("--json", action="store_true")


def _days_text(v) -> str:
    if v.days_left is None:
        return "已办结"
    mark = "（暂定）" if v.next_due and v.next_due.provisional else ""
    if v.days_left < 0:
        return f"已超期 {-v.days_left} 个工作日（应于 {v.next_due.due} 前）{mark}"
    if v.days_left == 0:
        return f"今日到期（{v.next_due.due}）{mark}"
    return f"剩余 {v.days_left} 个工作日（{v.next_due.due} 前）{mark}"


def _print_one(v) -> None:
    print(f"异议 {v.id}  {v.status}  {v.enterprise_name}（{v.uscc}）")
    print(f"  记录：{RECORD_KINDS[v.record_kind]} {v.record_ref}" + (f"  所持报告：{v.report_no}" if v.report_no else ""))
    print(f"  理由：{v.grounds}" + (f"：{v.grounds_text}" if v.grounds_text else ""))
    print(f"  提出：{v.filed_on} {v.filed_as} {v.filed_by}")
    print(f"  期限：{_days_text(v)}")
    due = v.due
    print(f"  受理 {due['accept'].due}  平台核查 {due['check'].due}  提供单位 {due['provider'].due}  "
          f"办结 {due['close'].due}" + ("（含暂定日期：该年度节假日安排尚未公布）" if v.provisional else ""))
    for t in v.timeline:
        late = "（补录）" if t.backdated else ""
        print(f"  {t.acted_on} {t.from_status or '—'} → {t.to_status}  {t.actor}@{t.counter}{late}：{t.reason}")
    if v.correction:
        c = v.correction
        if c["removed"]:
            print(f"  更正：{c['corrected_on']} 已从此后出具的报告中删除该记录（{c['corrected_by']}）")
        else:
            done = "；".join(f"{label}由“{before or '（空）'}”改为“{after or '（空）'}”"
                            for label, before, after in c["changes"])
            print(f"  更正：{c['corrected_on']} {done}（{c['corrected_by']}）")
    for a in v.attachments:
        print(f"  附件 {a.id}：{a.file_name}（{a.media_type}，{a.size:,} 字节，SHA-256 {a.sha256}）")


def cmd_objection_file(args, desk, session) -> int:
    from core.services.objections.register import Filing

    filing = Filing(uscc=args.uscc.strip().upper(), record_kind=args.kind, record_ref=args.record.strip(),
                    grounds=args.grounds, filed_by=args.by, filed_as=args.filed_as, grounds_text=args.text,
                    report_no=args.report, attachments=tuple(Path(p) for p in args.attach), filed_on=args.on)
    v = desk.file_objection(session, filing)
    if args.json:
        _json({"objection_id": v.id, "status": v.status,
               "due": {k: d.due.isoformat() for k, d in v.due.items()}, "provisional": v.provisional})
        return 0
    print(f"已登记异议 {v.id}")
    _print_one(v)
    return 0


def cmd_objection_list(args, desk, session) -> int:
    views = desk.objections(session, open_only=args.open, overdue=args.overdue)
    if args.json:
        _json([v.to_json() for v in views])
        return 0
    if not views:
        print("没有符合条件的异议")
        return 0
    for v in views:
        flag = "!! " if v.overdue else "!  " if v.due_soon else "   "
        print(f"{flag}{v.id:>5}  {v.status:<5}  {_days_text(v)}  {v.enterprise_name}  {v.record_ref}")
    return 0


def cmd_objection_show(args, desk, session) -> int:
    v = desk.objection(session, args.objection_id)
    if args.json:
        _json(v.to_json())
        return 0
    _print_one(v)
    return 0


def _step(name: str):
    def run(args, desk, session) -> int:
        correction = None
        if getattr(args, "changes", None) or getattr(args, "remove", False):
            from core.services.objections.corrections import Correction

            correction = Correction.from_assignments(args.changes, remove=args.remove)
        v = desk.objection_step(session, args.objection_id, name, args.reason, on=args.on,
                                outcome=getattr(args, "outcome", None), correction=correction)
        if args.json:
            _json(v.to_json())
            return 0
        print(f"异议 {v.id} 已改为“{v.status}”；{_days_text(v)}")
        return 0

    return run


HANDLERS = {"objection file": cmd_objection_file, "objection list": cmd_objection_list,
            "objection show": cmd_objection_show,
            **{f"objection {name}": _step(name) for name in ACTIONS}}
