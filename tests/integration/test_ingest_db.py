"""Importing department files into both databases: upserts, rejections, batches, atomicity."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlalchemy import func, select

from core.db.models import CreditRepair, Enterprise, EnterpriseName, ImportBatch, Penalty
from core.services.reports.assemble import ReportAssembler
from core.services.records.ingest.importer import ImportService
from core.services.records.ingest.readers import UnreadableFile
from core.services.records.lookup import LookupService
from tests.factories import add_enterprise, new_uscc

PENALTY_HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别",
                  "处罚决定日期", "处罚机关", "数据来源单位", "领域", "程序类型"]


def penalty_rows(code: str, n: int, start: int = 1, unit: str = "苏州市生态环境局") -> list[list]:
    return [["苏州恒达精密机械有限公司", code, f"苏环行罚〔2025〕{i}号", "罚款", "2025/3/1", unit, unit, "", "普通程序"]
            for i in range(start, start + n)]


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_penalties_import_then_reimport_updates(db, profile, write_csv):
    code = add_enterprise(db)
    path = write_csv("p.csv", [PENALTY_HEADER, *penalty_rows(code, 3)])
    service = ImportService(db, profile)
    first = service.import_file("penalties", path, user="tester")
    assert (first.accepted, first.updated, first.rejected) == (3, 0, ())
    second = service.import_file("penalties", path, user="tester")
    assert (second.accepted, second.updated) == (3, 3)
    assert count(db, Penalty) == 3
    content = ReportAssembler(db, profile).assemble(code, report_date=date(2026, 11, 27))
    assert len(content.violations) == 3
    assert {v.domain for v in content.violations} == {4}  # from the unit, 领域 left blank


def test_same_decision_number_in_another_file_updates_it(db, profile, write_csv):
    code = add_enterprise(db)
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("a.csv", [PENALTY_HEADER, *penalty_rows(code, 1)]), user="t")
    revoked = [*PENALTY_HEADER, "状态"], [*penalty_rows(code, 1)[0], "已撤销"]
    result = service.import_file("penalties", write_csv("b.csv", list(revoked)), user="t")
    assert result.updated == 1
    with db.session() as s:
        assert s.scalars(select(Penalty.status)).all() == ["已撤销"]


def test_bad_rows_rejected_good_rows_kept(db, profile, write_csv):
    code = add_enterprise(db)
    good = penalty_rows(code, 2)
    bad_code = ["某公司", "91320506XXXXXXXX1", "苏环行罚〔2025〕900号", "罚款", "2025-03-01", "苏州市生态环境局", "苏州市生态环境局", "", ""]
    bad_date = ["某公司", code, "苏环行罚〔2025〕901号", "罚款", "2025-02-30", "苏州市生态环境局", "苏州市生态环境局", "", ""]
    no_domain = ["某公司", code, "某罚〔2025〕902号", "罚款", "2025-03-01", "昆山市人民政府", "昆山市人民政府", "", ""]
    path = write_csv("p.csv", [PENALTY_HEADER, good[0], bad_code, bad_date, good[1], no_domain])
    result = ImportService(db, profile).import_file("penalties", path, user="t")
    assert result.accepted == 2
    assert [(r.row, r.column) for r in result.rejected] == [
        (3, "统一社会信用代码"), (4, "处罚决定日期"), (6, "领域")
    ]
    assert "请填写领域" in result.rejected[2].reason
    assert count(db, Penalty) == 2
    with db.session() as s:
        batch = s.scalars(select(ImportBatch)).one()
    assert (batch.total_rows, batch.accepted, batch.rejected, batch.imported_by) == (5, 2, 3, "t")
    assert len(batch.checksum) == 64 and batch.file_name == "p.csv"


def test_unreadable_file_imports_nothing(db, profile, tmp_path, write_csv):
    garbage = tmp_path / "p.csv"
    garbage.write_bytes(bytes(range(256)) * 20)
    missing_column = write_csv("m.csv", [["统一社会信用代码", "处罚类别"], [new_uscc(), "罚款"]])
    service = ImportService(db, profile)
    for path, message in [(garbage, "无法读取文件"), (missing_column, "缺少必需的列"),
                          (tmp_path / "none.csv", "找不到文件")]:
        with pytest.raises(UnreadableFile, match=message):
            service.import_file("penalties", path, user="t")
    assert count(db, ImportBatch) == 0


def test_enterprises_import_with_former_names_is_searchable(db, profile, write_csv):
    code = new_uscc()
    header = ["统一社会信用代码", "企业名称", "法定代表人", "成立日期", "曾用名"]
    path = write_csv("e.csv", [header, [code, "苏州新锐光电科技有限公司", "李娜", "2015年6月1日",
                                        "苏州旧名电子有限公司；吴中光电厂"]], encoding="gb18030")
    service = ImportService(db, profile)
    assert service.import_file("enterprises", path, user="t").accepted == 1
    assert service.import_file("enterprises", path, user="t").updated == 1
    assert count(db, Enterprise) == 1 and count(db, EnterpriseName) == 3
    hits = LookupService(db).search("旧名电子")
    assert [(h.uscc, h.matched_name) for h in hits] == [(code, "苏州旧名电子有限公司")]
    assert [h.uscc for h in LookupService(db).search("xrgd")] == [code]


def test_repairs_must_point_at_a_known_penalty_of_the_same_enterprise(db, profile, write_csv):
    code, other = add_enterprise(db), new_uscc()
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("p.csv", [PENALTY_HEADER, *penalty_rows(code, 1)]), user="t")
    header = ["统一社会信用代码", "行政处罚决定书文号", "修复日期", "修复机关", "修复文书号"]
    path = write_csv("r.csv", [
        header,
        [code, "苏环行罚〔2025〕1号", "2025-09-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕1号"],
        [code, "不存在〔2025〕1号", "2025-09-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕2号"],
        [other, "苏环行罚〔2025〕1号", "2025-09-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕3号"],
    ])
    result = service.import_file("repairs", path, user="t")
    assert result.accepted == 1
    assert [(r.row, r.column) for r in result.rejected] == [(3, "行政处罚决定书文号"), (4, "统一社会信用代码")]
    with db.session() as s:
        assert s.scalars(select(CreditRepair.source_unit)).all() == ["苏州市发展和改革委员会"]


def test_crash_halfway_leaves_nothing(db, profile, write_csv, tmp_path):
    """A process that dies in the middle of storing a file leaves no row and no batch behind."""
    code = add_enterprise(db)
    path = write_csv("big.csv", [PENALTY_HEADER, *penalty_rows(code, 3000)])
    script = textwrap.dedent(f"""
        import os
        from core.db.engine import Database
        from core.policy import load_profile
        from core.services.records.ingest import importer, rows
        importer.CHUNK_ROWS = 1000
        parse = rows.RowParser.parse
        calls = []
        def dying_parse(self, chunk):
            calls.append(1)
            if len(calls) == 3:  # two chunks of the file are stored in the open transaction
                os._exit(9)
            return parse(self, chunk)
        rows.RowParser.parse = dying_parse
        db = Database({db.url!r})
        importer.ImportService(db, load_profile()).import_file("penalties", {str(path)!r}, user="t")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    assert count(db, Penalty) == 0
    assert count(db, ImportBatch) == 0
