"""The national profile's record kinds (发改财金〔2025〕565号): 行政处罚 including 简易程序, 行政强制,
严重失信主体名单 and 刑事裁判 — imported from files of their own, assembled for the period and printed
as sections of their own; the Suzhou report carries none of the new ones. Both databases."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from core.db.models import CriminalJudgment, DishonestListing, Enforcement, Penalty
from core.policy import load_profile
from core.services.records.ingest.importer import ImportService
from core.services.reports.assemble import ReportAssembler
from core.services.reports.render import render_pdf
from tests.factories import add_enterprise, add_repair
from tests.integration.test_pdf import flat, make_issue, page_texts

TODAY = date(2026, 11, 27)
NATIONAL_BASIS = ("《国家发展改革委 公安部 国家数据局关于全面推行以专项信用报告替代有无违法违规记录证明的通知》"
                  "（发改财金〔2025〕565号）")


@dataclass(frozen=True)
class Kind:
    """One record kind: its import file (header, a good row, bad rows with the reason expected),
    its model, and what the national PDF shows for the good row."""

    kind: str
    model: type
    header: list[str]
    good: list[str]  # "{code}" is replaced by the enterprise's USCC
    bad: list[tuple[list[str], str]]
    section: str | None  # the section title (None: 行政处罚, printed under 违法记录明细)
    shown: tuple[str, ...]  # text of the record on the page


PENALTY_HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
                  "处罚机关", "数据来源单位", "领域", "程序类型"]

KINDS = [
    Kind(
        "penalties", Penalty, PENALTY_HEADER,
        # A 简易程序 penalty by an organ outside Suzhou: the national profile takes both.
        ["恒达公司", "{code}", "宁市监简罚〔2025〕8号", "警告", "2025-05-06", "南京市市场监督管理局",
         "南京市市场监督管理局", "15", "简易程序"],
        [(["恒达公司", "{code}", "宁市监简罚〔2025〕9号", "拘役", "2025-05-06", "南京市市场监督管理局",
           "南京市市场监督管理局", "15", "简易程序"], "不是行政处罚法第九条规定的种类")],
        None, ("宁市监简罚〔2025〕8号", "南京市市场监督管理局")),
    Kind(
        "enforcement", Enforcement,
        ["行政相对人名称", "统一社会信用代码", "决定书文号", "行政强制类别", "行政强制内容", "决定日期",
         "实施机关", "数据来源单位"],
        ["恒达公司", "{code}", "苏环强〔2025〕3号", "查封场所、设施或者财物", "查封喷涂车间设备",
         "2025-04-01", "苏州市生态环境局", "苏州市生态环境局"],
        [(["恒达公司", "{code}", "苏环强〔2025〕4号", "扣押财物", "", "2099-01-01", "苏州市生态环境局",
           "苏州市生态环境局"], "决定日期晚于今天"),
         (["恒达公司", "{code}", "", "扣押财物", "", "2025-04-01", "苏州市生态环境局",
           "苏州市生态环境局"], "必填项为空")],
        "行政强制信息", ("苏环强〔2025〕3号", "查封喷涂车间设备")),
    Kind(
        "dishonest_lists", DishonestListing,
        ["主体名称", "统一社会信用代码", "名单名称", "认定部门", "列入日期", "列入原因", "移出日期",
         "数据来源单位"],
        ["恒达公司", "{code}", "重大税收违法失信主体", "国家税务总局苏州市税务局", "2024-02-01",
         "虚开增值税专用发票", "2025-08-01", "国家税务总局苏州市税务局"],
        [(["恒达公司", "{code}", "重大税收违法失信主体", "国家税务总局苏州市税务局", "2024-03-01", "",
           "2024-02-01", "国家税务总局苏州市税务局"], "移出日期 2024-02-01 早于列入日期"),
         (["恒达公司", "91320506MA1XXXXXX", "失信名单", "某部门", "2024-03-01", "", "",
           "某部门"], "")],
        "严重失信主体名单信息", ("重大税收违法失信主体", "已移出（2025-08-01）")),
    Kind(
        "criminal", CriminalJudgment,
        ["被告单位名称", "统一社会信用代码", "案号", "审判法院", "裁判日期", "罪名", "判决结果", "数据来源单位"],
        ["恒达公司", "{code}", "（2025）苏0506刑初123号", "苏州市吴中区人民法院", "2025-09-10",
         "污染环境罪", "判处罚金人民币二十万元", "苏州市吴中区人民法院"],
        [(["恒达公司", "{code}", "（2025）苏0506刑初124号", "苏州市吴中区人民法院", "2025/13/40",
           "污染环境罪", "", "苏州市吴中区人民法院"], "")],
        "刑事裁判信息", ("（2025）苏0506刑初123号", "污染环境罪")),
]
IDS = [k.kind for k in KINDS]


def _row(row: list[str], code: str) -> list[str]:
    return [cell.replace("{code}", code) for cell in row]


def import_kind(db, profile, write_csv, k: Kind, code: str):
    rows = [k.header, _row(k.good, code), *(_row(bad, code) for bad, _ in k.bad)]
    return ImportService(db, profile).import_file(k.kind, write_csv(f"{k.kind}.csv", rows), user="导入员")


def text_of(content, profile) -> str:
    return flat("".join(page_texts(render_pdf(content, make_issue(), profile))))


@pytest.fixture
def national():
    return load_profile("national-2025")


@pytest.mark.parametrize("k", KINDS, ids=IDS)
def test_each_kind_imports_good_rows_and_rejects_bad_ones_with_reasons(db, national, write_csv, k):
    code = add_enterprise(db)
    result = import_kind(db, national, write_csv, k, code)
    assert (result.accepted, result.rejected_rows) == (1, len(k.bad))
    for (_, reason), rejection in zip(k.bad, sorted(result.rejected, key=lambda r: r.row)):
        assert rejection.row >= 3 and reason in rejection.reason, rejection
    again = import_kind(db, national, write_csv, k, code)  # the same file again: updated in place
    assert (again.accepted, again.updated) == (1, 1)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(k.model)) == 1


@pytest.mark.parametrize("k", [k for k in KINDS if k.kind in ("enforcement", "criminal")], ids=lambda k: k.kind)
def test_a_decision_of_another_enterprise_is_refused(db, national, write_csv, k):
    first, second = add_enterprise(db), add_enterprise(db, name="苏州另一家有限公司")
    import_kind(db, national, write_csv, k, first)
    moved = ImportService(db, national).import_file(
        k.kind, write_csv("moved.csv", [k.header, _row(k.good, second)]), user="导入员")
    assert moved.accepted == 0 and "更正请走异议流程" in moved.rejected[0].reason


@pytest.fixture
def all_four(db, national, write_csv):
    """An enterprise with one record of each kind, imported from files."""
    code = add_enterprise(db)
    for k in KINDS:
        assert import_kind(db, national, write_csv, k, code).accepted == 1
    return code


@pytest.mark.parametrize("k", KINDS, ids=IDS)
def test_the_national_report_has_each_kind_in_its_section(db, national, all_four, k):
    content = ReportAssembler(db, national).assemble(all_four, report_date=TODAY)
    found = {"penalties": content.violations, "enforcement": content.enforcements,
             "dishonest_lists": content.listings, "criminal": content.criminal}[k.kind]
    assert len(found) == 1 and content.unsourced == ()
    text = text_of(content, national)
    if k.section:
        assert flat(k.section) in text
    for shown in k.shown:
        assert flat(shown) in text, shown
    start, end = text.index(flat(k.section or "违法记录明细")), text.index("其他核查信息")
    assert all(flat(s) in text[start:end] for s in k.shown)  # in its own section


def test_the_conclusion_counts_every_kind(db, national, all_four):
    content = ReportAssembler(db, national).assemble(all_four, report_date=TODAY)
    text = text_of(content, national)
    for words in ("有违法记录1条", "有行政强制信息1条", "有严重失信主体名单信息1条（查询期间内曾列入，其中1条已移出）",
                  "有刑事裁判信息1条"):
        assert words in text, words


@pytest.mark.parametrize("k", KINDS[1:], ids=IDS[1:])
def test_the_suzhou_report_has_none_of_the_new_sections(db, profile, all_four, k):
    content = ReportAssembler(db, profile).assemble(all_four, report_date=TODAY)
    assert (content.enforcements, content.listings, content.criminal, content.unsourced) == ((),) * 4
    text = text_of(content, profile)
    assert flat(k.section) not in text
    assert all(flat(s) not in text for s in k.shown)


@pytest.mark.parametrize("profile_id, title, subtitle, basis, absent", [
    ("suzhou-2024", "专用信用报告", "（代替企业无违法证明）",
     "《苏州市专用信用报告代替企业无违法证明（试行）》（苏府规字〔2024〕1号）", "专项信用报告"),
    ("national-2025", "专项信用报告", "", NATIONAL_BASIS, "代替企业无违法证明"),
])
def test_title_subtitle_and_basis_follow_the_profile(db, profile_id, title, subtitle, basis, absent):
    chosen = load_profile(profile_id)
    code = add_enterprise(db)
    content = ReportAssembler(db, chosen).assemble(code, report_date=TODAY)
    pages = [flat(t) for t in page_texts(render_pdf(content, make_issue(), chosen))]
    first = pages[0]
    assert first.startswith(flat(title + subtitle)) or flat(title + subtitle) in first[:80]
    assert all(flat(title + subtitle) in page for page in pages)  # the running header
    assert flat(absent) not in "".join(pages)
    assert f"出具依据{flat(basis)}" in "".join(pages)
    assert "".join(pages).count("〔2025〕565号") == (0 if profile_id == "suzhou-2024" else 2)  # row + note 1
    assert "".join(pages).count(flat(basis)) == 2


def test_a_recorded_extension_is_still_cited_after_the_basis(db, profile):
    extended = profile.extended("苏府规字〔2026〕2号", date(2027, 2, 28))
    code = add_enterprise(db)
    content = ReportAssembler(db, extended).assemble(code, report_date=TODAY)
    text = text_of(content, extended)
    assert flat("出具依据《苏州市专用信用报告代替企业无违法证明（试行）》（苏府规字〔2024〕1号，"
                "经苏府规字〔2026〕2号延长至 2027-02-28）") in text


@pytest.mark.parametrize("profile_id, label, other", [
    ("suzhou-2024", "已信用修复", None), ("national-2025", "已修复", "已信用修复（"),
])
def test_a_repaired_penalty_is_marked_as_the_profile_says(db, write_csv, profile_id, label, other):
    chosen = load_profile(profile_id)
    code = add_enterprise(db)
    rows = [PENALTY_HEADER, ["恒达公司", code, "苏环行罚〔2025〕77号", "罚款", "2025-03-01", "苏州市生态环境局",
                             "苏州市生态环境局", "4", "普通程序"]]
    ImportService(db, chosen).import_file("penalties", write_csv("p.csv", rows), user="导入员")
    add_repair(db, code, "苏环行罚〔2025〕77号", date(2025, 10, 8))
    content = ReportAssembler(db, chosen).assemble(code, report_date=TODAY)
    text = text_of(content, chosen)
    assert f"{label}（2025-10-08）" in text and f"其中1条{label}" in text
    if other:
        assert other not in text


def test_criminal_judgments_with_no_data_ever_imported_say_no_source(db, national, write_csv):
    code = add_enterprise(db)
    content = ReportAssembler(db, national).assemble(code, report_date=TODAY)
    assert content.unsourced == ("criminal",)
    text = text_of(content, national)
    assert "刑事裁判信息暂无数据来源" in text  # the conclusion
    section = text[text.index("七、刑事裁判信息"):text.index("其他核查信息")]
    assert section.startswith("七、刑事裁判信息暂无数据来源")
    assert "无刑事裁判信息" not in text
    assert "无行政强制信息" in text  # a kind without "where the data exists" says 无

    # Once a court's file has come in, the same enterprise's report says 无, not 暂无数据来源.
    other = add_enterprise(db, name="苏州另一家有限公司")
    import_kind(db, national, write_csv, KINDS[3], other)
    content = ReportAssembler(db, national).assemble(code, report_date=TODAY)
    assert content.unsourced == ()
    text = text_of(content, national)
    assert "无刑事裁判信息" in text and "暂无数据来源" not in text


def test_a_listing_counts_while_in_force_during_the_period(db, national):
    code = add_enterprise(db)
    with db.session() as s:
        for listed, removed in ((date(2020, 1, 1), date(2023, 6, 1)),  # removed before the period
                                (date(2020, 1, 1), date(2024, 1, 1)),  # in force at its start
                                (date(2026, 1, 1), None),  # in force now
                                (date(2026, 1, 2), date(2026, 12, 1))):  # removal after the report date
            s.add(DishonestListing(uscc=code, party_name="恒达公司", list_name=f"名单{listed}{removed}",
                                   authority="某部门", listed_on=listed, removed_on=removed,
                                   source_unit="某部门"))
    content = ReportAssembler(db, national).assemble(code, report_date=TODAY)  # 近3年: from 2023-11-28
    assert [(x.listed_on, x.removed_on) for x in content.listings] == [
        (date(2020, 1, 1), date(2024, 1, 1)), (date(2026, 1, 1), None), (date(2026, 1, 2), None)]
