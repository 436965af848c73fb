"""What a loan officer reads on the page: consistent records, how current the data is, the kind of
市场主体, the counter, full penalty rows, unbroken decision numbers, scope and the end mark."""
from __future__ import annotations

import random
import re
import socket
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import update

from core import uscc
from core.db.models import Enterprise, ImportBatch
from core.policy import load_profile
from core.services.records.lookup import LookupService
from core.services.reports.assemble import ReportAssembler
from core.services.reports.render import render_pdf
from core.services.reports.render.fonts import SONG
from core.services.reports.render.styles import CELL_SIZE
from core.services.reports.render.wrap import lines, shortened
from tests.factories import add_arrear, add_enterprise, add_penalty, add_repair
from tests.integration.test_pdf import flat, make_issue, page_texts

TODAY = date(2026, 11, 27)
LONG_NO = "苏园综执罚决字〔2025〕第000123456号行政处罚决定书"  # plain CJK wrapping splits it at 〔
FACTS = ("经查，当事人在未取得环境影响评价审批文件的情况下，擅自开工建设年产五万件精密机械零部件生产线项目，"
         "并于2024年3月起投入生产，至检查之日仍在生产，违反了《中华人民共和国环境影响评价法》第二十五条的规定。")
BASIS = "《中华人民共和国环境影响评价法》第三十一条第一款"


def assemble(db, profile, code, **kw):
    return ReportAssembler(db, profile).assemble(code, report_date=TODAY, **kw)


def pdf_text(content, profile, issue=None) -> list[str]:
    return page_texts(render_pdf(content, issue or make_issue(), profile))


def set_kind(db, code: str, kind: str) -> None:
    with db.session() as s:
        s.execute(update(Enterprise).where(Enterprise.uscc == code).values(kind=kind))


def add_batch(db, unit: str, at: datetime, kind: str = "penalties") -> None:
    with db.session() as s:
        s.add(ImportBatch(kind=kind, file_name=f"{unit}.xlsx", checksum="0" * 64, unit=unit,
                          imported_by="导入员", imported_at=at))


def test_repairs_printed_are_those_of_the_violations_on_the_report(db, profile):
    code = add_enterprise(db)
    listed = add_penalty(db, code, date(2024, 3, 1))
    add_repair(db, code, listed, date(2023, 6, 1), document_no="苏发改信修〔2023〕7号")  # dated before the period
    before = add_penalty(db, code, date(2022, 6, 1))  # outside the period
    add_repair(db, code, before, date(2025, 6, 5), document_no="苏发改信修〔2025〕8号")
    simple = add_penalty(db, code, date(2025, 2, 1), procedure="简易程序")  # not a violation
    add_repair(db, code, simple, date(2025, 7, 1), document_no="苏发改信修〔2025〕9号")
    add_repair(db, code, "苏环行罚〔2025〕不存在号", date(2025, 8, 1), document_no="苏发改信修〔2025〕10号")

    content = assemble(db, profile, code)
    (v,) = content.violations
    assert (v.decision_no, v.repaired, v.repair_date) == (listed, True, date(2023, 6, 1))
    assert [(r.decision_no, r.document_no) for r in content.repairs] == [(listed, "苏发改信修〔2023〕7号")]
    text = flat("".join(pdf_text(content, profile)))
    assert "已信用修复（2023-06-01）" in text and "苏发改信修〔2023〕7号" in text
    for absent in ("苏发改信修〔2025〕8号", "苏发改信修〔2025〕9号", "苏发改信修〔2025〕10号", before, simple):
        assert flat(absent) not in text, absent


def test_old_arrears_are_marked_and_current_ones_are_not(db, profile):
    code = add_enterprise(db)
    add_arrear(db, code, period="2026-06", as_of=date(2026, 8, 31))  # 88 days old: beyond 45
    add_arrear(db, code, period="2026-09", as_of=date(2026, 10, 31))  # 27 days: current
    content = assemble(db, profile, code)
    assert [a.as_of for a in content.arrears] == [date(2026, 8, 31), date(2026, 10, 31)]
    text = flat("".join(pdf_text(content, profile)))
    assert "2026-08-31（数据逾期未更新）" in text
    assert "2026-10-31（数据逾期未更新）" not in text and "2026-10-31" in text
    assert "数据截至日期早于出具日45天以上的" in text  # the note says what the mark means
    assert profile.arrears_fresh_days == 45 and load_profile("national-2025").arrears_fresh_days == 45


