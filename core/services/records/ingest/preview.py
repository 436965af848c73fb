"""Before an import: a file's first rows, its columns as recognised, and what the import would
warn about or refuse — read without writing anything.

The same reader, column matching and row checks as the import itself (readers, columns, rows),
so what the preview shows is what the import does: a refused file is refused here with the same
Chinese reason, an unknown column gets the same warning, a bad cell the same rejection. Only the
checks against stored records (a decision number another enterprise owns …) wait for the import.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from core.services.records.ingest import columns as C
from core.services.records.ingest.readers import UnreadableFile, open_table
from core.services.records.ingest.rows import RowParser
from core.services.records.ingest.values import cell_text

__all__ = ["PREVIEW_ROWS", "PreviewColumn", "SampleRow", "ImportPreview", "preview_file", "count_rows"]

PREVIEW_ROWS = 20
UNSTATED = "未注明"


@dataclass(frozen=True)
class PreviewColumn:
    header: str  # as the file writes it (control and format characters escaped)
    field: str | None  # the standard column it is recognised as; None when the import leaves it aside
    repeated: bool = False  # names a field an earlier column already gave (left aside)
    required: bool = False


@dataclass(frozen=True)
class SampleRow:
    number: int  # the row number a spreadsheet shows (header = 1)
    cells: tuple[str, ...]  # one per file column, as text
    problems: tuple[tuple[str | None, str], ...] = ()  # (column, reason): why the import would refuse it


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    kind_name: str
    file_name: str
    columns: tuple[PreviewColumn, ...]
    rows: tuple[SampleRow, ...]
    more_rows: bool  # the file goes on past the rows shown
    warnings: tuple[tuple[str, str], ...]  # (column, reason), as the import's result gives them
    missing: tuple[str, ...] = ()  # required columns the file lacks
    refusal: str | None = None  # why the import would refuse the whole file (None: it would run)
    fits: tuple[str, ...] = ()  # kinds (Chinese names) whose required columns the file has
    absent: tuple[str, ...] = ()  # optional standard columns the file lacks (their values are kept)
    units: tuple[str, ...] = ()  # 数据来源单位 in the rows shown, most frequent first

    @property
    def bad_rows(self) -> int:
        return sum(1 for r in self.rows if r.problems)


def shown(text: object) -> str:
    """A cell or header safe to show: control and format characters become \\uXXXX escapes."""
    value = cell_text(text) if text is not None else ""
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n"
                   else ch for ch in value)


def preview_file(kind: str, path: Path, profile, *, limit: int = PREVIEW_ROWS,
                 today: date | None = None) -> ImportPreview:
    """The first `limit` rows of `path` read as an import of `kind` would read them.

    Raises `UnreadableFile` (a Chinese sentence) for a file the import refuses before its header:
    type, encoding, size caps, an empty file. Missing required columns do not raise: the preview
    shows the columns and says why the import would refuse it (`refusal`)."""
    fields = {f.key: f for f in C.fields_for(kind)}
    path = Path(path)
    with open_table(path) as table:
        headers = table.headers
        sample = list(islice(table.rows, limit))
        more = next(table.rows, None) is not None
    mapping = C.match_columns(kind, headers)
    columns = _columns(kind, headers, mapping, fields)
    problems: dict[int, list[tuple[str | None, str]]] = {}
    warnings = list(C.column_warnings(mapping))
    units: Counter = Counter()
    refusal = None
    try:
        parser = RowParser(kind, headers, profile, today=today)
    except UnreadableFile as exc:
        refusal = str(exc)
    else:
        good, rejected = parser.parse(sample)
        for r in rejected:
            problems.setdefault(r.row, []).append((r.column, r.reason))
        warnings += _default_warnings(fields, mapping, good, len(sample))
        if "source_unit" in good:
            units.update(u for u in good["source_unit"] if u)
    fits = () if not mapping.missing else tuple(
        C.KIND_NAMES[k] for k in C.KINDS if k != kind and not C.match_columns(k, headers).missing)
    absent = tuple(f.header for f in fields.values() if not f.required and f.key not in mapping.index)
    rows = tuple(SampleRow(number, tuple(shown(c) for c in cells), tuple(problems.get(number, ())))
                 for number, cells in sample)
    return ImportPreview(kind, C.KIND_NAMES[kind], path.name, columns, rows, more, tuple(warnings),
                         mapping.missing, refusal, fits, absent, tuple(u for u, _ in units.most_common()))


def count_rows(path: Path) -> int:
    """The data rows of the file, read through to the end as the import will read them (a fault
    further down — an encoding error, a NUL byte, a broken part — raises `UnreadableFile` now)."""
    with open_table(Path(path)) as table:
        return sum(1 for _ in table.rows)


def _columns(kind: str, headers: tuple[str, ...], mapping: C.ColumnMap, fields) -> tuple[PreviewColumn, ...]:
    by_position = {position: key for key, position in mapping.index.items()}
    out = []
    for position, header in enumerate(headers):
        key = by_position.get(position)
        if key is not None:
            field = fields[key]
            out.append(PreviewColumn(shown(header), field.header, required=field.required))
        else:
            named = C.header_key(header) and any(C.header_key(header) in (C.header_key(f.header), C.header_key(f.code))
                                                 for f in fields.values())
            out.append(PreviewColumn(shown(header), None, repeated=bool(named)))
    return tuple(out)


def _default_warnings(fields, mapping: C.ColumnMap, good, read: int) -> list[tuple[str, str]]:
    """A column with a default the file does not state: absent (every row) or blank in rows shown."""
    found = []
    for key, field in fields.items():
        if field.default is None:
            continue
        fix = "；请数据提供单位补全" if field.default == UNSTATED else ""
        if key not in mapping.index:
            found.append((field.header, f"文件没有“{field.header}”列：新增的记录都将记为“{field.default}”{fix}"))
            continue
        blank = sum(1 for i in range(len(good)) if key not in good.given(i))
        if blank:
            found.append((mapping.header[key],
                          f"前 {read} 行中有 {blank} 行“{mapping.header[key]}”为空，将记为“{field.default}”{fix}"))
    return found
