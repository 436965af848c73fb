"""creditdesk-admin users: add, list, disable, reset (管理员)."""
from __future__ import annotations

from core.commands import _json, read_password
from core.services.people.roles import parse_role


def _new_password(args) -> str:
    return read_password(args.password_env, prompt=f"{args.username} 的新密码：", confirm=True) \
        if args.password_env else _prompt_only(args.username)


def _prompt_only(username: str) -> str:
    """The new person's password is never taken from CREDITDESK_PASSWORD (that is the operator's)."""
    import getpass
    import sys

    from core.errors import InvalidRequest

    if not sys.stdin.isatty():
        raise InvalidRequest("请用 --password-env 指定保存新密码的环境变量（非交互方式运行时）")
    first = getpass.getpass(f"{username} 的新密码：")
    if first != getpass.getpass("再次输入："):
        raise InvalidRequest("两次输入的密码不一致")
    return first


def cmd_users_add(args, desk, session) -> int:
    role = parse_role(args.role)
    user = desk.add_user(session, args.username, _new_password(args), role, args.name)
    print(f"已添加用户 {user.username}（{user.display_name}，{user.role.value}）")
    return 0


def cmd_users_list(args, desk, session) -> int:
    users = desk.users(session)
    if args.json:
        _json([u.to_json() for u in users])
        return 0
    for u in users:
        state = "已停用" if not u.active else ("已锁定" if u.locked_until else "正常")
        print(f"{u.username}  {u.display_name}  {u.role.value}  {state}")
    return 0


def cmd_users_disable(args, desk, session) -> int:
    user = desk.disable_user(session, args.username)
    print(f"用户 {user.username} 已停用")
    return 0


def cmd_users_reset(args, desk, session) -> int:
    user = desk.reset_user(session, args.username, _new_password(args))
    print(f"用户 {user.username} 的密码已重设，账号已解锁")
    return 0


HANDLERS = {"users add": cmd_users_add, "users list": cmd_users_list,
            "users disable": cmd_users_disable, "users reset": cmd_users_reset}
