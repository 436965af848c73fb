"""Check and convert the rows of a department file (no database involved).

``parse_table`` turns a ``Table`` into typed rows ready to store, and a list of
rejections, one per bad cell, each naming the row and the column as the file
shows them so the department can correct its file.
"""
from __future__ import annotations

import functools
import re
from operator import itemgetter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import Numeric, String

from core import uscc as uscc_rules
from core.db import models as M
from core.services.records.ingest import columns as C
from core.services.records.ingest.readers import Table, UnreadableFile
from core.services.records.ingest.values import (
    cell_text,
    parse_amount,
    parse_choice,
    parse_date,
    parse_fine_wan,
    parse_period,
)

__all__ = ["Rejection", "ParsedRow", "ParsedChunk", "RowParser", "parse_table", "CLEAR"]

REQUIRED_EMPTY = "必填项为空"
# A cell holding exactly this clears an optional field on re-import (an empty cell keeps it).
CLEAR = "<清空>"
EARLIEST_PERIOD = "1990-01"

_KIND_SPLIT = re.compile(r"[；;、,，]")
_NAME_SPLIT = re.compile(r"[；;]")

# Rows that name the same thing twice inside one file: the later one is refused.
_UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc",),
    "penalties": ("organ", "decision_no"),
    "arrears": ("uscc", "kind", "period", "source_unit"),
    "repairs": ("decision_no", "document_no"),
    "enforcement": ("organ", "decision_no"),
    "dishonest_lists": ("uscc", "authority", "list_name", "listed_on"),
    "criminal": ("court", "case_no"),
}


@dataclass(frozen=True)
class Rejection:
    """One problem in one cell; ``column`` is the header as in the file (None: whole row)."""

    row: int
    column: str | None
    reason: str


class ParsedRow:
    """A good row: canonical keys → typed values, for the columns the file has (and the ones
    with a default or derived from others); every row of one file has the same keys.

    ``given`` names the keys the file actually states for this row (a non-empty cell, or
    ``<清空>``): an existing record is changed only in those; the others keep their value.
    (A plain class with slots: one is made for every row of a file.)
    """

    __slots__ = ("row", "values", "given")

    def __init__(self, row: int, values: dict, given: frozenset = frozenset()):
        self.row = row
        self.values = values
        self.given = given

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ParsedRow):
            return NotImplemented
        return self.row == other.row and self.values == other.values

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ParsedRow(row={self.row!r}, values={self.values!r})"


# --- limits taken from the schema --------------------------------------------

_MODELS = {
    "enterprises": M.Enterprise, "penalties": M.Penalty, "arrears": M.Arrear, "repairs": M.CreditRepair,
    "enforcement": M.Enforcement, "dishonest_lists": M.DishonestListing,
    "criminal": M.CriminalJudgment,
}
# Fields stored somewhere other than the column of the same name.
_ELSEWHERE = {
    ("enterprises", "former_names"): M.EnterpriseName.__table__.c.name,
    ("repairs", "penalty_organ"): M.Penalty.__table__.c.organ,
}


def _column(kind: str, key: str):
    column = _ELSEWHERE.get((kind, key))
    return column if column is not None else _MODELS[kind].__table__.c.get(key)


def _limits(kind: str, key: str) -> tuple[int | None, Decimal | None, bool]:
    """(maximum length, exclusive numeric bound, may be cleared) for one field."""
    column = _column(kind, key)
    if column is None:
        return None, None, True
    length = bound = None
    if isinstance(column.type, String) and column.type.length:
        length = column.type.length
    if isinstance(column.type, Numeric) and column.type.precision is not None:
        bound = Decimal(10) ** (column.type.precision - (column.type.scale or 0))
    clearable = bool(column.nullable) and (kind, key) not in _ELSEWHERE
    return length, bound, clearable


# Control characters (C0, DEL, C1) and the bidi / zero-width format characters that can make
# text display differently from what is stored. Long free-text columns may hold line breaks.
_BAD_CHARS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_BAD_CHARS_MULTILINE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]"
)
_MULTILINE = {"facts", "basis", "content", "remark", "reason", "sentence"}


# --- converters ------------------------------------------------------------


def _text(value: object) -> str:
    return cell_text(value)


def _code(value: object) -> str:
    return uscc_rules.normalize(cell_text(value))


