"""Every word the 核验 page shows, in one place."""
from __future__ import annotations

from datetime import date, datetime

from core.states import VerdictStatus as V

PAGE_TITLE = "核验报告"
SCAN_PLACEHOLDER = "请用扫码枪扫描报告首页的二维码；没有扫码枪时，请打开报告的图片或 PDF 文件"
SCAN_HINT = ("扫码枪扫描后自动核验 · 按 Esc 清空 · 也可把图片或 PDF 文件拖到此页面\n"
             "二维码下方印的是报告编号，仅供核对，不能代替二维码核验")
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
           "offline": "⚠", "error": "⚠", "busy": "…", "idle": ""}
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
ARCHIVE_LOADING = "正在读取存档报告…"
ARCHIVE_CLOSE = "关闭"
ARCHIVE_UNREADABLE = "存档报告无法显示"
NO_ARCHIVE_PERMISSION = "您的角色无权查看存档报告"


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
