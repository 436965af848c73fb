"""creditdesk-admin calendar: the holiday notices objection deadlines are counted in."""
from __future__ import annotations

from core.commands import _json


def add_parsers(sub, parser_class) -> None:
    cal = sub.add_parser("calendar", help="工作日历：国务院节假日安排（异议和信用修复的办理期限按工作日计算）")
    csub = cal.add_subparsers(dest="calendar_command", required=True, parser_class=parser_class)
    cimp = csub.add_parser("import", help="导入某年的节假日安排（CSV 或 XLSX：日期、类型（休/班）、说明）（管理员）")
    cimp.add_argument("file")
    cimp.add_argument("--json", action="store_true")
    cshow = csub.add_parser("show", help="显示某年的放假日和调休上班日")
    cshow.add_argument("year", type=int)
    cshow.add_argument("--json", action="store_true")


def cmd_calendar_import(args, desk, session) -> int:
    result = desk.import_calendar(session, args.file)
    if args.json:
        _json(result.to_json())
        return 0
    years = "、".join(str(y) for y in result.years)
    print(f"已导入 {years} 年节假日安排：放假 {result.holidays} 天，调休上班 {result.workdays} 天")
    return 0


def cmd_calendar_show(args, desk, session) -> int:
    y = desk.calendar_year(session, args.year)
    if args.json:
        _json(y.to_json())
        return 0
    if not y.announced:
        print(f"{y.year} 年节假日安排尚未公布（未导入）：暂按周一至周五为工作日计算，期限标注“暂定”")
    print(f"{y.year} 年放假（工作日中）：" + ("、".join(f"{d:%m-%d}" for d in y.holidays) or "无"))
    print(f"{y.year} 年调休上班（周末）：" + ("、".join(f"{d:%m-%d}" for d in y.workdays) or "无"))
    return 0


HANDLERS = {"calendar import": cmd_calendar_import, "calendar show": cmd_calendar_show}
