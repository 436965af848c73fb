"""A counter desk for tests, with one signed-in person per role (real log-ins, real passwords)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from core.config import Settings
from core.services.people.roles import Role
from core.services.people.setup import Account, create_first_people
from core.services.people.users import add_user, count_users
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from core.usecases import CounterDesk

PASSWORD = "test-password-1"
# The test installation's extension of a profile whose published period has ended (suzhou-2024
# ended 2026-02-28; tests issue "today"), recorded as a deployment's administrator would. Not a
# real document: tests of the period rule itself record their own choice (or none).
TEST_EXTENSION = ("测试环境延长文件（非真实文件）", date(2099, 12, 31))
NAMES = {Role.ADMIN: "管理员", Role.CLERK: "张三", Role.VERIFIER: "核验员", Role.SUPERVISOR: "主管"}


@dataclass
class TestDesk:
    desk: CounterDesk
    sessions: dict

    def as_(self, role: Role):
        return self.sessions[role]

    def issue(self, code, domains=None, *, purpose="其他", now: datetime | None = None,
              date_from: date | None = None, date_to: date | None = None, role: Role = Role.CLERK):
        request = ReportRequest(code, tuple(domains) if domains else None, date_from, date_to, purpose)
        return self.desk.issue(self.sessions[role], request, now=now)


def make_desk(db, profile, keys: KeyService, counter: str = "一号窗口") -> TestDesk:
    desk = CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter=counter), keys)
    with db.session() as s:
        empty = count_users(s) == 0
    if empty:  # a database the benchmarks reuse keeps its people
        create_first_people(db, counter, Account(NAMES[Role.ADMIN], NAMES[Role.ADMIN], PASSWORD))
        with db.session(write=True) as s:
            for role, name in NAMES.items():
                if role is not Role.ADMIN:
                    add_user(s, name, PASSWORD, role, name)
    record_test_profile(db, profile)
    return TestDesk(desk, {role: desk.login(name, PASSWORD) for role, name in NAMES.items()})


def record_test_profile(db, profile, today: date | None = None) -> None:
    """The deployment's profile choice for a test database: `profile`, extended by TEST_EXTENSION
    when its published period has ended (a shared PostgreSQL schema keeps no earlier choice)."""
    from core.usecases.profiles import ProfileChoice, record_choice

    today = today or date.today()
    ended = profile.valid_to is not None and profile.valid_to < today
    choice = ProfileChoice(profile.id, *TEST_EXTENSION) if ended else ProfileChoice(profile.id)
    with db.session(write=True) as s:
        record_choice(s, choice, actor=NAMES[Role.ADMIN], counter="测试")
