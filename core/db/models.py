"""SQLAlchemy 2 typed mappings. Every record keeps the unit that provided it and its batch
(谁提供谁负责). The schema itself is owned by the alembic migrations next to this file."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ImportBatch(Base):
    """One file (or one demo run) brought into the database."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # an import kind: enterprises, penalties … criminal
    file_name: Mapped[str] = mapped_column(String(255))
    checksum: Mapped[str] = mapped_column(String(64))  # sha256 of the file bytes
    unit: Mapped[str | None] = mapped_column(String(120))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime)


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    former_names: Mapped[str | None] = mapped_column(Text)  # joined with "；"
    legal_rep: Mapped[str | None] = mapped_column(String(64))
    founded_on: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str | None] = mapped_column(String(255))
    division: Mapped[str] = mapped_column(String(6))
    reg_authority: Mapped[str | None] = mapped_column(String(120))
    reg_status: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))  # 企业 | 个体工商户 | 农民专业合作社
    source_unit: Mapped[str] = mapped_column(String(120))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))

    names: Mapped[list["EnterpriseName"]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan"
    )


class EnterpriseName(Base):
    """Current and former names, with what lookup needs: pinyin initials and search grams."""

    __tablename__ = "enterprise_names"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    initials: Mapped[str] = mapped_column(String(200))
    grams: Mapped[str] = mapped_column(Text)  # space-separated ASCII tokens, see core.search_text
    is_current: Mapped[bool] = mapped_column(Boolean)

    enterprise: Mapped[Enterprise] = relationship(back_populates="names")


