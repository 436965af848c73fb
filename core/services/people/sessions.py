"""A signed-in session: the only way to act with a role, and only a successful log-in makes one.

The session carries a proof (an HMAC over who, which role and which counter, keyed with a secret
made when this process started). A hand-made session, or one whose role was changed with
`dataclasses.replace`, fails `check()`, and every use case checks before it acts.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from core.errors import AuthError, PermissionDenied
from core.services.people.roles import ROLE_PERMISSIONS, Permission, Role, refusal

_SECRET = secrets.token_bytes(32)


def _proof(username: str, role: Role, counter: str, started_at: datetime, nonce: str) -> str:
    message = "\x1f".join((username, role.value, counter, started_at.isoformat(), nonce))
    return hmac.new(_SECRET, message.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class UserSession:
    """Who is at the keyboard, with which role, at which counter."""

    username: str
    display_name: str
    role: Role
    counter: str
    started_at: datetime
    nonce: str = field(repr=False)
    proof: str = field(repr=False)

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def check(self) -> None:
        """AuthError unless this session came from a log-in in this process, unaltered."""
        expected = _proof(self.username, self.role, self.counter, self.started_at, self.nonce)
        if not hmac.compare_digest(expected, self.proof or ""):
            raise AuthError("未登录或登录凭据无效，请重新登录")

    def require(self, permission: Permission) -> None:
        self.check()
        if not self.can(permission):
            raise PermissionDenied(refusal(self.role, permission))


def open_session(username: str, display_name: str, role: Role, counter: str) -> UserSession:
    """For the log-in use case only: called after the password was checked."""
    started = datetime.now().replace(microsecond=0)
    nonce = secrets.token_hex(8)
    return UserSession(username, display_name, role, counter, started, nonce,
                       _proof(username, role, counter, started, nonce))
