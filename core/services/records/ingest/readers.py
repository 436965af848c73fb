"""Read a department's CSV or XLSX file as a stream of rows.

The reader knows nothing about what the columns mean; it only turns bytes into rows of cells,
keeping the row numbers a spreadsheet would show so that every later complaint can point at the
right line. Files are never read whole: CSV is decoded as it is read (the encoding is decided
from the first megabyte), and an XLSX file is checked against size caps from its zip directory
before a single part is decompressed, so a "zip bomb" is refused at once.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from core.errors import CreditDeskError

__all__ = ["UnreadableFile", "Table", "TableStream", "open_table", "read_table", "SUPPORTED_SUFFIXES",
           "XLSX_MAX_PART", "XLSX_MAX_SHARED", "XLSX_MAX_RATIO", "MAX_CELL_CHARS"]

SUPPORTED_SUFFIXES = (".csv", ".xlsx", ".xlsm")
SAMPLE_BYTES = 1 << 20  # the encoding is decided from this much of a CSV file
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
XLSX_MAX_PART = 1 << 30  # decompressed size of any one part of an XLSX file (1 GiB)
XLSX_MAX_SHARED = 48 << 20  # the shared-strings part, which is held in memory whole (48 MiB)
XLSX_MAX_RATIO = 100  # decompressed : compressed for a part above 1 MiB (real sheets: 5–20)
XLSX_MAX_PARTS = 1000


class UnreadableFile(CreditDeskError):
    """The file as a whole cannot be imported; str() is a one-line Chinese message."""


@dataclass(frozen=True)
class Table:
    """A whole sheet of cells in memory (small files and tests).

    ``rows`` holds ``(row_number, values)`` pairs; the row number is the one a spreadsheet shows
    (header row = 1, first data row = 2). ``values`` always has exactly ``len(headers)`` cells;
    completely empty rows are left out.
    """

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]


@dataclass(frozen=True)
class TableStream:
    """The same as ``Table`` but ``rows`` is read once, as it is iterated."""

    name: str
    headers: tuple[str, ...]
    rows: Iterator[tuple[int, tuple[object, ...]]]


def read_table(path: Path) -> Table:
    """Read the first sheet of an XLSX file or a whole CSV file into memory."""
    with open_table(path) as table:
        return Table(table.name, table.headers, tuple(table.rows))


@contextmanager
def open_table(path: Path) -> Iterator[TableStream]:
    """The first sheet of an XLSX file or a CSV file, its rows read as they are iterated.

    ``UnreadableFile`` comes from opening (type, encoding, size caps, header) or, for a problem
    further down the file, from the iteration."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise _refuse(name, f"不支持的文件类型 {shown}，请使用 CSV 或 XLSX")
    if not path.is_file():
        raise _refuse(name, "找不到文件")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc
    if size == 0:
        raise _refuse(name, "文件为空")
    with ExitStack() as stack:
        raw_rows = _csv_rows(path, stack) if suffix == ".csv" else _xlsx_rows(path, stack)
        headers, rows = _split_header(name, raw_rows)
        yield TableStream(name, headers, rows)


def _refuse(name: str, what: str) -> UnreadableFile:
    return UnreadableFile(f"无法读取文件 {name}：{what}")


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "找不到文件"
    return "读取时发生系统错误"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _split_header(name: str, raw_rows: Iterator[tuple]) -> tuple[tuple[str, ...], Iterator]:
    """The first non-empty row is the header; the rest come padded to its width, empty ones left out."""
    number = 0
    for cells in raw_rows:
        number += 1
        if all(_is_blank(c) for c in cells):
            continue
        stripped = [("" if c is None else str(c).strip()) for c in cells]
        while stripped and not stripped[-1]:
            stripped.pop()
        headers = tuple(stripped)
        return headers, _body(raw_rows, len(headers), number)
    raise _refuse(name, "文件为空")


def _body(raw_rows: Iterator[tuple], width: int, number: int) -> Iterator[tuple[int, tuple]]:
    pad = (None,) * width
    for cells in raw_rows:
        number += 1
        if len(cells) != width:
            cells = (tuple(cells) + pad)[:width]
        for c in cells:
            if c is not None and (c.__class__ is not str or c.strip()):
                break
        else:
            continue
        yield number, cells


# --- CSV -------------------------------------------------------------------


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


def _decodes(sample: bytes, codec: str, complete: bool) -> str | None:
    """``sample`` decoded, or None; an incomplete sample may end inside a character."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


_LABELS = {"utf-8-sig": "UTF-8", "gb18030": "GB18030"}


def _choose_encoding(name: str, sample: bytes, complete: bool) -> tuple[str, str]:
    """(codec, the sample as text) from the first bytes of a CSV file."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(name, "文件是 UTF-16 编码，请另存为 UTF-8 或 GB18030")
    if b"\x00" in sample:
        if _looks_utf16(sample):
            raise _refuse(name, "文件疑似没有 BOM 的 UTF-16 编码，请另存为 UTF-8 或 GB18030")
        raise _refuse(name, "文件含有 NUL 字节，可能是 UTF-16 或二进制文件")
    text = _decodes(sample, "utf-8-sig", complete)
    if text is not None:
        return "utf-8-sig", text
    text = _decodes(sample, "gb18030", complete)
    if text is None:
        raise _refuse(name, "不是 UTF-8 或 GB18030 编码的文本")
    big5 = _decodes(sample, "big5", complete)
    if big5 is not None and (_odd_chars(text, "gb18030", _gb_common)
                             > _odd_chars(big5, "big5", _big5_common)):
        raise _refuse(name, "文件疑似 Big5 编码，请另存为 UTF-8 或 GB18030")
    return "gb18030", text


