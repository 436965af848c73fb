"""creditdesk-admin users: add, list, disable, reset."""
from __future__ import annotations

import getpass
import os
import sys

from core.commands import _json, _open
from core.errors import InvalidRequest


def _password(env: str | None) -> str:
    if env:
        value = os.environ.get(env)
        if not value:
            raise InvalidRequest(f"环境变量 {env} 未设置密码")
        return value
    if not sys.stdin.isatty():
        raise InvalidRequest("请用 --password-env 指定保存密码的环境变量（非交互方式运行时）")
    first = getpass.getpass("新密码：")
    if first != getpass.getpass("再次输入："):
        raise InvalidRequest("两次输入的密码不一致")
    return first


def _users(args):
    from core.services.people.users import UserService

    db, _ = _open(args)
    return UserService(db)


def cmd_users_add(args) -> int:
    from core.services.people.users import parse_role

    role = parse_role(args.role)
    user = _users(args).add(args.username, _password(args.password_env), role, args.name)
    print(f"已添加用户 {user.username}（{user.display_name}，{user.role.value}）")
    return 0


def cmd_users_list(args) -> int:
    users = _users(args).list()
    if args.json:
        _json([{"username": u.username, "name": u.display_name, "role": u.role.value,
                "active": u.active,
                "locked_until": u.locked_until.isoformat(timespec="seconds") if u.locked_until else None,
                "last_login_at": u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else None}
               for u in users])
        return 0
    if not users:
        print("还没有用户，请运行：creditdesk-admin users add 用户名 --role 管理员")
    for u in users:
        state = "已停用" if not u.active else ("已锁定" if u.locked_until else "正常")
        print(f"{u.username}  {u.display_name}  {u.role.value}  {state}")
    return 0


def cmd_users_disable(args) -> int:
    user = _users(args).disable(args.username)
    print(f"用户 {user.username} 已停用")
    return 0


def cmd_users_reset(args) -> int:
    user = _users(args).reset(args.username, _password(args.password_env))
    print(f"用户 {user.username} 的密码已重设，账号已解锁")
    return 0


HANDLERS = {"users add": cmd_users_add, "users list": cmd_users_list,
            "users disable": cmd_users_disable, "users reset": cmd_users_reset}
