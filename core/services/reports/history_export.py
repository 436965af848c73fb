"""出具记录 as an Excel workbook: the filtered list of issued reports, for counter staff.

XLSX rather than CSV: Excel opens a CSV in the system's code page on many counter PCs (GBK), which
garbles the names, and it turns 18-character credit codes into numbers. Here codes stay text,
dates are real dates, and a second sheet says which filters made the list.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.services.reports.archive import ArchivedReport

SHEET = "出具记录"
ABOUT_SHEET = "说明"
# (header, width, value of one report); `today` decides 已过期
COLUMNS = (
    ("报告编号", 18, lambda r, today: r.report_no),
    ("企业名称", 36, lambda r, today: r.enterprise_name),
    ("统一社会信用代码", 22, lambda r, today: r.uscc),
    ("出具时间", 18, lambda r, today: r.issued_at),
    ("出具人", 12, lambda r, today: r.issued_by),
    ("出具窗口", 18, lambda r, today: r.counter),
    ("报告用途", 12, lambda r, today: r.purpose),
    ("有效期至", 12, lambda r, today: r.valid_until),
    ("状态", 8, lambda r, today: state_text(r, today)),
    ("撤销时间", 18, lambda r, today: r.revoked_at),
    ("撤销原因", 30, lambda r, today: r.revoke_reason or ""),
    ("打印次数", 9, lambda r, today: r.print_count),
)
HEADERS = tuple(c[0] for c in COLUMNS)


@dataclass(frozen=True)
class HistoryFilters:
    """What the list was narrowed by, as the person chose it."""

    date_from: date | None = None
    date_to: date | None = None
    search: str | None = None

    def describe(self) -> list[tuple[str, str]]:
        period = (f"{self.date_from or '不限'} 至 {self.date_to or '不限'}"
                  if self.date_from or self.date_to else "不限")
        return [("出具日期", period), ("搜索", " ".join((self.search or "").split()) or "无")]


def state_text(report: ArchivedReport, today: date) -> str:
    if report.revoked:
        return "已撤销"
    return "已过期" if today > report.valid_until else "有效"


def write_history(path: str | Path, reports: list[ArchivedReport], filters: HistoryFilters, *,
                  exported_by: str, now: datetime) -> None:
    """Write the workbook next to `path` and move it into place, so a failed write leaves no
    half file (and an open copy in Excel is refused whole, with the OS's reason)."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="E8EEF5")
        cell.alignment = Alignment(horizontal="center", vertical="center")
    today = now.date()
    for report in reports:
        sheet.append([value(report, today) for _, _, value in COLUMNS])
    for i, (header, width, _) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = width
        if header in ("出具时间", "撤销时间"):
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd hh:mm"
        elif header == "有效期至":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        elif header in ("报告编号", "统一社会信用代码"):
            for cell in sheet[letter][1:]:
                cell.number_format = "@"  # text: never a number in scientific notation
    sheet.freeze_panes = "A2"
    if reports:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(reports) + 1}"

    about = book.create_sheet(ABOUT_SHEET)
    for row in (("导出时间", now.replace(microsecond=0)), ("导出人", exported_by),
                *filters.describe(), ("报告份数", len(reports))):
        about.append(row)
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 40
    about["B1"].number_format = "yyyy-mm-dd hh:mm:ss"
    for cell in about["A"]:
        cell.font = bold

    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".xlsx.part", dir=target.parent)
    os.close(fd)
    try:
        book.save(tmp)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
