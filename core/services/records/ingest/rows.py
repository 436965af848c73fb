"""Check and convert the rows of a department file (no database involved).

``parse_table`` turns a ``Table`` into typed rows ready to store, and a list of
rejections, one per bad cell, each naming the row and the column as the file
shows them so the department can correct its file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
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

__all__ = ["Rejection", "ParsedRow", "parse_table", "CLEAR"]

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
}


@dataclass(frozen=True)
class Rejection:
    """One problem in one cell; ``column`` is the header as in the file (None: whole row)."""

    row: int
    column: str | None
    reason: str


@dataclass(frozen=True)
class ParsedRow:
    """A good row: canonical keys → typed values (every key of the kind is present).

    ``given`` names the keys the file actually states for this row (a non-empty cell, or
    ``<清空>``): an existing record is changed only in those; the others keep their value.
    """

    row: int
    values: dict
    given: frozenset = dc_field(default=frozenset(), compare=False)


# --- limits taken from the schema --------------------------------------------

_MODELS = {
    "enterprises": M.Enterprise, "penalties": M.Penalty, "arrears": M.Arrear, "repairs": M.CreditRepair,
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
_MULTILINE = {"facts", "basis", "content", "remark"}


def _bad_char_reason(text: str, key: str) -> str | None:
    pattern = _BAD_CHARS_MULTILINE if key in _MULTILINE else _BAD_CHARS
    found = pattern.search(text)
    if found is None:
        return None
    return f"含有控制字符或不可见的方向/零宽字符 U+{ord(found.group()):04X}，请删除后重新导入"


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


# --- rules that look at more than one cell ----------------------------------


def _penalty_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    if values["domain"] is None and "domain" not in bad and "source_unit" not in bad:
        unit = values["source_unit"]
        if unit is not None:
            codes = tuple(profile.domains_for_unit(unit))
            if len(codes) == 1:
                values["domain"] = int(codes[0])
            elif codes:
                reject("domain", f"未填写领域，且数据来源单位“{unit}”对应多个领域，请填写领域")
            else:
                reject("domain", f"未填写领域，且数据来源单位“{unit}”无法对应到领域，请填写领域")
    decided = values["decision_date"]
    if decided is not None and decided > today:
        reject("decision_date", f"处罚决定日期晚于今天：{decided.isoformat()}")


def _enterprise_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    founded = values["founded_on"]
    if founded is not None and founded > today:
        reject("founded_on", f"成立日期晚于今天：{founded.isoformat()}")
    if values["kind"] is None and "kind" not in bad:
        code = values["uscc"]
        values["kind"] = (uscc_rules.kind_of(code) if code else None) or "企业"


def _repair_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    if values["source_unit"] is None:
        values["source_unit"] = values["organ"]
    repaired = values["repair_date"]
    if repaired is not None and repaired > today:
        reject("repair_date", f"修复日期晚于今天：{repaired.isoformat()}")


def _arrear_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    period = values["period"]
    if period is None:
        return
    if period < EARLIEST_PERIOD:
        reject("period", f"所属期早于 {EARLIEST_PERIOD}：{period}")
    elif period > f"{today.year:04d}-{today.month:02d}":
        reject("period", f"所属期晚于当前月份：{period}")


_ROW_RULES = {
    "penalties": _penalty_rules,
    "enterprises": _enterprise_rules,
    "repairs": _repair_rules,
    "arrears": _arrear_rules,
}


# --- the table -------------------------------------------------------------


def parse_table(
    kind: str, table: Table, profile, *, today: date | None = None
) -> tuple[list[ParsedRow], list[Rejection]]:
    """Check every row of ``table`` as an import of ``kind``.

    Raises ``UnreadableFile`` when a required column is missing from the file.
    A row with any bad cell is left out of the parsed rows; each bad cell gives
    one ``Rejection``.  ``today`` (default: the current date) bounds decision
    and repair dates.
    """
    fields = C.fields_for(kind)
    mapping = C.match_columns(kind, table.headers)
    if mapping.missing:
        raise UnreadableFile(f"缺少必需的列：{'、'.join(mapping.missing)}")
    today = today or date.today()
    headers = mapping.header
    rules = _ROW_RULES[kind]
    unique = _UNIQUE_KEYS[kind]
    unique_column = headers[unique[0]] if len(unique) == 1 else None
    if kind == "penalties":
        unique_column = headers["decision_no"]

    # (key, position or None, required, static default, converter, length, bound, clearable)
    plan = [
        (f.key, mapping.index.get(f.key), f.required, f.default, _converter(f, profile),
         *_limits(kind, f.key))
        for f in fields
    ]
    seen: dict[tuple, int] = {}
    parsed: list[ParsedRow] = []
    rejections: list[Rejection] = []

    for number, cells in table.rows:
        values: dict[str, Any] = {}
        given: set[str] = set()
        problems: list[Rejection] = []
        bad: set[str] = set()

        def reject(key: str | None, reason: str) -> None:
            if key is not None:
                bad.add(key)
            problems.append(Rejection(number, headers[key] if key else None, reason))

        for key, position, required, default, convert, length, bound, clearable in plan:
            raw = cells[position] if position is not None else None
            if raw is None or (raw.__class__ is str and not raw.strip()):
                if required:
                    reject(key, REQUIRED_EMPTY)
                values[key] = default
                continue
            given.add(key)
            if raw.__class__ is str:
                reason = _bad_char_reason(raw, key)
                if reason is not None:
                    values[key] = None
                    reject(key, reason)
                    continue
                if raw.strip() == CLEAR:
                    values[key] = None
                    if required or not clearable:
                        what = "曾用名只会增加，不能清空" if key == "former_names" else "该列不能清空"
                        reject(key, f"{REQUIRED_EMPTY if required else what}（{CLEAR}）")
                    continue
            try:
                value = convert(raw)
            except ValueError as exc:
                values[key] = None
                reject(key, str(exc))
                continue
            values[key] = value
            if length is not None:
                texts = value if isinstance(value, tuple) else (value,)
                if any(isinstance(t, str) and len(t) > length for t in texts):
                    reject(key, f"超过 {length} 个字符的长度上限")
            if bound is not None and isinstance(value, Decimal) and value >= bound:
                reject(key, f"金额超出范围（应小于 {bound:,}）")

        rules(values, bad, reject, profile, today)
        if kind == "penalties" and "domain" not in given and values.get("domain") is not None:
            given.add("domain")  # derived from the stated source unit

        key_values = tuple(values[k] for k in unique)
        if not bad.intersection(unique) and None not in key_values:
            first = seen.get(key_values)
            if first is None:
                seen[key_values] = number
            else:
                problems.append(Rejection(number, unique_column, f"与第{first}行重复"))

        if problems:
            rejections.extend(problems)
        else:
            parsed.append(ParsedRow(number, values, frozenset(given)))
    return parsed, rejections
