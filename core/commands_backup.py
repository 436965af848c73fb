"""creditdesk-admin backup and restore (管理员)."""
from __future__ import annotations

from core.errors import InvalidRequest


def cmd_backup(args, desk, session) -> int:
    raise InvalidRequest("备份功能尚未实现")


def cmd_restore(args) -> int:
    raise InvalidRequest("恢复功能尚未实现")


HANDLERS = {"backup": cmd_backup}
WITHOUT_SESSION = {"restore": cmd_restore}  # the database to sign in to may be the one that is gone
