"""Checking department rows: what gets in, and what a department is told to fix."""
from __future__ import annotations

import csv
import random
from datetime import date, datetime
from decimal import Decimal

import pytest

from core import uscc
from core.policy import load_profile
from core.services.records.ingest import values as V
from core.services.records.ingest.readers import Table, UnreadableFile, read_table
from core.services.records.ingest.rows import ParsedRow, Rejection, parse_table

TODAY = date(2024, 6, 1)
RNG = random.Random(20240301)
CO_A = uscc.generate(RNG)
CO_B = uscc.generate(RNG)
SHOP = uscc.generate(RNG, kind="92")
BAD_CHECK = CO_A[:17] + ("0" if CO_A[17] != "0" else "1")


@pytest.fixture(scope="module")
def profile():
    return load_profile("suzhou-2024")


class StubProfile:
    """Minimal profile: 市场监管局 → 15, 综合执法局 → 7 or 12, anything else → none."""

    arrears_kinds = ("社会保险", "医疗保险", "住房公积金")
    domain_codes = tuple(range(1, 21))

    def find_domain(self, text):
        return None

    def domains_for_unit(self, unit):
        return {"市场监管局": (15,), "综合执法局": (7, 12)}.get(unit, ())


PENALTY_HEADERS = (
    "行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "罚款金额（万元）",
    "处罚决定日期", "处罚机关", "数据来源单位", "领域",
)


def penalty(**changes):
    row = {
        "行政相对人名称": "苏州甲有限公司", "统一社会信用代码": CO_A,
        "行政处罚决定书文号": "苏市监罚〔2024〕1号", "处罚类别": "罚款",
        "罚款金额（万元）": "0.5", "处罚决定日期": "2024-03-01",
        "处罚机关": "苏州市市场监督管理局", "数据来源单位": "苏州市市场监督管理局", "领域": "",
    }
    row.update(changes)
    return tuple(row[h] for h in PENALTY_HEADERS)


def table(headers, *rows, start=2):
    return Table("t.csv", tuple(headers), tuple((start + i, r) for i, r in enumerate(rows)))


def run(kind, tbl, prof):
    return parse_table(kind, tbl, prof, today=TODAY)


# --- penalties -------------------------------------------------------------


def test_good_penalty_row_is_typed_and_gets_defaults(profile):
    parsed, rejected = run("penalties", table(PENALTY_HEADERS, penalty(
        统一社会信用代码=" " + CO_A.lower() + " ", 处罚类别="警告、罚款")), profile)

    assert rejected == []
    [row] = parsed
    assert row.row == 2
    v = row.values
    assert v["uscc"] == CO_A
    assert v["penalty_kind"] == "警告；罚款"
    assert v["fine_amount"] == Decimal("0.5")
    assert v["decision_date"] == date(2024, 3, 1)
    assert v["domain"] == 15  # 市场监管, from the source unit
    # No silent defaults (issue 9): without 程序类型 / 决定类型 the row says 未注明, never 普通程序.
    assert (v["procedure"], v["decision_kind"], v["status"]) == ("未注明", "未注明", "有效")
    # Columns the file does not have are left out: NULL for a new record, kept for an existing one.
    assert not {"remark", "valid_until", "confiscated_amount"} & set(v)


def test_penalty_headers_may_be_cf_codes_or_loosely_written(profile):
    headers = ("cf_xdr_mc", "CF_XDR_SHXYM", " CF_WSH ", "CF_CFLB", "罚款金额(万元)",
               "CF_JDRQ", "处罚机关 ", "cf_sjly", "领 域", "程序类型", "内部编号")
    row = ("乙公司", CO_B, "苏环罚〔2024〕7号", "罚款", "2000元", datetime(2024, 2, 1),
           "苏州市生态环境局", "苏州市生态环境局", "生态环境", "简易程序", "X-1")

    parsed, rejected = run("penalties", table(headers, row), profile)

    assert rejected == []
    v = parsed[0].values
    assert (v["party_name"], v["uscc"], v["decision_no"]) == ("乙公司", CO_B, "苏环罚〔2024〕7号")
    assert v["fine_amount"] == Decimal("0.2")
    assert v["decision_date"] == date(2024, 2, 1)
    assert v["domain"] == 4
    assert v["procedure"] == "简易程序"
    assert "内部编号" not in v and "X-1" not in v.values()


