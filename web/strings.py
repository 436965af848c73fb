"""Every word the verification web page shows, in one place (mirrors desktop/strings/verify.py)."""
from __future__ import annotations

from datetime import date, datetime

SITE_TITLE = "专用信用报告核验"
ISSUER_LINE = "本页面只核验报告首页二维码中的数字签名与出具档案，不提供查询、检索或列表。"

# the banner: (headline, symbol) per display state; a shape as well as a colour
HEADLINES = {
    "valid": "有效",
    "new_violations": "出具后有新增违法记录",
    "malformed": "请重新扫描",
    "forged": "无效 · 伪造",
    "revoked": "无效 · 已撤销",
    "expired": "无效 · 已过期",
}
SYMBOLS = {"valid": "✔", "new_violations": "⚠", "malformed": "⚠", "forged": "✘", "revoked": "✘",
           "expired": "✘"}
NEW_VIOLATIONS_REASON = "报告真实、内容未被篡改；但出具后又有新的违法记录，见下方说明。"
MALFORMED_HINT = ("二维码没有被完整读出（或不是专用信用报告的二维码）。请把手机对准报告首页的二维码重新扫描；"
                  "仍无法识别时，请联系出具报告的窗口。")
FORGED_HINT = "请勿采信这份报告。核验码中声称的内容没有有效签名，本页面不予显示。"
REVOKED_HINT = "这份报告已被出具窗口撤销，不能再作为有效报告使用。下方可查看撤销前存档的报告原文。"
EXPIRED_HINT = "这份报告已超过有效期，不能再作为有效报告使用，请企业重新申请。"

COMPARE_HINT = "请逐项与手中的报告核对："
ENTERPRISE = "企业名称"
USCC = "统一社会信用代码"
REPORT_NO = "报告编号"
ISSUED_ON = "出具日期"
VALID_UNTIL = "有效期至"
PERIOD = "查询期间"
VIOLATIONS = "违法记录"
ARREARS = "欠缴"
DOMAINS = "核查领域"
REVOKED_AT = "撤销日期"
REVOKE_REASON = "撤销原因"
CHECKED_AT = "核验时间 {at}"

VIEW_PDF = "查看存档报告（PDF）"
DOWNLOAD_PDF = "下载存档报告"
PDF_NOTE = "存档报告是出具时保存的原件，可与手中的纸质报告逐页对照。"

NOT_FOUND_TITLE = "页面不存在"
NOT_FOUND_TEXT = "本网站只用于核验专用信用报告：请用手机扫描报告首页的二维码打开核验页面。"
NO_PDF_TEXT = "该核验码没有可查看的存档报告。"
METHOD_TITLE = "不支持的请求"
METHOD_TEXT = "本网站只提供核验页面的查看。"
TOO_MANY_TITLE = "请求过于频繁"
TOO_MANY_TEXT = "您的核验请求过于频繁，请在 {seconds} 秒后再试。"
UNAVAILABLE_TITLE = "暂时无法核验"
UNAVAILABLE_TEXT = "核验服务暂时无法连接报告档案，请稍后再试。为避免误判，此时不显示任何核验结论。"
BROKEN_TITLE = "存档报告无法提供"
BROKEN_TEXT = "存档报告与出具时的记录不一致，已拒绝提供，请联系出具报告的窗口。"
ERROR_TITLE = "核验出错"
ERROR_TEXT = "核验时发生意外错误，请稍后再试；如问题持续，请联系出具报告的窗口。"

HEALTH_OK = "正常"
HEALTH_DOWN = "无法连接数据库"


def day(value: date | datetime | None) -> str:
    return "—" if value is None else f"{value:%Y-%m-%d}"


def period_text(start: date, end: date) -> str:
    return f"{day(start)} 至 {day(end)}"


def violations_text(count: int) -> str:
    return f"{count} 条"


def yes_no(value: bool) -> str:
    return "有" if value else "无"


def new_violations_note(numbers: tuple[str, ...]) -> str:
    shown = "、".join(numbers[:5]) + ("等" if len(numbers) > 5 else "")
    return f"注意：本报告出具后，同一核查范围内又新增 {len(numbers)} 条违法记录（{shown}），纸质报告中没有这些记录。"


def too_many_text(seconds: int) -> str:
    return TOO_MANY_TEXT.format(seconds=seconds)
