"""People (管理员): the list with each person's counter, role changes, enabling again — and every
person's change of their own password. Adding, disabling and resetting are in admin.py."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.errors import InvalidRequest
from core.services.people import audit_chain, audit_search
from core.services.people.audit_search import AuditFound, AuditQuery
from core.services.people.roles import Permission, Role
from core.services.people.sessions import UserSession
from core.services.people.users import (
    UserInfo, change_password, enable_user, last_counters, list_users, set_role,
)
from core.states import AuditAction
from core.usecases.base import DeskBase, use_case


@dataclass(frozen=True)
class Person:
    """One row of the 人员 page: the account and the counter of its latest log-in."""

    username: str
    display_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    counter: str | None  # None: never logged in

    def locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or datetime.now())


class PeopleUseCases(DeskBase):
    @use_case(Permission.MANAGE_USERS, writes=False)
    def people(self, session: UserSession) -> list[Person]:
        with self.db.session() as s:
            counters = last_counters(s)
            return [Person(u.username, u.display_name, u.role, u.active, u.locked_until, u.last_login_at,
                           counters.get(u.username)) for u in list_users(s)]

    def _person_event(self, s, session: UserSession, action: AuditAction, user: UserInfo,
                      **extra) -> None:
        audit_chain.append(s, actor=session.username, counter=session.counter, action=action,
                           subject=user.username,
                           details={"role": user.role.value, "active": user.active, **extra})

    @use_case(Permission.MANAGE_USERS, writes=True, changes="users")
    def change_role(self, session: UserSession, username: str, role: Role) -> UserInfo:
        if username == session.username:  # an administrator never locks the deployment out
            raise InvalidRequest("不能更改自己的角色")
        with self.db.session(write=True) as s:
            user, before = set_role(s, username, Role(role))
            if before is not user.role:
                self._person_event(s, session, AuditAction.USER_ROLE, user, **{"from": before.value})
            return user

    @use_case(Permission.MANAGE_USERS, writes=True, changes="users")
    def enable_user(self, session: UserSession, username: str) -> UserInfo:
        with self.db.session(write=True) as s:
            user = enable_user(s, username)
            self._person_event(s, session, AuditAction.USER_ENABLE, user)
            return user

    @use_case(None, writes=True, changes="users")
    def change_own_password(self, session: UserSession, old: str, new: str) -> UserInfo:
        """Everyone's: the old password proves it is the person, not someone at their open window."""
        with self.db.session(write=True) as s:
            user = change_password(s, session.username, old, new)
            self._person_event(s, session, AuditAction.PASSWORD_CHANGE, user)
            return user


class AuditViewUseCases(DeskBase):
    """The 审计日志 viewer's reads (the chain's check is `audit_verify`, admin.py)."""

    @use_case(Permission.AUDIT, writes=False)
    def audit_search(self, session: UserSession, query: AuditQuery) -> AuditFound:
        return audit_search.search(self.db, query)

    @use_case(Permission.AUDIT, writes=False)
    def audit_actors(self, session: UserSession) -> list[str]:
        return audit_search.actors(self.db)
