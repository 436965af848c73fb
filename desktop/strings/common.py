"""Wording of the shell: window, log-in, first run, lock screen, status bar."""

APP_TITLE = "信用报告窗口"
APP_SUBTITLE = "苏州市专用信用报告（代替企业无违法证明）"

PAGE_LOOKUP = "查询与出具"
PAGE_VERIFY = "核验"
PAGE_HISTORY = "出具记录"

LOGIN_TITLE = "登录 — 信用报告窗口"
LOGIN_USER = "用户名"
LOGIN_PASSWORD = "密码"
LOGIN_BUTTON = "登录"
LOGIN_QUIT = "退出"
LOGIN_BUSY = "正在登录…"
LOGIN_EMPTY = "请输入用户名和密码"

FIRST_TITLE = "首次使用 — 信用报告窗口"
FIRST_INTRO = (
    "欢迎使用信用报告窗口。\n"
    "本机将创建内置数据库，载入演示数据（约 2000 家苏州企业），并生成本窗口的签名密钥。\n"
    "请设置第一个管理员账号，之后即可用它登录、查询企业并出具报告。"
)
FIRST_USER = "管理员用户名"
FIRST_NAME = "姓名"
FIRST_PASSWORD = "密码（至少 8 位）"
FIRST_PASSWORD2 = "再次输入密码"
FIRST_START = "开始使用"
FIRST_MISMATCH = "两次输入的密码不一致"
FIRST_BUSY = "正在准备数据库、演示数据和签名密钥…"

LOCK_TITLE = "已锁屏"
LOCK_TEXT = "长时间无操作，屏幕已锁定。请输入 {name} 的密码继续。"
LOCK_UNLOCK = "解锁"
LOCK_SWITCH = "退出登录"

STATUS_USER = "操作人：{name}（{role}）"
STATUS_COUNTER = "窗口：{counter}"
STATUS_DB_EMBEDDED = "内置数据库"
STATUS_DB_SHARED = "共享数据库"
STATUS_CONNECTED = "已连接"
STATUS_DISCONNECTED = "未连接"
STATUS_BUSY = "正在处理…"

MENU_LOGOUT = "退出登录"
MENU_LOCK = "锁屏"
MENU_QUIT = "退出程序"
ERROR_TITLE = "出错了"
SHARED_NOT_READY = "共享数据库无法使用：{reason}"