def _uscc(value: object) -> str:
    return uscc_rules.validate(cell_text(value))


def _names(value: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in _NAME_SPLIT.split(cell_text(value)) if p.strip())


def _penalty_kind(value: object) -> str:
    parts = [p.strip() for p in _KIND_SPLIT.split(cell_text(value)) if p.strip()]
    if not parts:
        raise ValueError(REQUIRED_EMPTY)
    for part in parts:
        if part not in C.PENALTY_KINDS:
            raise ValueError(
                f"处罚类别“{part}”不是行政处罚法第九条规定的种类"
                f"（应为 {'、'.join(C.PENALTY_KINDS)}）"
            )
    return "；".join(dict.fromkeys(parts))


def _domain_hint(profile) -> str:
    codes = tuple(getattr(profile, "domain_codes", ()) or ())
    if codes:
        return f"{min(codes)}–{max(codes)}"
    return "1–20"


_PLAIN_CONVERTERS: dict[str, Callable[[object], Any]] = {
    C.TEXT: _text, C.CODE: _code, C.USCC: _uscc, C.DATE: parse_date, C.PERIOD: parse_period,
    C.AMOUNT: parse_amount, C.WAN: parse_fine_wan, C.NAMES: _names, C.PENALTY_KIND: _penalty_kind,
}


def _converter(field: C.Field, profile) -> Callable[[object], Any]:
    kind = field.kind
    if kind in _PLAIN_CONVERTERS:
        return _PLAIN_CONVERTERS[kind]
    if kind == C.CHOICE:
        choices = field.choices or tuple(profile.arrears_kinds)
        return lambda v: parse_choice(v, choices, None)
    if kind == C.DOMAIN:
        hint = _domain_hint(profile)

        def _domain(value: object) -> int:
            text = cell_text(value)
            found = profile.find_domain(text)
            if found is None:
                raise ValueError(f"领域“{text}”不存在（应为{hint}或领域名称）")
            return int(found.code)

        return _domain
    raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover


# --- rules that look at one cell beyond its type ------------------------------


def _not_after_today(label: str) -> Callable[[Any, date], str | None]:
    def check(value, today: date) -> str | None:
        return f"{label}晚于今天：{value.isoformat()}" if value > today else None
    return check


def _period_in_range(value: str, today: date) -> str | None:
    if value < EARLIEST_PERIOD:
        return f"所属期早于 {EARLIEST_PERIOD}：{value}"
    if value > f"{today.year:04d}-{today.month:02d}":
        return f"所属期晚于当前月份：{value}"
    return None


_CELL_RULES: dict[tuple[str, str], Callable[[Any, date], str | None]] = {
    ("penalties", "decision_date"): _not_after_today("处罚决定日期"),
    ("enterprises", "founded_on"): _not_after_today("成立日期"),
    ("repairs", "repair_date"): _not_after_today("修复日期"),
    ("arrears", "period"): _period_in_range,
    ("enforcement", "decision_date"): _not_after_today("决定日期"),
    ("dishonest_lists", "listed_on"): _not_after_today("列入日期"),
    ("dishonest_lists", "removed_on"): _not_after_today("移出日期"),
    ("criminal", "judgment_date"): _not_after_today("裁判日期"),
}


def _organ_rule(profile) -> Callable[[Any, date], str | None] | None:
    """Only the profile's own organs' records (Suzhou: 本市行政机关); no [organs]: any organ."""
    scope = getattr(profile, "organs", None)  # minimal test profiles have none
    if scope is None:
        return None
    inside = profile.organ_in_area

    def check(value: str, today: date) -> str | None:
        return None if inside(value) else f"处罚机关“{value}”不是{scope.place}的行政机关，本报告不采集"
    return check


# Cell rules that depend on the profile: built once per parser.
_PROFILE_CELL_RULES: dict[tuple[str, str], Callable[[Any], Callable[[Any, date], str | None] | None]] = {
    ("penalties", "organ"): _organ_rule,
}


# --- rules that look at more than one cell, applied to a whole chunk's columns ----------------


