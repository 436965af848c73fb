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

__all__ = ["Rejection", "ParsedRow", "RowParser", "parse_table", "CLEAR"]

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


# --- rules that look at more than one cell: (key, reason) pairs, or None ------


def _penalty_rules(values: dict, bad, domains_for_unit) -> list[tuple[str, str]] | None:
    if values.get("domain") is not None or "domain" in bad or "source_unit" in bad:
        return None
    unit = values["source_unit"]
    if unit is None:
        return None
    codes = domains_for_unit(unit)
    if len(codes) == 1:
        values["domain"] = int(codes[0])
        return None
    if codes:
        return [("domain", f"未填写领域，且数据来源单位“{unit}”对应多个领域，请填写领域")]
    return [("domain", f"未填写领域，且数据来源单位“{unit}”无法对应到领域，请填写领域")]


def _enterprise_rules(values: dict, bad, _domains) -> None:
    if values.get("kind") is None and "kind" not in bad:
        code = values["uscc"]
        values["kind"] = (uscc_rules.kind_of(code) if code else None) or "企业"


def _repair_rules(values: dict, bad, _domains) -> None:
    if values.get("source_unit") is None:
        values["source_unit"] = values["organ"]


def _no_rules(values: dict, bad, _domains) -> None:
    return None


def _listing_rules(values: dict, bad, _domains) -> list[tuple[str, str]] | None:
    listed, removed = values.get("listed_on"), values.get("removed_on")
    if listed is not None and removed is not None and removed < listed:
        return [("removed_on", f"移出日期 {removed.isoformat()} 早于列入日期 {listed.isoformat()}")]
    return None


_ROW_RULES = {
    "penalties": _penalty_rules,
    "enterprises": _enterprise_rules,
    "repairs": _repair_rules,
    "arrears": _no_rules,
    "enforcement": _no_rules,
    "dishonest_lists": _listing_rules,
    "criminal": _no_rules,
}


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


# --- rows ----------------------------------------------------------------------

_VALUE, _GIVEN, _REASON = itemgetter(0), itemgetter(1), itemgetter(2)
_DISTINCT_SHARE = 0.8  # a column whose chunk is this new is not remembered any more
_MEMO_LIMIT = 20_000  # remembered distinct cells per column (department files repeat a lot)


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
        self.rules = _ROW_RULES[kind]
        self.unique = _UNIQUE_KEYS[kind]
        self.unique_column = (self.headers["decision_no"] if kind in ("penalties", "enforcement") else
                              self.headers["case_no"] if kind == "criminal" else
                              self.headers[self.unique[0]] if len(self.unique) == 1 else None)
        self.plan = [(f.key, mapping.index.get(f.key), _cell_reader(kind, f, profile, today), {})
                     for f in fields]
        self._given: dict[int, frozenset] = {}
        self._domains = functools.lru_cache(maxsize=4096)(profile.domains_for_unit)

    def parse(self, chunk: list[tuple[int, tuple]]) -> tuple[list[ParsedRow], list[Rejection]]:
        n = len(chunk)
        if not n:
            return [], []
        columns = list(zip(*[cells for _, cells in chunk]))
        value_cols: list[list] = []
        mask_cols: list[list[int]] = []
        problems: dict[int, list[tuple[str, str]]] = {}
        always = 0  # the fields every row of the chunk states
        for bit, (key, position, read, memo) in enumerate(self.plan):
            if position is None:
                value_cols.append([read(None)[0]] * n)
                continue
            column = columns[position]
            if memo is None:  # a column of mostly distinct values: remembering costs more
                results = list(map(read, column))
            else:
                if len(memo) > _MEMO_LIMIT:
                    memo.clear()
                results = list(map(memo.get, column))  # memo keys are text or None only
            if memo is not None and None in results:
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
            value_cols.append(list(map(_VALUE, results)))
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
        numbers = [number for number, _ in chunk]
        identities = list(zip(*[value_cols[self.keys.index(k)] for k in self.unique]))

        keys, rules, domains, unique = self.keys, self.rules, self._domains, self.unique
        headers, derived_domain, given_sets = self.headers, self.kind == "penalties", self._given
        seen: dict[tuple, int] = {}
        parsed: list[ParsedRow] = []
        rejections: list[Rejection] = []
        for i, (number, vals, mask, identity) in enumerate(zip(numbers, zip(*value_cols), masks, identities)):
            values = dict(zip(keys, vals))
            found = problems.get(i) if problems else None
            bad = {k for k, _ in found} if found else ()
            more = rules(values, bad, domains)
            if more:
                found = [*(found or ()), *more]
                bad = {k for k, _ in found}
            given = given_sets.get(mask) or self._given_set(mask)
            if derived_domain and "domain" not in given and values.get("domain") is not None:
                given = given | {"domain"}  # derived from the stated source unit
            duplicate = None
            if None not in identity and not (bad and any(k in bad for k in unique)):
                first = seen.setdefault(identity, number)
                if first != number:
                    duplicate = Rejection(number, self.unique_column, f"与第{first}行重复")
            if found or duplicate:
                rejections.extend(Rejection(number, headers[k] if k else None, reason) for k, reason in found or ())
                if duplicate:
                    rejections.append(duplicate)
            else:
                parsed.append(ParsedRow(number, values, given))
        return parsed, rejections

    def _given_set(self, mask: int) -> frozenset:
        given = self._given.get(mask)
        if given is None:
            given = self._given[mask] = frozenset(
                key for bit, (key, position, _, _) in enumerate(self.plan) if mask >> bit & 1)
        return given


def parse_table(
    kind: str, table: Table, profile, *, today: date | None = None
) -> tuple[list[ParsedRow], list[Rejection]]:
    """Check every row of a whole ``table`` as an import of ``kind`` (see ``RowParser``)."""
    return RowParser(kind, table.headers, profile, today=today).parse(list(table.rows))
