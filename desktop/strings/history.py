"""Wording of the 出具记录 page's filters and export (the table's own words stay in counter.py)."""
from __future__ import annotations

from datetime import date

PERIOD = "出具日期(&D)："
FROM = "从(&F)"
TO = "至(&T)"
SEARCH = "搜索(&S)："
SEARCH_PLACEHOLDER = "报告编号、统一社会信用代码、企业名称或出具人"
DATE_FROM_WHAT = "起始日期"  # named in the reason a typed date is refused
DATE_TO_WHAT = "截止日期"
# (key, label): the choice of period; "custom" when a date was typed, "all" for no bounds
PRESETS = (
    ("all", "全部日期"),
    ("today", "今天"),
    ("week", "最近 7 天"),
    ("month", "最近 30 天"),
    ("year", "今年"),
    ("custom", "指定日期"),
)
BAD_PERIOD = "起始日期 {start} 晚于截止日期 {end}，请改正后再查询"

EXPORT = "导出 Excel…"
EXPORT_TIP = "把当前筛选出的全部报告（不限于表格中显示的条数）导出为 Excel 文件"
EXPORT_TITLE = "导出出具记录"
EXPORT_FILTER = "Excel 工作簿 (*.xlsx)"
EXPORT_NAME = "出具记录_{span}.xlsx"
EXPORTING = "正在导出出具记录…"
EXPORTED = "已导出 {n} 份报告到 {path}"
EXPORT_NOTHING = "没有符合条件的报告，无需导出"

COUNT_FILTERED = "符合条件的报告 {n} 份"
COUNT_TRUNCATED = "符合条件的报告超过 {limit} 份，表格只显示最近的 {limit} 份；请缩小日期范围或输入搜索内容（导出包含全部）"
EMPTY_FILTERED = "没有符合条件的报告"


def span_text(start: date | None, end: date | None) -> str:
    """For the export's file name: 2026-11-01至2026-11-27, or 全部."""
    if start is None and end is None:
        return "全部"
    return f"{start or '起'}至{end or '今'}"
