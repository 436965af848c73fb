"""Every word of the objection pages and dialogs (异议与修复, 登记异议): wording lives here."""
from __future__ import annotations

from desktop.strings.cases import *  # noqa: F403 - the words shared with credit repair

PAGE_OBJECTIONS = "异议与修复"
PAGE_TIP = "异议与修复（F6）：按期限排列的异议，逐步办理"

# -- queue -------------------------------------------------------------------------------
QUEUE_TITLE = "异议与修复"
FILTER_TIP = "Alt+S 选择显示范围"
REFRESH_TIP = "重新读取异议列表（Ctrl+R）"
QUEUE_HEADERS = ("编号", "企业", "记录", "理由", "状态", "期限 / 剩余工作日", "提出日期")
LOADING = "正在读取异议…"
EMPTY = {"open": "没有未办结的异议", "overdue": "没有已超期的异议", "all": "尚未登记异议"}

# -- detail ------------------------------------------------------------------------------
PICK_ONE = "请在上方列表中选择一件异议（单击或按 Enter 打开）"
LOADING_ONE = "正在读取异议详情…"
DETAIL_TITLE = "异议 第 {id} 号 · {status}"
F_RECORD = "异议记录"
F_GROUNDS = "异议理由"
F_FILER = "提出人"
F_FILED_ON = "提出日期"
F_REPORT = "所持报告编号"
F_OUTCOME = "核查结论"
FILER = "{name}（{role}）"
DEADLINE_NAMES = {"accept": "受理", "check": "平台核查", "provider": "提供单位协查", "close": "办结"}
ATTACHMENTS = "附件"
NO_ATTACHMENTS = "无附件"
ATTACHMENT_ROW = "{name}（{size}）"
OPEN_ATTACHMENT = "打开附件(&O)"
OPEN_TIP = "用本机的查看程序打开所选附件（Alt+O；也可双击）"
SAVE_ATTACHMENT = "另存为(&A)…"
SAVE_TIP = "把所选附件保存到文件（Alt+A）"
SAVE_TITLE = "保存附件"
SAVE_FILTER = "所有文件 (*)"
SAVED = "已保存：{path}"
OPENED = "已打开附件：{name}"
OPEN_FAILED = "无法打开附件：本机没有可用的查看程序，请用“另存为”"
TIMELINE = "办理经过"
TIMELINE_HEADERS = ("办理日期", "状态", "办理人", "窗口", "理由")
BACKDATED = " 补录"
RECORDED_AT = "登记于 {at}"
ACTIONS = "办理"
NOT_YOURS = "此步骤须由主管办理"
STEP_DONE = "已办理“{label}”：异议 第 {id} 号现为“{status}”"
READING_FILE = "正在读取附件…"

# -- step dialog -------------------------------------------------------------------------
STEP_TITLE = "{label} — 异议 第 {id} 号"
STEP_INTRO = "{enterprise}：{record}\n当前状态：{status}"
STEP_OUTCOME = "核查结论(&C)："
STEP_NO_OUTCOME = "请选择核查结论"
CORRECT_TITLE = "更正方式（核查结论为“已更正”时必填）"
CORRECT_CHANGE = "修改记录内容(&M)"
CORRECT_HINT = "每行一项，写作“字段=值”，如：罚款金额（万元）=0.1"
CORRECT_FIELDS = "可修改：{fields}"
CORRECT_REMOVE = "从报告中删除该记录(&E)"
CORRECT_EMPTY = "请写明如何更正：每行一项“字段=值”，或选择从报告中删除该记录"

# -- filing dialog -----------------------------------------------------------------------
FILE_BUTTON = "登记异议(&J)…"
FILE_BUTTON_TIP = "为本企业的一条记录或基本信息登记异议（Alt+J；也可在有记录的领域上右键）"
FILE_MENU_RECORD = "对{kind}“{ref}”登记异议…"
FILE_MENU_ENTERPRISE = "对企业基本信息登记异议…"
FILE_TITLE = "登记异议 — {name}"
FILE_RECORD = "异议记录(&R)："
FILE_GROUNDS = "异议理由(&G)："
FILE_TEXT = "具体说明(&T)："
FILE_TEXT_HINT = "选择“其他”时必填；其他理由可补充说明"
FILE_FILER = "提出人姓名(&N)："
FILE_FILED_AS = "提出人身份："
FILE_AGENT_NOTE = "委托代理人须提交授权委托书，请作为附件添加"
FILE_REPORT = "所持报告编号(&B)："
FILE_REPORT_HINT = "企业持有的专用信用报告编号（可不填）"
FILE_ATTACH = "附件："
FILE_ADD = "添加附件(&F)…"
FILE_REMOVE = "移除"
FILE_ATTACH_FILTER = "PDF 或图片 (*.pdf *.png *.jpg *.jpeg)"
FILE_ATTACH_TITLE = "选择附件（PDF、PNG、JPEG，单个不超过 20 MB）"
FILE_PAPER = "按纸质材料补录，提交日期(&P)："
FILE_OK = "登记"
FILE_NEED_TEXT = "理由为“其他”时请填写具体说明"
FILE_NEED_FILER = "请填写提出人姓名"
FILE_NEED_MANDATE = "委托代理人须附授权委托书：请添加附件"
FILE_DONE = "已登记异议 第 {id} 号（{status}）。\n{deadlines}"
RECORD_LABELS = {"penalty": "行政处罚", "arrear": "欠缴信息", "repair": "信用修复记录",
                 "enterprise": "企业基本信息"}
RECORD_TEXT = "{kind} {ref}"
