"""creditdesk-admin repair …: credit-repair applications (信用修复) for scripts (issue 10 part 4).

`repair apply` is a counter act (窗口人员, 主管); `list` is open to both; `accept`, `consult`,
`decide` and `sync` are a 主管's. `--on DATE` records a step taken on paper earlier.
"""
from __future__ import annotations

from core.commands import _json


def add_parsers(sub, parser_class, to_date) -> None:
    rep = sub.add_parser("repair", help="信用修复申请（登记：窗口人员或主管；办理：主管）")
    rsub = rep.add_subparsers(dest="repair_command", required=True, parser_class=parser_class)
    apply = rsub.add_parser("apply", help="登记一条行政处罚的信用修复申请，并给出最早可修复日期")
    apply.add_argument("--record", required=True, metavar="DECISION_NO", help="处罚决定书文号")
    apply.add_argument("--uscc", help="企业的统一社会信用代码（文号对应多家企业时必填）")
    apply.add_argument("--on", type=to_date, metavar="DATE", help="纸质申请的提交日期（补录）")
    apply.add_argument("--json", action="store_true")
    rlist = rsub.add_parser("list", help="列出信用修复申请")
    rlist.add_argument("--open", action="store_true", help="只列出未办结的")
    rlist.add_argument("--json", action="store_true")
    for name, label in (("accept", "受理"), ("consult", "征求处罚机关意见"), ("sync", "已同步至信用平台")):
        step = rsub.add_parser(name, help=f"{label}（主管）")
        step.add_argument("application_id", type=int, metavar="ID")
        step.add_argument("--reason", required=True, metavar="TEXT")
        step.add_argument("--on", type=to_date, metavar="DATE")
        step.add_argument("--json", action="store_true")
    decide = rsub.add_parser("decide", help="准予或不予信用修复（主管）")
    decide.add_argument("application_id", type=int, metavar="ID")
    choice = decide.add_mutually_exclusive_group(required=True)
    choice.add_argument("--grant", action="store_true", help="准予修复（生成信用修复记录）")
    choice.add_argument("--refuse", action="store_true", help="不予修复")
    decide.add_argument("--reason", required=True, metavar="TEXT")
    decide.add_argument("--on", type=to_date, metavar="DATE")
    decide.add_argument("--json", action="store_true")


def _say(v) -> str:
    when = f"，最早可修复日期 {v.earliest}" if v.earliest else ""
    left = "" if v.days_left is None else (
        f"，已超期 {-v.days_left} 个工作日" if v.days_left < 0 else f"，剩余 {v.days_left} 个工作日")
    mark = "（含暂定日期）" if v.provisional and v.days_left is not None else ""
    return f"信用修复申请 {v.id}  {v.status}  {v.decision_no}{when}{left}{mark}"


def cmd_repair_apply(args, desk, session) -> int:
    v = desk.repair_apply(session, args.record, uscc=args.uscc, on=args.on)
    if args.json:
        _json(v.to_json())
        return 0
    print("已登记" + _say(v))
    return 0


def cmd_repair_list(args, desk, session) -> int:
    views = desk.repairs(session, open_only=args.open)
    if args.json:
        _json([v.to_json() for v in views])
        return 0
    for v in views:
        print(_say(v))
    if not views:
        print("没有符合条件的信用修复申请")
    return 0


def _step(action: str | None):
    def run(args, desk, session) -> int:
        name = action or ("grant" if args.grant else "refuse")
        v = desk.repair_step(session, args.application_id, name, args.reason, on=args.on)
        if args.json:
            _json(v.to_json())
            return 0
        print(_say(v) + (f"；已生成信用修复记录 {v.repair_id}" if v.repair_id and name == "grant" else ""))
        return 0

    return run


HANDLERS = {"repair apply": cmd_repair_apply, "repair list": cmd_repair_list,
            "repair accept": _step("accept"), "repair consult": _step("consult"),
            "repair sync": _step("sync"), "repair decide": _step(None)}
