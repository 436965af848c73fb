"""Every word the 核验 page shows, in one place."""
from __future__ import annotations

from datetime import date, datetime

from core.states import VerdictStatus as V

PAGE_TITLE = "核验报告"
SCAN_PLACEHOLDER = "请用扫码枪扫描报告首页的二维码；没有扫码枪时，请打开报告的图片或 PDF 文件"
# What is printed under the code (core/services/reports/render/sections.py head_block): the
# words 扫码核验 and the report number, which is also at the top right of every page.
SCAN_HINT = ("扫码枪扫描后自动核验 · 按 Esc 清空 · 也可把报告的图片或 PDF 文件拖到此页面\n"
             "二维码下方印的是报告编号（如 SZ-2026-00001234，每页右上角也有），不能代替二维码核验；"
             "二维码损坏无法识别时，可按 F4 用报告编号查询档案记录")
OPEN_FILE = "打开图片或PDF…"
OPEN_FILE_SHORTCUT = "Ctrl+O"
OPEN_FILE_TITLE = "选择报告图片或 PDF 文件"
OPEN_FILE_FILTER = "报告图片或 PDF (*.pdf *.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)"
DROP_HINT = "松开鼠标即可识别文件中的二维码"

IDLE_TITLE = "等待扫描"
IDLE_TEXT = "扫描报告首页的二维码，核验结果将显示在这里。"
BUSY_TITLE = "正在核验…"
BUSY_TEXT = "正在核对数字签名和报告档案，请稍候。"
READING_FILE = "正在识别文件中的二维码…"
ERROR_TITLE = "无法完成核验"
ERROR_TEXT_SUFFIX = "请检查后重试；如问题持续，请联系管理员。"
EMPTY_INPUT = "请先用扫码枪扫描报告首页的二维码，或打开报告的图片或 PDF 文件"

# the banner's headline per verdict; `offline` replaces the headline of a signature-only "valid"
HEADLINES = {
    V.VALID: "有效",
    V.FORGED: "无效 · 伪造",
    V.REVOKED: "无效 · 已撤销",
    V.EXPIRED: "无效 · 已过期",
    V.MALFORMED: "请重新扫描",
}
# a shape as well as a colour, for verifiers who cannot tell red from green
SYMBOLS = {V.VALID: "✔", V.FORGED: "✘", V.REVOKED: "✘", V.EXPIRED: "✘", V.MALFORMED: "⚠",
           "offline": "⚠", "error": "⚠", "notice": "⚠", "busy": "…", "idle": ""}
OFFLINE_HEADLINE = "无法连接数据库（仅验证签名）"
OFFLINE_NOTE = ("无法连接数据库：仅核对了数字签名，未能核对报告是否已被撤销，请稍后联网复核。"
                "本机信任列表最近同步于 {synced}。")
SYNCED_UNKNOWN = "未知时间"
DROPPED_KEYS_NOTE = "本机信任列表缓存中的密钥 {keys} 不在数据库的信任列表中，已删除。"

ENTERPRISE = "企业名称"
USCC = "统一社会信用代码"
REPORT_NO = "报告编号"
ISSUED_ON = "出具日期"
VALID_UNTIL = "有效期至"
DOMAINS = "核查领域"
PERIOD = "查询期间"
VIOLATIONS = "违法记录"
ARREARS = "欠缴"
REVOKED_AT = "撤销日期"
REVOKE_REASON = "撤销原因"
NOT_ARCHIVED = "档案中未找到该报告（可能由其他数据库出具）"
COMPARE_HINT = "请逐项与纸质报告核对："
UNTRUSTED_HINT = "以下是核验码中声称的内容，签名无效，不能作为依据："

OPEN_ARCHIVE = "查看存档报告"
OPEN_ARCHIVE_SHORTCUT = "F3"  # F2 is the window's way back to 查询与出具
ARCHIVE_TITLE = "存档报告 {report_no}"

