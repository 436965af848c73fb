"""No silent defaults (issue 9, part 5), and Suzhou's own organs at import (part 4), on both databases.

A penalty row without 程序类型 / 决定类型 (column absent or cell blank) is stored as 未注明, the
import warns once per column with the number of rows, and the report counts it under the
profile's rule (Suzhou: counted) and marks it.
"""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from core.db.models import Penalty
from core.services.records.ingest.importer import ImportService
from core.services.reports.assemble import ReportAssembler
from core.services.reports.violations import counts, unstated_columns, unstated_mark
from tests.factories import add_enterprise

REPORT_DAY = date(2025, 12, 1)
UNIT = "苏州市生态环境局"
BASE = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
        "处罚机关", "数据来源单位"]


def rows(code: str, n: int, *extra: str, start: int = 1, organ: str = UNIT) -> list[list]:
    return [["苏州恒达精密机械有限公司", code, f"苏环行罚〔2025〕{i}号", "罚款", "2025-03-01", organ, UNIT, *extra]
            for i in range(start, start + n)]


def stored(db) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        return {r.decision_no: (r.procedure, r.decision_kind)
                for r in s.execute(select(Penalty.decision_no, Penalty.procedure, Penalty.decision_kind))}


def test_file_without_the_columns_stores_unstated_and_warns_once_per_column(db, profile, write_csv):
    code = add_enterprise(db)
    result = ImportService(db, profile).import_file(
        "penalties", write_csv("national.csv", [BASE, *rows(code, 3)]), user="t")

    assert (result.accepted, result.rejected_rows) == (3, 0)
    assert set(stored(db).values()) == {("未注明", "未注明")}
    assert result.to_json()["warnings"] == [
        {"column": "程序类型",
         "reason": "文件没有“程序类型”列：共 3 行未注明程序类型，已记为“未注明”；请数据提供单位补全"},
        {"column": "决定类型",
         "reason": "文件没有“决定类型”列：共 3 行未注明决定类型，已记为“未注明”；请数据提供单位补全"},
    ]


def test_blank_cells_are_counted_and_a_complete_column_gives_no_warning(db, profile, write_csv):
    code = add_enterprise(db)
    header = [*BASE, "程序类型", "决定类型"]
    body = [*rows(code, 2, "", "给予处罚"), *rows(code, 1, "简易程序", "给予处罚", start=3),
            *rows(code, 1, "未注明", "给予处罚", start=4)]
    result = ImportService(db, profile).import_file("penalties", write_csv("p.csv", [header, *body]), user="t")

    assert result.accepted == 4
    assert result.warnings == (
        ("程序类型", "共 3 行未注明程序类型，已记为“未注明”；请数据提供单位补全"),
    )
    assert stored(db) == {
        "苏环行罚〔2025〕1号": ("未注明", "给予处罚"), "苏环行罚〔2025〕2号": ("未注明", "给予处罚"),
        "苏环行罚〔2025〕3号": ("简易程序", "给予处罚"), "苏环行罚〔2025〕4号": ("未注明", "给予处罚"),
    }


def test_thousands_are_written_with_separators(db, profile, write_csv):
    code = add_enterprise(db)
    result = ImportService(db, profile).import_file(
        "penalties", write_csv("big.csv", [[*BASE, "决定类型"], *rows(code, 1234, "给予处罚")]), user="t")
    assert result.warnings == (
        ("程序类型", "文件没有“程序类型”列：共 1,234 行未注明程序类型，已记为“未注明”；请数据提供单位补全"),
    )


def test_rejected_rows_are_not_counted_as_unstated(db, profile, write_csv):
    code = add_enterprise(db)
    body = [*rows(code, 2), *rows(code, 1, start=3, organ="南京市市场监督管理局")]
    result = ImportService(db, profile).import_file("penalties", write_csv("p.csv", [BASE, *body]), user="t")
    assert (result.accepted, result.rejected_rows) == (2, 1)
    assert [(r.row, r.column, r.reason) for r in result.rejected] == [
        (4, "处罚机关", "处罚机关“南京市市场监督管理局”不是苏州市的行政机关，本报告不采集")]
    assert [w[1] for w in result.warnings][0].startswith("文件没有“程序类型”列：共 2 行")
    assert len(stored(db)) == 2


