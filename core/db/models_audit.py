"""The audit chain: an append-only log in which every event carries the hash of the one before.

Rows are written only by core.services.people.audit_chain.append; triggers (migration 0004)
refuse UPDATE and DELETE, and verify_chain notices any change made around them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base


class AuditEventRow(Base):
    """One event: who did what, at which counter, when — chained to the previous event by hash."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_action_subject", "action", "subject"),)

    # Assigned as the previous head + 1 (never by the database), so a gap shows a deletion.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)  # seconds precision
    actor: Mapped[str] = mapped_column(String(64), index=True)  # username, or 匿名
    counter: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))  # core.states.AuditAction
    subject: Mapped[str | None] = mapped_column(String(200))  # report number, username, key id ...
    details: Mapped[str] = mapped_column(Text)  # canonical JSON of a dict
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
