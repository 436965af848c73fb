"""People, one's own password, deployment settings and the audit search, as use cases on both
databases: each change signs people in or out as it should, refuses in Chinese, and is an event
of an intact audit chain."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.config import data_dir
from core.db.installation import read_counter_name
from core.db.models_audit import AuditEventRow
from core.errors import AuthError, InvalidRequest, PermissionDenied
from core.services.people.audit_search import AuditQuery
from core.services.people.roles import Permission, Role
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from core.states import VerdictStatus
from core.usecases import CounterDesk
from tests.desks import PASSWORD, make_desk
from tests.factories import add_enterprise

C, V, S, A = Role.CLERK, Role.VERIFIER, Role.SUPERVISOR, Role.ADMIN


@pytest.fixture
def env(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date.today() - timedelta(days=400))
    return make_desk(db, profile, keys, counter="三号窗口")


def tail(db, n):
    with db.session() as s:
        rows = s.scalars(select(AuditEventRow).order_by(AuditEventRow.seq.desc()).limit(n))
        return [(e.actor, e.action, e.subject) for e in rows][::-1]


def test_a_person_added_signs_in_and_is_listed_with_their_counter(env, db):
    admin = env.as_(A)
    env.desk.add_user(admin, "zhaoliu", "zhaoliu-pass", C, "赵六")
    before = {p.username: p for p in env.desk.people(admin)}["zhaoliu"]
    assert (before.display_name, before.role, before.active, before.counter) == ("赵六", C, True, None)
    session = env.desk.login("zhaoliu", "zhaoliu-pass")
    assert session.role is C and session.can(Permission.ISSUE)
    after = {p.username: p for p in env.desk.people(admin)}["zhaoliu"]
    assert after.counter == "三号窗口" and after.last_login_at is not None


def test_disable_enable_reset_and_role_change(env, db):
    admin = env.as_(A)
    env.desk.add_user(admin, "zhaoliu", "zhaoliu-pass", C, "赵六")
    env.desk.disable_user(admin, "zhaoliu")
    with pytest.raises(AuthError, match="已停用"):
        env.desk.login("zhaoliu", "zhaoliu-pass")
    env.desk.enable_user(admin, "zhaoliu")  # back, with the password it had
    assert env.desk.login("zhaoliu", "zhaoliu-pass").role is C
    env.desk.reset_user(admin, "zhaoliu", "fresh-pass-1")
    with pytest.raises(AuthError, match="用户名或密码错误"):
        env.desk.login("zhaoliu", "zhaoliu-pass")
    env.desk.change_role(admin, "zhaoliu", S)
    boss = env.desk.login("zhaoliu", "fresh-pass-1")
    assert boss.role is S and boss.can(Permission.REVOKE)
    assert [e for e in tail(db, 8) if e[0] == "管理员"] == [
        ("管理员", "user_disable", "zhaoliu"), ("管理员", "user_enable", "zhaoliu"),
        ("管理员", "user_reset", "zhaoliu"), ("管理员", "user_role", "zhaoliu")]
    assert env.desk.audit_verify(admin).ok


def test_refusals_in_chinese(env):
    admin = env.as_(A)
    with pytest.raises(InvalidRequest, match="不能更改自己的角色"):
        env.desk.change_role(admin, admin.username, C)
    with pytest.raises(InvalidRequest, match="密码至少 8 个字符"):
        env.desk.add_user(admin, "short", "1234567", C)
    with pytest.raises(InvalidRequest, match="已存在"):
        env.desk.add_user(admin, "张三", "long-enough-1", C)
    for role in (C, V, S):
        with pytest.raises(PermissionDenied, match="无权管理用户"):
            env.desk.change_role(env.as_(role), "张三", A)
        with pytest.raises(PermissionDenied, match="无权检查审计链"):
            env.desk.audit_search(env.as_(role), AuditQuery())
        with pytest.raises(PermissionDenied, match="无权更改设置"):
            env.desk.set_validity_days(env.as_(role), 60)


def test_everyone_changes_their_own_password(env, db):
    for role in Role:
        session = env.as_(role)
        with pytest.raises(AuthError, match="原密码不正确"):
            env.desk.change_own_password(session, "not-my-password", "brand-new-pass")
        with pytest.raises(InvalidRequest, match="密码至少 8 个字符"):
            env.desk.change_own_password(session, PASSWORD, "short")
        with pytest.raises(InvalidRequest, match="不能与原密码相同"):
            env.desk.change_own_password(session, PASSWORD, PASSWORD)
        env.desk.change_own_password(session, PASSWORD, "brand-new-pass")
        assert tail(db, 1) == [(session.username, "password_change", session.username)]
        with pytest.raises(AuthError):
            env.desk.login(session.username, PASSWORD)
        assert env.desk.login(session.username, "brand-new-pass").role is role


def test_validity_is_the_deployments_and_a_shorter_one_keeps_issued_codes_valid(env, db, profile):
    admin, clerk = env.as_(A), env.as_(C)
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    env.desk.set_validity_days(admin, 60)
    other = CounterDesk(db, profile, env.desk.settings.__class__(db_url=db.url, profile_id=profile.id,
                                                                  counter="四号窗口"), env.desk.keys)
    other.refresh_profile()  # another counter, started later: reads the deployment's choice
    assert other.settings.validity_days == 60
    long = env.desk.issue(clerk, ReportRequest(code))
    assert long.issue.valid_until == date.today() + timedelta(days=60)
    env.desk.set_validity_days(admin, 15)
    short = env.desk.issue(clerk, ReportRequest(code))
    assert short.issue.valid_until == date.today() + timedelta(days=15)
    other.refresh_profile()
    verifier = other.login("核验员", PASSWORD)
    assert other.verify(verifier, long.issue.qr_digits).status == VerdictStatus.VALID
    with pytest.raises(InvalidRequest, match="1–365"):
        env.desk.set_validity_days(admin, 0)
    assert [e[1:] for e in tail(db, 5) if e[1] == "settings"] == [("settings", "validity_days")]


def test_counter_name_is_this_pcs_and_lands_in_creditdesk_home(env, db, monkeypatch, tmp_path):
    home = tmp_path / "home"
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.delenv("CREDITDESK_COUNTER", raising=False)
    admin = env.as_(A)
    assert env.desk.rename_counter(admin, "  吴中区政务服务中心  3 号窗口 ") == "吴中区政务服务中心 3 号窗口"
    assert data_dir() == home and read_counter_name(home) == "吴中区政务服务中心 3 号窗口"
    assert env.desk.login("张三", PASSWORD).counter == "吴中区政务服务中心 3 号窗口"
    with pytest.raises(InvalidRequest, match="窗口名称应为"):
        env.desk.rename_counter(admin, "x")
    monkeypatch.setenv("CREDITDESK_COUNTER", "五号窗口")
    with pytest.raises(InvalidRequest, match="CREDITDESK_COUNTER"):
        env.desk.rename_counter(admin, "六号窗口")


def test_audit_search_by_person_action_and_date(env, db):
    admin = env.as_(A)
    env.desk.add_user(admin, "zhaoliu", "zhaoliu-pass", C, "赵六")
    env.desk.login("zhaoliu", "zhaoliu-pass")
    found = env.desk.audit_search(admin, AuditQuery(actor="zhaoliu"))
    assert [(e.actor, e.action) for e in found.events] == [("zhaoliu", "login")] and found.total == 1
    adds = env.desk.audit_search(admin, AuditQuery(action="user_add"))
    assert [e.subject for e in adds.events][:1] == ["zhaoliu"]
    today = date.today()
    assert env.desk.audit_search(admin, AuditQuery(date_from=today, date_to=today)).total == \
        env.desk.audit_search(admin, AuditQuery()).total
    assert env.desk.audit_search(admin, AuditQuery(date_to=today - timedelta(days=1))).total == 0
    assert env.desk.audit_search(admin, AuditQuery(limit=2)).events[0].seq == tail_seq(db)
    with pytest.raises(InvalidRequest, match="起始日期不能晚于截止日期"):
        env.desk.audit_search(admin, AuditQuery(date_from=today, date_to=today - timedelta(days=1)))
    assert "zhaoliu" in env.desk.audit_actors(admin)


def tail_seq(db):
    with db.session() as s:
        return s.scalar(select(AuditEventRow.seq).order_by(AuditEventRow.seq.desc()).limit(1))
