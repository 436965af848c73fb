"""Roles and what each may do: the table of issue 7, in one place."""
from __future__ import annotations

from enum import Enum

from core.errors import InvalidRequest


class Role(str, Enum):
    CLERK = "窗口人员"
    VERIFIER = "核验人员"
    SUPERVISOR = "主管"
    ADMIN = "管理员"


class Permission(str, Enum):
    LOOKUP = "查询企业"
    PREVIEW = "预览报告"
    ISSUE = "出具报告"
    PRINT = "重印报告"
    SAVE = "另存报告"
    VERIFY = "核验报告"
    VIEW_ARCHIVE = "查看核验报告的存档"
    HISTORY = "查看出具记录"
    REVOKE = "撤销报告"
    IMPORT = "导入数据"
    DEMO = "生成演示数据"
    MANAGE_USERS = "管理用户"
    MANAGE_KEYS = "管理签名密钥"
    AUDIT = "检查审计链"
    BACKUP = "备份数据库"
    OBJECTION_FILE = "登记异议和信用修复申请"
    OBJECTION_VIEW = "查看异议和信用修复"
    OBJECTION_DECIDE = "处理异议和信用修复"
    CALENDAR = "导入节假日安排"
    STATS = "查看统计"
    SETTINGS = "更改设置"


_COUNTER = {Permission.LOOKUP, Permission.PREVIEW, Permission.ISSUE, Permission.PRINT, Permission.SAVE}
_VERIFY = {Permission.VERIFY, Permission.VIEW_ARCHIVE}
# The enterprise's own acts (filing, withdrawing) are taken at the counter; 主管 decide.
_OBJECT = {Permission.OBJECTION_FILE, Permission.OBJECTION_VIEW}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset(_COUNTER | _VERIFY | _OBJECT),
    Role.VERIFIER: frozenset(_VERIFY),
    Role.SUPERVISOR: frozenset(_COUNTER | _VERIFY | _OBJECT | {Permission.HISTORY, Permission.REVOKE,
                                                               Permission.OBJECTION_DECIDE, Permission.STATS}),
    Role.ADMIN: frozenset({Permission.IMPORT, Permission.DEMO, Permission.MANAGE_USERS,
                           Permission.MANAGE_KEYS, Permission.AUDIT, Permission.BACKUP,
                           Permission.CALENDAR, Permission.SETTINGS}),
}


def roles_allowed(permission: Permission) -> list[Role]:
    return [role for role in Role if permission in ROLE_PERMISSIONS[role]]


def refusal(role: Role, permission: Permission) -> str:
    """One sentence: what was refused and which role is needed."""
    needed = "或".join(r.value for r in roles_allowed(permission))
    return f"您的角色（{role.value}）无权{permission.value}，需要{needed}角色"


def parse_role(text: str) -> Role:
    for role in Role:
        if text in (role.value, role.name.lower()):
            return role
    raise InvalidRequest(f"角色“{text}”无效，应为：{'、'.join(r.value for r in Role)}")
