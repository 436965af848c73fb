"""Read a department's CSV or XLSX file into a plain table.

The reader knows nothing about what the columns mean; it only turns bytes into
rows of cells, keeping the row numbers a spreadsheet would show so that every
later complaint can point at the right line.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from core.errors import CreditDeskError

__all__ = ["UnreadableFile", "Table", "read_table", "SUPPORTED_SUFFIXES"]

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".xlsm")


class UnreadableFile(CreditDeskError):
    """The file as a whole cannot be imported; str() is a one-line Chinese message."""


@dataclass(frozen=True)
class Table:
    """A sheet of cells.

    ``rows`` holds ``(row_number, values)`` pairs; the row number is the one a
    spreadsheet shows (header row = 1, first data row = 2).  ``values`` always
    has exactly ``len(headers)`` cells; completely empty rows are left out.
    """

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]


def read_table(path: Path) -> Table:
    """Read the first sheet of an XLSX file or a whole CSV file."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise UnreadableFile(f"无法读取文件 {name}：不支持的文件类型 {shown}，请使用 CSV 或 XLSX")
    if not path.is_file():
        raise UnreadableFile(f"无法读取文件 {name}：找不到文件")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(f"无法读取文件 {name}：{_os_reason(exc)}") from exc
    if size == 0:
        raise UnreadableFile(f"无法读取文件 {name}：文件为空")
    if suffix == ".csv":
        raw_rows = _csv_rows(path)
    else:
        raw_rows = _xlsx_rows(path)
    return _build_table(name, raw_rows)


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "找不到文件"
    return "读取时发生系统错误"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build_table(name: str, raw_rows) -> Table:
    """Find the header row, then keep every non-empty row padded to its width."""
    headers: tuple[str, ...] | None = None
    width = 0
    rows: list[tuple[int, tuple[object, ...]]] = []
    append = rows.append
    for number, cells in enumerate(raw_rows, start=1):
        if headers is None:
            if all(_is_blank(c) for c in cells):
                continue
            stripped = [("" if c is None else str(c).strip()) for c in cells]
            while stripped and not stripped[-1]:
                stripped.pop()
            headers = tuple(stripped)
            width = len(headers)
            continue
        if len(cells) != width:
            cells = tuple(cells[:width]) + (None,) * (width - len(cells))
        else:
            cells = tuple(cells)
        for c in cells:
            if c is not None and (not isinstance(c, str) or c.strip()):
                break
        else:
            continue
        append((number, cells))
    if headers is None:
        raise UnreadableFile(f"无法读取文件 {name}：文件为空")
    return Table(name=name, headers=headers, rows=tuple(rows))


# --- CSV -------------------------------------------------------------------


def _refuse(name: str, what: str) -> UnreadableFile:
    return UnreadableFile(f"无法读取文件 {name}：{what}")


def _looks_utf16(data: bytes) -> bool:
    """Text in UTF-16 without a BOM: most ASCII characters leave a NUL in every other byte."""
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / max(len(even), 1), odd.count(0) / max(len(odd), 1)) > 0.3


def _odd_chars(text: str, codec: str, common: Callable[[bytes], bool]) -> int:
    """Characters outside ASCII that are not the common characters of ``codec``."""
    odd = 0
    for ch in set(text):
        if ch < "\x80":
            continue
        try:
            encoded = ch.encode(codec)
        except UnicodeEncodeError:
            odd += 1
            continue
        if not common(encoded):
            odd += 1
    return odd


def _gb_common(b: bytes) -> bool:  # GB2312 punctuation and both levels of hanzi
    return len(b) == 2 and (0xA1 <= b[0] <= 0xA3 or 0xB0 <= b[0] <= 0xF7) and 0xA1 <= b[1] <= 0xFE


def _big5_common(b: bytes) -> bool:  # Big5 punctuation and the common and less common hanzi
    return len(b) == 2 and 0xA1 <= b[0] <= 0xF9


def _looks_big5(data: bytes, gb_text: str) -> bool:
    try:
        big5_text = data.decode("big5")
    except UnicodeDecodeError:
        return False
    gb_odd = _odd_chars(gb_text, "gb18030", _gb_common)
    big5_odd = _odd_chars(big5_text, "big5", _big5_common)
    return gb_odd > big5_odd


def _decode(name: str, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(name, "文件是 UTF-16 编码，请另存为 UTF-8 或 GB18030")
    if b"\x00" in data:
        if _looks_utf16(data):
            raise _refuse(name, "文件疑似没有 BOM 的 UTF-16 编码，请另存为 UTF-8 或 GB18030")
        raise _refuse(name, "文件含有 NUL 字节，可能是 UTF-16 或二进制文件")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _refuse(name, "不是 UTF-8 或 GB18030 编码的文本") from None
    if _looks_big5(data, text):
        raise _refuse(name, "文件疑似 Big5 编码，请另存为 UTF-8 或 GB18030")
    return text


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "\t" in first_line and first_line.count("\t") > first_line.count(","):
        return "\t"
    return ","


def _csv_rows(path: Path):
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"无法读取文件 {name}：{_os_reason(exc)}") from exc
    text = _decode(name, data)
    if not text.strip():
        raise UnreadableFile(f"无法读取文件 {name}：文件为空")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        # Materialise so that csv.Error surfaces here, with a Chinese message.
        rows = [tuple(r) for r in reader]
    except csv.Error as exc:
        raise UnreadableFile(
            f"无法读取文件 {name}：CSV 格式错误（第 {reader.line_num} 行）"
        ) from exc
    return rows


# --- XLSX ------------------------------------------------------------------


def _xlsx_rows(path: Path):
    name = path.name
    try:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise UnreadableFile(f"无法读取文件 {name}：缺少 XLSX 读取组件 openpyxl") from exc
    bad = f"无法读取文件 {name}：不是有效的 XLSX 文件"
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError) as exc:
        raise UnreadableFile(bad) from exc
    except OSError as exc:
        raise UnreadableFile(f"无法读取文件 {name}：{_os_reason(exc)}") from exc
    try:
        if not workbook.worksheets:
            raise UnreadableFile(f"无法读取文件 {name}：文件为空")
        sheet = workbook.worksheets[0]
        # Some producers write a wrong <dimension>; trust the cells instead.
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        try:
            return [row for row in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as exc:
            raise UnreadableFile(bad) from exc
    finally:
        workbook.close()