class _Checked:
    """One chunk after the cell checks: a list of values per key, every row's stated-keys mask,
    and the problems found so far by row index ((key, reason) pairs, in the order found)."""

    __slots__ = ("n", "columns", "masks", "problems", "bits")

    def __init__(self, n: int, columns: dict[str, list], masks: list[int],
                 problems: dict[int, list[tuple[str, str]]], bits: dict[str, int]):
        self.n, self.columns, self.masks, self.problems, self.bits = n, columns, masks, problems, bits

    def bad(self, i: int, *keys: str) -> bool:
        """Row ``i`` already has a problem in one of ``keys``."""
        found = self.problems.get(i)
        return bool(found) and any(k in keys for k, _ in found)

    def refuse(self, i: int, key: str, reason: str) -> None:
        self.problems.setdefault(i, []).append((key, reason))

    def column(self, key: str) -> list:
        """The values of ``key``; a derived key the file lacks starts as all None."""
        found = self.columns.get(key)
        if found is None:
            found = self.columns[key] = [None] * self.n
        return found


def _penalty_rules(rows: _Checked, domains_for_unit) -> None:
    """A blank 领域 is derived from the 数据来源单位 when that unit maps to exactly one domain."""
    domain, units = rows.column("domain"), rows.columns["source_unit"]
    stated = 1 << rows.bits["domain"]
    masks, problems = rows.masks, rows.problems
    if None not in domain:
        return
    codes_of = {unit: domains_for_unit(unit) for unit in set(units) if unit is not None}
    if not problems and domain.count(None) == rows.n and all(len(c) == 1 for c in codes_of.values()) \
            and None not in units:
        # The usual file: no 领域 column, every unit with its one domain — a whole-column lookup.
        single = {unit: int(codes[0]) for unit, codes in codes_of.items()}
        domain[:] = map(single.__getitem__, units)
        masks[:] = map(stated.__or__, masks)
        return
    for i, unit in enumerate(units):
        if domain[i] is not None or unit is None or (i in problems and rows.bad(i, "domain", "source_unit")):
            continue
        codes = codes_of[unit]
        if len(codes) == 1:
            domain[i] = int(codes[0])
            masks[i] |= stated  # derived from the stated source unit
        elif codes:
            rows.refuse(i, "domain", f"未填写领域，且数据来源单位“{unit}”对应多个领域，请填写领域")
        else:
            rows.refuse(i, "domain", f"未填写领域，且数据来源单位“{unit}”无法对应到领域，请填写领域")


def _enterprise_rules(rows: _Checked, _domains) -> None:
    kinds, codes = rows.column("kind"), rows.columns["uscc"]
    for i, kind in enumerate(kinds):
        if kind is None and not rows.bad(i, "kind"):
            code = codes[i]
            kinds[i] = (uscc_rules.kind_of(code) if code else None) or "企业"


def _repair_rules(rows: _Checked, _domains) -> None:
    units, organs = rows.column("source_unit"), rows.columns["organ"]
    for i, unit in enumerate(units):
        if unit is None:
            units[i] = organs[i]


def _no_rules(rows: _Checked, _domains) -> None:
    return None


def _listing_rules(rows: _Checked, _domains) -> None:
    removed = rows.columns.get("removed_on")
    if removed is None:
        return
    for i, (listed, out) in enumerate(zip(rows.columns["listed_on"], removed)):
        if listed is not None and out is not None and out < listed:
            rows.refuse(i, "removed_on", f"移出日期 {out.isoformat()} 早于列入日期 {listed.isoformat()}")


_ROW_RULES = {
    "penalties": _penalty_rules,
    "enterprises": _enterprise_rules,
    "repairs": _repair_rules,
    "arrears": _no_rules,
    "enforcement": _no_rules,
    "dishonest_lists": _listing_rules,
    "criminal": _no_rules,
}
# Keys a rule fills in when the file lacks their column (every good row then has them).
_DERIVED = {"penalties": ("domain",), "enterprises": ("kind",), "repairs": ("source_unit",)}


# --- one cell ----------------------------------------------------------------

# (value, stated by the file, reason it is bad or None)
Cell = tuple[Any, bool, "str | None"]


