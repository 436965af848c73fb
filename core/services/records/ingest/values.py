"""Parsers for single cell values.

Every parser accepts what a department's spreadsheet plausibly contains (typed
cells from XLSX or text from CSV) and raises ``ValueError`` whose message is a
Chinese reason fit to show the clerk who made the file.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable

__all__ = [
    "is_blank",
    "cell_text",
    "parse_date",
    "parse_period",
    "parse_amount",
    "parse_fine_wan",
    "parse_choice",
]

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 20000, 80000
_CENT = Decimal("0.01")
_WAN_PLACES = Decimal("0.000001")  # one fen expressed in 万元
_TEN_THOUSAND = Decimal(10000)
_MAX_DIGITS = 20  # integer digits beyond any amount column (the schema's limit is checked later)

_DATE_SEPARATED = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?")
_PERIOD_SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_PERIOD_COMPACT = re.compile(r"(\d{4})(\d{2})")
_NUMBER_JUNK = str.maketrans("", "", ",，  ")

_DATE_HINT = "（应为 2024-03-01、2024/3/1、2024年3月1日 或 20240301）"
_PERIOD_HINT = "（应为 2024-03、2024/3、202403 或 2024年3月）"


def is_blank(value: object) -> bool:
    """True for an empty cell: None or text of only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text the way a person reads it (12345.0 → "12345")."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == 0:
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"日期不存在：{year:04d}-{month:02d}-{day:02d}") from None


def _from_serial(number: float, shown: str) -> date:
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueError(f"日期格式无法识别：{shown}{_DATE_HINT}")
    return _EXCEL_EPOCH + timedelta(days=int(number))


def parse_date(value: object) -> date:
    """A calendar date from a date cell, an Excel serial number or common text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value, cell_text(value))
    text = cell_text(value)
    match = _DATE_SEPARATED.fullmatch(text)
    if match is None:
        match = _DATE_COMPACT.fullmatch(text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day)
    if _SERIAL_TEXT.fullmatch(text):
        return _from_serial(float(text), text)
    raise ValueError(f"日期格式无法识别：{text or '（空）'}{_DATE_HINT}")


def parse_period(value: object) -> str:
    """A month as 'YYYY-MM' from "2024-03", "2024/3", "202403", "2024年3月" or a date."""
    if isinstance(value, (date, datetime)):
        return f"{value.year:04d}-{value.month:02d}"
    text = cell_text(value)
    match = _PERIOD_SEPARATED.fullmatch(text) or _PERIOD_COMPACT.fullmatch(text)
    if match is None:
        # A full date ("2024-03-01") also names its month.
        try:
            day = parse_date(text)
        except ValueError:
            raise ValueError(f"所属期格式无法识别：{text or '（空）'}{_PERIOD_HINT}") from None
        return f"{day.year:04d}-{day.month:02d}"
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"所属期不存在：{year:04d}-{month:02d}")
    return f"{year:04d}-{month:02d}"


def _to_decimal(value: object, text: str, hint: str) -> Decimal:
    """``value`` when it is a number cell, else ``text`` (already cleaned)."""
    shown = cell_text(value) or "（空）"
    if isinstance(value, bool):
        raise ValueError(f"金额格式无法识别：{shown}{hint}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"金额格式无法识别：{shown}{hint}") from None
    if not number.is_finite():
        raise ValueError(f"金额格式无法识别：{shown}{hint}")
    if number < 0:
        raise ValueError(f"金额不能为负数：{shown}")
    if number and number.adjusted() >= _MAX_DIGITS:
        raise ValueError(f"金额超出范围：{shown}")
    return number


def _quantize(number: Decimal, places: Decimal, shown: str) -> Decimal:
    try:
        return number.quantize(places, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise ValueError(f"金额超出范围：{shown}") from None


def _clean_number_text(value: object) -> str:
    text = cell_text(value).translate(_NUMBER_JUNK)
    return text.lstrip("¥￥")


def parse_amount(value: object) -> Decimal:
    """An amount in 元, non-negative, rounded to the fen ("1,234.50", "1234.5元")."""
    text = _clean_number_text(value)
    if text.endswith("元") and not text.endswith("万元"):
        text = text[:-1]
    number = _to_decimal(value, text, "（应为以元为单位的数字，如 1234.50）")
    return _quantize(number, _CENT, cell_text(value))


def parse_fine_wan(value: object) -> Decimal:
    """An amount in 万元: a plain number is 万元, "2000元" is 0.2, "0.2万元" is 0.2."""
    text = _clean_number_text(value)
    if text.startswith("罚款"):
        text = text[2:]
    hint = "（应为以万元为单位的数字，如 0.2，或写明单位，如 2000元）"
    divisor = Decimal(1)
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("元"):
        text = text[:-1]
        divisor = _TEN_THOUSAND
    elif text.endswith("万"):
        text = text[:-1]
    number = _to_decimal(value, text, hint)
    return _quantize(number / divisor, _WAN_PLACES, cell_text(value))


def parse_choice(value: object, allowed: Iterable[str], default: str | None = None) -> str:
    """One of ``allowed``; a blank cell gives ``default`` (or fails when there is none)."""
    options = tuple(allowed)
    if is_blank(value):
        if default is None:
            raise ValueError("必填项为空")
        return default
    text = cell_text(value)
    if text in options:
        return text
    raise ValueError(f"“{text}”不是有效的值（应为 {'、'.join(options)}）")
