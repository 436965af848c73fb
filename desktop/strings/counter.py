"""Every word the counter pages show (查询与出具, 出具记录): wording lives here, in one place."""
from __future__ import annotations

# -- look-up page ------------------------------------------------------------------------
LOOKUP_TITLE = "查询与出具"
SEARCH_LABEL = "查找企业"
SEARCH_PLACEHOLDER = "输入统一社会信用代码、企业名称（含曾用名）的一部分或拼音首字母"
SEARCH_HINT = "按 F2 回到查找框，↓ 键进入结果列表，Esc 清空"
SEARCHING = "正在查询…"
NO_MATCH = "未找到匹配的企业，请核对名称或统一社会信用代码"
TYPE_TO_SEARCH = "请输入企业名称或统一社会信用代码开始查找"
RESULT_COUNT = "找到 {n} 家企业，请选择一家"
RESULT_COUNT_MORE = "找到 {n} 家以上企业，请输入更完整的名称"
LOADING_ENTERPRISE = "正在读取企业信息…"
PICK_ENTERPRISE = "请在上方结果中选择一家企业"

# Hit columns and the way a hit matched.
HIT_HEADERS = ("企业名称", "统一社会信用代码", "法定代表人", "登记状态", "匹配")
MATCH_KINDS = {
    "uscc": "信用代码",
    "name": "名称完全一致",
    "prefix": "名称开头",
    "contains": "名称包含",
    "initials": "拼音首字母",
}
FORMER_NAME = "曾用名：{name}"
EMPTY_VALUE = "—"

# -- enterprise panel --------------------------------------------------------------------
ENTERPRISE_TITLE = "企业信息"
FIELD_NAME = "企业名称"
FIELD_USCC = "统一社会信用代码"
FIELD_LEGAL_REP = "法定代表人"
FIELD_ADDRESS = "住所"
FIELD_FOUNDED = "成立日期"
FIELD_STATUS = "登记状态"
FIELD_FORMER = "曾用名"
NONE_FORMER = "无"
OVERVIEW_TITLE = "20 个领域概览（{start} 至 {end}）"
OVERVIEW_CLEAN = "各领域均无违法记录"
OVERVIEW_DIRTY = "{n} 个领域有违法记录，共 {total} 条"
ARREARS_COUNT = "欠缴信息 {n} 条"
REPAIRS_COUNT = "信用修复 {n} 条"
ENFORCEMENT_COUNT = "行政强制"
LISTINGS_COUNT = "严重失信主体名单"
CRIMINAL_COUNT = "刑事裁判"
KIND_COUNT = "{label} {n} 条"
UNSOURCED_COUNT = "{label} 暂无数据来源"
DOMAIN_HEADERS = ("序号", "领域", "责任单位", "结论")
NO_RECORD = "无违法记录"

# -- report panel ------------------------------------------------------------------------
REPORT_TITLE = "出具{title}"  # the profile's report title: 专用信用报告, 专项信用报告
DOMAINS_LABEL = "查询领域"
DOMAINS_CHOSEN = "已选 {n} / {total} 个领域"
SELECT_ALL = "全选"
SELECT_NONE = "全不选"
PERIOD_LABEL = "查询期间"
PERIOD_CUSTOM = "自定义"
PERIOD_FROM = "从"
PERIOD_TO = "至"
PURPOSE_LABEL = "报告用途"
PURPOSE_OTHER_PLACEHOLDER = "具体用途（报告上仍印“其他”）"
PURPOSE_OTHER_TIP = "报告用途只能印列表中的一项；选择“其他”时，报告上印“其他”"
CONFIRM_TITLE = "请确认是否出具"
CONFIRM_ENDED = ("{name}\n登记状态为“{status}”，该企业已不再正常经营。\n"
                 "请确认申请人确实需要为其出具报告。\n\n是否继续出具？")
CONFIRM_ISSUE = "仍然出具"
CONFIRM_CANCEL = "取消"
DATE_FORMAT = "yyyy-MM-dd"
PREVIEW = "预览"
ISSUE = "出具报告"
PRINT = "打印"
SAVE_AS = "另存为…"
PREVIEW_TIP = "按当前选择生成报告样张（不编号、不签章）"
ISSUE_TIP = "正式出具：编号、签章并存档"
PRINT_TIP = "打印已出具的报告（Ctrl+P）"
SAVE_TIP = "把已出具的报告保存为 PDF 文件"
NO_ISSUE_RIGHT = "您的角色（{role}）无权出具报告"
PROFILE_NOT_IN_FORCE = "暂停出具：{reason}"
NO_PRINT_RIGHT = "您的角色（{role}）无权打印报告"
MAKING_PREVIEW = "正在生成预览…"
ISSUING = "正在出具报告，请稍候…"
PREVIEW_READY = "预览已生成（样张，尚未出具）。核对无误后点击“出具报告”。"
ISSUED = "报告已出具，报告编号：{no}"
ISSUED_NEXT = "可以打印或另存为 PDF 交给企业。"
CHOICES_CHANGED = "选择已更改：打印的仍是已出具的报告；如需按新选择出具，请点击“出具报告”。"
ISSUED_ALREADY = "已按当前选择出具，无需重复出具"
NO_ENTERPRISE = "请先查找并选择一家企业"
PRINTED = "已送打印机：{pages} 页（第 {count} 次打印）"
PRINT_FAILED = "打印失败：{reason}"
PRINTING = "正在打印…"
SAVED = "已保存到 {path}"
SAVE_TITLE = "另存报告为 PDF"
SAVE_FILTER = "PDF 文件 (*.pdf)"

# -- PDF preview -------------------------------------------------------------------------
PREVIEW_EMPTY = "选择企业后点击“预览”，报告样张显示在这里"
PAGE_COUNT = "共 {n} 页"
PDF_UNREADABLE = "无法显示该 PDF 文件"
ZOOM_FIT = "适合宽度"
ZOOM_IN = "放大"
ZOOM_OUT = "缩小"

# -- history page ------------------------------------------------------------------------
HISTORY_TITLE = "出具记录"
HISTORY_FILTER = "筛选"
HISTORY_FILTER_PLACEHOLDER = "输入报告编号、企业名称、信用代码或出具人筛选"
HISTORY_HEADERS = ("报告编号", "企业名称", "统一社会信用代码", "出具时间", "出具人", "窗口",
                   "有效期至", "状态", "打印次数")
HISTORY_COUNT = "共 {n} 份报告"
HISTORY_FILTERED = "显示 {shown} / {n} 份报告"
HISTORY_EMPTY = "还没有出具过报告"
HISTORY_LOADING = "正在读取出具记录…"
REFRESH = "刷新"
REPRINT = "重新打印"
VIEW = "查看"
REVOKE = "撤销…"
REVOKE_TIP = "作废这份报告（仅主管可操作），核验时将显示“已撤销”"
REVOKE_TITLE = "撤销报告"
REVOKE_PROMPT = "撤销报告 {no}（{name}）。\n请填写撤销原因："
REVOKE_PLACEHOLDER = "例如：企业申请作废，重新出具"
REVOKE_NEEDS_REASON = "请填写撤销原因后再撤销"
REVOKE_CONFIRM = "撤销报告"
CANCEL = "取消"
REVOKED = "报告 {no} 已撤销"
ALREADY_REVOKED = "该报告已撤销"
PICK_REPORT = "请先在表格中选择一份报告"
VIEW_TITLE = "报告 {no} — {name}"
CLOSE = "关闭"
WORKING = "正在处理…"