def _cell_reader(kind: str, field: C.Field, profile, today: date) -> Callable[[object], Cell]:
    """The whole check of one cell of ``field``; pure, so its results can be remembered."""
    key, required, default = field.key, field.required, field.default
    convert = _converter(field, profile)
    length, bound, clearable = _limits(kind, key)
    extra = _CELL_RULES.get((kind, key))
    if extra is None and (kind, key) in _PROFILE_CELL_RULES:
        extra = _PROFILE_CELL_RULES[(kind, key)](profile)
    pattern = _BAD_CHARS_MULTILINE if key in _MULTILINE else _BAD_CHARS
    cannot_clear = (f"{REQUIRED_EMPTY}（{CLEAR}）" if required else
                    f"{'曾用名只会增加，不能清空' if key == 'former_names' else '该列不能清空'}（{CLEAR}）")

    def read(raw: object) -> Cell:
        if raw is None or (raw.__class__ is str and not raw.strip()):
            return default, False, (REQUIRED_EMPTY if required else None)
        if raw.__class__ is str:
            found = pattern.search(raw)
            if found is not None:
                return None, True, (f"含有控制字符或不可见的方向/零宽字符 U+{ord(found.group()):04X}，"
                                    f"请删除后重新导入")
            if raw.strip() == CLEAR:
                return None, True, (cannot_clear if required or not clearable else None)
        try:
            value = convert(raw)
        except ValueError as exc:
            return None, True, str(exc)
        if length is not None:
            if value.__class__ is str:
                too_long = len(value) > length
            else:
                texts = value if value.__class__ is tuple else ()
                too_long = any(t.__class__ is str and len(t) > length for t in texts)
            if too_long:
                return value, True, f"超过 {length} 个字符的长度上限"
        if bound is not None and value.__class__ is Decimal and value >= bound:
            return value, True, f"金额超出范围（应小于 {bound:,}）"
        if extra is not None:
            return value, True, extra(value, today)
        return value, True, None

    return read


def _clean_column(kind: str, field: C.Field, profile) -> Callable[[tuple], list | None] | None:
    """For a text or credit-code column with no further rule: a whole-column check that gives the
    values when every cell is plain text, stated, free of bad characters, not ``<清空>``, within
    the length and valid — the same values ``_cell_reader`` would give, at a fraction of the cost.
    None from it (or no such check for the field) means: read the cells one by one."""
    valid = {C.TEXT: None, C.USCC: uscc_rules.all_valid}.get(field.kind, False)
    length, bound, _ = _limits(kind, field.key)
    if valid is False or bound is not None or (kind, field.key) in _CELL_RULES \
            or (kind, field.key) in _PROFILE_CELL_RULES:
        return None
    pattern = _BAD_CHARS_MULTILINE if field.key in _MULTILINE else _BAD_CHARS

    def read_all(column: tuple) -> list | None:
        if set(map(type, column)) != {str}:
            return None
        values = list(map(str.strip, column))
        if not all(values) or CLEAR in values or pattern.search(" ".join(column)):
            return None
        if length is not None and max(map(len, values)) > length:
            return None
        if valid is not None and not valid(values):
            return None
        return values

    return read_all


# --- rows ----------------------------------------------------------------------

_VALUE, _GIVEN, _REASON = itemgetter(0), itemgetter(1), itemgetter(2)
_TEXT_TYPES = frozenset({str, type(None)})
_DISTINCT_SHARE = 0.8  # a column whose chunk is this new is not remembered any more
_MEMO_LIMIT = 20_000  # remembered distinct cells per column (department files repeat a lot)


class ParsedChunk:
    """The good rows of one chunk kept as columns: ``self[key]`` is the list of that key's values,
    one per row, in file order; ``numbers`` the rows' numbers in the file. No record is built per
    row; ``rows()`` gives them as ``ParsedRow`` for the callers that want one."""

    __slots__ = ("columns", "numbers", "masks", "_given_of")

    def __init__(self, columns: dict[str, list], numbers: list[int], masks: list[int],
                 given_of: Callable[[int], frozenset]):
        self.columns = columns
        self.numbers = numbers
        self.masks = masks  # per row: the bits of the keys the file states (see ``given``)
        self._given_of = given_of

    def __len__(self) -> int:
        return len(self.numbers)

    def __getitem__(self, key: str) -> list:
        return self.columns[key]

    def __contains__(self, key: str) -> bool:
        return key in self.columns

    def given(self, i: int) -> frozenset:
        """The keys the file states for row ``i`` (see ``ParsedRow.given``)."""
        return self._given_of(self.masks[i])

    def take(self, indices: list[int]) -> ParsedChunk:
        """Only the rows at ``indices`` (in that order)."""
        if len(indices) == len(self.numbers):
            return self
        pick = _picker(indices)
        return ParsedChunk({k: pick(v) for k, v in self.columns.items()}, pick(self.numbers),
                           pick(self.masks), self._given_of)

    def rows(self) -> list[ParsedRow]:
        keys = tuple(self.columns)
        return [ParsedRow(number, dict(zip(keys, values)), self._given_of(mask))
                for number, values, mask in zip(self.numbers, zip(*self.columns.values()), self.masks)]