def test_domain_may_be_given_by_code(profile):
    parsed, _ = run("penalties", table(PENALTY_HEADERS, penalty(领域="14")), profile)
    assert parsed[0].values["domain"] == 14


@pytest.mark.parametrize(
    "changes, column, reason",
    [
        ({"行政相对人名称": "  "}, "行政相对人名称", "必填项为空"),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "必填项为空"),
        ({"统一社会信用代码": "91320500ABC"}, "统一社会信用代码", "统一社会信用代码应为18位，实际为11位"),
        ({"统一社会信用代码": BAD_CHECK}, "统一社会信用代码", "第18位校验码错误"),
        ({"处罚类别": "罚款；警示"}, "处罚类别", "处罚类别“警示”不是行政处罚法第九条规定的种类"),
        ({"罚款金额（万元）": "五千"}, "罚款金额（万元）", "金额格式无法识别：五千"),
        ({"罚款金额（万元）": "-1"}, "罚款金额（万元）", "金额不能为负数"),
        ({"处罚决定日期": "2024-3"}, "处罚决定日期", "日期格式无法识别：2024-3（应为 2024-03-01"),
        ({"处罚决定日期": "2023-02-30"}, "处罚决定日期", "日期不存在：2023-02-30"),
        ({"处罚决定日期": "2024-06-02"}, "处罚决定日期", "处罚决定日期晚于今天：2024-06-02"),
        ({"领域": "21"}, "领域", "领域“21”不存在（应为1–20或领域名称）"),
        ({"领域": "教育"}, "领域", "领域“教育”不存在"),
        ({"数据来源单位": "苏州市某某办公室"}, "领域",
         "未填写领域，且数据来源单位“苏州市某某办公室”无法对应到领域，请填写领域"),
    ],
)
def test_each_bad_penalty_cell_is_rejected_with_row_and_column(profile, changes, column, reason):
    good = penalty(行政处罚决定书文号="苏市监罚〔2024〕0号")
    parsed, rejected = run("penalties", table(PENALTY_HEADERS, good, penalty(**changes)), profile)

    assert [p.row for p in parsed] == [2]
    assert len(rejected) == 1
    assert (rejected[0].row, rejected[0].column) == (3, column)
    assert reason in rejected[0].reason


@pytest.mark.parametrize("header, value, allowed", [
    ("程序类型", "一般程序", "普通程序、简易程序、未注明"),
    ("决定类型", "不处罚", "给予处罚、不予处罚、未注明"),
    ("状态", "失效", "有效、已撤销"),
])
def test_bad_choice_lists_the_allowed_values(profile, header, value, allowed):
    tbl = table(PENALTY_HEADERS + (header,), penalty() + (value,))
    _, rejected = run("penalties", tbl, profile)
    assert rejected == [Rejection(2, header, f"“{value}”不是有效的值（应为 {allowed}）")]


def test_unit_with_several_domains_asks_for_the_domain():
    _, rejected = run("penalties", table(PENALTY_HEADERS, penalty(数据来源单位="综合执法局")),
                      StubProfile())
    assert rejected == [Rejection(
        2, "领域", "未填写领域，且数据来源单位“综合执法局”对应多个领域，请填写领域")]


def test_domain_column_may_be_absent_when_the_unit_decides_it():
    headers = PENALTY_HEADERS[:-1]
    parsed, rejected = run("penalties", table(headers, penalty(数据来源单位="市场监管局")[:-1]),
                           StubProfile())
    assert rejected == [] and parsed[0].values["domain"] == 15


def test_every_bad_cell_of_one_row_is_reported(profile):
    row = penalty(统一社会信用代码="", 处罚类别="警示", 处罚决定日期="明天")
    parsed, rejected = run("penalties", table(PENALTY_HEADERS, row), profile)

    assert parsed == []
    assert [(r.row, r.column) for r in rejected] == [
        (2, "统一社会信用代码"), (2, "处罚类别"), (2, "处罚决定日期")]


def test_repeated_decision_number_rejects_the_later_row(profile):
    rows = [penalty(), penalty(行政处罚决定书文号="苏市监罚〔2024〕2号"), penalty()]
    parsed, rejected = run("penalties", table(PENALTY_HEADERS, *rows), profile)

    assert [p.row for p in parsed] == [2, 3]
    assert rejected == [Rejection(4, "行政处罚决定书文号", "与第2行重复")]


