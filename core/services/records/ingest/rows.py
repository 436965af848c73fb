"""Check and convert the rows of a department file (no database involved).

``parse_table`` turns a ``Table`` into typed rows ready to store, and a list of
rejections, one per bad cell, each naming the row and the column as the file
shows them so the department can correct its file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from core import uscc as uscc_rules
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

__all__ = ["Rejection", "ParsedRow", "parse_table"]

REQUIRED_EMPTY = "必填项为空"

_KIND_SPLIT = re.compile(r"[；;、,，]")
_NAME_SPLIT = re.compile(r"[；;]")

# Rows that name the same thing twice inside one file: the later one is refused.
_UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc",),
    "penalties": ("decision_no",),
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
    """A good row: canonical keys → typed values (every key of the kind is present)."""

    row: int
    values: dict


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
    if values["kind"] is None and "kind" not in bad:
        code = values["uscc"]
        values["kind"] = (uscc_rules.kind_of(code) if code else None) or "企业"


def _repair_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    if values["source_unit"] is None:
        values["source_unit"] = values["organ"]
    repaired = values["repair_date"]
    if repaired is not None and repaired > today:
        reject("repair_date", f"修复日期晚于今天：{repaired.isoformat()}")


def _no_rules(values: dict, bad: set[str], reject, profile, today: date) -> None:
    return None


_ROW_RULES = {
    "penalties": _penalty_rules,
    "enterprises": _enterprise_rules,
    "repairs": _repair_rules,
    "arrears": _no_rules,
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

    # (key, position or None, required, static default, converter)
    plan = [
        (f.key, mapping.index.get(f.key), f.required, f.default, _converter(f, profile))
        for f in fields
    ]
    seen: dict[tuple, int] = {}
    parsed: list[ParsedRow] = []
    rejections: list[Rejection] = []

    for number, cells in table.rows:
        values: dict[str, Any] = {}
        problems: list[Rejection] = []
        bad: set[str] = set()

        def reject(key: str | None, reason: str) -> None:
            if key is not None:
                bad.add(key)
            problems.append(Rejection(number, headers[key] if key else None, reason))

        for key, position, required, default, convert in plan:
            raw = cells[position] if position is not None else None
            if raw is None or (raw.__class__ is str and not raw.strip()):
                if required:
                    reject(key, REQUIRED_EMPTY)
                values[key] = default
                continue
            try:
                values[key] = convert(raw)
            except ValueError as exc:
                values[key] = None
                reject(key, str(exc))

        rules(values, bad, reject, profile, today)

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
            parsed.append(ParsedRow(number, values))
    return parsed, rejections
