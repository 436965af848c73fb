"""People, roles and log-in. Passwords are argon2id hashes; repeated failures lock the account."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from core.db.engine import Database
from core.db.models_reports import User
from core.errors import CreditDeskError, InvalidRequest, NotFound

MAX_FAILURES = 5
LOCK_MINUTES = 15
_hasher = PasswordHasher()


class Role(str, Enum):
    CLERK = "窗口人员"
    VERIFIER = "核验人员"
    SUPERVISOR = "主管"
    ADMIN = "管理员"


class Permission(str, Enum):
    LOOKUP = "查询企业"
    ISSUE = "出具报告"
    PRINT = "打印报告"
    VERIFY = "核验报告"
    HISTORY = "查看出具记录"
    VIEW_ARCHIVE = "查看存档报告"
    REVOKE = "撤销报告"
    MANAGE_USERS = "管理用户"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.LOOKUP, Permission.ISSUE, Permission.PRINT,
                           Permission.VERIFY, Permission.HISTORY, Permission.VIEW_ARCHIVE}),
    Role.VERIFIER: frozenset({Permission.VERIFY, Permission.VIEW_ARCHIVE}),
    Role.SUPERVISOR: frozenset({Permission.LOOKUP, Permission.ISSUE, Permission.PRINT,
                                Permission.VERIFY, Permission.HISTORY, Permission.VIEW_ARCHIVE,
                                Permission.REVOKE}),
    Role.ADMIN: frozenset(Permission),
}


class AuthError(CreditDeskError):
    """Log-in refused: wrong password, locked or disabled account."""


class PermissionDenied(CreditDeskError):
    """The role does not allow this."""


@dataclass(frozen=True)
class Actor:
    """Who is at the keyboard, and at which counter: every service call names them."""

    username: str
    display_name: str
    role: Role
    counter: str

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(f"您的角色（{self.role.value}）无权{permission.value}")


@dataclass(frozen=True)
class UserInfo:
    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


def parse_role(text: str) -> Role:
    for role in Role:
        if text in (role.value, role.name.lower()):
            return role
    raise InvalidRequest(f"角色“{text}”无效，应为：{'、'.join(r.value for r in Role)}")


def _check_password(password: str) -> None:
    if len(password) < 8:
        raise InvalidRequest("密码至少 8 个字符")


def _info(u: User) -> UserInfo:
    return UserInfo(u.username, u.display_name, Role(u.role), u.active, u.locked_until, u.last_login_at)


class UserService:
    def __init__(self, db: Database):
        self.db = db

    def count(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(User))

    def add(self, username: str, password: str, role: Role, display_name: str | None = None) -> UserInfo:
        username = username.strip()
        if not username:
            raise InvalidRequest("用户名不能为空")
        _check_password(password)
        with self.db.session() as s:
            if s.scalar(select(User.id).where(User.username == username)):
                raise InvalidRequest(f"用户 {username} 已存在")
            user = User(username=username, display_name=display_name or username, role=role.value,
                        password_hash=_hasher.hash(password), active=True, failed_attempts=0,
                        created_at=datetime.now())
            s.add(user)
            s.flush()
            return _info(user)

    def list(self) -> list[UserInfo]:
        with self.db.session() as s:
            return [_info(u) for u in s.scalars(select(User).order_by(User.username))]

    def _user(self, s, username: str) -> User:
        user = s.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"没有用户 {username}")
        return user

    def disable(self, username: str) -> UserInfo:
        with self.db.session() as s:
            user = self._user(s, username)
            user.active = False
            return _info(user)

    def reset(self, username: str, password: str) -> UserInfo:
        """A new password; also re-enables and unlocks the account."""
        _check_password(password)
        with self.db.session() as s:
            user = self._user(s, username)
            user.password_hash = _hasher.hash(password)
            user.active, user.failed_attempts, user.locked_until = True, 0, None
            return _info(user)

    def authenticate(self, username: str, password: str, counter: str,
                     now: datetime | None = None) -> Actor:
        now = now or datetime.now()
        with self.db.session() as s:
            user = s.scalar(select(User).where(User.username == username.strip()))
            if user is None:
                raise AuthError("用户名或密码错误")
            if not user.active:
                raise AuthError("该账号已停用，请联系管理员")
            if user.locked_until and user.locked_until > now:
                raise AuthError(f"密码错误次数过多，账号已锁定至 {user.locked_until:%H:%M}")
            try:
                _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_attempts += 1
                if user.failed_attempts >= MAX_FAILURES:
                    user.locked_until, user.failed_attempts = now + timedelta(minutes=LOCK_MINUTES), 0
                    message = f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 {LOCK_MINUTES} 分钟"
                else:
                    message = f"用户名或密码错误（还可尝试 {MAX_FAILURES - user.failed_attempts} 次）"
                failure = AuthError(message)
            else:
                user.failed_attempts, user.locked_until, user.last_login_at = 0, None, now
                failure = None
                actor = Actor(user.username, user.display_name, Role(user.role), counter)
        if failure:  # raised after the session committed the failure count
            raise failure
        return actor
