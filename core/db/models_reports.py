"""Issued reports, the keys that sign them, and every verification of their codes."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db.models import Base


class SigningKey(Base):
    """One entry of the trust list: a public key and when reports signed by it count."""

    __tablename__ = "signing_keys"

    key_id: Mapped[str] = mapped_column(String(8), primary_key=True)  # sha256(raw public key)[:4] hex
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, hex
    algorithm: Mapped[str] = mapped_column(String(16), default="Ed25519")
    label: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    retired_by: Mapped[str | None] = mapped_column(String(64))


class ReportCounter(Base):
    """The report-number counter on SQLite (PostgreSQL uses the sequence report_serial_seq)."""

    __tablename__ = "report_counters"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class IssuedReport(Base):
    """The archive of every report issued: what it said, its hashes, who issued it and when."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_no: Mapped[str] = mapped_column(String(24), unique=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    enterprise_name: Mapped[str] = mapped_column(String(200))
    domains: Mapped[str] = mapped_column(String(200))  # "1,4,15"
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(String(32))
    profile_id: Mapped[str] = mapped_column(String(32))
    content_json: Mapped[str] = mapped_column(Text)  # canonical JSON
    content_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(ForeignKey("signing_keys.key_id"))
    qr_payload: Mapped[str] = mapped_column(Text)
    violations: Mapped[int] = mapped_column(Integer)
    has_arrears: Mapped[bool] = mapped_column(Boolean)
    issued_by: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8))  # 有效 | 已撤销
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(64))
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    print_count: Mapped[int] = mapped_column(Integer, default=0)


class ReportFile(Base):
    """The PDF bytes exactly as issued, for reprints and for checking pdf_sha256."""

    __tablename__ = "report_files"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True
    )
    pdf: Mapped[bytes] = mapped_column(LargeBinary)


class Verification(Base):
    """Every scan or check of a report code, whatever its verdict."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_no: Mapped[str | None] = mapped_column(String(24), index=True)
    status: Mapped[str] = mapped_column(String(16))  # valid | malformed | forged | revoked | expired
    offline: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    verified_by: Mapped[str] = mapped_column(String(64))
    counter: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime] = mapped_column(DateTime)


class User(Base):
    """A person at a counter; the role decides what the services let them do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # 窗口人员 | 核验人员 | 主管 | 管理员
    password_hash: Mapped[str] = mapped_column(String(255))  # argon2id
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