def test_each_domain_states_when_its_data_last_arrived(db, profile):
    code = add_enterprise(db)
    add_batch(db, "苏州市生态环境局", datetime(2026, 10, 1, 9))
    add_batch(db, "苏州市吴江区生态环境局", datetime(2026, 11, 20, 16, 30))  # a county unit of domain 4
    add_batch(db, "苏州市生态环境局", datetime(2026, 11, 30, 9))  # after the report date
    add_batch(db, "苏州市市场监督管理局", datetime(2026, 11, 2, 9))
    add_batch(db, "苏州市人力资源和社会保障局", datetime(2026, 11, 25, 9), kind="arrears")
    content = assemble(db, profile, code, domains=[1, 4, 15])
    dates = {d.code: d.data_as_of for d in content.domains}
    assert dates == {1: None, 4: date(2026, 11, 20), 15: date(2026, 11, 2)}
    text = flat(pdf_text(content, profile)[0])
    assert "数据更新至" in text
    assert "2026-11-20" in text and "2026-11-02" in text


@pytest.mark.parametrize("kind_code, kind, rep_label", [("92", "个体工商户", "经营者"),
                                                         ("93", "农民专业合作社", "法定代表人")])
def test_individual_businesses_and_cooperatives_are_served(db, profile, kind_code, kind, rep_label):
    code = uscc.generate(random.Random(11), division="320506", kind=kind_code)
    add_enterprise(db, "苏州市吴中区木渎恒达五金加工部", code=code, legal_rep="王建国",
                   founded_on=date(2012, 5, 8))
    set_kind(db, code, kind)
    assert LookupService(db).get(code).kind == kind
    assert [h.uscc for h in LookupService(db).search(code)] == [code]
    add_penalty(db, code, date(2025, 3, 1))
    content = assemble(db, profile, code)
    text = flat("".join(pdf_text(content, profile)))
    assert "一、市场主体基本信息" in text
    assert f"{rep_label}王建国" in text and f"市场主体类型{kind}" in text
    if kind == "个体工商户":
        assert "法定代表人" not in text and "经营场所" in text
        assert "该个体工商户在所选20个领域" in text
    assert "该企业在所选" not in text


def test_enterprise_block_has_status_and_founding_date(db, profile):
    code = add_enterprise(db, founded_on=date(2012, 5, 8), reg_authority="苏州市吴中区市场监督管理局")
    text = flat(pdf_text(assemble(db, profile, code), profile)[0])
    assert "一、企业基本信息" in text and "法定代表人张伟" in text
    assert "登记状态存续" in text and "成立日期2012年5月8日" in text
    assert "登记机关苏州市吴中区市场监督管理局" in text


def test_counter_name_is_printed_never_the_host_name(db, profile, tmp_path, monkeypatch):
    """出具窗口 is the name given at first run (kept in the data directory) or CREDITDESK_COUNTER;
    a counter that was never named prints no 出具窗口 — the machine's host name never stands in."""
    from core.config import UNNAMED_COUNTER, Settings
    from core.db.installation import write_marker

    content = assemble(db, profile, add_enterprise(db))
    home = tmp_path / "home"
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.delenv("CREDITDESK_COUNTER", raising=False)

    unnamed = Settings.from_env(db_url=db.url).counter
    assert unnamed == UNNAMED_COUNTER and unnamed != socket.gethostname()
    page = flat(pdf_text(content, profile, replace(make_issue(), counter=unnamed))[0])
    assert "出具窗口" not in page and socket.gethostname() not in page

    write_marker(home, db.url, "吴中区政务服务中心 3 号窗口")  # what the first run records
    named = Settings.from_env(db_url=db.url).counter
    assert named == "吴中区政务服务中心 3 号窗口"
    assert "出具窗口：吴中区政务服务中心3号窗口" in flat(pdf_text(content, profile, replace(make_issue(), counter=named))[0])
    write_marker(home, db.url, "吴中区政务服务中心 5 号窗口")  # renamed later (the marker is there already)
    assert Settings.from_env(db_url=db.url).counter == "吴中区政务服务中心 5 号窗口"

    monkeypatch.setenv("CREDITDESK_COUNTER", "相城区行政审批局 1 号窗口")  # a deployment's own setting wins
    assert Settings.from_env(db_url=db.url).counter == "相城区行政审批局 1 号窗口"


