"""People and passwords. Passwords are argon2id hashes; repeated failures lock the account.

Every function works inside a unit of work the caller opened (a use case), so a change of
people and its audit event commit together.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models_audit import AuditEventRow
from core.db.models_reports import User
from core.errors import AuthError, InvalidRequest, NotFound, PermissionDenied
from core.services.people.roles import ROLE_PERMISSIONS, Permission, Role, parse_role
from core.states import AuditAction

__all__ = ["AuthError", "PermissionDenied", "Permission", "Role", "ROLE_PERMISSIONS", "parse_role",
           "UserInfo", "LoginOutcome", "MAX_FAILURES", "LOCK_MINUTES", "count_users", "add_user",
           "list_users", "disable_user", "reset_user", "check_password", "enable_user", "set_role",
           "change_password", "last_counters"]

MAX_FAILURES = 5
LOCK_MINUTES = 15
# argon2id as RFC 9106 recommends for memory-constrained use: 3 passes over 64 MiB, 4 lanes
# (argon2-cffi's defaults, written out so a change is a visible decision).
HASH_PARAMETERS = {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4}
_hasher = PasswordHasher(**HASH_PARAMETERS)


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None

    def to_json(self) -> dict:
        iso = lambda v: v.isoformat(timespec="seconds") if v else None  # noqa: E731
        return {"username": self.username, "name": self.display_name, "role": self.role.value,
                "active": self.active, "locked_until": iso(self.locked_until),
                "last_login_at": iso(self.last_login_at)}


@dataclass(frozen=True)
class LoginOutcome:
    """A checked password: the person, or the sentence that refuses them (already counted)."""

    user: UserInfo | None
    failure: str | None


def _check_new_password(password: str) -> None:
    if len(password) < 8:
        raise InvalidRequest("密码至少 8 个字符")
    if len(password) > 256:
        raise InvalidRequest("密码不能超过 256 个字符")


def _info(u: User) -> UserInfo:
    return UserInfo(u.username, u.display_name, Role(u.role), u.active, u.locked_until, u.last_login_at)


def _user(s: Session, username: str) -> User:
    user = s.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"没有用户 {username}")
    return user


def count_users(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(User))


def add_user(s: Session, username: str, password: str, role: Role,
             display_name: str | None = None) -> UserInfo:
    username = username.strip()
    if not username:
        raise InvalidRequest("用户名不能为空")
    if len(username) > 64 or (display_name and len(display_name) > 64):
        raise InvalidRequest("用户名和显示姓名不能超过 64 个字符")
    if not username.isprintable():
        raise InvalidRequest("用户名不能含控制字符")
    _check_new_password(password)
    if s.scalar(select(User.id).where(User.username == username)):
        raise InvalidRequest(f"用户 {username} 已存在")
    user = User(username=username, display_name=display_name or username, role=role.value,
                password_hash=_hasher.hash(password), active=True, failed_attempts=0,
                created_at=datetime.now())
    s.add(user)
    s.flush()
    return _info(user)


def list_users(s: Session) -> list[UserInfo]:
    return [_info(u) for u in s.scalars(select(User).order_by(User.username))]


def disable_user(s: Session, username: str) -> UserInfo:
    user = _user(s, username)
    user.active = False
    return _info(user)


def reset_user(s: Session, username: str, password: str) -> UserInfo:
    """A new password; also re-enables and unlocks the account."""
    _check_new_password(password)
    user = _user(s, username)
    user.password_hash = _hasher.hash(password)
    user.active, user.failed_attempts, user.locked_until = True, 0, None
    return _info(user)


def enable_user(s: Session, username: str) -> UserInfo:
    """Active again with the password it had (a forgotten one needs `reset_user`); unlocked."""
    user = _user(s, username)
    user.active, user.failed_attempts, user.locked_until = True, 0, None
    return _info(user)


def set_role(s: Session, username: str, role: Role) -> tuple[UserInfo, Role]:
    """The person's new role, and the role they had."""
    user = _user(s, username)
    before = Role(user.role)
    user.role = role.value
    return _info(user), before


def change_password(s: Session, username: str, old: str, new: str) -> UserInfo:
    """A person's own change: the old password must be right, the new one follow the rules."""
    user = _user(s, username)
    try:
        _hasher.verify(user.password_hash, old or "")
    except (VerificationError, InvalidHashError):
        raise AuthError("原密码不正确") from None
    _check_new_password(new)
    if new == old:
        raise InvalidRequest("新密码不能与原密码相同")
    user.password_hash = _hasher.hash(new)
    return _info(user)


def last_counters(s: Session) -> dict[str, str]:
    """username -> the counter of their latest log-in (from the audit chain)."""
    latest = (select(AuditEventRow.actor, func.max(AuditEventRow.seq).label("seq"))
              .where(AuditEventRow.action == AuditAction.LOGIN.value)
              .group_by(AuditEventRow.actor).subquery())
    rows = s.execute(select(AuditEventRow.actor, AuditEventRow.counter)
                     .join(latest, AuditEventRow.seq == latest.c.seq))
    return {actor: counter for actor, counter in rows}


def check_password(s: Session, username: str, password: str, now: datetime) -> LoginOutcome:
    """Count a failure or record the log-in; the caller commits either way."""
    user = s.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        return LoginOutcome(None, "用户名或密码错误")
    if not user.active:
        return LoginOutcome(None, "该账号已停用，请联系管理员")
    if user.locked_until and user.locked_until > now:
        return LoginOutcome(None, f"密码错误次数过多，账号已锁定至 {user.locked_until:%H:%M}")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILURES:
            user.locked_until, user.failed_attempts = now + timedelta(minutes=LOCK_MINUTES), 0
            return LoginOutcome(None, f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟")
        return LoginOutcome(None, f"用户名或密码错误（还可尝试 {MAX_FAILURES - user.failed_attempts} 次）")
    user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
    return LoginOutcome(_info(user), None)