def test_missing_required_columns_make_the_file_unimportable(profile):
    headers = [h for h in PENALTY_HEADERS if h not in ("统一社会信用代码", "处罚机关")]
    with pytest.raises(UnreadableFile) as caught:
        run("penalties", table(headers), profile)
    assert str(caught.value) == "缺少必需的列：统一社会信用代码、处罚机关"


# --- enterprises, arrears, repairs -----------------------------------------

ENTERPRISE_HEADERS = ("统一社会信用代码", "企业名称", "成立日期", "市场主体类型", "曾用名")


def test_enterprise_kind_defaults_from_the_code_and_former_names_split(profile):
    rows = [
        (CO_A, "甲公司", 43831, "", "老甲公司；  旧甲厂;;"),
        (SHOP, "张三小吃店", "2021年3月4日", None, None),
        (CO_B, "乙合作社", "20200102", "农民专业合作社", ""),
    ]
    parsed, rejected = run("enterprises", table(ENTERPRISE_HEADERS, *rows), profile)

    assert rejected == []
    a, shop, b = (p.values for p in parsed)
    assert a["kind"] == "企业" and a["founded_on"] == date(2020, 1, 1)
    assert a["former_names"] == ("老甲公司", "旧甲厂")
    assert shop["kind"] == "个体工商户" and shop["founded_on"] == date(2021, 3, 4)
    assert shop["former_names"] is None
    assert b["kind"] == "农民专业合作社" and b["founded_on"] == date(2020, 1, 2)
    assert "source_unit" not in a  # no such column: the importer fills in the --unit or the authority


def test_enterprise_problems(profile):
    rows = [(CO_A, "甲公司", None, None, None), (CO_A.lower(), "甲公司（重复）", None, None, None),
            (CO_B, "", None, "合伙企业", None)]
    _, rejected = run("enterprises", table(ENTERPRISE_HEADERS, *rows), profile)
    assert rejected == [
        Rejection(3, "统一社会信用代码", "与第2行重复"),
        Rejection(4, "企业名称", "必填项为空"),
        Rejection(4, "市场主体类型", "“合伙企业”不是有效的值（应为 企业、个体工商户、农民专业合作社）"),
    ]


ARREARS_HEADERS = ("统一社会信用代码", "欠缴类别", "所属期", "欠缴金额（元）", "数据来源单位",
                   "状态", "统计日期")


def arrears(**changes):
    row = dict(zip(ARREARS_HEADERS, (CO_A, "社会保险", "2024年3月", "1,234.5元", "苏州市人社局",
                                     "欠缴", datetime(2024, 4, 30))))
    row.update(changes)
    return tuple(row[h] for h in ARREARS_HEADERS)


def test_arrears_rows(profile):
    rows = [arrears(), arrears(所属期="202404", **{"欠缴金额（元）": 88}), arrears(所属期="2024/3"),
            arrears(欠缴类别="工伤保险", 所属期="2024-13", 状态="")]
    parsed, rejected = run("arrears", table(ARREARS_HEADERS, *rows), profile)

    assert [(p.values["period"], p.values["amount"]) for p in parsed] == [
        ("2024-03", Decimal("1234.50")), ("2024-04", Decimal("88.00"))]
    assert parsed[0].values["as_of"] == date(2024, 4, 30)
    assert rejected == [
        Rejection(4, None, "与第2行重复"),
        Rejection(5, "欠缴类别", "“工伤保险”不是有效的值（应为 社会保险、医疗保险、住房公积金）"),
        Rejection(5, "所属期", "所属期不存在：2024-13"),
        Rejection(5, "状态", "必填项为空"),
    ]


REPAIR_HEADERS = ("统一社会信用代码", "行政处罚决定书文号", "修复日期", "修复机关", "修复文书号")