def test_penalty_rows_show_type_facts_and_basis(db, profile):
    code = add_enterprise(db)
    add_penalty(db, code, date(2025, 3, 1), violation_type="未批先建", facts=FACTS, basis=BASIS)
    add_penalty(db, code, date(2025, 4, 1))  # none of the three given
    content = assemble(db, profile, code)
    assert (content.violations[0].violation_type, content.violations[0].basis) == ("未批先建", BASIS)
    text = flat("".join(pdf_text(content, profile)))
    assert "违法行为类型：未批先建" in text and f"处罚依据：{BASIS}" in text
    short = shortened(FACTS, 80)
    assert short.endswith("……") and len(short) <= 82
    assert f"违法事实：{flat(short)}" in text
    assert "第二十五条的规定" not in text  # the end of the facts is cut
    assert "违法行为类型：未提供；违法事实：未提供；处罚依据：未提供" in text


def test_long_decision_number_never_breaks_inside_its_brackets(db, profile):
    code = add_enterprise(db)
    add_penalty(db, code, date(2025, 3, 1), decision_no=LONG_NO, organ="苏州工业园区综合行政执法局",
                domain=7, source_unit="苏州工业园区综合行政执法局")
    add_repair(db, code, LONG_NO, date(2026, 3, 1))
    content = assemble(db, profile, code)
    text_lines = [line for page in pdf_text(content, profile) for line in page.splitlines()]
    holding = [line for line in text_lines if "〔2025〕" in line]
    assert len(holding) >= 2  # the violation row and the repair row
    for line in text_lines:
        assert line.count("〔") == line.count("〕"), line
    assert any("第000123456号" in line for line in text_lines)  # the serial stays whole too


@pytest.mark.parametrize("width_mm", [16, 20, 24, 27, 30, 45])  # the narrowest: 30 (违法记录), 45 (修复)
def test_decision_number_lines_in_narrow_cells(width_mm):
    from reportlab.lib.units import mm

    from core.services.reports.render.wrap import text_width

    width = width_mm * mm - 6
    broken = lines(LONG_NO, SONG, CELL_SIZE, width)
    assert "".join(broken) == LONG_NO
    assert all(text_width(line, SONG, CELL_SIZE) <= width for line in broken)
    assert sum("〔2025〕" in line for line in broken) == 1
    if width_mm >= 24:  # wide enough for 第000123456号 itself
        assert any("第000123456号" in line for line in broken)
    assert all(not line.startswith("号") for line in broken)


def test_domains_not_checked_are_listed(db, profile):
    code = add_enterprise(db)
    text = flat(pdf_text(assemble(db, profile, code, domains=[4, 7, 15]), profile)[0])
    assert "核查领域生态环境、城市管理、市场监管（共3个领域）" in text
    match = re.search(r"未核查领域(.*?)（共17个领域，本报告不反映这些领域的情况）", text)
    assert match and match.group(1).startswith("司法行政、人力资源社会保障")
    assert "生态环境" not in match.group(1)
    every = flat(pdf_text(assemble(db, profile, code), profile)[0])
    assert "未核查领域无（已核查全部领域）" in every


def test_last_page_ends_with_the_end_mark(db, profile):
    code = add_enterprise(db)
    for day in range(1, 29):
        add_penalty(db, code, date(2025, 2, day), facts=FACTS, basis=BASIS, violation_type="未批先建")
    pages = pdf_text(assemble(db, profile, code), profile)
    assert len(pages) >= 3
    assert "以下空白" in pages[-1] and not any("以下空白" in p for p in pages[:-1])
    last = flat(pages[-1])
    assert last.index("（以下空白）") > last.rindex("（盖章）")  # below the seal, nothing after
