"""creditdesk-admin backup and restore (管理员).

`backup --out FILE`: the embedded database through SQLite's online backup (consistent while the
app runs); a shared PostgreSQL database through pg_dump (custom format). `restore FILE`: refuses
anything that is not a CreditDesk backup, replaces the database and checks the audit chain.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from core.errors import AuthError, InvalidRequest


def cmd_backup(args, desk, session) -> int:
    info = desk.backup(session, Path(args.out), force=args.force)
    size = f"{info.size / 1024 / 1024:.1f} MB" if info.size >= 1024 * 1024 else f"{info.size / 1024:.0f} KB"
    print(f"已备份到 {info.path}（{size}）")
    return 0


def _restorer(args, desk, backup_file: Path):
    """Who restores: an administrator of the current database when it is there (failures and
    refusals are recorded as for any command); when it is gone, an administrator of the backup
    (checked on a copy of the backup: nothing is written, no failure is counted)."""
    from core.commands import PASSWORD_ENV, USER_ENV, read_password, sign_in
    from core.db import schema
    from core.db.backup import authenticate_in_backup
    from core.services.people.roles import Permission, Role

    if not desk.db.is_embedded or (not schema.is_missing(desk.db) and desk.db.health() is None):
        session = sign_in(desk, args)
        desk.authorize(session, Permission.BACKUP)
        return session.username
    user = args.user or os.environ.get(USER_ENV)
    if not user:
        raise AuthError("恢复需要备份中的一位管理员：请用 --user 指定用户名，并通过环境变量 "
                        f"{PASSWORD_ENV} 提供密码")
    outcome = authenticate_in_backup(backup_file, user, read_password(args.login_password_env,
                                                                       prompt=f"{user} 的密码："))
    if outcome.failure:
        raise AuthError(f"备份中的账号未通过验证：{outcome.failure}")
    if outcome.user.role is not Role.ADMIN:
        raise AuthError(f"您的角色（{outcome.user.role.value}）无权恢复数据库，需要管理员角色")
    return outcome.user.username


def cmd_restore(args) -> int:
    from core.commands import settings_for
    from core.db.backup import check_backup, check_pg_backup, restore
    from core.db.engine import describe_url
    from core.usecases import open_desk

    backup_file = Path(args.file).expanduser()
    desk = open_desk(settings_for(args))
    bad = check_backup(backup_file) if desk.db.is_embedded else check_pg_backup(backup_file)
    if bad:
        raise InvalidRequest(bad)
    who = _restorer(args, desk, backup_file)
    target = desk.db.file or describe_url(desk.db.url)
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidRequest("恢复会替换当前数据库；请在终端中确认，或加 --yes")
        answer = input(f"用 {backup_file} 替换数据库 {target}？当前数据库中备份之后的内容将丢失。输入“恢复”确认：")
        if answer.strip() != "恢复":
            print("已取消，数据库未改变")
            return 1
    check = restore(backup_file, desk.db)
    desk.db.dispose()
    print(f"已由 {who} 从 {backup_file} 恢复数据库：{describe_url(desk.db.url)}")
    if check.ok:
        print(f"审计链完好：共 {check.count} 条事件，报告档案与之一致；链头散列 {check.head_hash}")
        return 0
    print(f"审计链检查未通过：{check.problem}")
    return 1


HANDLERS = {"backup": cmd_backup}
WITHOUT_SESSION = {"restore": cmd_restore}  # the database to sign in to may be the one that is gone
