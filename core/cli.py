"""creditdesk-admin: the use cases for administrators and scripts.

Command names and JSON keys are a contract with the service centres' scripts: keep them stable.
Every command but `uscc`, `verify` and `init` acts as a signed-in person: `--user NAME` and the
password from CREDITDESK_PASSWORD (or `--password-env VAR`, or a prompt on a terminal).
Every error is one plain line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date

from core import commands
from core.errors import EXIT_INTERNAL, EXIT_REFUSED, explain

EXIT_ERROR = EXIT_REFUSED
__all__ = ["main", "build_parser", "print_json", "EXIT_ERROR", "EXIT_INTERNAL"]


# argparse speaks English; the people at the service centres read Chinese.
_ERRORS = [
    (re.compile(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)"),
     lambda m: f"“{m[2]}”不是可用的选项（{m[1]} 可选：{m[3].replace(chr(39), '')}）"),
    (re.compile(r"the following arguments are required: (.*)"), lambda m: f"缺少必需的参数：{m[1]}"),
    (re.compile(r"unrecognized arguments: (.*)"), lambda m: f"无法识别的参数：{m[1]}"),
    (re.compile(r"argument (\S+): invalid (\w+) value: '([^']*)'"), lambda m: f"参数 {m[1]} 的值无效：{m[3]}"),
    (re.compile(r"argument (\S+): expected one argument"), lambda m: f"参数 {m[1]} 需要一个值"),
    (re.compile(r"argument (\S+): (.*)"), lambda m: f"参数 {m[1]}：{m[2]}"),
]
_HELP_WORDS = {"usage:": "用法：", "positional arguments:": "位置参数：", "options:": "选项：",
               "show this help message and exit": "显示帮助并退出"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, in Chinese, exit 2
        for pattern, say in _ERRORS:
            if m := pattern.fullmatch(message):
                message = say(m)
                break
        self.exit(EXIT_ERROR, f"命令参数有误：{message}（使用 -h 查看用法）\n")

    def format_help(self) -> str:
        text = super().format_help()
        for english, chinese in _HELP_WORDS.items():
            text = text.replace(english, chinese)
        return text

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "用法：")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD 格式：{text}") from None


def _scope_arguments(parser: argparse.ArgumentParser) -> None:
    """What a report covers: the enterprise, the domains and the period."""
    parser.add_argument("--uscc", required=True)
    parser.add_argument("--domains", default="all", help="领域代码，如 1,5,15；或 all")
    parser.add_argument("--from", dest="date_from", type=_date,
                        help="查询期间开始日期（不早于数据归集起始日，最长为政策允许的年数）；"
                             "不指定时为默认的近N年")
    parser.add_argument("--to", dest="date_to", type=_date,
                        help="查询期间截止日期：只能是报告日期（出具日），早于或晚于都不予出具")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="creditdesk-admin", description="CreditDesk 信用报告窗口 管理命令")
    p.add_argument("--db", metavar="URL", help="数据库地址（默认：用户数据目录中的内置 SQLite；环境变量 CREDITDESK_DB）")
    p.add_argument("--profile", metavar="ID", help="政策配置：本部署尚未选定（profile use）时使用（默认 suzhou-2024；环境变量 CREDITDESK_PROFILE）")
    p.add_argument("--user", default=None, metavar="NAME",
                   help="操作人用户名（环境变量 CREDITDESK_USER）；密码取自环境变量 CREDITDESK_PASSWORD")
    p.add_argument("--password-env", dest="login_password_env", metavar="VAR",
                   help="从该环境变量读取操作人的密码（默认 CREDITDESK_PASSWORD；在终端中运行时也可交互输入）")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    init = sub.add_parser("init", help="创建或升级数据库结构（可重复执行）；--admin 创建首位管理员")
    init.add_argument("--admin", metavar="NAME", help="在没有任何用户的数据库中创建首位管理员（密码同 --user 的方式提供）")
    init.add_argument("--name", help="管理员的显示姓名")

    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument("--enterprises", type=int, default=2000, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--show-report", action="store_true", help="生成后显示一家示例企业的报告内容")

    imp = sub.add_parser("import", help="导入部门数据文件（CSV 或 XLSX）")
    imp.add_argument("kind", choices=["enterprises", "penalties", "arrears", "repairs",
                                      "enforcement", "dishonest_lists", "criminal"])
    imp.add_argument("file")
    imp.add_argument("--unit", help="数据提供单位（默认取文件中的数据来源单位）")
    imp.add_argument("--json", action="store_true")

    look = sub.add_parser("lookup", help="查询企业：统一社会信用代码、名称片段或拼音首字母")
    look.add_argument("query")
    look.add_argument("--limit", type=int, default=50)
    look.add_argument("--json", action="store_true")

    code = sub.add_parser("uscc", help="校验统一社会信用代码")
    code.add_argument("code")

    report = sub.add_parser("report", help="专用信用报告")
    rsub = report.add_subparsers(dest="report_command", required=True, parser_class=_Parser)
    content = rsub.add_parser("content", help="生成报告内容（不出具 PDF）")
    _scope_arguments(content)
    content.add_argument("--date", dest="report_date", type=_date, help="报告日期（默认今天）")
    content.add_argument("--json", action="store_true")

    issue = rsub.add_parser("issue", help="出具专用信用报告（PDF、签名、存档）")
    _scope_arguments(issue)
    issue.add_argument("--purpose", default="其他", help="用途：上市、挂牌、融资、并购重组、发行债券、招投标、其他")
    issue.add_argument("--out", required=True, metavar="FILE.pdf")
    issue.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    issue.add_argument("--json", action="store_true")
    reissue = rsub.add_parser("reissue", help="记录经异议更正后，为原报告出具更正后的报告（无需重新申请）")
    reissue.add_argument("report_no", metavar="REPORT_NO", help="原报告编号")
    reissue.add_argument("--out", required=True, metavar="FILE.pdf")
    reissue.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    reissue.add_argument("--json", action="store_true")
    show = rsub.add_parser("show", help="查看已出具的报告")
    show.add_argument("report_no")
    show.add_argument("--pdf", metavar="FILE.pdf", help="同时导出存档的 PDF")
    show.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    show.add_argument("--json", action="store_true")
    revoke = rsub.add_parser("revoke", help="撤销已出具的报告（主管）")
    revoke.add_argument("report_no")
    revoke.add_argument("--reason", required=True)
    rlist = rsub.add_parser("list", help="列出已出具的报告（主管）")
    rlist.add_argument("--from", dest="date_from", type=_date, help="出具日期起")
    rlist.add_argument("--to", dest="date_to", type=_date, help="出具日期止")
    rlist.add_argument("--uscc", help="统一社会信用代码")
    rlist.add_argument("--limit", type=int, default=1000)
    rlist.add_argument("--json", action="store_true")
    save = rsub.add_parser("save", help="再次保存已出具报告的存档 PDF")
    save.add_argument("report_no")
    save.add_argument("--out", required=True, metavar="FILE.pdf")
    save.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    penalties = sub.add_parser("penalties", help="行政处罚记录（主管）")
    psub = penalties.add_subparsers(dest="penalties_command", required=True, parser_class=_Parser)
    punstated = psub.add_parser("unstated", help="列出程序类型或决定类型未注明的有效处罚记录，"
                                                  "交数据提供单位补全（主管）")
    punstated.add_argument("--unit", metavar="NAME", help="只列出该数据来源单位的记录")
    punstated.add_argument("--json", action="store_true")

    verify = sub.add_parser("verify", help="核验报告二维码内容")
    verify.add_argument("text", help="扫描得到的内容：核验网址（HTTPS://…/V/ 后接数字）或其中的数字串")
    verify.add_argument("--json", action="store_true")

    keys = sub.add_parser("keys", help="签名密钥与信任列表")
    ksub = keys.add_subparsers(dest="keys_command", required=True, parser_class=_Parser)
    kinit = ksub.add_parser("init", help="生成本机签名密钥并加入信任列表")
    kinit.add_argument("--label", help="说明，如窗口名称")
    kinit.add_argument("--passphrase-env", metavar="VAR", help="从该环境变量读取私钥口令（不设则不加密）")
    kinit.add_argument("--valid-until", type=_date)
    klist = ksub.add_parser("list", help="列出信任列表")
    klist.add_argument("--json", action="store_true")
    kexp = ksub.add_parser("export-public", help="导出信任列表（公钥）")
    kexp.add_argument("--out", metavar="FILE.json")
    kexp.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    kret = ksub.add_parser("retire", help="停用密钥（已签发的报告在有效期内仍可核验）")
    kret.add_argument("key_id")
    kret.add_argument("--yes", action="store_true", help="不再询问，直接删除本机的私钥文件")

    users = sub.add_parser("users", help="用户与角色")
    usub = users.add_subparsers(dest="users_command", required=True, parser_class=_Parser)
    uadd = usub.add_parser("add", help="添加用户")
    uadd.add_argument("username")
    uadd.add_argument("--role", required=True, help="窗口人员、核验人员、主管、管理员")
    uadd.add_argument("--name", help="显示姓名")
    uadd.add_argument("--password-env", metavar="VAR", help="从该环境变量读取密码（不设则交互输入）")
    ulist = usub.add_parser("list", help="列出用户")
    ulist.add_argument("--json", action="store_true")
    udis = usub.add_parser("disable", help="停用用户")
    udis.add_argument("username")
    ureset = usub.add_parser("reset", help="重设密码并解锁")
    ureset.add_argument("username")
    ureset.add_argument("--password-env", metavar="VAR")

    backup = sub.add_parser("backup", help="备份内置数据库（运行中也可一致备份）（管理员）")
    backup.add_argument("--out", required=True, metavar="FILE")
    backup.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    restore = sub.add_parser("restore", help="从备份恢复内置数据库，并检查审计链（管理员）")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接替换当前数据库")

    profile = sub.add_parser("profile", help="政策配置：本部署依据的政策及其有效期")
    psub = profile.add_subparsers(dest="profile_command", required=True, parser_class=_Parser)
    plist = psub.add_parser("list", help="列出政策配置、有效期和使用中的配置")
    plist.add_argument("--json", action="store_true")
    puse = psub.add_parser("use", help="选定本部署的政策配置；登记延长有效期的文件（管理员）")
    puse.add_argument("profile_id", metavar="ID")
    puse.add_argument("--extended-by", metavar="DOC", help="延长有效期的文件（文号），与 --until 同时给出")
    puse.add_argument("--until", type=_date, metavar="DATE", help="延长后的截止日期（晚于公布的截止日期）")

    from core import commands_calendar, commands_objections, commands_repair, commands_stats

    commands_objections.add_parsers(sub, _Parser, _date)
    commands_repair.add_parsers(sub, _Parser, _date)
    commands_calendar.add_parsers(sub, _Parser)
    commands_stats.add_parsers(sub, _Parser, _date)

    audit = sub.add_parser("audit", help="审计链检查（管理员）")
    asub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    averify = asub.add_parser("verify", help="重新计算审计链，并核对报告档案")
    averify.add_argument("--checkpoint", metavar="FILE.json", help="同时核对此前保存的检查点")
    averify.add_argument("--json", action="store_true")
    acheck = asub.add_parser("checkpoint", help="写出带签名的审计链检查点（请另处保存）")
    acheck.add_argument("--out", required=True, metavar="FILE.json")
    acheck.add_argument("--force", action="store_true", help="覆盖已存在的文件")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return commands.run(args)
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every error becomes one sentence, never a traceback
        explained = explain(exc)
        print(_one_line(explained.message), file=sys.stderr)
        return explained.exit_code


def _one_line(text: str) -> str:
    return " ".join(text.split())


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main())
