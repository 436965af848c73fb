"""Every word of credit repair (信用修复) on screen: the page's tab, its dialogs, the counter's entries."""
from __future__ import annotations

from desktop.strings.cases import *  # noqa: F403 - the words shared with objections

# -- the page's two halves -----------------------------------------------------------------
TAB_OBJECTIONS = "异议(&Y)"
TAB_REPAIRS = "信用修复(&X)"
TABS_TIP = "Alt+Y 异议，Alt+X 信用修复申请"

# -- queue -------------------------------------------------------------------------------
REFRESH_TIP = "重新读取信用修复申请（Ctrl+R）"
QUEUE_HEADERS = ("编号", "企业", "处罚决定书文号", "状态", "期限 / 剩余工作日", "最早可修复日期", "申请日期")
LOADING = "正在读取信用修复申请…"
EMPTY = {"open": "没有未办结的信用修复申请", "overdue": "没有已超期的信用修复申请", "all": "尚未登记信用修复申请"}
EARLIEST_PASSED = "{day}（已届满）"
EARLIEST_AHEAD = "{day}（未届满）"

# -- detail ------------------------------------------------------------------------------
PICK_ONE = "请在上方列表中选择一件信用修复申请（单击或按 Enter 打开）"
LOADING_ONE = "正在读取申请详情…"
DETAIL_TITLE = "信用修复申请 第 {id} 号 · {status}"
F_DECISION = "处罚决定书文号"
F_PENALTY = "处罚"
F_ORGAN = "处罚机关"
F_DECIDED = "处罚决定日期"
F_SEVERITY = "失信程度"
F_RULE = "最短公示期"
F_EARLIEST = "最早可修复日期"
F_APPLIED = "申请日期"
F_OUTCOME = "决定"
PENALTY_TEXT = "{kind}：{content}"
OUTCOME_TEXT = "{status}（{day}）：{reason}"
DEADLINE_NAMES = {"accept": "受理", "consult": "征求处罚机关意见", "close": "办结"}
ACTION_LABELS = {"accept": "受理", "consult": "征求处罚机关意见", "grant": "准予修复",
                 "refuse": "不予修复", "sync": "已同步"}
STEP_DONE = "已办理“{label}”：信用修复申请 第 {id} 号现为“{status}”"

# -- step dialog -------------------------------------------------------------------------
STEP_TITLE = "{label} — 信用修复申请 第 {id} 号"
STEP_INTRO = "{enterprise}：行政处罚 {decision}\n当前状态：{status}　最早可修复日期：{earliest}"
STEP_GRANT_EARLY = "注意：最早可修复日期为 {day}，在此之前不能准予修复"

# -- apply dialog (look-up page) ---------------------------------------------------------
APPLY_BUTTON = "申请信用修复(&X)…"
APPLY_BUTTON_TIP = "为本企业的一条行政处罚登记信用修复申请（Alt+X；也可在有记录的领域上右键）"
APPLY_MENU = "对行政处罚“{ref}”申请信用修复…"
APPLY_TITLE = "申请信用修复 — {name}"
APPLY_PENALTY = "行政处罚(&R)："
APPLY_NO_PENALTY = "本企业在所查期间没有可申请修复的行政处罚"
APPLY_READING = "正在读取最早可修复日期…"
APPLY_EARLIEST = "最早可修复日期：{day}（{state}）"
APPLY_RULE = "依据：{rule}"
APPLY_EARLIEST_OK = "已届满，可以准予"
APPLY_EARLIEST_WAIT = "未届满，届时方可准予"
APPLY_PAPER = "按纸质材料补录，申请日期(&P)："
APPLY_OK = "登记申请"
APPLY_DONE = "已登记信用修复申请 第 {id} 号（{status}）。\n{deadlines}"

# -- the enterprise's open objections (look-up page, for the clerk's 企业撤回) ------------
OBJECTIONS_BUTTON = "本企业异议(&Y)…"
OBJECTIONS_BUTTON_TIP = "查看本企业未办结的异议，登记企业撤回（Alt+Y）"
OBJECTIONS_TITLE = "未办结的异议 — {name}"
OBJECTIONS_HEADERS = ("编号", "记录", "理由", "状态", "期限 / 剩余工作日")
OBJECTIONS_LOADING = "正在读取本企业的异议…"
OBJECTIONS_NONE = "本企业没有未办结的异议"
OBJECTIONS_COUNT = "共 {n} 件未办结；选中一件可登记企业撤回"
WITHDRAW = "企业撤回(&W)…"
WITHDRAW_TIP = "企业撤回所选异议：须填写撤回理由（Alt+W）"
WITHDRAWN = "已登记企业撤回：异议 第 {id} 号现为“{status}”"
