"""What every use case shares: the services it runs on, the role check, and the refusal record.

A use case is a method of the desk that takes a signed-in `UserSession` first. The `use_case`
decorator checks the session (it must come from a log-in of this process) and the role before
the method runs, records a refusal in the audit chain, and marks the method with its kind —
`writes` and `changes` — so the app's task helper puts it on the right pool and announces what
it changed.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from core.config import Settings
from core.db.engine import Database, describe_url
from core.errors import AuthError, CreditDeskError, DatabaseUnavailable, PermissionDenied
from core.policy import Profile
from core.services.people import audit_chain
from core.services.people.roles import Permission
from core.services.people.sessions import UserSession, open_session
from core.services.people.users import check_password
from core.services.signing.keys import KeyService
from core.states import AuditAction

ANONYMOUS = "匿名"


def use_case(permission: Permission | None, *, writes: bool, changes: str | None = None) -> Callable:
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def run(self: "DeskBase", session: UserSession, *args, **kwargs):
            if permission is None:
                session.check()
            else:
                self.authorize(session, permission)
            return fn(self, session, *args, **kwargs)

        run.writes, run.changes, run.permission = writes, changes, permission
        return run

    return wrap


def marks(*, writes: bool, changes: str | None = None) -> Callable:
    """For the few use cases that take no session (log-in)."""
    def wrap(fn: Callable) -> Callable:
        fn.writes, fn.changes = writes, changes
        return fn

    return wrap


@dataclass(frozen=True)
class DatabaseStatus:
    embedded: bool
    location: str
    connected: bool


class DeskBase:
    def __init__(self, db: Database, profile: Profile, settings: Settings, keys: KeyService):
        self.db = db
        self.configured_profile = profile  # applies until the deployment records a choice
        self.profile = profile  # the profile in use, as last read (see refresh_profile)
        self.settings = settings
        self.keys = keys

    # -- who is acting ------------------------------------------------------------------------

    def authorize(self, session: UserSession, permission: Permission) -> None:
        """PermissionDenied (recorded in the audit chain) unless the session's role allows it."""
        try:
            session.require(permission)
        except PermissionDenied as exc:
            self.record(session.username, session.counter, AuditAction.REFUSED, permission.name,
                        {"permission": permission.value, "role": session.role.value})
            raise exc from None

    def record(self, actor: str, counter: str, action: AuditAction, subject: str | None = None,
               details: dict | None = None) -> None:
        """One event in a unit of work of its own (log-ins, refusals, look-ups)."""
        try:
            with self.db.session(write=True) as s:
                audit_chain.append(s, actor=actor, counter=counter, action=action, subject=subject,
                                   details=details or {})
        except DatabaseUnavailable:
            if action not in (AuditAction.REFUSED, AuditAction.LOGOUT):
                raise

    @marks(writes=True)
    def login(self, username: str, password: str) -> UserSession:
        """The only way to a session: a right password for an active, unlocked account."""
        username = (username or "").strip()
        counter = self.settings.counter
        if not username or not password:
            raise AuthError("请输入用户名和密码")
        with self.db.session(write=True) as s:
            outcome = check_password(s, username, password, datetime.now())
            action = AuditAction.LOGIN if outcome.user else AuditAction.LOGIN_FAILED
            audit_chain.append(s, actor=username[:64], counter=counter, action=action,
                               details={"reason": outcome.failure} if outcome.failure else {})
        if outcome.failure:  # raised after the failure count and its event committed
            raise AuthError(outcome.failure)
        u = outcome.user
        try:  # what the pages show follows the deployment's choice; issuing reads it again
            self.refresh_profile()
        except CreditDeskError:
            pass
        return open_session(u.username, u.display_name, u.role, counter)

    def refresh_profile(self) -> Profile:
        """The profile in use (overridden where the deployment's choice is read)."""
        return self.profile

    def _require_verify_host(self) -> None:
        """Before a report is previewed or issued (overridden where the deployment's host is read)."""

    @use_case(None, writes=True)
    def logout(self, session: UserSession) -> None:
        self.record(session.username, session.counter, AuditAction.LOGOUT)

    @marks(writes=False)
    def status(self) -> DatabaseStatus:
        try:
            self.db.ping()
            connected = True
        except DatabaseUnavailable:
            connected = False
        return DatabaseStatus(self.db.is_embedded, describe_url(self.db.url), connected)
