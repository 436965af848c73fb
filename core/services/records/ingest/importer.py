"""Ingestion (归集): one department file in one transaction, upserting by natural keys.

Reading and row checks live in readers/rows; this module stores what passed and records the
batch. The file is read, checked and stored a chunk at a time, so memory does not grow with the
file; everything happens in one transaction, so a failure or a killed process leaves nothing.
A record named twice in one file is caught within a chunk by the row checks and across chunks
here, by finding it already stored by this very batch: by a look-up of the chunk's identities, or
on SQLite, into a table that held no record when the import began (nothing to update, nothing of
another enterprise's), by the insert itself, which leaves out a row whose identity is stored.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import search_text
from core.db.engine import Database
from core.db.models_objections import RecordCorrection
from core.db.models import (
    Arrear, CreditRepair, CriminalJudgment, DishonestListing, Enforcement, Enterprise, EnterpriseName,
    ImportBatch, Penalty,
)
from core.errors import InvalidRequest
from core.policy import Profile
from core.services.records.ingest import columns as C
from core.services.records.ingest.bulk import BulkWriter
from core.services.records.ingest.cancel import ImportCancelled
from core.services.records.ingest.collector import fewer_collections
from core.services.records.ingest.readers import UnreadableFile, open_table
from core.services.records.ingest.rows import ParsedChunk, ParsedRow, Rejection, RowParser
from core.states import DecisionKind, Procedure

KINDS = ("enterprises", "penalties", "arrears", "repairs", "enforcement", "dishonest_lists", "criminal")
_CHUNK = 5000  # keys per look-up statement (one per chunk of rows)
CHUNK_ROWS = 5000  # rows read, checked and stored at a time
MAX_LISTED = 10_000  # rejections listed in a result; every rejected row is still counted


@dataclass(frozen=True)
class ImportResult:
    batch_id: int
    kind: str
    accepted: int  # good rows written (new and updated)
    updated: int  # of those, rows that replaced an existing record
    rejected: tuple[Rejection, ...]  # the first MAX_LISTED problems, by row
    warnings: tuple[tuple[str, str], ...] = ()  # (column, reason): columns left aside, cells 未注明
    rejected_rows: int = 0  # rows refused, all of them (one row may have several problems)

    def to_json(self) -> dict:
        return {
            "batch_id": self.batch_id,
            "accepted": self.accepted,
            "updated": self.updated,
            "rejected_rows": self.rejected_rows,
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
                    record: Callable[[Session, ImportResult], None] | None = None,
                    progress: Callable[[int], None] | None = None,
                    cancel: Callable[[], bool] | None = None) -> ImportResult:
        """One file in one unit of work; `record` writes the batch's audit event inside it.

        `progress(rows read so far)` is called and `cancel()` asked after each chunk and once more
        before the commit; when `cancel()` says so, ImportCancelled rolls everything back."""
        if kind not in KINDS:
            raise InvalidRequest(f"未知的导入类型：{kind}（应为 {'、'.join(KINDS)}）")
        path = Path(path)
        if not path.is_file():
            raise UnreadableFile(f"找不到文件：{path}")
        checksum = file_checksum(path)
        with fewer_collections(), open_table(path) as table:
            parser = RowParser(kind, table.headers, self.profile)
            self._headers = parser.headers
            self._started_empty: dict[str, bool] = {}  # table → held no record when this import began
            warnings = C.column_warnings(parser.mapping)
            with self.db.session(write=True) as s:
                batch = ImportBatch(kind=kind, file_name=path.name, checksum=checksum, unit=unit,
                                    imported_by=user, imported_at=datetime.now())
                s.add(batch)
                s.flush()
                store = getattr(self, f"_store_{kind}")
                tally = _Tally()
                with BulkWriter(s) as self._writer:
                    for chunk in _chunked(table.rows, CHUNK_ROWS):
                        good, rejected = parser.parse(chunk)
                        self._writer.flush()  # the previous chunk's rows all stored
                        updated, late = store(s, good, batch.id, unit)
                        tally.add(len(chunk), good, rejected, late, updated)
                        _stop_or_report(cancel, progress, tally.total)
                    _stop_or_report(cancel, None, tally.total)
                warnings = (*warnings, *tally.unstated_warnings(parser.mapping))
                batch.unit = unit or tally.main_unit()
                batch.total_rows = tally.total
                batch.accepted, batch.updated, batch.rejected = tally.good, tally.updated, tally.bad_rows
                result = ImportResult(batch.id, kind, tally.good, tally.updated, tuple(tally.listed),
                                      warnings, tally.bad_rows)
                if record:
                    record(s, result)
                return result

    # -- one method per kind: returns (rows updated, rejections found against the database) --

    def _store_penalties(self, s: Session, rows: ParsedChunk, batch_id: int, _unit):
        """行政处罚: identified by 处罚机关 and 决定书文号, owned by one enterprise."""
        return self._store_owned(s, Penalty, rows, batch_id, ("organ", "decision_no"),
                                 "decision_no", "该决定书文号")

    def _store_arrears(self, s: Session, chunk: ParsedChunk, batch_id: int, _unit):
        rows = chunk.rows()
        existing: dict[tuple, tuple[int, int]] = {}
        for part in _chunks(sorted({r.values["uscc"] for r in rows})):
            for row in s.execute(
                select(Arrear.id, Arrear.uscc, Arrear.kind, Arrear.period, Arrear.source_unit, Arrear.batch_id)
                .where(self._writer.among(Arrear.uscc, part))
            ):
                existing[(row.uscc, row.kind, row.period, row.source_unit)] = (row.id, row.batch_id)
        ident = lambda r: (r.values["uscc"], r.values["kind"], r.values["period"], r.values["source_unit"])
        fixed = self._corrected(s, Arrear, [found[0] for found in existing.values()])
        kept, late = [], []
        for r in rows:
            found = existing.get(ident(r))
            if found and found[1] == batch_id:
                late.append(_earlier(r, None))
            elif found and found[0] in fixed:  # removed by an upheld objection: stays removed
                late.append(Rejection(r.row, None, _CORRECTED.format(objection=fixed[found[0]])))
            else:
                kept.append(r)
        key = lambda r: (existing.get(ident(r)) or (None,))[0]
        return self._upsert(s, Arrear, kept, batch_id, key), late

    def _store_repairs(self, s: Session, chunk: ParsedChunk, batch_id: int, _unit):
        rows = chunk.rows()
        penalties: dict[str, list] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in rows})):
            for row in s.execute(
                select(Penalty.decision_no, Penalty.organ, Penalty.uscc, Penalty.decision_date)
                .where(self._writer.among(Penalty.decision_no, part))
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
        existing: dict[tuple, tuple[int, int]] = {}
        for part in _chunks(sorted({r.values["decision_no"] for r in kept})):
            for row in s.execute(
                select(CreditRepair.id, CreditRepair.decision_no, CreditRepair.document_no,
                       CreditRepair.batch_id).where(self._writer.among(CreditRepair.decision_no, part))
            ):
                existing[(row.decision_no, row.document_no)] = (row.id, row.batch_id)
        ident = lambda r: (r.values["decision_no"], r.values["document_no"])
        stored = []
        for r in kept:
            found = existing.get(ident(r))
            if found and found[1] == batch_id:
                late.append(_earlier(r, None))
            else:
                stored.append(r)
        key = lambda r: (existing.get(ident(r)) or (None,))[0]
        return self._upsert(s, CreditRepair, stored, batch_id, key, drop=("penalty_organ",)), late

    def _store_enforcement(self, s: Session, rows: ParsedChunk, batch_id: int, _unit):
        """行政强制: identified by 实施机关 and 决定书文号, owned by one enterprise (as a penalty)."""
        return self._store_owned(s, Enforcement, rows, batch_id, ("organ", "decision_no"),
                                 "decision_no", "该决定书文号")

    def _store_criminal(self, s: Session, rows: ParsedChunk, batch_id: int, _unit):
        """刑事裁判: identified by 审判法院 and 案号, owned by one enterprise."""
        return self._store_owned(s, CriminalJudgment, rows, batch_id, ("court", "case_no"),
                                 "case_no", "该案号")

    def _store_dishonest_lists(self, s: Session, rows: ParsedChunk, batch_id: int, _unit):
        """严重失信主体名单: an entry is the enterprise's, by 认定部门, 名单名称 and 列入日期."""
        return self._store_owned(s, DishonestListing, rows, batch_id,
                                 ("uscc", "authority", "list_name", "listed_on"), "uscc", None)

    def _store_owned(self, s: Session, model, chunk: ParsedChunk, batch_id: int,
                     identity: tuple[str, ...], lookup: str, what: str | None):
        """Upsert by `identity`; a record already stored for another enterprise is refused (a
        correction goes through the objection workflow), one named earlier in this file too."""
        column = self._headers.get(lookup)
        if self._empty_at_start(s, model, identity):
            # Every stored record is this file's: a row is new unless an earlier chunk named it,
            # which the insert itself finds (and leaves out) through the unique identity.
            again = self._insert_chunk(model, chunk, batch_id, lookup, identity)
            return 0, [Rejection(chunk.numbers[i], column, _EARLIER) for i in again]
        existing = self._existing(s, model, chunk, identity, lookup)
        if not existing:  # nothing stored yet with these keys: every row is new
            self._insert_chunk(model, chunk, batch_id, lookup)
            return 0, []
        codes, numbers = chunk["uscc"], chunk.numbers
        new, old, late = [], [], []
        for i, ident in enumerate(zip(*(chunk[k] for k in identity))):
            found = existing.get(ident)
            if found is None:
                new.append(i)
            elif found[2] == batch_id:
                late.append(Rejection(numbers[i], column, _EARLIER))
            elif what and found[1] != codes[i]:
                late.append(Rejection(
                    numbers[i], column,
                    f"{what}已属于统一社会信用代码 {found[1]} 的企业，"
                    f"不能改记到 {codes[i]}；更正请走异议流程",
                ))
            else:
                old.append((i, found[0]))
        fixed = self._corrected(s, model, [ident for _, ident in old])
        if fixed:  # an upheld objection changed or removed it: the unit's file does not undo that
            late += [Rejection(numbers[i], column, _CORRECTED.format(objection=fixed[ident]))
                     for i, ident in old if ident in fixed]
            old = [(i, ident) for i, ident in old if ident not in fixed]
        if old:
            s.execute(update(model), [
                {"id": ident, "batch_id": batch_id, **{k: chunk[k][i] for k in chunk.given(i)}}
                for i, ident in old
            ])
        self._insert_chunk(model, chunk.take(new), batch_id, lookup)
        return len(old), late

    def _corrected(self, s: Session, model, ids: list[int]) -> dict[int, int]:
        """Stored record id → the objection whose correction changed or removed it."""
        kind = _CORRECTABLE.get(model.__tablename__)
        if kind is None or not ids:
            return {}
        found: dict[int, int] = {}
        for part in _chunks(sorted(ids)):
            rows = s.execute(
                select(RecordCorrection.record_id, RecordCorrection.objection_id)
                .where(RecordCorrection.record_kind == kind, self._writer.among(RecordCorrection.record_id, part)))
            found.update({row.record_id: row.objection_id for row in rows})
        return found

    def _existing(self, s: Session, model, chunk: ParsedChunk, identity: tuple[str, ...],
                  lookup: str) -> dict[tuple, tuple[int, str, int]]:
        """identity → (id, uscc, batch_id) of the stored records sharing `lookup` with the chunk."""
        existing: dict[tuple, tuple[int, str, int]] = {}
        column = getattr(model, lookup)
        for part in _chunks(list(set(chunk[lookup]))):  # (the database orders an IN list itself)
            for row in s.execute(
                select(model.id, model.uscc, model.batch_id,
                       *(getattr(model, k) for k in identity)).where(self._writer.among(column, part))
            ):
                existing[tuple(row[3:])] = (row.id, row.uscc, row.batch_id)
        return existing

    def _empty_at_start(self, s: Session, model, identity: tuple[str, ...]) -> bool:
        """On SQLite: the table held no record when this import began (asked at its first chunk,
        before this import wrote to it; the write lock is held since the transaction began). Only
        for an identity of columns that are never NULL, which the unique constraint compares as
        the look-up would."""
        table = model.__table__
        found = self._started_empty.get(table.name)
        if found is None:
            found = (not self._writer.copy and not any(table.c[k].nullable for k in identity)
                     and s.execute(select(model.id).limit(1)).first() is None)
            self._started_empty[table.name] = found
        return found

    def _insert_chunk(self, model, chunk: ParsedChunk, batch_id: int, lookup: str,
                      unless_stored: tuple[str, ...] | None = None) -> list[int]:
        """The rows of `chunk` as new records of this batch, column by column. The last thing a
        store does: on PostgreSQL the server inserts them while the next chunk is checked. The
        table is looked up only by `lookup` (and its unique keys): its other indexes may wait —
        all of them when it is not looked up at all (`unless_stored`: rows whose identity is
        already stored are left out, their positions returned; see BulkWriter.insert_columns)."""
        if not len(chunk):
            return []
        return self._writer.insert_columns(
            model.__table__, {**chunk.columns, "batch_id": [batch_id] * len(chunk)}, defer=True,
            indexes_later_but=(lookup,) if unless_stored is None else (), unless_stored=unless_stored)

    def _store_enterprises(self, s: Session, chunk: ParsedChunk, batch_id: int, unit):
        rows = chunk.rows()
        codes = sorted({r.values["uscc"] for r in rows})
        stored: dict[str, tuple[int, str, str | None, int]] = {}
        for part in _chunks(codes):
            for row in s.execute(
                select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.former_names,
                       Enterprise.batch_id).where(self._writer.among(Enterprise.uscc, part))
            ):
                stored[row.uscc] = (row.id, row.name, row.former_names, row.batch_id)
        new, old, renames, late = [], [], [], []
        for r in rows:
            v = dict(r.values)
            given = set(r.given)
            before = stored.get(v["uscc"])
            if before and before[3] == batch_id:
                late.append(_earlier(r, self._headers.get("uscc")))
                continue
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
        self._writer.insert(Enterprise.__table__, new)
        if old:
            s.execute(update(Enterprise), old)
        ids: dict[str, int] = {}
        for part in _chunks(sorted({v["uscc"] for v in new})):
            ids.update(s.execute(select(Enterprise.uscc, Enterprise.id).where(self._writer.among(Enterprise.uscc, part))).all())
        targets = [(ids[v["uscc"]], v["name"], [n for n in (v["former_names"] or "").split("；") if n])
                   for v in new] + renames
        have: dict[int, dict[str, tuple[int, bool]]] = {}
        for part in _chunks([t[0] for t in targets]):
            for row in s.execute(
                select(EnterpriseName.id, EnterpriseName.enterprise_id, EnterpriseName.name,
                       EnterpriseName.is_current).where(self._writer.among(EnterpriseName.enterprise_id, part))
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
        self._writer.insert(EnterpriseName.__table__, add)
        return len(old), late

    # -- shared mechanics --------------------------------------------------------------------

    def _upsert(self, s: Session, model, rows: list[ParsedRow], batch_id: int, existing_id,
                drop: tuple[str, ...] = ()) -> int:
        """Insert new rows whole; change existing ones only in the fields the file states."""
        new, old = [], []
        for r in rows:
            ident = existing_id(r)
            if ident:
                old.append({"id": ident, "batch_id": batch_id,
                            **{k: r.values[k] for k in r.given if k not in drop}})
            else:
                values = r.values  # the parsed row is not used again: complete it in place
                for k in drop:
                    values.pop(k, None)
                values["batch_id"] = batch_id
                new.append(values)
        self._writer.insert(model.__table__, new)
        if old:
            s.execute(update(model), old)
        return len(old)


def name_row(enterprise_id: int, name: str, is_current: bool) -> dict:
    inits = search_text.initials(name)
    return {
        "enterprise_id": enterprise_id, "name": name, "initials": inits,
        "grams": search_text.grams(name, inits), "is_current": is_current,
    }


_EARLIER = "与本文件中前面的一行重复"
_CORRECTED = "该记录已按异议 {objection} 的核查结论更正，数据文件不能覆盖；如需变更，请联系主管"
_CORRECTABLE = {"penalties": "penalty", "arrears": "arrear"}  # table → RecordCorrection.record_kind


def _earlier(r: ParsedRow, column: str | None) -> Rejection:
    return Rejection(r.row, column, _EARLIER)


def _stop_or_report(cancel: Callable[[], bool] | None, progress: Callable[[int], None] | None,
                    done: int) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled()
    if progress is not None:
        progress(done)


def _chunked(rows: Iterable, size: int) -> Iterator[list]:
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


# Penalty columns whose blank cell is stored as 未注明, never guessed (no silent defaults).
_UNSTATED = (("procedure", Procedure.UNSTATED.value), ("decision_kind", DecisionKind.UNSTATED.value))
_UNSTATED_NAMES = {f.key: f.header for f in C.fields_for("penalties") if f.key in dict(_UNSTATED)}


class _Tally:
    """What a file gave, chunk by chunk, in bounded memory."""

    def __init__(self) -> None:
        self.total = self.good = self.updated = self.bad_rows = 0
        self.listed: list[Rejection] = []
        self.units: Counter = Counter()
        self.unstated: Counter = Counter()  # stored rows per column whose value is 未注明

    def add(self, read: int, rows: ParsedChunk, rejected: list[Rejection], late: list[Rejection],
            updated: int) -> None:
        self.total += read
        late_rows = {r.row for r in late}
        stored = [i for i, n in enumerate(rows.numbers) if n not in late_rows] if late_rows else None
        self.good += len(rows) if stored is None else len(stored)
        self.updated += updated
        self.bad_rows += len({r.row for r in rejected} | late_rows)
        if len(self.listed) < MAX_LISTED:
            found = sorted([*rejected, *late], key=lambda r: (r.row, r.column or ""))
            self.listed.extend(found[: MAX_LISTED - len(self.listed)])
        if "source_unit" in rows:
            self.units.update(filter(None, rows["source_unit"]))
        for key, unstated in _UNSTATED:
            if key in rows:
                values = rows[key]
                self.unstated[key] += (values.count(unstated) if stored is None
                                       else sum(1 for i in stored if values[i] == unstated))

    def unstated_warnings(self, mapping: C.ColumnMap) -> tuple[tuple[str, str], ...]:
        """One warning per column that left rows 未注明 (a column the file lacks: every row)."""
        found = []
        for key, unstated in _UNSTATED:
            count = self.unstated[key]
            if not count:
                continue
            name = _UNSTATED_NAMES[key]
            lacking = "" if key in mapping.index else f"文件没有“{name}”列："
            found.append((mapping.header[key],
                          f"{lacking}共 {count:,} 行未注明{name}，已记为“{unstated}”；请数据提供单位补全"))
        return tuple(found)

    def main_unit(self) -> str | None:
        return self.units.most_common(1)[0][0] if self.units else None
