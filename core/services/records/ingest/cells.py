"""One cell of a department file checked and converted (no database involved): its type, the
schema's length and numeric limits, control and bidi/zero-width characters, ``<清空>``, and the
rules that look at one cell beyond its type (dates not after today, 所属期 in range, the organ in
the profile's area). ``cell_reader`` checks one cell; ``clean_column`` checks a whole text
column at once when every cell of it is plainly good (``rows.RowParser`` uses both).
"""
from __future__ import annotations

import re
from datetime import date
from operator import is_
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import Numeric, String

from core import uscc as uscc_rules
from core.db import models as M
from core.services.records.ingest import columns as C
from core.services.records.ingest.values import (
    cell_text,
    parse_amount,
    parse_choice,
    parse_date,
    parse_fine_wan,
    parse_period,
)

__all__ = ["Cell", "cell_reader", "clean_column", "CLEAR", "REQUIRED_EMPTY", "EARLIEST_PERIOD"]

REQUIRED_EMPTY = "必填项为空"
# A cell holding exactly this clears an optional field on re-import (an empty cell keeps it).
CLEAR = "<清空>"
EARLIEST_PERIOD = "1990-01"

_KIND_SPLIT = re.compile(r"[；;、,，]")
_NAME_SPLIT = re.compile(r"[；;]")


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


# --- one cell ----------------------------------------------------------------

# (value, stated by the file, reason it is bad or None)
Cell = tuple[Any, bool, "str | None"]


def cell_reader(kind: str, field: C.Field, profile, today: date) -> Callable[[object], Cell]:
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


def clean_column(kind: str, field: C.Field, profile) -> Callable[[tuple], list | None] | None:
    """For a text or credit-code column with no further rule: a whole-column check that gives the
    values when every cell is plain text, stated, free of bad characters, not ``<清空>``, within
    the length and valid — the same values ``cell_reader`` would give, at a fraction of the cost.
    None from it (or no such check for the field) means: read the cells one by one."""
    valid = {C.TEXT: None, C.USCC: uscc_rules.all_valid}.get(field.kind, False)
    length, bound, _ = _limits(kind, field.key)
    if valid is False or bound is not None or (kind, field.key) in _CELL_RULES \
            or (kind, field.key) in _PROFILE_CELL_RULES:
        return None
    pattern = _BAD_CHARS_MULTILINE if field.key in _MULTILINE else _BAD_CHARS
    whole_code = valid is uscc_rules.all_valid and (length is None or length >= 18)

    def read_all(column: tuple) -> list | None:
        if set(map(type, column)) != {str}:
            return None
        values = list(map(str.strip, column))
        if whole_code and all(map(is_, values, column)):
            # Nothing stripped: the codes' own check (18 characters of the code alphabet each)
            # also finds blanks, <清空>, bad characters and lengths.
            return values if valid(values) else None
        if not all(values) or CLEAR in values or pattern.search(" ".join(column)):
            return None
        if length is not None and max(map(len, values)) > length:
            return None
        if valid is not None and not valid(values):
            return None
        return values

    return read_all
