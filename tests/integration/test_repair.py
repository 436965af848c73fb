"""Credit repair (issue 10 part 4), on both databases: the earliest day by severity, the steps, a
granted application becoming a repair record the report shows."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.db.models import CreditRepair
from core.errors import InvalidRequest, PermissionDenied
from core.services.objections.repair import add_months
from core.services.people.roles import Role
from core.services.reports.assemble import ReportAssembler
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

TODAY = date(2026, 11, 27)


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return make_desk(db, profile, keys)


@pytest.mark.parametrize("start, months, end", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)), (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)), (date(2025, 5, 10), 36, date(2028, 5, 10)),
])
def test_months_are_calendar_months(start, months, end):
    assert add_months(start, months) == end


@pytest.mark.parametrize("severity, earliest, words", [
    ("一般", date(2026, 8, 10), "一般失信，最短公示 3 个月"),
    ("严重", date(2027, 5, 10), "严重失信，最短公示 12 个月"),
    ("未注明", date(2027, 5, 10), "失信程度未注明，按严重失信"),
])
def test_the_earliest_repair_day_follows_the_severity(db, desk, severity, earliest, words):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2026, 5, 10), severity=severity)
    rule = desk.desk.repair_eligibility(desk.as_(Role.CLERK), no)
    assert rule.earliest == earliest and words in rule.rule
    view = desk.desk.repair_apply(desk.as_(Role.CLERK), no, today=TODAY)
    assert view.earliest == earliest and view.status == "已申请"
    sup = desk.as_(Role.SUPERVISOR)
    desk.desk.repair_step(sup, view.id, "accept", "材料齐全", today=TODAY)
    desk.desk.repair_step(sup, view.id, "consult", "已发函", today=TODAY)
    if earliest > TODAY:
        with pytest.raises(InvalidRequest, match=f"最早可于 {earliest} 准予"):
            desk.desk.repair_step(sup, view.id, "grant", "已整改", today=TODAY)
        assert desk.desk.repair_step(sup, view.id, "grant", "已整改", today=earliest).status == "准予"
    else:
        assert desk.desk.repair_step(sup, view.id, "grant", "已整改", today=TODAY).status == "准予"


def test_a_granted_repair_becomes_a_record_the_report_marks(db, desk, profile):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2025, 3, 5), severity="一般")
    clerk, sup = desk.as_(Role.CLERK), desk.as_(Role.SUPERVISOR)
    view = desk.desk.repair_apply(clerk, no, on=date(2026, 11, 20), today=TODAY)
    with pytest.raises(PermissionDenied, match="需要主管角色"):
        desk.desk.repair_step(clerk, view.id, "accept", "材料齐全", today=TODAY)
    with pytest.raises(InvalidRequest, match="当前为“已申请”，不能改为“准予”；当前只能改为：已受理、不予"):
        desk.desk.repair_step(sup, view.id, "grant", "已整改", today=TODAY)
    with pytest.raises(InvalidRequest, match="已有办理中的信用修复申请"):
        desk.desk.repair_apply(clerk, no, today=TODAY)
    for action in ("accept", "consult"):
        desk.desk.repair_step(sup, view.id, action, "按规定办理", on=date(2026, 11, 24), today=TODAY)
    granted = desk.desk.repair_step(sup, view.id, "grant", "已按期缴纳罚款并完成整改", on=date(2026, 11, 26), today=TODAY)
    assert granted.repair_id is not None and granted.decided_on == date(2026, 11, 26)
    with db.session() as s:
        record = s.get(CreditRepair, granted.repair_id)
        assert (record.uscc, record.decision_no, record.repair_date) == (code, no, date(2026, 11, 26))
        assert record.document_no == f"信用修复申请第{view.id}号" and "信用报告窗口" in record.source_unit
    content = ReportAssembler(db, profile).assemble(code, report_date=TODAY)
    assert [(r.decision_no, r.repair_date) for r in content.repairs] == [(no, date(2026, 11, 26))]
    assert desk.desk.repair_step(sup, view.id, "sync", "已推送信用江苏", today=TODAY).status == "已同步"
    with pytest.raises(InvalidRequest, match="已有信用修复记录"):
        desk.desk.repair_apply(clerk, no, today=TODAY)
    with pytest.raises(InvalidRequest, match="已办结（已同步）"):
        desk.desk.repair_step(sup, view.id, "refuse", "x", today=TODAY)
    with db.session() as s:
        assert len(s.scalars(select(CreditRepair)).all()) == 1


def test_a_refused_application_leaves_no_record(db, desk):
    code = add_enterprise(db)
    no = add_penalty(db, code, date(2025, 3, 5), severity="严重")
    sup = desk.as_(Role.SUPERVISOR)
    view = desk.desk.repair_apply(desk.as_(Role.CLERK), no, today=TODAY)
    refused = desk.desk.repair_step(sup, view.id, "refuse", "未完成整改", today=TODAY)
    assert refused.status == "不予" and refused.reason == "未完成整改" and refused.days_left is None
    with db.session() as s:
        assert s.scalar(select(CreditRepair.id)) is None
    assert desk.desk.repair_apply(desk.as_(Role.CLERK), no, today=TODAY).status == "已申请"  # may apply again


def test_the_severity_comes_from_the_import_file(db, desk, profile, write_csv):
    from core.services.records.ingest.importer import ImportService

    code = add_enterprise(db)
    header = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期", "处罚机关",
              "数据来源单位", "领域", "程序类型", "决定类型", "失信程度"]
    rows = [["恒达", code, f"苏环行罚〔2026〕{n}号", "罚款", "2026-05-10", "苏州市生态环境局", "苏州市生态环境局",
             "4", "普通程序", "给予处罚", severity] for n, severity in ((501, "一般"), (502, "严重"), (503, ""), (504, "很严重"))]
    result = ImportService(db, profile).import_file("penalties", write_csv("p.csv", [header, *rows]), user="admin")
    assert result.accepted == 3
    assert [(r.row, r.column) for r in result.rejected] == [(5, "失信程度")]
    clerk = desk.as_(Role.CLERK)
    earliest = [desk.desk.repair_eligibility(clerk, f"苏环行罚〔2026〕{n}号").earliest for n in (501, 502, 503)]
    assert earliest == [date(2026, 8, 10), date(2027, 5, 10), date(2027, 5, 10)]


def test_the_profile_says_whether_a_repaired_penalty_still_counts(db, profile):
    from dataclasses import replace

    from tests.factories import add_repair

    code = add_enterprise(db)
    repaired = add_penalty(db, code, date(2025, 3, 5))
    standing = add_penalty(db, code, date(2025, 6, 5))
    add_repair(db, code, repaired, date(2026, 4, 1))
    suzhou = ReportAssembler(db, profile).assemble(code, report_date=TODAY)  # repaired_still_counts = true
    assert [(v.decision_no, v.repaired) for v in suzhou.violations] == [(repaired, True), (standing, False)]
    other = ReportAssembler(db, replace(profile, repaired_still_counts=False)).assemble(code, report_date=TODAY)
    assert [v.decision_no for v in other.violations] == [standing]
    assert sum(d.violations for d in other.domains) == 1
    assert [r.decision_no for r in other.repairs] == [repaired]  # the repair itself still shows
