"""出具记录 filtered in the database (days of issue, search text), exported as XLSX, and the
look-up by report number of 核验 — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.db.models_audit import AuditEventRow
from core.db.models_reports import Verification
from core.errors import InvalidRequest, PermissionDenied
from core.services.people.roles import Role
from core.services.reports.history_export import HEADERS
from core.services.reports.report_lookup import LookupState
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise

C, V, S, A = Role.CLERK, Role.VERIFIER, Role.SUPERVISOR, Role.ADMIN
HENGDA, XINGHAI, MINGYUAN = "苏州恒达精密机械有限公司", "苏州工业园区星海电子科技有限公司", "昆山市玉山镇明远餐饮店"


@pytest.fixture
def env(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    env = make_desk(db, profile, keys)
    env.codes = {name: add_enterprise(db, name) for name in (HENGDA, XINGHAI, MINGYUAN)}
    env.reports = {
        "hengda-oct": env.issue(env.codes[HENGDA], now=datetime(2026, 10, 5, 9, 30)),
        "xinghai-nov": env.issue(env.codes[XINGHAI], now=datetime(2026, 11, 2, 14, 0)),
        "mingyuan-nov": env.issue(env.codes[MINGYUAN], now=datetime(2026, 11, 20, 23, 59, 59)),
        "hengda-nov": env.issue(env.codes[HENGDA], now=datetime(2026, 11, 21, 0, 0), role=S),
    }
    return env


def numbers(env, *keys):
    return [env.reports[k].report_no for k in keys]


def listed(env, **filters):
    return [r.report_no for r in env.desk.history(env.as_(S), **filters)]


def test_days_of_issue_bound_the_list_both_included(env):
    assert listed(env) == numbers(env, "hengda-nov", "mingyuan-nov", "xinghai-nov", "hengda-oct")
    assert listed(env, date_from=date(2026, 11, 1)) == numbers(env, "hengda-nov", "mingyuan-nov", "xinghai-nov")
    # 23:59:59 on the 20th belongs to the 20th, midnight of the 21st to the 21st
    assert listed(env, date_from=date(2026, 11, 2), date_to=date(2026, 11, 20)) == numbers(
        env, "mingyuan-nov", "xinghai-nov")
    assert listed(env, date_to=date(2026, 10, 31)) == numbers(env, "hengda-oct")
    assert listed(env, date_from=date(2026, 11, 22)) == []
    with pytest.raises(InvalidRequest, match="不能晚于"):
        env.desk.history(env.as_(S), date_from=date(2026, 11, 2), date_to=date(2026, 11, 1))


def test_search_finds_number_code_name_and_issuer(env):
    oct_no = env.reports["hengda-oct"].report_no
    assert listed(env, search="恒达") == numbers(env, "hengda-nov", "hengda-oct")
    assert listed(env, search=" 星海 电子") == []  # the words as typed, not each one
    assert listed(env, search="星海电子") == numbers(env, "xinghai-nov")
    assert listed(env, search=oct_no) == [oct_no]
    assert listed(env, search=oct_no.lower().replace("-", "")) == [oct_no]  # sz202600000001
    assert listed(env, search=oct_no[-8:]) == [oct_no]  # the serial alone
    code = env.codes[MINGYUAN]
    assert listed(env, search=code.lower()) == numbers(env, "mingyuan-nov")
    assert listed(env, search=code[:10]) == numbers(env, "mingyuan-nov")
    assert listed(env, search="主管") == numbers(env, "hengda-nov")  # who issued it
    assert listed(env, search="%") == [] and listed(env, search="_") == []  # no wildcards
    assert listed(env, search="恒达", date_to=date(2026, 10, 31)) == numbers(env, "hengda-oct")


def test_only_the_supervisor_lists_and_exports(env, tmp_path):
    for role in (C, V, A):
        with pytest.raises(PermissionDenied):
            env.desk.history(env.as_(role), search="恒达")
        with pytest.raises(PermissionDenied):
            env.desk.export_history(env.as_(role), str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_export_writes_every_matching_report_and_is_recorded(env, db, tmp_path):
    path = tmp_path / "出具记录.xlsx"
    env.desk.revoke(env.as_(S), env.reports["hengda-oct"].report_no, "企业申请作废")
    n = env.desk.export_history(env.as_(S), str(path), date_from=date(2026, 10, 1), search="恒达",
                                now=datetime(2026, 11, 27, 16, 0))
    assert n == 2
    book = load_workbook(path)
    rows = list(book["出具记录"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    got = {r[0]: dict(zip(HEADERS, r)) for r in rows[1:]}
    assert list(got) == numbers(env, "hengda-nov", "hengda-oct")
    old = got[env.reports["hengda-oct"].report_no]
    assert old["企业名称"] == HENGDA and old["统一社会信用代码"] == env.codes[HENGDA]
    assert old["状态"] == "已撤销" and old["撤销原因"] == "企业申请作废"
    assert old["出具时间"] == datetime(2026, 10, 5, 9, 30) and old["出具人"] == "张三"
    assert got[env.reports["hengda-nov"].report_no]["状态"] == "有效"
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["搜索"] == "恒达" and about["出具日期"] == "2026-10-01 至 不限" and about["报告份数"] == 2
    with db.session() as s:
        event = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "save")
                          .order_by(AuditEventRow.seq.desc())).first()
    assert event.actor == "主管" and '"rows":2' in event.details.replace(" ", "")
    assert not list(tmp_path.glob("*.part"))


def test_export_into_a_missing_folder_fails_in_chinese_and_leaves_nothing(env, tmp_path):
    from core.errors import explain

    with pytest.raises(OSError) as failed:
        env.desk.export_history(env.as_(S), str(tmp_path / "nowhere" / "x.xlsx"))
    assert explain(failed.value).message and not (tmp_path / "nowhere").exists()


def test_look_up_by_number_summarises_and_is_recorded_as_a_look_up(env, db):
    report = env.reports["xinghai-nov"]
    typed = " " + report.report_no.lower().replace("-", " ") + " "
    found = env.desk.look_up_report(env.as_(V), typed, now=datetime(2026, 11, 27, 10, 0))
    assert found.state is LookupState.VALID and found.report_no == report.report_no
    assert found.enterprise_name == XINGHAI and found.uscc == env.codes[XINGHAI]
    assert found.issued_at.date() == date(2026, 11, 2) and found.valid_until == report.issue.valid_until
    assert not found.may_view_pdf  # a verifier: a typed number opens no PDF
    assert env.desk.look_up_report(env.as_(S), report.report_no).may_view_pdf
    assert env.desk.look_up_report(env.as_(C), report.report_no).may_view_pdf  # the clerk issued it
    assert not env.desk.look_up_report(env.as_(C), env.reports["hengda-nov"].report_no).may_view_pdf

    later = env.desk.look_up_report(env.as_(V), report.report_no, now=datetime(2027, 6, 1, 9, 0))
    assert later.state is LookupState.EXPIRED
    env.desk.revoke(env.as_(S), report.report_no, "内容有误")
    revoked = env.desk.look_up_report(env.as_(V), report.report_no)
    assert revoked.state is LookupState.REVOKED and revoked.revoke_reason == "内容有误"
    unknown = env.desk.look_up_report(env.as_(V), "SZ-2026-99999999")
    assert unknown.state is LookupState.UNKNOWN and not unknown.found and unknown.enterprise_name is None
    with pytest.raises(InvalidRequest, match="格式为 SZ-2026-00001234"):
        env.desk.look_up_report(env.as_(V), "苏州恒达")
    with pytest.raises(PermissionDenied):
        env.desk.look_up_report(env.as_(A), report.report_no)

    with db.session() as s:
        lookups = s.scalars(select(AuditEventRow).where(AuditEventRow.action == "lookup")
                            .order_by(AuditEventRow.seq)).all()
        verifications = s.scalar(select(func.count()).select_from(Verification))
    assert [(e.actor, e.subject) for e in lookups][-1] == ("核验员", "SZ-2026-99999999")
    assert len(lookups) == 7 and verifications == 0  # look-ups, never verifications
    assert env.desk.audit_verify(env.as_(A)).ok