def _sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    if "\t" in first_line and first_line.count("\t") > first_line.count(","):
        return "\t"
    return ","


def _csv_rows(path: Path, stack: ExitStack) -> Iterator[tuple]:
    name = path.name
    try:
        binary = stack.enter_context(open(path, "rb"))
        sample = binary.read(SAMPLE_BYTES)
        complete = len(sample) < SAMPLE_BYTES
        binary.seek(0)
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc
    codec, text = _choose_encoding(name, sample, complete)
    if not text.strip():
        raise _refuse(name, "文件为空")
    guard = _NulGuard(binary)
    stream = io.TextIOWrapper(io.BufferedReader(guard), encoding=codec, errors="strict", newline="")
    reader = csv.reader(stream, delimiter=_sniff_delimiter(text))
    return _csv_records(name, reader, _LABELS[codec], guard)


class _NulGuard(io.RawIOBase):
    """The raw file, noting a NUL byte anywhere (the csv module reads past them): from then on
    the records are searched for it, so the refusal can name the line."""

    def __init__(self, raw):
        self.raw = raw
        self.seen = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n and not self.seen and b"\x00" in memoryview(buffer)[:n].tobytes():
            self.seen = True
        return n


def _csv_records(name: str, reader, label: str, guard: _NulGuard) -> Iterator[tuple]:
    start = reader.line_num + 1  # where the next record begins (a quoted cell may span lines)
    try:
        for record in reader:
            if guard.seen and any("\x00" in cell for cell in record):
                raise _refuse(name, f"第 {start} 行含有 NUL 字节，可能是 UTF-16 或二进制文件")
            yield tuple(record)
            start = reader.line_num + 1
    except UnicodeDecodeError:
        raise _refuse(name, f"第 {start} 行附近有不是 {label} 编码的字节，"
                            f"请整份另存为 UTF-8 或 GB18030") from None
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise _refuse(name, f"第 {start} 行有超过 {csv.field_size_limit():,} 个字符的单元格"
                                f"（可能缺少一个结束引号）") from None
        raise _refuse(name, f"CSV 格式错误（第 {start} 行）") from None
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc


# --- XLSX ------------------------------------------------------------------


def _check_archive(path: Path) -> None:
    """Refuse an XLSX file whose parts would decompress beyond the caps, before reading any."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _refuse(name, "不是有效的 XLSX 文件") from exc
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise _refuse(name, f"XLSX 文件含有 {len(parts):,} 个部件，超过上限 {XLSX_MAX_PARTS:,}")
    for part in parts:
        size, packed = part.file_size, part.compress_size
        shared = part.filename.lower().endswith("sharedstrings.xml")
        cap = XLSX_MAX_SHARED if shared else XLSX_MAX_PART
        if size > cap:
            what = "共享字符串" if shared else f"部件 {part.filename} "
            raise _refuse(name, f"XLSX 文件解压后{what}有 {size:,} 字节，超过上限 {cap:,} 字节"
                                f"（{cap // 2**20:,} MiB）；请拆分文件或另存为 CSV")
        if size > (1 << 20) and size > XLSX_MAX_RATIO * max(packed, 1):
            raise _refuse(name, f"XLSX 文件的部件 {part.filename} 压缩比异常（{size // max(packed, 1):,} 倍，"
                                f"上限 {XLSX_MAX_RATIO} 倍），疑似恶意构造的压缩文件")


def _xlsx_rows(path: Path, stack: ExitStack) -> Iterator[tuple]:
    name = path.name
    _check_archive(path)
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError, SyntaxError) as exc:
        raise _refuse(name, "不是有效的 XLSX 文件") from exc
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc
    stack.callback(workbook.close)
    if not workbook.worksheets:
        raise _refuse(name, "文件为空")
    sheet = workbook.worksheets[0]
    # Some producers write a wrong <dimension>; trust the cells instead.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    return _xlsx_records(name, sheet.iter_rows(values_only=True))


def _xlsx_records(name: str, rows: Iterable[tuple]) -> Iterator[tuple]:
    number = 0
    try:
        for cells in rows:
            number += 1
            for c in cells:
                if c.__class__ is str and len(c) > MAX_CELL_CHARS:
                    raise _refuse(name, f"第 {number} 行有超过 {MAX_CELL_CHARS:,} 个字符的单元格")
            yield cells
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, SyntaxError, TypeError) as exc:
        # SyntaxError covers xml.etree's ParseError: a truncated or corrupted part.
        raise _refuse(name, f"不是有效的 XLSX 文件（第 {number + 1} 行附近损坏）") from exc
    except OSError as exc:
        raise _refuse(name, _os_reason(exc)) from exc
