"""creditdesk-admin stats: the numbers of the statistics page (统计), for the same period."""
from __future__ import annotations

from datetime import date, timedelta

from core.commands import _json

DEFAULT_DAYS = 30  # without --from: the 30 days ending on --to (as on the page)


def add_parsers(sub, parser_class, to_date) -> None:
    st = sub.add_parser("stats", help="统计：出具、核验、异议和各单位数据更新情况（主管）")
    st.add_argument("--from", dest="date_from", type=to_date, metavar="DATE", help="起始日期（默认截止日期前 29 天）")
    st.add_argument("--to", dest="date_to", type=to_date, metavar="DATE", help="截止日期（默认今天）")
    st.add_argument("--json", action="store_true")


def period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    date_to = date_to or date.today()
    return date_from or date_to - timedelta(days=DEFAULT_DAYS - 1), date_to


def cmd_stats(args, desk, session) -> int:
    result = desk.statistics(session, *period(args.date_from, args.date_to))
    data = result.to_json()
    if args.json:
        _json(data)
        return 0
    r, v, o = data["reports"], data["verifications"], data["objections"]
    print(f"统计期间：{data['from']} 至 {data['to']}")
    print(f"出具报告 {r['total']} 份；" + "、".join(f"{x['counter']} {x['count']} 份" for x in r["by_counter"]))
    print("按用途：" + ("、".join(f"{x['purpose']} {x['count']} 份" for x in r["by_purpose"]) or "无"))
    print(f"核验 {v['total']} 次：" + "、".join(f"{k} {n}" for k, n in v["by_status"].items()))
    print("异议：" + ("、".join(f"{k} {n} 件" for k, n in o["by_state"].items()) or "无") + f"；逾期 {o['overdue']} 件")
    for u in data["units"]:
        late = "（逾期未更新）" if u["late"] else ""
        print(f"{u['unit'] or '（未注明单位）'}：最近导入 {u['last_import']}，{u['rows']} 行，拒收 {u['rejected']} 行{late}")
    return 0


HANDLERS = {"stats": cmd_stats}