class Penalty(Base):
    """An administrative penalty decision, with the national data items that matter."""

    __tablename__ = "penalties"
    __table_args__ = (
        Index("ix_penalties_uscc_date", "uscc", "decision_date"),
        # A decision is identified by the organ that made it and its number (migration 0005).
        UniqueConstraint("organ", "decision_no", name="uq_penalties_organ_decision_no"),
        Index("ix_penalties_decision_no", "decision_no"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_no: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18))
    party_name: Mapped[str] = mapped_column(String(200))
    party_kind: Mapped[str | None] = mapped_column(String(32))
    reg_no: Mapped[str | None] = mapped_column(String(32))
    org_code: Mapped[str | None] = mapped_column(String(16))
    tax_no: Mapped[str | None] = mapped_column(String(32))
    institution_no: Mapped[str | None] = mapped_column(String(32))
    social_org_no: Mapped[str | None] = mapped_column(String(32))
    legal_rep: Mapped[str | None] = mapped_column(String(64))
    violation_type: Mapped[str | None] = mapped_column(String(255))
    facts: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    penalty_kind: Mapped[str] = mapped_column(String(120))
    content: Mapped[str | None] = mapped_column(Text)
    fine_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 6))  # 万元
    confiscated_amount: Mapped[Decimal | None] = mapped_column(Numeric(16, 6))  # 万元
    license_action: Mapped[str | None] = mapped_column(String(255))
    decision_date: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    publish_until: Mapped[date | None] = mapped_column(Date)
    organ: Mapped[str] = mapped_column(String(120))
    organ_code: Mapped[str | None] = mapped_column(String(18))
    source_unit: Mapped[str] = mapped_column(String(120))
    source_unit_code: Mapped[str | None] = mapped_column(String(18))
    remark: Mapped[str | None] = mapped_column(Text)
    domain: Mapped[int] = mapped_column(Integer)
    procedure: Mapped[str] = mapped_column(String(8))  # 普通程序 | 简易程序
    decision_kind: Mapped[str] = mapped_column(String(8))  # 给予处罚 | 不予处罚
    status: Mapped[str] = mapped_column(String(8))  # 有效 | 已撤销
    # 一般 | 严重 (失信程度, 国家发展改革委令2023年第58号) | 未注明 when the file did not say (0008)
    severity: Mapped[str] = mapped_column(String(8), server_default="未注明")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class Arrear(Base):
    """Social-insurance, medical-insurance or housing-fund arrears for one month."""

    __tablename__ = "arrears"
    __table_args__ = (UniqueConstraint("uscc", "kind", "period", "source_unit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # 社会保险 | 医疗保险 | 住房公积金
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))  # 元
    status: Mapped[str] = mapped_column(String(8))  # 欠缴 | 已补缴
    as_of: Mapped[date] = mapped_column(Date)
    source_unit: Mapped[str] = mapped_column(String(120))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class CreditRepair(Base):
    """A credit-repair decision (信用修复) for one penalty; 发改委 keeps the record."""

    __tablename__ = "credit_repairs"
    __table_args__ = (UniqueConstraint("decision_no", "document_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    decision_no: Mapped[str] = mapped_column(String(120), index=True)
    repair_date: Mapped[date] = mapped_column(Date)
    organ: Mapped[str] = mapped_column(String(120))
    document_no: Mapped[str] = mapped_column(String(120))
    source_unit: Mapped[str] = mapped_column(String(120))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class DeploymentSetting(Base):
    """A choice made for the whole deployment (every counter on this database), e.g. which policy
    profile it issues under. `value` is canonical JSON; each change is also an audit event."""

    __tablename__ = "deployment_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    changed_by: Mapped[str] = mapped_column(String(64))


class Enforcement(Base):
    """An administrative compulsory measure or enforcement decision (行政强制, 发改财金〔2025〕565号),
    identified like a penalty by its organ (实施机关) and decision number (migration 0007)."""

    __tablename__ = "enforcements"
    __table_args__ = (
        Index("ix_enforcements_uscc_date", "uscc", "decision_date"),
        UniqueConstraint("organ", "decision_no", name="uq_enforcements_organ_decision_no"),
        Index("ix_enforcements_decision_no", "decision_no"),  # an import's identity look-up
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_no: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18))
    party_name: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(120))  # 行政强制类别, e.g. 查封场所、设施或者财物
    content: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    decision_date: Mapped[date] = mapped_column(Date)
    organ: Mapped[str] = mapped_column(String(120))
    source_unit: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(8))  # 有效 | 已撤销
    remark: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class DishonestListing(Base):
    """An entry on a list of seriously dishonest subjects (严重失信主体名单): counted while it is in
    force during a report's period; `removed_on` is the day it was taken off the list."""

    __tablename__ = "dishonest_lists"
    __table_args__ = (
        UniqueConstraint("uscc", "authority", "list_name", "listed_on",
                         name="uq_dishonest_lists_entry"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    party_name: Mapped[str] = mapped_column(String(200))
    list_name: Mapped[str] = mapped_column(String(120))
    authority: Mapped[str] = mapped_column(String(120))  # 认定部门
    listed_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    removed_on: Mapped[date | None] = mapped_column(Date)
    source_unit: Mapped[str] = mapped_column(String(120))
    remark: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))


class CriminalJudgment(Base):
    """A criminal judgment against the subject (刑事裁判（犯罪记录）), identified by court and case
    number."""

    __tablename__ = "criminal_judgments"
    __table_args__ = (
        Index("ix_criminal_judgments_uscc_date", "uscc", "judgment_date"),
        UniqueConstraint("court", "case_no", name="uq_criminal_judgments_court_case_no"),
        Index("ix_criminal_judgments_case_no", "case_no"),  # an import's identity look-up
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(120))
    uscc: Mapped[str] = mapped_column(String(18))
    party_name: Mapped[str] = mapped_column(String(200))
    court: Mapped[str] = mapped_column(String(120))
    judgment_date: Mapped[date] = mapped_column(Date)
    charge: Mapped[str] = mapped_column(String(255))  # 罪名
    sentence: Mapped[str | None] = mapped_column(Text)  # 判决结果
    source_unit: Mapped[str] = mapped_column(String(120))
    remark: Mapped[str | None] = mapped_column(Text)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
