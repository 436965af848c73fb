"""The sections of the record kinds 发改财金〔2025〕565号 adds: 行政强制, 严重失信主体名单, 刑事裁判.

Printed only when the profile's record_kinds carry them, in the profile's order, each under the
title the profile gives it. A kind covered "where the data exists" with no data ever imported
says 暂无数据来源, never 无.
"""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from core.domain import ReportContent
from core.policy import Profile
from core.services.reports.render.fonts import HEI, markup
from core.services.reports.render.sections import decision_cell, heading
from core.services.reports.render.styles import (
    ALERT, BODY, CELL, CELL_CENTRE, CELL_HEAD, grid_style, para, rich,
)

SECTION_KINDS = ("enforcement", "dishonest_lists", "criminal")
NO_SOURCE = "暂无数据来源（平台尚未归集该类信息，本报告不反映该类情况）。"
REMOVED = "已移出"


def record_sections(content: ReportContent, profile: Profile, first: int) -> list[Flowable]:
    """The sections of the kinds the profile carries, numbered from `first`."""
    flow: list[Flowable] = []
    number = first
    for kind in profile.record_kinds:
        if kind not in SECTION_KINDS:
            continue
        flow += heading(number, profile.section_title(kind))
        flow.append(_BODIES[kind](content))
        number += 1
    return flow


def section_count(profile: Profile) -> int:
    return sum(1 for kind in profile.record_kinds if kind in SECTION_KINDS)


def _table(header: list[str], rows: list[list], widths: tuple[float, ...]) -> Table:
    table = Table([[para(h, CELL_HEAD) for h in header], *rows],
                  colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(grid_style())
    return table


def _empty(content: ReportContent, kind: str, name: str) -> Flowable:
    if kind in content.unsourced:
        return para(NO_SOURCE, BODY)
    return para(f"查询期间内无{name}。", BODY)


def _enforcement(content: ReportContent) -> Flowable:
    if not content.enforcements:
        return _empty(content, "enforcement", "行政强制信息")
    widths = (9, 40, 20, 32, 30, 39)
    rows = [[para(str(i), CELL_CENTRE), decision_cell(e.decision_no, widths[1]),
             para(e.decision_date.isoformat(), CELL_CENTRE), para(e.organ, CELL),
             para(e.measure, CELL_CENTRE), para(e.content or "—", CELL)]
            for i, e in enumerate(content.enforcements, start=1)]
    return _table(["序号", "决定书文号", "决定日期", "实施机关", "行政强制类别", "行政强制内容"],
                  rows, widths)


def _listings(content: ReportContent) -> Flowable:
    if not content.listings:
        return _empty(content, "dishonest_lists", "严重失信主体名单信息")
    rows = []
    for i, x in enumerate(content.listings, start=1):
        if x.removed_on:
            state = rich(f'<font name="{HEI}">{REMOVED}</font><br/>（{x.removed_on.isoformat()}）',
                         CELL_CENTRE)
        else:
            state = rich(f'<font name="{HEI}" color="{ALERT.hexval()}">{markup("列入中", HEI)}</font>',
                         CELL_CENTRE)
        rows.append([para(str(i), CELL_CENTRE), para(x.list_name, CELL), para(x.authority, CELL),
                     para(x.listed_on.isoformat(), CELL_CENTRE), para(x.reason or "—", CELL), state])
    return _table(["序号", "名单名称", "认定部门", "列入日期", "列入原因", "状态"], rows,
                  (9, 38, 32, 20, 49, 22))


def _criminal(content: ReportContent) -> Flowable:
    if not content.criminal:
        return _empty(content, "criminal", "刑事裁判信息")
    widths = (9, 42, 32, 20, 28, 39)
    rows = [[para(str(i), CELL_CENTRE), decision_cell(c.case_no, widths[1]), para(c.court, CELL),
             para(c.judgment_date.isoformat(), CELL_CENTRE), para(c.charge, CELL_CENTRE),
             para(c.sentence or "—", CELL)]
            for i, c in enumerate(content.criminal, start=1)]
    return _table(["序号", "案号", "审判法院", "裁判日期", "罪名", "判决结果"], rows, widths)


_BODIES = {"enforcement": _enforcement, "dishonest_lists": _listings, "criminal": _criminal}
