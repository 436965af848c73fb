"""The audit log: every log-in, look-up, issue, print and verification names a person and a counter."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core.db.engine import Database
from core.db.models_reports import AuditEntry


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    username: str
    counter: str
    action: str
    subject: str | None
    detail: str | None


class AuditLog:
    ACTIONS = {
        "login": "登录", "login_failed": "登录失败", "lookup": "查询", "issue": "出具",
        "print": "打印", "save": "另存", "verify": "核验", "revoke": "撤销", "logout": "退出",
    }

    def __init__(self, db: Database):
        self.db = db

    def record(self, username: str, counter: str, action: str, subject: str | None = None,
               detail: str | None = None) -> None:
        with self.db.session() as s:
            s.add(AuditEntry(at=datetime.now().replace(microsecond=0), username=username,
                             counter=counter, action=action, subject=(subject or "")[:200] or None,
                             detail=detail))

    def recent(self, limit: int = 100, username: str | None = None) -> list[AuditRecord]:
        with self.db.session() as s:
            stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if username:
                stmt = stmt.where(AuditEntry.username == username)
            return [AuditRecord(e.at, e.username, e.counter, e.action, e.subject, e.detail)
                    for e in s.scalars(stmt)]
