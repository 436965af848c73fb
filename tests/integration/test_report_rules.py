"""Every rule that decides what a report shows, on both databases."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import InvalidRequest, NotFound
from core.policy import load_profile
from core.services.reports.assemble import ReportAssembler
from tests.factories import add_arrear, add_enterprise, add_penalty, add_repair

TODAY = date(2026, 11, 27)


def assemble(db, profile, code, **kw):
    return ReportAssembler(db, profile).assemble(code, report_date=TODAY, **kw)


@pytest.mark.parametrize(
    "fields, listed",
    [
        ({}, True),
        ({"procedure": "简易程序"}, False),
        ({"decision_kind": "不予处罚"}, False),
        ({"status": "已撤销"}, False),
        ({"domain": 15, "organ": "苏州市市场监督管理局"}, True),
    ],
    ids=["ordinary", "simplified-excluded", "no-penalty-excluded", "revoked-excluded", "other-domain"],
)
def test_which_penalties_are_violations(db, profile, fields, listed):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2025, 6, 1), **fields)
    content = assemble(db, profile, code)
    assert [v.decision_no for v in content.violations] == ([no] if listed else [])


def test_national_profile_counts_simplified_procedure(db):
    national = load_profile("national-2025")
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2025, 6, 1), procedure="简易程序")
    assert [v.decision_no for v in assemble(db, national, code).violations] == [no]


@pytest.mark.parametrize(
    "decided, listed",
    [
        (date(2023, 11, 27), False),  # same month and day three years earlier: not counted
        (date(2023, 11, 28), True),  # first day of 近3年
        (date(2026, 11, 27), True),  # the report date itself
    ],
)
def test_default_period_both_ends_inclusive(db, profile, decided, listed):
    code = add_enterprise(db)
    add_penalty(db, code, decided)
    content = assemble(db, profile, code)
    assert (content.period_from, content.period_to) == (date(2023, 11, 28), TODAY)
    assert len(content.violations) == (1 if listed else 0)


def test_period_from_29_february_starts_on_1_march(db, profile):
    code = add_enterprise(db)
    content = ReportAssembler(db, profile).assemble(code, report_date=date(2024, 2, 29))
    assert content.period_from == date(2021, 3, 1)


def test_custom_period_bounds(db, profile):
    code = add_enterprise(db)
    add_penalty(db, code, date(2024, 12, 31))
    inside = add_penalty(db, code, date(2025, 1, 1))
    later = add_penalty(db, code, date(2026, 7, 1))
    content = assemble(db, profile, code, date_from=date(2025, 1, 1))
    assert [v.decision_no for v in content.violations] == [inside, later]


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"date_from": date(2020, 12, 31)}, "早于数据归集起始日"),
        ({"date_from": date(2023, 11, 27)}, "超过政策允许的 3 年"),
        ({"date_from": date(2026, 11, 28)}, "晚于出具日"),
        ({"date_from": date(2021, 1, 1), "date_to": date(2023, 12, 31)}, "必须截至出具日"),
        ({"date_to": date(2026, 12, 1)}, "晚于出具日"),
        ({"domains": []}, "请至少选择一个领域"),
        ({"domains": [21]}, "不在政策范围内"),
    ],
)
def test_refused_requests(db, profile, kw, message):
    code = add_enterprise(db)
    with pytest.raises(InvalidRequest, match=message):
        assemble(db, profile, code, **kw)


def test_exactly_three_years_is_allowed(db, profile):
    code = add_enterprise(db)
    content = assemble(db, profile, code, date_from=date(2023, 11, 28), date_to=TODAY)
    assert (content.period_from, content.period_to) == (date(2023, 11, 28), TODAY)


def test_national_profile_allows_five_years(db):
    code = add_enterprise(db)
    content = assemble(db, load_profile("national-2025"), code, date_from=date(2021, 11, 28))
    assert content.period_from == date(2021, 11, 28)


def test_domain_choice_and_conclusions(db, profile):
    code = add_enterprise(db)
    add_penalty(db, code, date(2025, 3, 1), domain=4)
    add_penalty(db, code, date(2025, 4, 1), domain=4)
    add_penalty(db, code, date(2025, 5, 1), domain=20, organ="苏州市消防救援支队")
    content = assemble(db, profile, code, domains=[1, 4, 15])
    assert content.domain_codes == (1, 4, 15)
    conclusions = {d.code: d.conclusion for d in content.domains}
    assert conclusions == {1: "无违法记录", 4: "2 条违法记录", 15: "无违法记录"}
    assert {v.domain for v in content.violations} == {4}
    assert [d.name for d in content.domains] == ["司法行政", "生态环境", "市场监管"]


def test_all_domains_by_default(db, profile):
    code = add_enterprise(db)
    content = assemble(db, profile, code)
    assert content.domain_codes == tuple(range(1, 21))
    assert content.is_clean


def test_arrears_only_outstanding_on_report_date(db, profile):
    code = add_enterprise(db)
    add_arrear(db, code, kind="社会保险", period="2026-08", amount=Decimal("1234.50"))
    add_arrear(db, code, kind="住房公积金", period="2026-07", status="已补缴")
    add_arrear(db, code, kind="医疗保险", period="2026-09", as_of=date(2026, 12, 1))  # after the report date
    content = assemble(db, profile, code)
    assert [(a.kind, a.period, a.amount) for a in content.arrears] == [("社会保险", "2026-08", Decimal("1234.50"))]
    assert not content.is_clean


def test_repaired_penalty_stays_listed_and_marked(db, profile):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2024, 3, 1))
    add_repair(db, code, no, date(2025, 9, 1))
    content = assemble(db, profile, code)
    (v,) = content.violations
    assert (v.decision_no, v.repaired, v.repair_date) == (no, True, date(2025, 9, 1))
    assert [(r.decision_no, r.repair_date) for r in content.repairs] == [(no, date(2025, 9, 1))]
    assert content.to_json()["violations"][0]["repaired"] is True


def test_repairs_listed_only_within_period_and_chosen_domains(db, profile):
    code = add_enterprise(db)
    old = add_penalty(db, code, date(2022, 1, 5))
    add_repair(db, code, old, date(2023, 1, 5))  # before the period
    fire = add_penalty(db, code, date(2025, 1, 5), domain=20)
    add_repair(db, code, fire, date(2025, 6, 5))  # domain 20 not chosen
    content = assemble(db, profile, code, domains=[4])
    assert content.repairs == ()
    assert content.violations == ()


def test_repair_after_report_date_is_not_yet_a_repair(db, profile):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2025, 3, 1))
    add_repair(db, code, no, date(2026, 11, 28))
    (v,) = assemble(db, profile, code).violations
    assert not v.repaired


def test_other_enterprises_records_never_leak(db, profile):
    mine, other = add_enterprise(db), add_enterprise(db, name="苏州另一家有限公司")
    add_penalty(db, other, date(2025, 3, 1))
    add_arrear(db, other)
    assert assemble(db, profile, mine).is_clean


def test_unknown_enterprise_and_bad_code(db, profile):
    from core.uscc import InvalidUscc

    with pytest.raises(NotFound, match="未找到统一社会信用代码"):
        assemble(db, profile, "91350100M000100Y43")
    with pytest.raises(InvalidUscc, match="第18位"):
        assemble(db, profile, "91350100M000100Y44")


def test_content_json_shape(db, profile):
    code = add_enterprise(db, name="苏州恒达精密机械有限公司")
    no = add_penalty(db, code, date(2025, 3, 1))
    data = assemble(db, profile, code, domains=[4, 1]).to_json()
    assert data["uscc"] == code and data["enterprise_name"] == "苏州恒达精密机械有限公司"
    assert data["period"] == {"from": "2023-11-28", "to": "2026-11-27"}
    assert data["domains"] == [1, 4]
    assert data["violations"] == [
        {"decision_no": no, "domain": 4, "decision_date": "2025-03-01", "repaired": False,
         "objection": None}  # issue 10: null, or {"id", "status", "accepted_on"}
    ]
    assert data["arrears"] == [] and data["repairs"] == []
