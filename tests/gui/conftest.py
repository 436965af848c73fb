"""Shared GUI fixtures: a real CounterDesk on a temporary SQLite file, real keys, real reports.

The offscreen platform is chosen before PySide6 is imported anywhere, so these tests run on
machines without a display. Nothing here is ever skipped.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from core.config import Settings  # noqa: E402
from core.db import schema  # noqa: E402
from core.db.engine import Database  # noqa: E402
from core.policy import load_profile  # noqa: E402
from core.usecases import CounterDesk  # noqa: E402
from core.services.reports.issuing import IssuedResult  # noqa: E402
from core.services.signing.keys import KeyService  # noqa: E402
from core.services.reports.request import ReportRequest  # noqa: E402
from core.services.people.roles import Role  # noqa: E402
from core.services.people.sessions import UserSession  # noqa: E402
from core.services.people.setup import Account, create_first_people  # noqa: E402
from core.services.people.users import add_user  # noqa: E402
from tests.desks import record_test_profile  # noqa: E402
from tests.factories import add_arrear, add_enterprise, add_penalty  # noqa: E402

UNREACHABLE_DB = "postgresql+psycopg://postgres@127.0.0.1:1/none"  # refused at once: "database gone"


@dataclass
class DeskEnv:
    """A working counter: the desk, its database and keys, and what the tests put in it."""

    desk: CounterDesk
    db: Database
    keys: KeyService
    home: Path
    enterprises: dict[str, str] = field(default_factory=dict)  # name -> USCC
    report: IssuedResult | None = None  # issued today for the first enterprise

    @property
    def profile(self):
        return self.desk.profile

    def issue(self, uscc: str, *, domains: tuple[int, ...] | None = None, days_ago: int = 0,
              purpose: str = "融资") -> IssuedResult:
        now = datetime.now().replace(microsecond=0) - timedelta(days=days_ago)
        request = ReportRequest.default(self.profile, uscc, now.date())
        request = ReportRequest(uscc, tuple(domains or request.domains), request.period_from,
                                request.period_to, purpose)
        return self.desk.issue(make_actor(Role.CLERK), request, now=now)

    def revoke(self, report_no: str, reason: str = "企业申请作废") -> None:
        self.desk.revoke(make_actor(Role.SUPERVISOR), report_no, reason)

    def offline_desk(self) -> CounterDesk:
        """The same counter after losing its database: only the cached trust list is left."""
        away = Database(UNREACHABLE_DB)
        keys = KeyService(away, self.keys.key_dir, self.keys.trust_cache)
        return CounterDesk(away, self.desk.profile, self.desk.settings, keys)


PASSWORD = "counter-pass-1"
PEOPLE = {Role.CLERK: ("zhangsan", "张三"), Role.VERIFIER: ("lisi", "李四"),
          Role.SUPERVISOR: ("wangwu", "王五"), Role.ADMIN: ("admin", "管理员")}
_desk: list[CounterDesk] = []  # the desk of the running test: make_actor logs in there
_sessions: dict[tuple[int, Role], UserSession] = {}


def add_people(desk: CounterDesk) -> None:
    """One person per role on this desk, all with PASSWORD."""
    create_first_people(desk.db, desk.settings.counter, Account("admin", "管理员", PASSWORD))
    with desk.db.session(write=True) as s:
        for role, (username, name) in PEOPLE.items():
            if role is not Role.ADMIN:
                add_user(s, username, PASSWORD, role, name)


def make_actor(role: Role = Role.CLERK, counter: str = "一号窗口") -> UserSession:
    """A real log-in of that role's person on the current test's desk (cached per test)."""
    desk = _desk[-1]
    key = (id(desk), role)
    if key not in _sessions:
        _sessions[key] = desk.login(PEOPLE[role][0], PASSWORD)
    return _sessions[key]


@pytest.fixture
def actor():
    """`actor(Role.VERIFIER)` → a signed-in session of that role at 一号窗口 (default: a clerk)."""
    return make_actor


@pytest.fixture(scope="session", autouse=True)
def _app_fonts(qapp):
    """The shipped CJK fonts, as the real application installs them at start-up."""
    from desktop.services.fonts import install_fonts

    install_fonts(qapp)


@pytest.fixture
def desk_env(tmp_path) -> DeskEnv:
    """A migrated SQLite database in tmp, a signing key, three enterprises, one report issued today."""
    db = Database(f"sqlite:///{tmp_path / 'creditdesk.sqlite3'}")
    schema.upgrade(db)
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date.today() - timedelta(days=400))
    profile = load_profile("suzhou-2024")
    settings = Settings(db_url=db.url, profile_id=profile.id, counter="一号窗口")
    env = DeskEnv(CounterDesk(db, profile, settings, keys), db, keys, tmp_path)
    add_people(env.desk)
    record_test_profile(db, profile)  # suzhou-2024 has ended: the test installation's extension
    env.desk.refresh_profile()
    _desk.append(env.desk)
    today = date.today()
    for name in ("苏州恒达精密机械有限公司", "苏州工业园区星海电子科技有限公司", "昆山市玉山镇明远餐饮店"):
        env.enterprises[name] = add_enterprise(db, name)
    first, second, _ = env.enterprises.values()
    add_penalty(db, first, today - timedelta(days=200), domain=4)
    add_arrear(db, second)
    env.report = env.issue(first, domains=(4, 15))
    yield env
    _desk.remove(env.desk)
    _sessions.clear()
    db.dispose()


@pytest.fixture
def make_ctx(tmp_path, desk_env):
    """`make_ctx(role, desk=None, sound=False)` → a DeskContext as desktop/app.py would build it."""
    from desktop.services.context import DeskContext
    from desktop.services.events import AppEvents
    from desktop.services.settings import VERDICT_SOUND, UiSettings
    from desktop.services.tasks import TaskRunner

    runners = []

    def build(role: Role = Role.CLERK, desk: CounterDesk | None = None, sound: bool = False) -> DeskContext:
        settings = UiSettings(tmp_path / f"ui-{len(runners)}.ini")
        settings.set(VERDICT_SOUND, sound)
        tasks = TaskRunner(AppEvents())
        runners.append(tasks)
        return DeskContext(desk or desk_env.desk, tasks, make_actor(role), settings, tasks.events)

    yield build
    for tasks in runners:
        tasks.wait()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """CREDITDESK_SCREENSHOTS if set (to keep and look at the pictures), else a tmp folder."""
    folder = Path(os.environ.get("CREDITDESK_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
