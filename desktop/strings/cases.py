"""The words objections (异议) and credit-repair applications (信用修复) share on screen: the queue,
the deadline cell, the detail and the step dialog. objections.py and repairs.py re-export them."""
from __future__ import annotations

# -- queue -------------------------------------------------------------------------------
FILTER_LABEL = "显示(&S)："
FILTERS = (("open", "未办结"), ("overdue", "已超期"), ("all", "全部"))
REFRESH = "刷新"
QUEUE_TIP = "↑↓ 选择，Enter 打开；红色为已超期，黄色为一个工作日内到期"
COUNT = "共 {n} 件"
COUNT_MARKED = "共 {n} 件，其中已超期 {overdue} 件、即将到期 {soon} 件"

# The deadline cell: when, how far, and whether it may still move.
DUE_LEFT = "{due}（剩 {n} 个工作日）"
DUE_TODAY = "{due}（今天到期）"
DUE_OVER = "{due}（已超期 {n} 个工作日）"
MARK_OVERDUE = "【超期】"
MARK_SOON = "【将到期】"
PROVISIONAL = " 暂定"
PROVISIONAL_TIP = "所在年份的节假日安排尚未公布，期限可能变动（暂定）"
CLOSED_ON = "已办结 {day}"
CLOSED = "已办结"

# -- detail ------------------------------------------------------------------------------
F_ENTERPRISE = "企业"
F_USCC = "统一社会信用代码"
DEADLINES = "办理期限"
DEADLINE_ROW = "{name}：{due}{mark}"
ACTION_TIP = "{label}（Alt+{n}）"
NO_ACTIONS = "已办结，无需再办理"
WORKING = "正在办理…"

# -- step dialog -------------------------------------------------------------------------
STEP_REASON = "理由(&R)："
STEP_REASON_HINT = "写明办理的理由或依据（必填），将记入办理经过；按 Ctrl+Enter 确定"
STEP_OK_TIP = "确定（Ctrl+Enter）"
STEP_PAPER = "纸质办理，办理日期(&D)："
STEP_PAPER_TIP = "按纸质材料补录时勾选，填写实际办理日期（不能晚于今天）"
STEP_OK = "确定"
STEP_CANCEL = "取消"
STEP_EMPTY_REASON = "请填写理由：它将记入办理经过"

# -- filing / applying (look-up page) ------------------------------------------------------
DONE_DEADLINE = "{name}期限：{due}{mark}"
REGISTER_BUSY = "正在登记…"
CLOSE = "关闭"
CANCEL = "取消"
