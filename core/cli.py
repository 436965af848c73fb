"""creditdesk-admin: the core services for administrators and scripts.

Command names and JSON keys are a contract with the service centres' scripts: keep them stable.
Every error is one plain line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import argparse
import getpass
import json
import re
import sys
from datetime import date

from core import commands
from core.errors import CreditDeskError
from core.policy import PolicyError
from core.services.records.ingest.readers import UnreadableFile
from core.uscc import InvalidUscc

EXIT_ERROR = 2
EXIT_INTERNAL = 70


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
    parser.add_argument("--from", dest="date_from", type=_date)
    parser.add_argument("--to", dest="date_to", type=_date)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="creditdesk-admin", description="CreditDesk 信用报告窗口 管理命令")
    p.add_argument("--db", metavar="URL", help="数据库地址（默认：用户数据目录中的内置 SQLite；环境变量 CREDITDESK_DB）")
    p.add_argument("--profile", metavar="ID", help="政策配置（默认 suzhou-2024；环境变量 CREDITDESK_PROFILE）")
    p.add_argument("--user", default=None, help="操作人（默认：当前系统用户）")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")

    sub.add_parser("init", help="创建或升级数据库结构（可重复执行）")

    demo = sub.add_parser("demo", help="生成演示数据")
    demo.add_argument("--enterprises", type=int, default=2000, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument("--show-report", action="store_true", help="生成后显示一家示例企业的报告内容")

    imp = sub.add_parser("import", help="导入部门数据文件（CSV 或 XLSX）")
    imp.add_argument("kind", choices=["enterprises", "penalties", "arrears", "repairs"])
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
    issue.add_argument("--json", action="store_true")
    show = rsub.add_parser("show", help="查看已出具的报告")
    show.add_argument("report_no")
    show.add_argument("--pdf", metavar="FILE.pdf", help="同时导出存档的 PDF")
    show.add_argument("--json", action="store_true")
    revoke = rsub.add_parser("revoke", help="撤销已出具的报告")
    revoke.add_argument("report_no")
    revoke.add_argument("--reason", required=True)

    verify = sub.add_parser("verify", help="核验报告二维码内容")
    verify.add_argument("text", help="扫描得到的数字串")
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
    kret = ksub.add_parser("retire", help="停用密钥（已签发的报告在有效期内仍可核验）")
    kret.add_argument("key_id")

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
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.user = args.user or _system_user()
    handler = commands.handler_for(args)
    try:
        return handler(args)
    except (CreditDeskError, UnreadableFile, InvalidUscc, PolicyError) as exc:
        print(_one_line(str(exc)), file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # output piped into `head` and the like
        return 0
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback for a user
        print(_one_line(f"内部错误（{type(exc).__name__}）：{exc}"), file=sys.stderr)
        return EXIT_INTERNAL


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _system_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "unknown"


def print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    sys.exit(main())