def test_repairs_default_source_unit_and_reject_duplicates(profile):
    rows = [(CO_A, "苏市监罚〔2024〕1号", "2024.5.6", "苏州市发展和改革委员会", "苏发改修〔2024〕1号"),
            (CO_A, "苏市监罚〔2024〕1号", "2024.5.6", "苏州市发展和改革委员会", "苏发改修〔2024〕1号"),
            (CO_B, "苏市监罚〔2024〕9号", "2025-01-01", "苏州市发展和改革委员会", "")]
    parsed, rejected = run("repairs", table(REPAIR_HEADERS, *rows), profile)

    [ok] = parsed
    assert ok.values["repair_date"] == date(2024, 5, 6)
    assert ok.values["source_unit"] == "苏州市发展和改革委员会"
    assert rejected == [
        Rejection(3, None, "与第2行重复"),
        Rejection(4, "修复日期", "修复日期晚于今天：2025-01-01"),
        Rejection(4, "修复文书号", "必填项为空"),
    ]


def test_unknown_import_kind_is_refused(profile):
    with pytest.raises(ValueError, match="未知的导入类型"):
        parse_table("licences", table(("甲",)), profile)


# --- single values ---------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    (date(2024, 3, 1), date(2024, 3, 1)), (datetime(2024, 3, 1, 9, 30), date(2024, 3, 1)),
    ("2024-03-01", date(2024, 3, 1)), ("2024/3/1", date(2024, 3, 1)),
    ("2024年3月1日", date(2024, 3, 1)), ("20240301", date(2024, 3, 1)),
    ("2024.3.1", date(2024, 3, 1)), (" 2024-03-01 00:00:00 ", date(2024, 3, 1)),
    (45352, date(2024, 3, 1)), (45352.0, date(2024, 3, 1)),
])
def test_parse_date_accepts_what_departments_write(raw, expected):
    assert V.parse_date(raw) == expected


@pytest.mark.parametrize("raw, reason", [
    ("3/1/2024", "日期格式无法识别：3/1/2024（应为 2024-03-01、2024/3/1、2024年3月1日 或 20240301）"),
    (12, "日期格式无法识别：12（"), ("2023-02-30", "日期不存在：2023-02-30"),
    ("2024年13月1日", "日期不存在：2024-13-01"),
])
def test_parse_date_explains_failures(raw, reason):
    with pytest.raises(ValueError) as caught:
        V.parse_date(raw)
    assert str(caught.value).startswith(reason)


@pytest.mark.parametrize("raw", ["2024-03", "2024/3", "202403", "2024年3月", date(2024, 3, 9)])
def test_parse_period(raw):
    assert V.parse_period(raw) == "2024-03"


@pytest.mark.parametrize("raw, expected", [
    ("1,234.50", Decimal("1234.50")), ("1234.5元", Decimal("1234.50")), (12, Decimal("12.00")),
    (0.1, Decimal("0.10")), ("￥ 8.005", Decimal("8.01")),
])
def test_parse_amount(raw, expected):
    assert V.parse_amount(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("0.2", Decimal("0.2")), (3, Decimal("3")), ("2000元", Decimal("0.2")),
    ("0.2万元", Decimal("0.2")), ("罚款2,000元", Decimal("0.2")), ("1.5万", Decimal("1.5")),
])
def test_parse_fine_wan_reads_units(raw, expected):
    assert V.parse_fine_wan(raw) == expected


def test_parse_choice_default_and_failure():
    assert V.parse_choice("  ", ("有效", "已撤销"), "有效") == "有效"
    assert V.parse_choice(" 已撤销 ", ("有效", "已撤销"), "有效") == "已撤销"
    with pytest.raises(ValueError, match="应为 有效、已撤销"):
        V.parse_choice("作废", ("有效", "已撤销"), "有效")


# --- a big file ------------------------------------------------------------


def test_twenty_thousand_row_csv_parses(tmp_path, profile):
    path = tmp_path / "big.csv"
    codes = [uscc.generate(RNG) for _ in range(50)]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PENALTY_HEADERS)
        for i in range(20_000):
            writer.writerow(penalty(统一社会信用代码=codes[i % 50],
                                    行政处罚决定书文号=f"苏市监罚〔2024〕{i}号"))

    parsed, rejected = parse_table("penalties", read_table(path), profile, today=TODAY)

    assert rejected == []
    assert len(parsed) == 20_000
    assert parsed[-1] == ParsedRow(20_001, parsed[-1].values)
    assert parsed[-1].values["decision_no"] == "苏市监罚〔2024〕19999号"


