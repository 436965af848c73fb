"""Wording of the 审计日志 viewer."""

PAGE = "审计日志"
PERSON = "人员(&P)"
ACTION = "操作(&A)"
FROM = "从(&F)"
TO = "至(&T)"
SEARCH = "查询(&S)"
VERIFY = "重新检查审计链(&V)"
ALL = "全部"
LOADING = "正在查询…"
COUNT = "共 {total} 条事件"
COUNT_CUT = "共 {total} 条事件，显示最新 {shown} 条（请缩小日期范围）"
NONE = "没有符合条件的事件"

CHAIN_CHECKING = "正在检查审计链和报告档案…"
CHAIN_OK = "审计链完整（检查时共 {count} 条事件），报告档案与审计链一致"
CHAIN_BROKEN = "审计链校验未通过：{problem}"
CHAIN_FAILED = "审计链未能检查：{reason}"

HEADERS = ("序号", "时间", "人员", "窗口", "操作", "对象", "详情")
DATE_FROM_LABEL = "起始日期"
DATE_TO_LABEL = "截止日期"

ACTIONS = {
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "refused": "越权被拒",
    "lookup": "查询企业",
    "preview": "预览报告",
    "issue": "出具报告",
    "reprint": "重印报告",
    "save": "另存报告",
    "revoke": "撤销报告",
    "verify": "核验报告",
    "import": "导入数据",
    "demo": "生成演示数据",
    "first_run": "首次设置",
    "user_add": "添加人员",
    "user_disable": "停用账号",
    "user_enable": "启用账号",
    "user_reset": "重设密码",
    "user_role": "更改角色",
    "password_change": "修改本人密码",
    "key_create": "生成签名密钥",
    "key_retire": "停用签名密钥",
    "audit_verify": "检查审计链",
    "audit_checkpoint": "生成审计检查点",
    "backup": "备份数据库",
    "profile": "更换政策配置",
    "settings": "更改设置",
    "objection": "异议处理",
    "correction": "异议更正记录",
    "repair": "信用修复",
    "calendar": "导入节假日",
}
DETAIL_KEYS = {
    "role": "角色", "active": "可登录", "from": "原为", "to": "改为", "reason": "原因", "kind": "类型",
    "file": "文件", "accepted": "接收", "updated": "更新", "rejected_rows": "拒收", "name": "名称",
    "ok": "完整", "count": "条数", "problem": "问题", "permission": "权限", "uscc": "统一社会信用代码",
    "purpose": "用途", "longest": "最长有效期", "profile": "政策配置", "extended_by": "延长文件",
    "until": "截止日期", "label": "标签", "public_key": "公钥", "key_id": "密钥", "enterprises": "企业数",
    "penalties": "处罚数", "seed": "种子", "head_hash": "链头散列", "counter": "窗口", "copies": "份数",
    "content_sha256": "内容散列", "pdf_sha256": "PDF 散列", "domains": "领域", "period": "期间",
    "status": "结论", "report_no": "报告编号", "by": "办理人", "changes": "变更", "export": "导出",
    "objection": "异议", "offline": "离线", "on": "日期", "pages": "页数", "path": "路径",
    "print_count": "打印次数", "record_id": "记录", "record_kind": "记录类型", "removed": "删除",
    "rows": "行数", "search": "查询", "state": "状态",
}
YES, NO, NOTHING = "是", "否", "无"
# values the core records in English (verdicts, record and import kinds), as a person reads them
VALUE_WORDS = {
    "valid": "有效", "malformed": "无法识别", "forged": "伪造", "revoked": "已撤销", "expired": "已过期",
    "penalty": "行政处罚", "arrear": "欠缴信息", "repair": "信用修复记录", "enterprise": "企业基本信息",
    "penalties": "行政处罚", "arrears": "欠缴信息", "repairs": "信用修复", "enterprises": "市场主体",
    "enforcement": "行政强制", "dishonest_lists": "严重失信主体名单", "criminal": "刑事裁判",
}