def _picker(indices: list[int]) -> Callable[[list], list]:
    if not indices:
        return lambda values: []
    if len(indices) == 1:
        return lambda values: [values[indices[0]]]
    get = itemgetter(*indices)
    return lambda values: list(get(values))


class RowParser:
    """Checks the rows of one file, a chunk at a time, column by column.

    Raises ``UnreadableFile`` when a required column is missing from the headers. A row with
    any bad cell is left out of the parsed rows; each bad cell gives one ``Rejection``. Rows
    naming the same record twice within one chunk are caught here (the later one is refused);
    across chunks the importer catches them against what it has stored.
    """

    def __init__(self, kind: str, headers: tuple[str, ...], profile, *, today: date | None = None):
        fields = C.fields_for(kind)
        mapping = C.match_columns(kind, headers)
        if mapping.missing:
            raise UnreadableFile(f"缺少必需的列：{'、'.join(mapping.missing)}")
        today = today or date.today()
        self.kind = kind
        self.profile = profile
        self.mapping = mapping
        self.headers = mapping.header
        # A column the file lacks, with no default, is left out of the values: it means NULL for a
        # new record and "keep" for an existing one (absent keys are never written on update).
        fields = tuple(f for f in fields if f.key in mapping.index or f.default is not None)
        self.keys = tuple(f.key for f in fields)
        # One bit per key in a row's mask of stated keys: the fields', then the derived ones'.
        derived = tuple(k for k in _DERIVED.get(kind, ()) if k not in self.keys)
        self.bits = {key: bit for bit, key in enumerate(self.keys + derived)}
        self.rules = _ROW_RULES[kind]
        self.unique = _UNIQUE_KEYS[kind]
        self.unique_column = (self.headers["decision_no"] if kind in ("penalties", "enforcement") else
                              self.headers["case_no"] if kind == "criminal" else
                              self.headers[self.unique[0]] if len(self.unique) == 1 else None)
        self.plan = [(f.key, mapping.index.get(f.key), _cell_reader(kind, f, profile, today), {})
                     for f in fields]
        self._clean = {f.key: _clean_column(kind, f, profile) for f in fields}
        self._given: dict[int, frozenset] = {}
        self._domains = functools.lru_cache(maxsize=4096)(profile.domains_for_unit)

    def parse(self, chunk: list[tuple[int, tuple]]) -> tuple[ParsedChunk, list[Rejection]]:
        """The good rows of ``chunk`` (``(number, cells)`` pairs) as columns, and the problems."""
        n = len(chunk)
        numbers = [number for number, _ in chunk]
        if not n:
            return ParsedChunk({k: [] for k in self.keys}, numbers, [], self._given_set), []
        checked = self._check_cells(chunk)
        self.rules(checked, self._domains)
        duplicates = self._duplicates(checked, numbers)
        problems = checked.problems
        if not problems and not duplicates:
            return ParsedChunk(checked.columns, numbers, checked.masks, self._given_set), []
        headers = self.headers
        rejections: list[Rejection] = []
        for i in sorted({*problems, *duplicates}):
            number = numbers[i]
            rejections.extend(Rejection(number, headers[k] if k else None, reason)
                              for k, reason in problems.get(i, ()))
            if i in duplicates:
                rejections.append(Rejection(number, self.unique_column, f"与第{duplicates[i]}行重复"))
        keep = [i for i in range(n) if i not in problems and i not in duplicates]
        whole = ParsedChunk(checked.columns, numbers, checked.masks, self._given_set)
        return whole.take(keep), rejections

    def _check_cells(self, chunk: list[tuple[int, tuple]]) -> _Checked:
        """Every cell checked, column by column, remembering the result of repeated cells."""
        n = len(chunk)
        columns = list(zip(*[cells for _, cells in chunk]))
        values: dict[str, list] = {}
        mask_cols: list[list[int]] = []
        problems: dict[int, list[tuple[str, str]]] = {}
        always = 0  # the fields every row of the chunk states
        for bit, (key, position, read, memo) in enumerate(self.plan):
            if position is None:
                values[key] = [read(None)[0]] * n
                continue
            found = self._read_clean(bit, columns[position], n)
            if found is not None:  # every cell good and stated
                values[key] = found
                always |= 1 << bit
                continue
            results = self._read_column(bit, columns[position], n)
            values[key] = list(map(_VALUE, results))
            stated = list(map(_GIVEN, results))
            if all(stated):
                always |= 1 << bit
            else:
                flag = 1 << bit
                mask_cols.append([flag if g else 0 for g in stated])
            if any(map(_REASON, results)):
                for i, r in enumerate(results):
                    if r[2] is not None:
                        problems.setdefault(i, []).append((key, r[2]))
        masks = [always + sum(m) for m in zip(*mask_cols)] if mask_cols else [always] * n
        return _Checked(n, values, masks, problems, self.bits)

    def _read_clean(self, bit: int, column: tuple, n: int) -> list | None:
        """The column's values when every cell of it is good and stated, found without a result
        per cell: a column of mostly distinct values checked whole, another through the results
        remembered for its distinct cells. None: some cell needs ``_read_column``."""
        key, position, read, memo = self.plan[bit]
        if memo is None:
            clean = self._clean[key]
            return clean(column) if clean is not None else None
        distinct = set(column)
        if not set(map(type, distinct)) <= _TEXT_TYPES:
            return None  # typed XLSX cells: 1, 1.0 and True would share one entry
        if len(memo) + len(distinct) > _MEMO_LIMIT:
            memo.clear()
        fresh = [raw for raw in distinct if raw not in memo]
        for raw in fresh:
            memo[raw] = read(raw)
        if len(fresh) > n * _DISTINCT_SHARE:
            self.plan[bit] = (key, position, read, None)
        cells = {raw: memo[raw] for raw in distinct}
        if not all(cell[1] and cell[2] is None for cell in cells.values()):
            return None
        return list(map({raw: cell[0] for raw, cell in cells.items()}.__getitem__, column))

    def _read_column(self, bit: int, column: tuple, n: int) -> list[Cell]:
        key, position, read, memo = self.plan[bit]
        if memo is None:  # a column of mostly distinct values: remembering costs more
            return list(map(read, column))
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        results = list(map(memo.get, column))  # memo keys are text or None only
        if None not in results:
            return results
        misses = 0
        for i in [i for i, r in enumerate(results) if r is None]:
            raw = column[i]
            if raw is None or raw.__class__ is str:
                r = memo.get(raw)  # an earlier row of this chunk may have filled it
                if r is None:
                    r = memo[raw] = read(raw)
                    misses += 1
            else:  # typed XLSX cells: 1, 1.0 and True would share one entry
                r = read(raw)
            results[i] = r
        if misses > n * _DISTINCT_SHARE:
            self.plan[bit] = (key, position, read, None)
        return results

    def _duplicates(self, checked: _Checked, numbers: list[int]) -> dict[int, int]:
        """Row index → number of the earlier row naming the same record, within the chunk."""
        n = checked.n
        if any(len(set(checked.columns[k])) == n for k in self.unique):
            return {}  # one of the keys alone is different in every row
        identities = list(zip(*[checked.columns[k] for k in self.unique]))
        unique, problems = self.unique, checked.problems
        seen: dict[tuple, int] = {}
        found: dict[int, int] = {}
        for i, identity in enumerate(identities):
            if None in identity or (i in problems and checked.bad(i, *unique)):
                continue
            first = seen.setdefault(identity, numbers[i])
            if first != numbers[i]:
                found[i] = first
        return found

    def _given_set(self, mask: int) -> frozenset:
        given = self._given.get(mask)
        if given is None:
            given = self._given[mask] = frozenset(key for key, bit in self.bits.items() if mask >> bit & 1)
        return given


def parse_table(
    kind: str, table: Table, profile, *, today: date | None = None
) -> tuple[list[ParsedRow], list[Rejection]]:
    """Check every row of a whole ``table`` as an import of ``kind`` (see ``RowParser``)."""
    good, rejections = RowParser(kind, table.headers, profile, today=today).parse(list(table.rows))
    return good.rows(), rejections