# --- what a row states, clearing, limits and hidden characters -------------


def test_given_names_only_the_cells_the_file_states(profile):
    parsed, rejected = run("penalties", table(PENALTY_HEADERS, penalty(**{"罚款金额（万元）": "", "领域": "15"})), profile)
    assert rejected == []
    given = parsed[0].given
    assert "fine_amount" not in given and "procedure" not in given
    assert {"uscc", "decision_no", "organ", "domain"} <= given


def test_clear_marker_gives_none_for_optional_and_is_refused_for_required(profile):
    headers = ("统一社会信用代码", "企业名称", "住所", "市场主体类型")
    parsed, rejected = run("enterprises", table(headers, (CO_A, "苏州甲有限公司", "<清空>", ""),
                                                 (uscc.generate(RNG), "<清空>", "", "")), profile)
    assert parsed[0].values["address"] is None and "address" in parsed[0].given
    assert [(r.row, r.column) for r in rejected] == [(3, "企业名称")]


@pytest.mark.parametrize("text, code", [
    ("苏州\u202e甲", "U+202E"), ("苏州\u2067甲", "U+2067"), ("苏州\u200d甲", "U+200D"),
    ("苏州\x00甲", "U+0000"), ("苏州\x85甲", "U+0085"), ("苏州\n甲", "U+000A"),
])
def test_control_and_bidi_characters_reject_the_cell(profile, text, code):
    _, rejected = run("penalties", table(PENALTY_HEADERS, penalty(**{"处罚机关": text})), profile)
    assert [r.column for r in rejected] == ["处罚机关"]
    assert code in rejected[0].reason


def test_lengths_and_amounts_follow_the_schema(profile):
    _, rejected = run("penalties", table(PENALTY_HEADERS, penalty(**{"行政处罚决定书文号": "号" * 121}),
                                         penalty(**{"罚款金额（万元）": "1e30"})), profile)
    assert [(r.row, r.column) for r in rejected] == [(2, "行政处罚决定书文号"), (3, "罚款金额（万元）")]
    assert "超过 120 个字符的长度上限" in rejected[0].reason
    assert "金额超出范围" in rejected[1].reason


def test_a_column_checked_whole_still_refuses_each_bad_cell(profile):
    """After a chunk of all-new codes and numbers (checked column by column, not remembered),
    a later chunk's bad cells get the same per-cell reasons as on their own."""
    from core.services.records.ingest.rows import RowParser

    rng = random.Random(5)
    parser = RowParser("penalties", PENALTY_HEADERS, profile, today=TODAY)
    first = [(2 + i, penalty(**{"统一社会信用代码": uscc.generate(rng), "行政处罚决定书文号": f"苏罚〔2024〕{i}号"}))
             for i in range(200)]
    good, rejected = parser.parse(first)
    assert (len(good), rejected) == (200, [])
    assert all(memo is None for key, _, _, memo in parser.plan if key in ("uscc", "decision_no"))
    second = [(300 + i, penalty(**{"统一社会信用代码": uscc.generate(rng), "行政处罚决定书文号": f"苏罚〔2024〕{1000 + i}号"}))
              for i in range(50)]
    second[3] = (303, penalty(**{"统一社会信用代码": BAD_CHECK, "行政处罚决定书文号": "苏罚〔2024〕x号"}))
    second[7] = (307, penalty(**{"行政处罚决定书文号": "苏罚\u200b〔2024〕y号"}))
    second[9] = (309, penalty(**{"统一社会信用代码": CO_B.lower(), "行政处罚决定书文号": " 苏罚〔2024〕z号 "}))
    good, rejected = parser.parse(second)
    alone = run("penalties", table(PENALTY_HEADERS, second[3][1], second[7][1]), profile)[1]
    assert [(r.column, r.reason) for r in rejected] == [(r.column, r.reason) for r in alone]
    assert [r.row for r in rejected] == [303, 307]
    assert len(good) == 48
    rows = {r.row: r for r in good.rows()}
    assert rows[309].values["uscc"] == CO_B and rows[309].values["decision_no"] == "苏罚〔2024〕z号"
    assert rows[309].values["domain"] == run("penalties", table(PENALTY_HEADERS, second[9][1]), profile)[0][0].values["domain"]
