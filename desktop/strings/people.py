"""Wording of the 人员 page, its dialogs, and the change of one's own password."""

PAGE = "人员"
TITLE = "人员与账号"
INTRO = "管理员添加人员、分配角色、停用账号和重设密码；每人可在窗口底部“修改密码”自行更改。"
LOADING = "正在读取人员…"
COUNT = "共 {total} 人，其中 {active} 人可以登录"

HEADERS = ("用户名", "姓名", "角色", "最近登录窗口", "状态", "最近登录")
STATE_ACTIVE = "正常"
STATE_DISABLED = "已停用"
STATE_LOCKED = "已锁定至 {until:%H:%M}"
NEVER = "—"

ADD = "添加人员(&N)"
DISABLE = "停用(&D)"
ENABLE = "启用(&E)"
RESET = "重设密码(&R)"
ROLE = "更改角色(&G)"
REFRESH = "刷新"
PICK_FIRST = "请先在表格中选中一位人员"

ADD_TITLE = "添加人员"
USERNAME = "用户名"
USERNAME_HINT = "登录时输入，如 zhangsan"
NAME = "姓名"
NAME_HINT = "如：张三（可不填，默认与用户名相同）"
ROLE_LABEL = "角色"
ROLE_HELP = {
    "窗口人员": "查询企业、出具和打印报告、核验、登记异议",
    "核验人员": "只核验报告",
    "主管": "窗口人员的全部工作，另可撤销报告、处理异议和查看统计",
    "管理员": "导入数据、管理人员、密钥、设置和审计；不办理报告",
}
PASSWORD = "密码（至少 8 个字符）"
PASSWORD_AGAIN = "再次输入密码"
MISMATCH = "两次输入的密码不一致"
USERNAME_EMPTY = "请填写用户名"
ADDED = "已添加 {name}（{username}，{role}）"

RESET_TITLE = "重设密码 — {name}"
RESET_NOTE = "重设后账号同时解锁并启用。请把新密码当面告知 {name}，并请其登录后自行修改。"
NEW_PASSWORD = "新密码（至少 8 个字符）"
NEW_PASSWORD_AGAIN = "再次输入新密码"
RESET_DONE = "{name} 的密码已重设，账号已解锁"

ROLE_TITLE = "更改角色 — {name}"
ROLE_NOTE = "新角色在 {name} 下次登录时生效。"
ROLE_DONE = "{name} 的角色已改为 {role}"
ROLE_SAME = "角色没有变化"

DISABLE_TITLE = "停用账号"
DISABLE_ASK = "停用 {name}（{username}）的账号？停用后不能登录，记录全部保留，可随时重新启用。"
DISABLE_YES = "停用"
DISABLED = "{name} 的账号已停用"
ENABLED = "{name} 的账号已启用（密码不变）"

OK = "确定"
CANCEL = "取消"
SAVING = "正在保存…"

# changing one's own password (every role)
OWN_BUTTON = "修改密码"
OWN_TITLE = "修改密码 — {name}"
OWN_NOTE = "请输入原密码和新密码。新密码至少 8 个字符，与原密码不同。"
OLD_PASSWORD = "原密码"
OLD_EMPTY = "请输入原密码"