# -- a report number where a code was expected ----------------------------------------------
NUMBER_TYPED_TITLE = "这是报告编号，不是核验码"
NUMBER_TYPED_TEXT = ("您输入的{number}是报告编号（印在二维码下方），扫码框只接收二维码的内容。"
                     "报告编号不能证明纸质报告的真伪；二维码损坏无法识别时，可按 F4 “按报告编号查询”，"
                     "查看该编号在档案中的记录。")
LETTERS_IN_SCAN_FIELD = "扫码框只接收二维码的数字，字母已忽略。要输入报告编号（如 SZ-2026-00001234），请按 F4 “按报告编号查询”"

# -- look-up by report number (desktop/views/report_lookup_dialog.py) -----------------------
LOOKUP_BUTTON = "按报告编号查询…"
LOOKUP_SHORTCUT = "F4"
LOOKUP_TITLE = "按报告编号查询档案（不是核验）"
LOOKUP_WARNING = ("这是档案查询，不是核验：输入的编号只能说明档案中有没有这份报告及其现状，"
                  "不能证明您手中的纸质报告是真的——编号可以被抄到伪造的报告上。"
                  "请把下面的企业名称、信用代码和日期逐项与纸质报告核对；"
                  "能扫描时请扫描二维码核验，仍有疑问请联系出具窗口。")
LOOKUP_NUMBER = "报告编号"
LOOKUP_PLACEHOLDER = "如 SZ-2026-00001234（印在二维码下方和每页右上角）"
LOOKUP_RUN = "查询"
LOOKUP_BUSY = "正在查询档案…"
LOOKUP_EMPTY = "请输入报告编号，如 SZ-2026-00001234"
LOOKUP_STATE = "档案状态"
LOOKUP_COUNTER = "出具窗口"
LOOKUP_RECORDED = "查询时间 {at} · 本次查询已记入审计日志（查询不计入核验记录）"
LOOKUP_NO_PDF = "您的角色不能在此查看存档报告全文"
LOOKUP_CLOSE = "关闭"
LOOKUP_STATES = {
    "valid": "有效",
    "revoked": "已撤销",
    "expired": "已过期",
    "broken": "档案记录异常",
    "unknown": "档案中没有该编号",
}
LOOKUP_STATE_NOTES = {
    "valid": "档案中的这份报告未被撤销、仍在有效期内。这不代表您手中的纸张就是这份报告。",
    "revoked": "这份报告已被出具窗口撤销，不能再作为有效报告使用。",
    "expired": "这份报告已超过有效期，不能再作为有效报告使用。",
    "broken": "档案中的这份报告与出具时的审计记录不一致（可能被改动），请勿采信，并联系管理员检查。",
    "unknown": ("档案中没有报告 {number}。请先核对编号是否输错（如数字 0 与字母 O、数字 1 与字母 I）；"
                "编号无误时，这份报告不是本系统出具的（可能由其他窗口的系统出具，或是伪造的），请联系出具窗口。"),
}


def yes_no(value: bool) -> str:
    return "有" if value else "无"


def violations_text(count: int) -> str:
    return f"{count} 条"


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value:%Y-%m-%d}"


def period_text(start: date, end: date) -> str:
    return f"{day(start)} 至 {day(end)}"


def domain_label(code: int, name: str | None) -> str:
    return f"{code}. {name}" if name else f"领域 {code}"


def new_violations_note(numbers: tuple[str, ...]) -> str:
    shown = "、".join(numbers[:5]) + ("等" if len(numbers) > 5 else "")
    return (f"注意：本报告出具后，同一核查范围内又新增 {len(numbers)} 条违法记录（{shown}），"
            "纸质报告中没有这些记录。")


def offline_note(synced: datetime | None) -> str:
    return OFFLINE_NOTE.format(synced=f"{synced:%Y-%m-%d %H:%M}" if synced else SYNCED_UNKNOWN)


def dropped_keys_note(keys: tuple[str, ...]) -> str:
    return DROPPED_KEYS_NOTE.format(keys="、".join(keys))


def error_text(message: str) -> str:
    return f"{message}\n{ERROR_TEXT_SUFFIX}"


def button_with_shortcut(text: str, shortcut: str) -> str:
    return f"{text}（{shortcut}）"
