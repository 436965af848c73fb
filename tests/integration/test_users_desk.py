"""People, roles and the counter facade: the services refuse what a role may not do, and log it all."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from core.config import Settings
from core.services.desk import CounterDesk
from core.services.signing.keys import KeyService
from core.services.reports.request import ReportRequest
from core.services.people.setup import first_run, needs_first_run
from core.services.people.users import AuthError, PermissionDenied, Role, UserService
from tests.factories import add_enterprise, add_penalty

NOW = datetime(2026, 11, 27, 10, 0)


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    desk = CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter="三号窗口"), keys)
    for name, role in [("clerk", Role.CLERK), ("checker", Role.VERIFIER), ("boss", Role.SUPERVISOR)]:
        desk.users.add(name, "password1", role, name)
    return desk


def test_login_and_lockout_after_repeated_failures(desk):
    actor = desk.login("clerk", "password1")
    assert (actor.role, actor.counter) == (Role.CLERK, "三号窗口")
    for attempt in range(4):
        with pytest.raises(AuthError, match="还可尝试"):
            desk.login("clerk", "wrong-one")
    with pytest.raises(AuthError, match="已锁定"):
        desk.login("clerk", "wrong-one")
    with pytest.raises(AuthError, match="锁定"):
        desk.login("clerk", "password1")  # even the right password, while locked
    later = NOW + timedelta(days=1)
    assert desk.users.authenticate("clerk", "password1", "三号窗口", now=later).username == "clerk"


def test_disabled_user_and_reset(desk):
    desk.users.disable("clerk")
    with pytest.raises(AuthError, match="停用"):
        desk.login("clerk", "password1")
    desk.users.reset("clerk", "new-password")
    assert desk.login("clerk", "new-password").username == "clerk"
    with pytest.raises(AuthError, match="用户名或密码错误"):
        desk.login("nobody", "whatever1")


def test_passwords_are_hashed_and_checked(desk, db):
    from sqlalchemy import select
    from core.db.models_reports import User

    with db.session() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "clerk"))
    assert stored.startswith("$argon2") and "password1" not in stored
    from core.errors import InvalidRequest

    with pytest.raises(InvalidRequest, match="至少 8"):
        desk.users.add("short", "1234", Role.CLERK)


def test_verifier_may_not_issue_through_the_service(desk, db, profile):
    code = add_enterprise(db)
    verifier = desk.login("checker", "password1")
    request = ReportRequest.default(profile, code, NOW.date())
    with pytest.raises(PermissionDenied, match="核验人员.*无权出具报告"):
        desk.issue(verifier, request, now=NOW)
    with pytest.raises(PermissionDenied):
        desk.search(verifier, "恒达")
    clerk = desk.login("clerk", "password1")
    issued = desk.issue(clerk, request, now=NOW)
    with pytest.raises(PermissionDenied, match="撤销"):
        desk.revoke(clerk, issued.report_no, "错误")
    boss = desk.login("boss", "password1")
    assert desk.revoke(boss, issued.report_no, "企业申请").revoked


def test_every_step_names_person_and_counter(desk, db, profile):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    add_penalty(db, code, date(2025, 3, 1))
    clerk = desk.login("clerk", "password1")
    with pytest.raises(AuthError):
        desk.login("clerk", "nope-nope")
    assert desk.search(clerk, "恒达")[0].uscc == code
    overview = desk.overview(clerk, code, today=NOW.date())
    assert len(overview.domains) == 20 and len(overview.violations) == 1
    request = ReportRequest.default(profile, code, NOW.date())
    preview = desk.preview(clerk, request, now=NOW)
    assert preview.startswith(b"%PDF")
    issued = desk.issue(clerk, request, now=NOW)
    assert desk.record_print(clerk, issued.report_no, pages=3) == 1
    verifier = desk.login("checker", "password1")
    assert desk.verify(verifier, issued.issue.qr_digits, today=NOW.date()).status == "valid"
    log = [(r.username, r.counter, r.action) for r in reversed(desk.audit.recent())]
    assert log == [
        ("clerk", "三号窗口", "login"), ("clerk", "三号窗口", "login_failed"),
        ("clerk", "三号窗口", "lookup"), ("clerk", "三号窗口", "issue"),
        ("clerk", "三号窗口", "print"), ("checker", "三号窗口", "login"),
        ("checker", "三号窗口", "verify"),
    ]
    assert desk.history(clerk)[0].print_count == 1


def test_period_presets_and_request_checks(profile):
    from core.errors import InvalidRequest

    today = date(2026, 11, 27)
    request = ReportRequest.default(profile, "91350100M000100Y43", today)
    assert (request.period_from, request.period_to) == (date(2023, 11, 27), today)
    one_year = request.with_preset(1, today)
    assert one_year.period_from == date(2025, 11, 27)
    with pytest.raises(InvalidRequest, match="请至少选择一个领域"):
        ReportRequest(request.uscc, (), request.period_from, request.period_to).check(profile, today)


def test_first_run_prepares_a_working_counter(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    assert needs_first_run(db)
    report = first_run(db, profile, keys, username="admin", display_name="管理员", password="admin-pass")
    assert report.demo_loaded and report.key_created and report.admin == "admin"
    assert not needs_first_run(db)
    assert UserService(db).authenticate("admin", "admin-pass", "c").role is Role.ADMIN
    assert keys.signer().key_id == report.key_created
