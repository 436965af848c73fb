"""The administrator's use cases: data, people, keys and the audit chain."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InvalidRequest
from core.services.people import audit_chain
from core.services.people.audit_chain import AuditEvent, ChainCheck
from core.services.people.roles import Permission, Role
from core.services.people.sessions import UserSession
from core.services.people.users import UserInfo, add_user, disable_user, list_users, reset_user
from core.services.signing.keys import TrustedKey
from core.states import AuditAction
from core.usecases.base import DeskBase, use_case

if TYPE_CHECKING:
    from core.services.records.ingest.importer import ImportResult


class AdminUseCases(DeskBase):
    # -- records --------------------------------------------------------------------------------

    @use_case(Permission.IMPORT, writes=True, changes="records")
    def import_file(self, session: UserSession, kind: str, path: Path,
                    unit: str | None = None, *, progress: Callable[[int], None] | None = None,
                    cancel: Callable[[], bool] | None = None) -> ImportResult:
        from core.services.records.ingest.importer import ImportService

        def record(s, result: ImportResult) -> None:
            audit_chain.append(s, actor=session.username, counter=session.counter,
                               action=AuditAction.IMPORT, subject=str(result.batch_id),
                               details={"kind": kind, "file": Path(path).name, "accepted": result.accepted,
                                        "updated": result.updated,
                                        "rejected_rows": result.rejected_rows})

        return ImportService(self.db, self.profile).import_file(
            kind, Path(path), user=session.username, unit=unit, record=record, progress=progress, cancel=cancel)

    @use_case(Permission.DEMO, writes=True, changes="records")
    def demo(self, session: UserSession, enterprises: int, seed: int,
             progress: Callable[[str, int, int], None] | None = None):
        """Synthetic data, only into an empty database; None when there was data already."""
        from core.services.demo.generate import generate_demo, has_data

        if enterprises < 1:
            raise InvalidRequest("企业数量应为正整数")
        if has_data(self.db):
            return None
        summary = generate_demo(self.db, self.profile, enterprises=enterprises, seed=seed, progress=progress)
        self.record(session.username, session.counter, AuditAction.DEMO, None,
                    {"enterprises": summary.enterprises, "penalties": summary.penalties, "seed": seed})
        return summary

    # -- people ---------------------------------------------------------------------------------

    def _people_event(self, s, session: UserSession, action: AuditAction, user: UserInfo) -> None:
        audit_chain.append(s, actor=session.username, counter=session.counter, action=action,
                           subject=user.username, details={"role": user.role.value, "active": user.active})

    @use_case(Permission.MANAGE_USERS, writes=True, changes="users")
    def add_user(self, session: UserSession, username: str, password: str, role: Role,
                 display_name: str | None = None) -> UserInfo:
        with self.db.session(write=True) as s:
            user = add_user(s, username, password, role, display_name)
            self._people_event(s, session, AuditAction.USER_ADD, user)
            return user

    @use_case(Permission.MANAGE_USERS, writes=False)
    def users(self, session: UserSession) -> list[UserInfo]:
        with self.db.session() as s:
            return list_users(s)

    @use_case(Permission.MANAGE_USERS, writes=True, changes="users")
    def disable_user(self, session: UserSession, username: str) -> UserInfo:
        if username == session.username:
            raise InvalidRequest("不能停用自己的账号")
        with self.db.session(write=True) as s:
            user = disable_user(s, username)
            self._people_event(s, session, AuditAction.USER_DISABLE, user)
            return user

    @use_case(Permission.MANAGE_USERS, writes=True, changes="users")
    def reset_user(self, session: UserSession, username: str, password: str) -> UserInfo:
        with self.db.session(write=True) as s:
            user = reset_user(s, username, password)
            self._people_event(s, session, AuditAction.USER_RESET, user)
            return user

    # -- keys -----------------------------------------------------------------------------------

    @use_case(Permission.MANAGE_KEYS, writes=True, changes="keys")
    def create_key(self, session: UserSession, label: str | None = None, passphrase: str | None = None,
                   valid_until=None) -> TrustedKey:
        return self.keys.create(user=session.username, counter=session.counter, label=label,
                                passphrase=passphrase, valid_until=valid_until)

    @use_case(Permission.MANAGE_KEYS, writes=False)
    def trust_list(self, session: UserSession) -> list[TrustedKey]:
        return self.keys.trust_list()

    @use_case(Permission.MANAGE_KEYS, writes=False)
    def export_trust_list(self, session: UserSession) -> dict:
        return self.keys.export_public()

    @use_case(Permission.MANAGE_KEYS, writes=True, changes="keys")
    def retire_key(self, session: UserSession, key_id: str) -> TrustedKey:
        return self.keys.retire(key_id, user=session.username, counter=session.counter)

    # -- the audit chain ------------------------------------------------------------------------

    @use_case(Permission.AUDIT, writes=True)
    def audit_verify(self, session: UserSession) -> ChainCheck:
        check = audit_chain.verify_chain(self.db)
        self.record(session.username, session.counter, AuditAction.AUDIT_VERIFY, None,
                    {"ok": check.ok, "count": check.count, "problem": check.problem})
        return check

    @use_case(Permission.AUDIT, writes=True)
    def audit_checkpoint(self, session: UserSession) -> dict:
        data = audit_chain.checkpoint(self.db, self.keys.signer())
        self.record(session.username, session.counter, AuditAction.AUDIT_CHECKPOINT, None,
                    {"count": data["count"], "head_hash": data["head_hash"]})
        return data

    @use_case(Permission.AUDIT, writes=False)
    def audit_check_checkpoint(self, session: UserSession, data: dict) -> ChainCheck:
        return audit_chain.check_checkpoint(self.db, data, self.keys.trust_list())

    @use_case(Permission.AUDIT, writes=False)
    def audit_events(self, session: UserSession, limit: int = 100,
                     actor: str | None = None) -> list[AuditEvent]:
        return audit_chain.recent(self.db, limit, actor=actor)

    # -- backups --------------------------------------------------------------------------------

    @use_case(Permission.BACKUP, writes=False)
    def backup(self, session: UserSession, out_path: Path, force: bool = False):
        """A consistent copy of the embedded database (SQLite online backup); on PostgreSQL, pg_dump."""
        from core.db import backup as backups

        if self.db.is_embedded:
            made = backups.backup(self.db, Path(out_path), force=force)
        else:
            made = backups.backup_postgresql(self.db, Path(out_path), force=force)
        self.record(session.username, session.counter, AuditAction.BACKUP, None, {"file": str(out_path)})
        return made
