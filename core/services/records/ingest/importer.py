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
from core.services.records.ingest import columns as C
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
    warnings: tuple[tuple[str, str], ...] = ()  # (column, reason) for columns left aside

    def to_json(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "accepted": self.accepted,
            "updated": self.updated,
            "rejected": [{"row": r.row, "column": r.column, "reason": r.reason} for r in self.rejected],
            "warnings": [{"column": c, "reason": reason} for c, reason in self.warnings],
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
        mapping = C.match_columns(kind, table.headers)
        self._headers = mapping.header
        warnings = C.column_warnings(mapping)
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
            result = ImportResult(batch.id, kind, good, updated, tuple(rejected), warnings)
            if record:
                record(s, result)
            return result

    # -- one method per kind: returns (rows updated, rejections found against the database) --

    def _store_penalties(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        existing: dict[tuple[str, str], tuple[int, str]] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in rows})):
            for row in s.execute(
                select(Penalty.id, Penalty.organ, Penalty.decision_no, Penalty.uscc)
                .where(Penalty.decision_no.in_(part))
            ):
                existing[(row.organ, row.decision_no)] = (row.id, row.uscc)
        kept, late = [], []
        for r in rows:
            found = existing.get((r.values["organ"], r.values["decision_no"]))
            if found is not None and found[1] != r.values["uscc"]:
                late.append(Rejection(
                    r.row, self._headers.get("decision_no"),
                    f"该决定书文号已属于统一社会信用代码 {found[1]} 的企业，"
                    f"不能改记到 {r.values['uscc']}；更正请走异议流程",
                ))
            else:
                kept.append(r)
        key = lambda r: (existing.get((r.values["organ"], r.values["decision_no"])) or (None,))[0]
        return self._upsert(s, Penalty, kept, batch_id, key), late

    def _store_arrears(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        existing: dict[tuple, int] = {}
        for part in _chunks(sorted({r.values["uscc"] for r in rows})):
            for row in s.execute(
                select(Arrear.id, Arrear.uscc, Arrear.kind, Arrear.period, Arrear.source_unit)
                .where(Arrear.uscc.in_(part))
            ):
                existing[(row.uscc, row.kind, row.period, row.source_unit)] = row.id
        v = lambda r: r.values
        key = lambda r: existing.get((v(r)["uscc"], v(r)["kind"], v(r)["period"], v(r)["source_unit"]))
        return self._upsert(s, Arrear, rows, batch_id, key), []

    def _store_repairs(self, s: Session, rows: list[ParsedRow], batch_id: int, _unit):
        penalties: dict[str, list] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in rows})):
            for row in s.execute(
                select(Penalty.decision_no, Penalty.organ, Penalty.uscc, Penalty.decision_date)
                .where(Penalty.decision_no.in_(part))
            ):
                penalties.setdefault(row.decision_no, []).append(row)
        no_column = self._headers.get("decision_no")
        kept, late = [], []
        for r in rows:
            found = penalties.get(r.values["decision_no"], [])
            organ = r.values.get("penalty_organ")
            if organ is not None:
                found = [p for p in found if p.organ == organ]
            organs = sorted({p.organ for p in found})
            if not found:
                where = f"处罚机关为“{organ}”、" if organ is not None else ""
                late.append(Rejection(r.row, no_column, f"未找到{where}该决定书文号的行政处罚记录"))
                continue
            if len(organs) > 1:
                late.append(Rejection(
                    r.row, no_column,
                    f"该决定书文号对应多个处罚机关的行政处罚（{'、'.join(organs)}），"
                    f"请在「处罚机关」列注明是哪一个",
                ))
                continue
            penalty = found[0]
            if penalty.uscc != r.values["uscc"]:
                late.append(Rejection(r.row, self._headers.get("uscc"),
                                      f"与该处罚记录的统一社会信用代码 {penalty.uscc} 不一致"))
            elif r.values["repair_date"] < penalty.decision_date:
                late.append(Rejection(
                    r.row, self._headers.get("repair_date"),
                    f"修复日期 {r.values['repair_date'].isoformat()} 早于处罚决定日期 "
                    f"{penalty.decision_date.isoformat()}",
                ))
            else:
                kept.append(r)
        existing: dict[tuple, int] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in kept})):
            for row in s.execute(
                select(CreditRepair.id, CreditRepair.decision_no, CreditRepair.document_no)
                .where(CreditRepair.decision_no.in_(part))
            ):
                existing[(row.decision_no, row.document_no)] = row.id
        key = lambda r: existing.get((r.values["decision_no"], r.values["document_no"]))
        return self._upsert(s, CreditRepair, kept, batch_id, key, drop=("penalty_organ",)), late

    def _store_enterprises(self, s: Session, rows: list[ParsedRow], batch_id: int, unit):
        codes = sorted({r.values["uscc"] for r in rows})
        stored: dict[str, tuple[int, str, str | None]] = {}
        for part in _chunks(codes):
            for row in s.execute(
                select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.former_names)
                .where(Enterprise.uscc.in_(part))
            ):
                stored[row.uscc] = (row.id, row.name, row.former_names)
        new, old, renames = [], [], []
        for r in rows:
            v = dict(r.values)
            given = set(r.given)
            before = stored.get(v["uscc"])
            former = [n for n in (before[2] or "").split("；") if n] if before else []
            if before and before[1] != v["name"]:
                former.append(before[1])  # a renamed enterprise keeps its old name searchable
            former.extend(v.pop("former_names", ()) or ())
            merged = list(dict.fromkeys(n for n in former if n != v["name"]))
            v["former_names"] = "；".join(merged) or None
            if v.get("source_unit") is None and unit:
                v["source_unit"] = unit
                given.add("source_unit")
            v["batch_id"] = batch_id
            if before is None:
                v["division"] = v["uscc"][2:8]
                v["source_unit"] = v.get("source_unit") or v.get("reg_authority") or "未注明"
                new.append(v)
            else:
                keep = given | {"former_names", "batch_id", "name"}
                old.append({"id": before[0], **{k: v[k] for k in keep if k in v}})
                renames.append((before[0], v["name"], merged))
        if new:
            s.execute(insert(Enterprise), new)
        if old:
            s.execute(update(Enterprise), old)
        ids: dict[str, int] = {}
        for part in _chunks(sorted({v["uscc"] for v in new})):
            ids.update(s.execute(select(Enterprise.uscc, Enterprise.id).where(Enterprise.uscc.in_(part))).all())
        targets = [(ids[v["uscc"]], v["name"], [n for n in (v["former_names"] or "").split("；") if n])
                   for v in new] + renames
        have: dict[int, dict[str, tuple[int, bool]]] = {}
        for part in _chunks([t[0] for t in targets]):
            for row in s.execute(
                select(EnterpriseName.id, EnterpriseName.enterprise_id, EnterpriseName.name,
                       EnterpriseName.is_current).where(EnterpriseName.enterprise_id.in_(part))
            ):
                have.setdefault(row.enterprise_id, {})[row.name] = (row.id, row.is_current)
        add, flags = [], []
        for ident, current, formers in targets:
            known = have.get(ident, {})
            for name, (row_id, is_current) in known.items():
                if is_current != (name == current):
                    flags.append({"id": row_id, "is_current": name == current})
            for name, is_current in [(current, True)] + [(n, False) for n in formers]:
                if name not in known:
                    known[name] = (0, is_current)
                    add.append(name_row(ident, name, is_current))
        if flags:
            s.execute(update(EnterpriseName), flags)
        if add:
            s.execute(insert(EnterpriseName), add)
        return len(old), []

    # -- shared mechanics --------------------------------------------------------------------

    @staticmethod
    def _ids(s: Session, column, keys: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        model = column.class_
        for part in _chunks(sorted(set(keys))):
            found.update(s.execute(select(column, model.id).where(column.in_(part))).all())
        return found

    @staticmethod
    def _upsert(s: Session, model, rows: list[ParsedRow], batch_id: int, existing_id,
                drop: tuple[str, ...] = ()) -> int:
        """Insert new rows whole; change existing ones only in the fields the file states."""
        new, old = [], []
        for r in rows:
            ident = existing_id(r)
            if ident:
                old.append({"id": ident, "batch_id": batch_id,
                            **{k: r.values[k] for k in r.given if k not in drop}})
            else:
                new.append({**{k: v for k, v in r.values.items() if k not in drop}, "batch_id": batch_id})
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
