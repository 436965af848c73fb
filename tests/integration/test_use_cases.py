"""Every use case: only a log-in gives a session, each role may do what the table says, every
refusal and every change is an event of the audit chain — on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.db.models_audit import AuditEventRow
from core.errors import AuthError, InvalidRequest, PermissionDenied
from core.services.people import audit_chain
from core.services.people.audit_search import AuditQuery
from core.services.people.roles import Role
from core.services.people.sessions import UserSession
from core.services.people.setup import Account, create_first_people, first_run, needs_first_run
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from tests.desks import NAMES, PASSWORD, make_desk
from tests.factories import add_enterprise, add_penalty
from tests.import_files import mixed_penalties

NOW = datetime(2026, 11, 27, 10, 0)
C, V, S, A = Role.CLERK, Role.VERIFIER, Role.SUPERVISOR, Role.ADMIN


@pytest.fixture
def env(db, profile, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))  # rename_counter writes its marker there
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    env = make_desk(db, profile, keys, counter="三号窗口")
    env.code = add_enterprise(db, "苏州恒达精密机械有限公司")
    add_penalty(db, env.code, date(2025, 3, 1))
    env.report = env.issue(env.code, now=NOW)
    env.folder = tmp_path
    env.penalties = tmp_path / "生态环境局-处罚.csv"  # 3 good rows, 3 rejected
    env.penalties.write_text("\n".join(",".join(r) for r in mixed_penalties(env.code)) + "\n", encoding="utf-8")
    return env


def imported(e):
    """One import by the administrator (once per test): what export_rejections is asked about."""
    if not hasattr(e, "batch"):
        e.batch = e.desk.import_file(e.as_(A), "penalties", e.penalties)
    return e.batch


def newcomer(e) -> str:
    """A second clerk (once per test), whose role and account the administrator changes."""
    if not hasattr(e, "newcomer"):
        e.desk.add_user(e.as_(A), "newcomer", "newcomer-pass", Role.CLERK)
        e.desk.disable_user(e.as_(A), "newcomer")
        e.newcomer = "newcomer"
    return e.newcomer


def events(db, action=None):
    with db.session() as s:
        stmt = select(AuditEventRow).order_by(AuditEventRow.seq)
        if action:
            stmt = stmt.where(AuditEventRow.action == action)
        return [(e.actor, e.action, e.subject) for e in s.scalars(stmt)]


# use case → (the roles that may, a call) — the table of issue 7
CASES = {
    "search": ({C, S}, lambda e, s: e.desk.search(s, "恒达")),
    "overview": ({C, S}, lambda e, s: e.desk.overview(s, e.code, today=NOW.date())),
    "preview": ({C, S}, lambda e, s: e.desk.preview(s, ReportRequest(e.code), now=NOW)),
    "content": ({C, S}, lambda e, s: e.desk.content(s, ReportRequest(e.code), today=NOW.date())),
    "issue": ({C, S}, lambda e, s: e.desk.issue(s, ReportRequest(e.code), now=NOW)),
    "verify": ({C, V, S}, lambda e, s: e.desk.verify(s, e.report.issue.qr_digits, today=NOW.date())),
    "history": ({S}, lambda e, s: e.desk.history(s)),
    "show_report": ({S}, lambda e, s: e.desk.show_report(s, e.report.report_no)),
    "revoke": ({S}, lambda e, s: e.desk.revoke(s, e.report.report_no, "企业申请作废")),
    "users": ({A}, lambda e, s: e.desk.users(s)),
    "add_user": ({A}, lambda e, s: e.desk.add_user(s, "newbie", "newbie-pass", Role.CLERK)),
    "trust_list": ({A}, lambda e, s: e.desk.trust_list(s)),
    "audit_verify": ({A}, lambda e, s: e.desk.audit_verify(s)),
    "audit_events": ({A}, lambda e, s: e.desk.audit_events(s)),
    # issue 11: 出具记录 and 核验 look-ups, the counter's warnings, 统计, 数据导入, 人员, 审计日志, 设置
    "reports_today": ({C, S}, lambda e, s: e.desk.reports_today(s, e.code, today=NOW.date())),
    "look_up_report": ({C, V, S}, lambda e, s: e.desk.look_up_report(s, e.report.report_no, now=NOW)),
    "export_history": ({S}, lambda e, s: e.desk.export_history(s, str(e.folder / "出具记录.xlsx"))),
    "statistics": ({S}, lambda e, s: e.desk.statistics(s, NOW.date() - timedelta(days=29), NOW.date())),
    "import_preview": ({A}, lambda e, s: e.desk.import_preview(s, "penalties", e.penalties)),
    "import_row_count": ({A}, lambda e, s: e.desk.import_row_count(s, e.penalties)),
    "import_file": ({A}, lambda e, s: e.desk.import_file(s, "penalties", e.penalties)),
    "import_history": ({A}, lambda e, s: e.desk.import_history(s)),
    "export_rejections": ({A}, lambda e, s: e.desk.export_rejections(s, imported(e), e.folder / "拒收.xlsx",
                                                                       e.penalties)),
    "people": ({A}, lambda e, s: e.desk.people(s)),
    "change_role": ({A}, lambda e, s: e.desk.change_role(s, newcomer(e), Role.VERIFIER)),
    "enable_user": ({A}, lambda e, s: e.desk.enable_user(s, newcomer(e))),
    "audit_search": ({A}, lambda e, s: e.desk.audit_search(s, AuditQuery(actor=NAMES[C]))),
    "audit_actors": ({A}, lambda e, s: e.desk.audit_actors(s)),
    "deployment_settings": ({A}, lambda e, s: e.desk.deployment_settings(s)),
    "set_validity_days": ({A}, lambda e, s: e.desk.set_validity_days(s, 30)),
    "set_verify_host": ({A}, lambda e, s: e.desk.set_verify_host(s, "xybg.example.gov.cn")),
    "rename_counter": ({A}, lambda e, s: e.desk.rename_counter(s, "四号窗口")),
}


@pytest.mark.parametrize("name", CASES)
def test_each_role_may_do_what_the_table_says(env, db, name):
    allowed, call = CASES[name]
    for role in Role:
        session = env.as_(role)
        before = len(events(db, "refused"))
        if role in allowed:
            call(env, session)
            assert len(events(db, "refused")) == before
        else:
            with pytest.raises(PermissionDenied) as refused:
                call(env, session)
            needed = "或".join(r.value for r in Role if r in allowed)
            assert f"您的角色（{role.value}）" in str(refused.value) and f"需要{needed}角色" in str(refused.value)
            assert events(db, "refused")[-1][0] == NAMES[role]


@pytest.mark.parametrize("name", CASES)
def test_no_use_case_without_a_real_log_in(env, name):
    _, call = CASES[name]
    real = env.as_(S)
    forged = [
        UserSession("boss", "假管理员", Role.ADMIN, "三号窗口", NOW, "00", "0" * 64),  # hand-made
        dataclasses.replace(env.as_(V), role=Role.ADMIN),  # a verifier promoted by hand
        dataclasses.replace(real, role=Role.ADMIN),
    ]
    for session in forged:
        with pytest.raises(AuthError, match="未登录或登录凭据无效"):
            call(env, session)


def test_changes_are_recorded_with_their_person(env, db):
    clerk, boss, admin = env.as_(C), env.as_(S), env.as_(A)
    issued = env.desk.issue(clerk, ReportRequest(env.code, purpose="融资"), now=NOW)
    env.desk.record_print(clerk, issued.report_no, 2)
    env.desk.revoke(boss, issued.report_no, "错误")
    env.desk.verify(env.as_(V), issued.issue.qr_digits, today=NOW.date())
    env.desk.add_user(admin, "newbie", "newbie-pass", Role.VERIFIER)
    env.desk.reset_user(admin, "newbie", "other-pass")
    env.desk.disable_user(admin, "newbie")
    key = env.desk.create_key(admin, label="二号窗口")
    env.desk.retire_key(admin, key.key_id)
    tail = events(db)[-9:]
    assert tail == [
        ("张三", "issue", issued.report_no), ("张三", "reprint", issued.report_no),
        ("主管", "revoke", issued.report_no), ("核验员", "verify", issued.report_no),
        ("管理员", "user_add", "newbie"), ("管理员", "user_reset", "newbie"),
        ("管理员", "user_disable", "newbie"), ("管理员", "key_create", key.key_id),
        ("管理员", "key_retire", key.key_id),
    ]
    assert env.desk.audit_verify(admin).ok


def test_log_in_lockout_and_its_events(env, db):
    for _ in range(4):
        with pytest.raises(AuthError, match="还可尝试"):
            env.desk.login("张三", "wrong-one")
    with pytest.raises(AuthError, match="已锁定"):
        env.desk.login("张三", "wrong-one")
    with pytest.raises(AuthError, match="锁定"):
        env.desk.login("张三", PASSWORD)  # even the right password, while locked
    with pytest.raises(AuthError, match="用户名或密码错误"):
        env.desk.login("nobody", "whatever1")
    failed = [e for e in events(db) if e[1] == "login_failed"]
    assert len(failed) == 7 and failed[0][0] == "张三"


def test_a_clerk_reopens_only_their_own_reports_a_verifier_only_verified_ones(env, db):
    other = env.issue(env.code, now=NOW, role=S)  # issued by the supervisor
    clerk, verifier = env.as_(C), env.as_(V)
    assert env.desk.report_pdf(clerk, env.report.report_no).startswith(b"%PDF")
    with pytest.raises(PermissionDenied, match="本人出具"):
        env.desk.report_pdf(clerk, other.report_no)
    with pytest.raises(PermissionDenied):
        env.desk.report_pdf(verifier, other.report_no)
    env.desk.verify(verifier, other.issue.qr_digits, today=NOW.date())
    assert env.desk.report_pdf(verifier, other.report_no) == other.pdf


def test_a_request_is_checked_once_and_travels_whole(env, profile):
    raw = ReportRequest(env.code.lower(), (15, 4, 4), date(2024, 1, 1), None, "融资")
    checked = raw.check(profile, NOW.date())
    assert (checked.uscc, checked.domains, checked.period_to) == (env.code, (4, 15), NOW.date())
    assert checked.on(profile, NOW.date()) is checked
    issued = env.desk.issue(env.as_(C), checked, now=NOW)
    assert (issued.content.domain_codes, issued.issue.purpose) == ((4, 15), "融资")
    with pytest.raises(InvalidRequest, match="请至少选择一个领域"):
        ReportRequest(env.code, ()).check(profile, NOW.date())
    with pytest.raises(InvalidRequest, match="用途"):
        ReportRequest(env.code, purpose="买房").check(profile, NOW.date())


def test_first_people_only_into_an_empty_database(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    assert needs_first_run(db)
    report = first_run(db, profile, keys, counter="一号窗口", admin=Account("admin", "管理员", "admin-pass"),
                       clerk=Account("window1", "一号窗口", "window-pass"))
    assert report.demo_loaded and report.key_created and (report.admin, report.clerk) == ("admin", "window1")
    assert not needs_first_run(db)
    from core.usecases import CounterDesk
    from core.config import Settings

    desk = CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter="一号窗口"), keys)
    assert desk.login("window1", "window-pass").role is Role.CLERK
    assert desk.login("admin", "admin-pass").role is Role.ADMIN
    with pytest.raises(InvalidRequest, match="已有用户"):
        create_first_people(db, "x", Account("intruder", "x", "intruder-pass"))
    assert [a for _, a, _ in events(db)][:2] == ["first_run", "first_run"]
    assert audit_chain.verify_chain(db).ok


def test_revoked_in_the_chain_stays_revoked_when_the_archive_is_edited(env, db):
    from sqlalchemy import update

    from core.db.models_reports import IssuedReport

    env.desk.revoke(env.as_(S), env.report.report_no, "企业申请作废")
    with db.session() as s:  # a hostile UPDATE: un-revoke the archive row
        s.execute(update(IssuedReport).values(status="有效", revoked_at=None, revoke_reason=None))
    verdict = env.desk.verify(env.as_(V), env.report.issue.qr_digits, today=NOW.date() + timedelta(days=1))
    assert verdict.status == "revoked" and "企业申请作废" in verdict.reason
    check = env.desk.audit_verify(env.as_(A))
    assert not check.ok and env.report.report_no in check.problem