def test_existing_rows_keep_their_values_on_a_reimport_without_the_columns(db, profile, write_csv):
    code = add_enterprise(db)
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("a.csv", [[*BASE, "程序类型", "决定类型"],
                                                         *rows(code, 2, "普通程序", "给予处罚")]), user="t")
    again = service.import_file("penalties", write_csv("b.csv", [BASE, *rows(code, 2)]), user="t")
    assert again.updated == 2
    assert set(stored(db).values()) == {("普通程序", "给予处罚")}


def test_the_report_counts_unstated_penalties_under_the_profile_rule(db, profile, write_csv):
    code = add_enterprise(db)
    header = [*BASE, "程序类型"]
    body = [*rows(code, 1, "普通程序"), *rows(code, 1, "", start=2), *rows(code, 1, "简易程序", start=3)]
    ImportService(db, profile).import_file("penalties", write_csv("p.csv", [header, *body]), user="t")

    counted = ReportAssembler(db, profile).assemble(code, report_date=REPORT_DAY)
    assert profile.unstated_procedure == "count"
    assert sorted(v.decision_no for v in counted.violations) == ["苏环行罚〔2025〕1号", "苏环行罚〔2025〕2号"]

    strict = dataclasses.replace(profile, unstated_procedure="exclude")
    left_out = ReportAssembler(db, strict).assemble(code, report_date=REPORT_DAY)
    assert [v.decision_no for v in left_out.violations] == ["苏环行罚〔2025〕1号"]


@pytest.mark.parametrize("procedure, decision, rule, expected", [
    ("普通程序", "给予处罚", {}, True),
    ("简易程序", "给予处罚", {}, False),
    ("普通程序", "不予处罚", {}, False),
    ("未注明", "给予处罚", {}, True),
    ("未注明", "未注明", {}, True),
    ("未注明", "给予处罚", {"unstated_procedure": "exclude"}, False),
    ("普通程序", "未注明", {"unstated_decision": "exclude"}, False),
    ("普通程序", "未注明", {"unstated_procedure": "exclude"}, True),
])
def test_the_violation_rule_table(profile, procedure, decision, rule, expected):
    chosen = dataclasses.replace(profile, **rule)
    assert counts(chosen, {4}, domain=4, status="有效", procedure=procedure, decision_kind=decision) is expected
    assert not counts(chosen, {4}, domain=4, status="已撤销", procedure=procedure, decision_kind=decision)


def test_the_mark_names_the_unstated_columns(profile):
    assert unstated_columns("未注明", "未注明") == ("程序类型", "决定类型")
    assert unstated_columns("普通程序", "给予处罚") == ()
    assert unstated_mark(("程序类型",)) == "（程序类型未注明）"
    assert unstated_mark(()) == ""


def test_the_issued_report_marks_the_unstated_record(db, profile, write_csv):
    """End to end: an imported row without 程序类型 is on the report, and its PDF row says so."""
    from tests.integration.test_pdf import flat, page_texts, render

    code = add_enterprise(db)
    header = [*BASE, "程序类型", "决定类型"]
    body = [*rows(code, 1, "普通程序", "给予处罚"), *rows(code, 1, "", "给予处罚", start=2)]
    ImportService(db, profile).import_file("penalties", write_csv("p.csv", [header, *body]), user="t")

    content = ReportAssembler(db, profile).assemble(code, report_date=REPORT_DAY)
    marks = {v.decision_no: v.unstated for v in content.violations}
    assert marks == {"苏环行罚〔2025〕1号": (), "苏环行罚〔2025〕2号": ("程序类型",)}
    text = flat("".join(page_texts(render(content))))
    assert text.count("（程序类型未注明）") == 1
