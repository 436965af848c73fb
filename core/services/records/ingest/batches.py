"""The import batches (import_batches): what each providing unit sent, when, and how it went."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.db.models import ImportBatch
from core.services.records.ingest.columns import KIND_NAMES

HISTORY_LIMIT = 500


@dataclass(frozen=True)
class BatchInfo:
    id: int
    kind: str
    kind_name: str
    file_name: str
    unit: str | None  # the providing unit (None: neither stated nor found in the file)
    total_rows: int
    accepted: int
    updated: int
    rejected: int
    imported_by: str
    imported_at: datetime
    checksum: str


@dataclass(frozen=True)
class BatchHistory:
    units: tuple[str, ...]  # every providing unit with a batch, by name; "" (unnamed batches) last
    batches: tuple[BatchInfo, ...]  # newest first
    more: bool  # older batches were left out


def _info(b: ImportBatch) -> BatchInfo:
    return BatchInfo(b.id, b.kind, KIND_NAMES.get(b.kind, b.kind), b.file_name, b.unit, b.total_rows or 0,
                     b.accepted or 0, b.updated or 0, b.rejected or 0, b.imported_by, b.imported_at, b.checksum)


def history(s: Session, unit: str | None = None, limit: int = HISTORY_LIMIT) -> BatchHistory:
    """The latest `limit` batches of one providing unit ("": the unnamed ones), or of all (None)."""
    units = {u or "" for (u,) in s.execute(select(ImportBatch.unit).distinct())}
    query = select(ImportBatch)
    if unit == "":
        query = query.where((ImportBatch.unit.is_(None)) | (ImportBatch.unit == ""))
    elif unit is not None:
        query = query.where(ImportBatch.unit == unit)
    rows = s.scalars(query.order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()).limit(limit + 1)).all()
    named = sorted(u for u in units if u)
    return BatchHistory(tuple(named) + (("",) if "" in units else ()),
                        tuple(_info(b) for b in rows[:limit]), len(rows) > limit)


def batch(s: Session, batch_id: int) -> BatchInfo | None:
    found = s.get(ImportBatch, batch_id)
    return _info(found) if found is not None else None


def count(s: Session) -> int:
    return s.scalar(select(func.count()).select_from(ImportBatch)) or 0
