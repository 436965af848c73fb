"""Ingestion (归集): one department file in one transaction, upserting by natural keys.

Reading and row checks live in readers/rows; this module stores what passed and records the
batch. Any failure while storing rolls the whole file back, so nothing is half-written.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from core import search_text
from core.db.engine import Database
from core.db.models import Arrear, CreditRepair, Enterprise, EnterpriseName, ImportBatch, Penalty
from core.errors import InvalidRequest
from core.policy import Profile
from core.services.records.ingest.readers import UnreadableFile, read_table
from core.services.records.ingest.rows import ParsedRow, Rejection, parse_table

KINDS = ("enterprises", "penalties", "arrears", "repairs")
_CHUNK = 500


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    kind: str
    accepted: int  # good rows written (new and updated)
    updated: int  # of those, rows that replaced an existing record
    rejected: tuple[Rejection, ...]

    def to_json(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "accepted": self.accepted,
            "updated": self.updated,
            "rejected": [{"row": r.row, "column": r.column, "reason": r.reason} for r in self.rejected],
        }


def _chunks(items: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class ImportService:
    def __init__(self, db: Database, profile: Profile):
        self.db = db
        self.profile = profile

    def import_file(self, kind: str, path: Path, *, user: str, unit: str | None = None,
                    record: Callable[[Session, ImportResult], None] | None = None) -> ImportResult:
        """One file in one unit of work; `record` writes the batch's audit event inside it."""
        if kind not in KINDS:
            raise InvalidRequest(f"未知的导入类型：{kind}（应为 {'、'.join(KINDS)}）")
        path = Path(path)
        if not path.is_file():
            raise UnreadableFile(f"找不到文件：{path}")
        table = read_table(path)
        rows, rejected = parse_table(kind, table, self.profile)
        with self.db.session(write=True) as s:
            store = getattr(self, f"_store_{kind}")
            batch = ImportBatch(
                kind=kind, file_name=path.name, checksum=file_checksum(path),
                unit=unit or _main_unit(rows), imported_by=user, imported_at=datetime.now(),
            )
            s.add(batch)
            s.flush()
            updated, late = store(s, rows, batch.id, unit)
            rejected = sorted([*rejected, *late], key=lambda r: (r.row, r.column or ""))
            bad_rows = {r.row for r in rejected}
            good = sum(1 for r in rows if r.row not in bad_rows)
            batch.total_rows = len(table.rows)
            batch.accepted, batch.updated, batch.rejected = good, updated, len(bad_rows)
            result = ImportResult(batch.id, kind, good, updated, tuple(rejected))
            if record:
                record(s, result)
            return result

    # -- one method per kind: returns (rows updated, rejections found against the database) --

    def _store_penalties(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        values = [{**r.values, "batch_id": batch_id} for r in rows]
        existing = self._ids(s, Penalty.decision_no, [v["decision_no"] for v in values])
        return self._upsert(s, Penalty, values, lambda v: existing.get(v["decision_no"])), []

    def _store_arrears(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        values = [{**r.values, "batch_id": batch_id} for r in rows]
        existing: dict[tuple, int] = {}
        for part in _chunks(sorted({v["uscc"] for v in values})):
            for row in s.execute(
                select(Arrear.id, Arrear.uscc, Arrear.kind, Arrear.period, Arrear.source_unit)
                .where(Arrear.uscc.in_(part))
            ):
                existing[(row.uscc, row.kind, row.period, row.source_unit)] = row.id
        key = lambda v: existing.get((v["uscc"], v["kind"], v["period"], v["source_unit"]))
        return self._upsert(s, Arrear, values, key), []

    def _store_repairs(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        owners: dict[str, str] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in rows})):
            owners.update(s.execute(
                select(Penalty.decision_no, Penalty.uscc).where(Penalty.decision_no.in_(part))
            ).all())
        values, late = [], []
        for r in rows:
            owner = owners.get(r.values["decision_no"])
            if owner is None:
                late.append(Rejection(r.row, "行政处罚决定书文号", "未找到该决定书文号的行政处罚记录"))
            elif owner != r.values["uscc"]:
                late.append(Rejection(r.row, "统一社会信用代码", f"与该处罚记录的统一社会信用代码 {owner} 不一致"))
            else:
                source = r.values.get("source_unit") or r.values["organ"]
                values.append({**r.values, "source_unit": source, "batch_id": batch_id})
        existing: dict[tuple, int] = {}
        for part in _chunks(sorted({v["decision_no"] for v in values})):
            for row in s.execute(
                select(CreditRepair.id, CreditRepair.decision_no, CreditRepair.document_no)
                .where(CreditRepair.decision_no.in_(part))
            ):
                existing[(row.decision_no, row.document_no)] = row.id
        key = lambda v: existing.get((v["decision_no"], v["document_no"]))
        return self._upsert(s, CreditRepair, values, key), late

    def _store_enterprises(self, s: Session, rows: list[ParsedRow], batch_id: int, unit):
        values = []
        for r in rows:
            v = dict(r.values)
            former = v.pop("former_names", ()) or ()
            v["former_names"] = "；".join(former) or None
            v["division"] = v["uscc"][2:8]
            v["source_unit"] = v.get("source_unit") or unit or v.get("reg_authority") or "未注明"
            v["batch_id"] = batch_id
            values.append(v)
        existing = self._ids(s, Enterprise.uscc, [v["uscc"] for v in values])
        updated = self._upsert(s, Enterprise, values, lambda v: existing.get(v["uscc"]))
        ids = self._ids(s, Enterprise.uscc, [v["uscc"] for v in values])
        for part in _chunks(list(existing.values())):
            s.execute(delete(EnterpriseName).where(EnterpriseName.enterprise_id.in_(part)))
        names = [
            name_row(ids[v["uscc"]], name, current)
            for v in values
            for name, current in [(v["name"], True)]
            + [(n, False) for n in (v["former_names"] or "").split("；") if n]
        ]
        if names:
            s.execute(insert(EnterpriseName), names)
        return updated, []

    # -- shared mechanics --------------------------------------------------------------------

    @staticmethod
    def _ids(s: Session, column, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        model = column.class_
        for part in _chunks(sorted(set(keys))):
            found.update(s.execute(select(column, model.id).where(column.in_(part))).all())
        return found

    @staticmethod
    def _upsert(s: Session, model, values: list[dict], existing_id) -> int:
        new, old = [], []
        for v in values:
            ident = existing_id(v)
            (old if ident else new).append({**v, "id": ident} if ident else v)
        if new:
            s.execute(insert(model), new)
        if old:
            s.execute(update(model), old)
        return len(old)


def name_row(enterprise_id: int, name: str, is_current: bool) -> dict:
    inits = search_text.initials(name)
    return {
        "enterprise_id": enterprise_id, "name": name, "initials": inits,
        "grams": search_text.grams(name, inits), "is_current": is_current,
    }


def _main_unit(rows: list[ParsedRow]) -> str | None:
    units = Counter(r.values.get("source_unit") for r in rows if r.values.get("source_unit"))
    return units.most_common(1)[0][0] if units else None
