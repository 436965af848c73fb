"""Objections (异议), the corrections they lead to, credit-repair applications and the working-day
calendar their deadlines are counted in (migration 0008)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base


class Objection(Base):
    """An enterprise's objection to one record: a penalty, an arrears row, a repair record or its
    basic data. `status` is one of core.states.ObjectionStatus; every change is an
    ObjectionEvent and an event of the audit chain."""

    __tablename__ = "objections"
    __table_args__ = (
        Index("ix_objections_uscc", "uscc"),
        Index("ix_objections_status", "status"),
        Index("ix_objections_record", "record_kind", "record_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18))
    enterprise_name: Mapped[str] = mapped_column(String(200))
    record_kind: Mapped[str] = mapped_column(String(16))  # penalty | arrear | repair | enterprise
    record_ref: Mapped[str] = mapped_column(String(120))  # decision number, 险种+所属期, …
    record_id: Mapped[int | None] = mapped_column(Integer)  # the row objected to, when one
    report_no: Mapped[str | None] = mapped_column(String(24))  # a report the enterprise cites
    grounds: Mapped[str] = mapped_column(String(16))
    grounds_text: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[str] = mapped_column(String(64))  # who came: 法定代表人 or the agent's name
    filed_as: Mapped[str] = mapped_column(String(16))  # 法定代表人 | 委托代理人
    filed_on: Mapped[date] = mapped_column(Date)  # the day of filing (not counted in deadlines)
    status: Mapped[str] = mapped_column(String(8))
    accepted_on: Mapped[date | None] = mapped_column(Date)
    checked_on: Mapped[date | None] = mapped_column(Date)
    referred_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(8))  # 已更正 | 维持 | 无法确认
    outcome_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)  # 已答复, 不予受理 or 已撤回
    registered_by: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime)


class ObjectionEvent(Base):
    """One step of an objection's timeline: who moved it from which state to which, on what day
    (`acted_on`, which may be earlier than `recorded_at` for a paper filing) and why."""

    __tablename__ = "objection_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(8))
    to_status: Mapped[str] = mapped_column(String(8))
    acted_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    backdated: Mapped[bool] = mapped_column(Boolean, default=False)  # recorded after the act (--on)


class ObjectionAttachment(Base):
    """A document the enterprise handed in (PDF or image), kept in the shared database so every
    counter sees it, with its SHA-256."""

    __tablename__ = "objection_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class RecordCorrection(Base):
    """A change to a record made because an objection was upheld (已更正): never a silent edit.
    `changes` is JSON {field: [before, after]}; `removed` takes the record off reports."""

    __tablename__ = "record_corrections"
    __table_args__ = (Index("ix_record_corrections_record", "record_kind", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id"), index=True)
    record_kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int] = mapped_column(Integer)
    record_ref: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    changes: Mapped[str] = mapped_column(Text)
    removed: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected_on: Mapped[date] = mapped_column(Date)
    corrected_by: Mapped[str] = mapped_column(String(64))


class CalendarDay(Base):
    """A day of the State Council's holiday notice an administrator imported: a holiday
    (workday False) or a make-up working day on a weekend (调休, workday True). A year with
    any row counts as announced."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class RepairApplication(Base):
    """A credit-repair application for one penalty (国家发展改革委令2023年第58号). `status` is one of
    core.states.RepairStatus; a granted one becomes a CreditRepair row (`repair_id`)."""

    __tablename__ = "repair_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    penalty_id: Mapped[int] = mapped_column(ForeignKey("penalties.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    decision_no: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(8))
    applied_on: Mapped[date] = mapped_column(Date)
    earliest: Mapped[date | None] = mapped_column(Date)  # earliest day a repair may be granted
    accepted_on: Mapped[date | None] = mapped_column(Date)
    consulted_on: Mapped[date | None] = mapped_column(Date)  # 征求处罚机关意见
    decided_on: Mapped[date | None] = mapped_column(Date)  # 准予 | 不予
    synced_on: Mapped[date | None] = mapped_column(Date)  # 已同步
    reason: Mapped[str | None] = mapped_column(Text)
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("credit_repairs.id"))
    registered_by: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime)
