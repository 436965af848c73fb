"""Imports keep what they are not told to change; penalty identity; every bad value is a row rejection.

Each test runs on the embedded SQLite file and on PostgreSQL (the ``db`` fixture).
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.db.models import Arrear, CreditRepair, Enterprise, EnterpriseName, Penalty
from core.services.records.ingest.importer import ImportService
from core.services.records.ingest.readers import UnreadableFile
from core.services.records.lookup import LookupService
from tests.factories import add_enterprise, new_uscc

PENALTY_HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别",
                  "处罚决定日期", "处罚机关", "数据来源单位", "领域", "罚款金额（万元）", "违法事实"]
ENV = "苏州市生态环境局"


def penalty(code, no="苏环行罚〔2025〕1号", organ=ENV, **over):
    row = {"行政相对人名称": "苏州恒达精密机械有限公司", "统一社会信用代码": code,
           "行政处罚决定书文号": no, "处罚类别": "罚款", "处罚决定日期": "2025/3/1",
           "处罚机关": organ, "数据来源单位": ENV, "领域": "", "罚款金额（万元）": "0.5",
           "违法事实": "超标排放"}
    row.update(over)
    return [row[h] for h in PENALTY_HEADER]


def count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def enterprise(db, code) -> Enterprise:
    with db.session() as s:
        return s.scalars(select(Enterprise).where(Enterprise.uscc == code)).one()


# --- 1. keep what the file does not state -------------------------------------------------


def test_partial_reimport_keeps_fields_and_adds_former_names(db, profile, write_csv):
    code = add_enterprise(db, former=("苏州恒达机械厂",), address="苏州市工业园区星湖街328号")
    service = ImportService(db, profile)
    result = service.import_file("enterprises", write_csv("e.csv", [
        ["统一社会信用代码", "企业名称"], [code, "苏州恒达精密机械有限公司"]]), user="t")
    assert (result.accepted, result.updated, result.rejected) == (1, 1, ())
    ent = enterprise(db, code)
    assert (ent.legal_rep, ent.address, ent.reg_status) == ("张伟", "苏州市工业园区星湖街328号", "存续")
    assert ent.former_names == "苏州恒达机械厂"

    # Empty cells keep too; a new former name is added, never replacing the old one; a rename
    # keeps the old name as a former name.
    service.import_file("enterprises", write_csv("e2.csv", [
        ["统一社会信用代码", "企业名称", "法定代表人", "住所", "曾用名"],
        [code, "苏州恒达智能装备有限公司", "", "", "苏州恒达五金厂"]]), user="t")
    ent = enterprise(db, code)
    assert (ent.name, ent.legal_rep, ent.address) == ("苏州恒达智能装备有限公司", "张伟", "苏州市工业园区星湖街328号")
    assert ent.former_names.split("；") == ["苏州恒达机械厂", "苏州恒达精密机械有限公司", "苏州恒达五金厂"]
    with db.session() as s:
        names = dict(s.execute(select(EnterpriseName.name, EnterpriseName.is_current)).all())
    assert names == {"苏州恒达智能装备有限公司": True, "苏州恒达精密机械有限公司": False,
                     "苏州恒达机械厂": False, "苏州恒达五金厂": False}
    hits = LookupService(db).search("苏州恒达机械厂")
    assert [h.uscc for h in hits] == [code]


def test_clear_marker_clears_optional_fields_only(db, profile, write_csv):
    code = add_enterprise(db, former=("苏州恒达机械厂",), address="苏州市工业园区星湖街328号")
    result = ImportService(db, profile).import_file("enterprises", write_csv("e.csv", [
        ["统一社会信用代码", "企业名称", "住所", "曾用名"],
        [code, "苏州恒达精密机械有限公司", "<清空>", ""],
        [new_uscc(), "<清空>", "", ""],
        [new_uscc(), "昆山鑫瑞电子科技有限公司", "", "<清空>"],
    ]), user="t")
    assert result.accepted == 1
    assert [(r.row, r.column) for r in result.rejected] == [(3, "企业名称"), (4, "曾用名")]
    ent = enterprise(db, code)
    assert (ent.address, ent.legal_rep, ent.former_names) == (None, "张伟", "苏州恒达机械厂")


def test_penalty_reimport_without_optional_columns_keeps_them(db, profile, write_csv):
    code = add_enterprise(db)
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("p.csv", [PENALTY_HEADER, penalty(code)]), user="t")
    short = PENALTY_HEADER[:8]
    result = service.import_file("penalties", write_csv("p2.csv", [short, penalty(code)[:8]]), user="t")
    assert result.updated == 1
    with db.session() as s:
        p = s.scalars(select(Penalty)).one()
    assert (str(p.fine_amount), p.facts) == ("0.500000", "超标排放")


# --- 2. penalty identity ---------------------------------------------------------------------


def test_same_number_from_two_organs_is_two_penalties(db, profile, write_csv):
    code = add_enterprise(db)
    result = ImportService(db, profile).import_file("penalties", write_csv("p.csv", [
        PENALTY_HEADER, penalty(code), penalty(code, organ="苏州市市场监督管理局"),
        penalty(code)]), user="t")
    assert result.accepted == 2
    assert [(r.row, r.column, r.reason) for r in result.rejected] == [(4, "行政处罚决定书文号", "与第2行重复")]
    assert count(db, Penalty) == 2


def test_decision_of_another_enterprise_is_rejected_naming_both_codes(db, profile, write_csv):
    a, b = add_enterprise(db), add_enterprise(db, name="昆山鑫瑞电子科技有限公司")
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("a.csv", [PENALTY_HEADER, penalty(a)]), user="t")
    result = service.import_file("penalties", write_csv("b.csv", [
        PENALTY_HEADER, penalty(b), penalty(b, no="苏环行罚〔2025〕2号")]), user="t")
    assert result.accepted == 1
    (rej,) = result.rejected
    assert rej.row == 2 and rej.column == "行政处罚决定书文号"
    assert rej.reason == (f"该决定书文号已属于统一社会信用代码 {a} 的企业，不能改记到 {b}；更正请走异议流程")
    with db.session() as s:
        assert s.scalar(select(Penalty.uscc).where(Penalty.decision_no == "苏环行罚〔2025〕1号")) == a


def test_repairs_need_the_organ_when_a_number_is_shared(db, profile, write_csv):
    code = add_enterprise(db)
    service = ImportService(db, profile)
    service.import_file("penalties", write_csv("p.csv", [
        PENALTY_HEADER, penalty(code), penalty(code, organ="苏州市市场监督管理局")]), user="t")
    header = ["统一社会信用代码", "行政处罚决定书文号", "修复日期", "修复机关", "修复文书号"]
    row = [code, "苏环行罚〔2025〕1号", "2025-09-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕1号"]
    result = service.import_file("repairs", write_csv("r.csv", [header, row]), user="t")
    assert result.accepted == 0
    assert "多个处罚机关" in result.rejected[0].reason
    result = service.import_file("repairs", write_csv("r2.csv", [
        [*header, "处罚机关"], [*row, ENV],
        [code, "苏环行罚〔2025〕1号", "2025-02-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕2号", ENV],
    ]), user="t")
    assert result.accepted == 1
    assert [(r.row, r.column) for r in result.rejected] == [(3, "修复日期")]
    assert "早于处罚决定日期 2025-03-01" in result.rejected[0].reason
    assert count(db, CreditRepair) == 1


# --- 3. every bad value is a row rejection ---------------------------------------------------

FUTURE = (date.today() + timedelta(days=30)).isoformat()

BAD_PENALTIES = [
    ("long name", {"行政相对人名称": "名" * 201}, "行政相对人名称", "超过 200 个字符的长度上限"),
    ("long organ", {"处罚机关": "局" * 121}, "处罚机关", "超过 120 个字符的长度上限"),
    ("huge fine", {"罚款金额（万元）": "1e30"}, "罚款金额（万元）", "金额超出范围"),
    ("fine over column", {"罚款金额（万元）": "20000000000"}, "罚款金额（万元）", "金额超出范围"),
    ("bidi", {"行政相对人名称": "苏州\u202e公司"}, "行政相对人名称", "U+202E"),
    ("zero width", {"处罚机关": "苏州\u200b局"}, "处罚机关", "U+200B"),
    ("control", {"违法事实": "超标\x1b[31m排放"}, "违法事实", "U+001B"),
    ("bom inside", {"行政处罚决定书文号": "苏环\ufeff1号"}, "行政处罚决定书文号", "U+FEFF"),
    ("future decision", {"处罚决定日期": FUTURE}, "处罚决定日期", "晚于今天"),
]


@pytest.mark.parametrize("label,over,column,reason", BAD_PENALTIES, ids=[b[0] for b in BAD_PENALTIES])
def test_bad_penalty_values_reject_the_row_only(db, profile, write_csv, label, over, column, reason):
    code = add_enterprise(db)
    path = write_csv("p.csv", [PENALTY_HEADER, penalty(code, no="甲1号"),
                               penalty(code, no="甲2号", **over), penalty(code, no="甲3号")])
    result = ImportService(db, profile).import_file("penalties", path, user="t")
    assert result.accepted == 2
    assert [(r.row, r.column) for r in result.rejected] == [(3, column)]
    assert reason in result.rejected[0].reason
    assert count(db, Penalty) == 2


BAD_ENTERPRISES = [
    ("long name", ["名" * 201, "", ""], "企业名称", "超过 200 个字符的长度上限"),
    ("long former name", ["昆山鑫瑞电子科技有限公司", "", "曾" * 201], "曾用名", "超过 200 个字符"),
    ("future founding", ["昆山鑫瑞电子科技有限公司", FUTURE, ""], "成立日期", "成立日期晚于今天"),
    ("bidi name", ["昆山\u2066鑫瑞", "", ""], "企业名称", "U+2066"),
]


@pytest.mark.parametrize("label,cells,column,reason", BAD_ENTERPRISES, ids=[b[0] for b in BAD_ENTERPRISES])
def test_bad_enterprise_values_reject_the_row_only(db, profile, write_csv, label, cells, column, reason):
    path = write_csv("e.csv", [["统一社会信用代码", "企业名称", "成立日期", "曾用名"],
                               [new_uscc(), "苏州恒达精密机械有限公司", "2010-01-01", ""],
                               [new_uscc(), *cells]])
    result = ImportService(db, profile).import_file("enterprises", path, user="t")
    assert result.accepted == 1
    assert [(r.row, r.column) for r in result.rejected] == [(3, column)]
    assert reason in result.rejected[0].reason
    assert count(db, Enterprise) == 1


ARREAR_HEADER = ["统一社会信用代码", "欠缴类别", "所属期", "欠缴金额（元）", "数据来源单位", "状态", "统计日期"]
BAD_ARREARS = [
    ("huge amount", {"欠缴金额（元）": "1e30"}, "欠缴金额（元）", "金额超出范围"),
    ("amount over column", {"欠缴金额（元）": "100000000000000"}, "欠缴金额（元）", "金额超出范围"),
    ("period before 1990", {"所属期": "1989-12"}, "所属期", "早于 1990-01"),
    ("period in the future", {"所属期": f"{date.today().year + 1}-01"}, "所属期", "晚于当前月份"),
    ("long unit", {"数据来源单位": "局" * 121}, "数据来源单位", "超过 120 个字符的长度上限"),
]


@pytest.mark.parametrize("label,over,column,reason", BAD_ARREARS, ids=[b[0] for b in BAD_ARREARS])
def test_bad_arrear_values_reject_the_row_only(db, profile, write_csv, label, over, column, reason):
    code = add_enterprise(db)

    def row(period, **o):
        r = dict(zip(ARREAR_HEADER, [code, "社会保险", period, "1200.50", "苏州市人力资源和社会保障局",
                                     "欠缴", "2025-06-30"]))
        r.update(o)
        return list(r.values())

    path = write_csv("a.csv", [ARREAR_HEADER, row("2025-01"), row("2025-02", **over)])
    result = ImportService(db, profile).import_file("arrears", path, user="t")
    assert result.accepted == 1
    assert [(r.row, r.column) for r in result.rejected] == [(3, column)]
    assert reason in result.rejected[0].reason
    assert count(db, Arrear) == 1


def test_unknown_columns_come_back_as_warnings(db, profile, write_csv):
    path = write_csv("e.csv", [["统一社会信用代码", "企业名称", "注册资本", "企业名称"],
                               [new_uscc(), "苏州恒达精密机械有限公司", "100万", "别名"]])
    result = ImportService(db, profile).import_file("enterprises", path, user="t")
    assert result.accepted == 1
    data = result.to_json()
    assert data["warnings"][0] == {"column": "注册资本", "reason": "未识别的列「注册资本」已忽略"}
    assert [w["column"] for w in data["warnings"]] == ["注册资本", "企业名称"]


BIG5_NAMES = "統一社會信用代碼,企業名稱\n{c},台灣積體電路製造股份有限公司\n{c},鴻海精密工業股份有限公司\n"


@pytest.mark.parametrize("label,data,reason", [
    ("nul", b"\xe7\xbb\x9f\x00abc,def\n", "文件含有 NUL 字节，可能是 UTF-16 或二进制文件"),
    ("utf-16 no bom", "统一社会信用代码,企业名称\n91350100M000100Y43,abc\n".encode("utf-16-le"),
     "没有 BOM 的 UTF-16"),
    ("big5", BIG5_NAMES.format(c="91350100M000100Y43").encode("big5"),
     "文件疑似 Big5 编码，请另存为 UTF-8 或 GB18030"),
])
def test_unclear_encodings_are_refused(db, profile, tmp_path, label, data, reason):
    path = tmp_path / "e.csv"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as info:
        ImportService(db, profile).import_file("enterprises", path, user="t")
    assert reason in str(info.value)
    assert count(db, Enterprise) == 0


def test_gb18030_company_names_are_not_taken_for_big5(db, profile, write_csv):
    rows = [["统一社会信用代码", "企业名称"], [new_uscc(), "张家港市堃珺贸易有限公司"],
            [new_uscc(), "昆山鑫瑞电子科技有限公司"]]
    result = ImportService(db, profile).import_file("enterprises", write_csv("e.csv", rows, "gb18030"), user="t")
    assert result.accepted == 2
