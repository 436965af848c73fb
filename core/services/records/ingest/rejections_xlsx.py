"""The rejected rows of one import as an XLSX workbook, to send back to the providing unit.

Sheet 被拒收的行: one line per problem — row number, column, reason — followed by that row's
original cells when the source file is still the one imported (same checksum), so the unit sees
what it sent next to why it was refused. Sheet 说明: the batch, the counts and the warnings.
Text is written as text: a cell starting with "=" never becomes a formula, control characters
are escaped (Excel cannot hold them).
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.services.records.ingest.batches import BatchInfo
from core.services.records.ingest.readers import open_table
from core.services.records.ingest.values import cell_text

SHEET_ROWS = "被拒收的行"
SHEET_ABOUT = "说明"
HEAD = ("行号", "问题所在列", "问题")
WHOLE_ROW = "（整行）"


def original_rows(path: Path, numbers: set[int]) -> tuple[tuple[str, ...], dict[int, tuple]]:
    """The header and the rows numbered `numbers`, read as a stream (bounded by len(numbers))."""
    found: dict[int, tuple] = {}
    with open_table(Path(path)) as table:
        headers = table.headers
        last = max(numbers, default=0)
        for number, cells in table.rows:
            if number in numbers:
                found[number] = cells
            if number >= last:
                break
    return headers, found


def write_rejections(out: Path, batch: BatchInfo, rejected: Iterable, warnings: Iterable[tuple[str, str]], *,
                     rejected_rows: int, listed: int, headers: tuple[str, ...] = (),
                     originals: dict[int, tuple] | None = None, note: str | None = None) -> Path:
    """Write the workbook to `out` (replaced whole, never left half-written)."""
    out = Path(out)
    book = Workbook(write_only=True)
    rows = book.create_sheet(SHEET_ROWS)
    bold = Font(bold=True)
    widths = [8, 22, 60, *(16 for _ in headers)]
    for i, width in enumerate(widths):
        rows.column_dimensions[_letter(i)].width = width
    rows.freeze_panes = "A2"
    rows.append([_cell(rows, h, bold) for h in (*HEAD, *headers)])
    for r in rejected:
        cells = (originals or {}).get(r.row, ())
        rows.append([_cell(rows, v) for v in (r.row, r.column or WHOLE_ROW, r.reason, *cells)])
    about = book.create_sheet(SHEET_ABOUT)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 90
    facts = [
        ("文件", batch.file_name), ("数据类型", batch.kind_name), ("导入批次", batch.id),
        ("数据提供单位", batch.unit or "（未注明）"), ("导入时间", f"{batch.imported_at:%Y-%m-%d %H:%M:%S}"),
        ("导入人", batch.imported_by), ("读取行数", batch.total_rows), ("接受行数", batch.accepted),
        ("其中更新", batch.updated), ("拒收行数", rejected_rows),
    ]
    if listed < rejected_rows:
        facts.append(("注意", f"本表只列出前 {listed:,} 条问题；请修正后重新提供整个文件"))
    if note:
        facts.append(("原始内容", note))
    facts += [("提示", reason) for _column, reason in warnings]
    for key, value in facts:
        about.append([_cell(about, key, bold), _cell(about, value)])
    partial = out.with_name(out.name + ".part")
    try:
        book.save(partial)
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return out


def _letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def _cell(sheet, value, font: Font | None = None) -> WriteOnlyCell:
    if value is not None and not isinstance(value, (int, float)):
        value = "".join(f"\\u{ord(ch):04x}" if ord(ch) < 32 and ch not in "\t\n" else ch
                        for ch in cell_text(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text from a file is never a formula
    if font is not None:
        cell.font = font
    return cell
