"""The first people of an empty database: `creditdesk-admin init --admin NAME`, and the app's first
run, which also makes the first counter account, demo data and a signing key.

Both are refused once any user exists: after that, only a signed-in administrator adds people.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.db import schema
from core.db.engine import Database
from core.errors import CreditDeskError, InvalidRequest
from core.policy import Profile
from core.services.people import audit_chain
from core.services.people.roles import Role
from core.services.people.users import UserInfo, add_user, count_users
from core.services.signing.keys import KeyService
from core.states import AuditAction

DEMO_ENTERPRISES = 2000
DEMO_SEED = 1


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    password: str


@dataclass(frozen=True)
class SetupReport:
    demo_loaded: bool
    key_created: str | None
    admin: str
    clerk: str | None
    profile_id: str | None = None  # the policy profile the deployment now issues under


def _prepare(db: Database, home: Path | None) -> None:
    """The schema of a first run. A missing embedded database is created only when the data
    directory holds no installation; otherwise it is DatabaseMissing (never a silent fresh start)."""
    from core.db.installation import holds_installation

    if schema.is_missing(db):
        if holds_installation(home):
            raise schema.missing(db, home)
        schema.upgrade(db)
        return
    schema.ensure_ready(db)


def needs_first_run(db: Database, home: Path | None = None) -> bool:
    """True when nobody can log in yet (a new embedded database, or a fresh shared one).

    `home` is the data directory (default: the configured one); when it holds an installation
    a missing or empty embedded database raises DatabaseMissing instead."""
    _prepare(db, home)
    with db.session() as s:
        return count_users(s) == 0


def create_first_people(db: Database, counter: str, admin: Account,
                        clerk: Account | None = None) -> list[UserInfo]:
    """The administrator (and the first counter account) of an empty database, in one unit of work."""
    if clerk and clerk.username.strip() == admin.username.strip():
        raise InvalidRequest("管理员和窗口人员应使用不同的用户名")
    with db.session(write=True) as s:
        if count_users(s):
            raise InvalidRequest("数据库中已有用户，不能再创建首位管理员；请由管理员登录后添加用户")
        made = [add_user(s, admin.username, admin.password, Role.ADMIN, admin.display_name)]
        if clerk:
            made.append(add_user(s, clerk.username, clerk.password, Role.CLERK, clerk.display_name))
        for user in made:
            audit_chain.append(s, actor=made[0].username, counter=counter, action=AuditAction.FIRST_RUN,
                               subject=user.username, details={"role": user.role.value})
        return made


def first_run(db: Database, profile: Profile, keys: KeyService, *, counter: str, admin: Account,
              clerk: Account, demo: bool = True, choice=None) -> SetupReport:
    """`choice` (a core.services.profile_choice.ProfileChoice) is the policy profile asked for at first
    run; without one, `profile` if it is in force today, else a bundled profile that is."""
    from datetime import date

    from core.db.installation import write_marker
    from core.services.demo.generate import generate_demo, has_data
    from core.services.profile_choice import default_choice, read_choice, record_choice

    home = keys.key_dir.parent  # the data directory of these keys
    _prepare(db, home)
    made = create_first_people(db, counter, admin, clerk)
    write_marker(home, db.url, counter)
    with db.session(write=True) as s:
        chosen = read_choice(s)  # a shared database may have chosen already
        if chosen is None:
            chosen = choice or default_choice(profile, date.today())
            record_choice(s, chosen, actor=made[0].username, counter=counter)
    profile = chosen.profile()
    demo_loaded = False
    if demo and not has_data(db):
        summary = generate_demo(db, profile, enterprises=DEMO_ENTERPRISES, seed=DEMO_SEED)
        with db.session(write=True) as s:
            audit_chain.append(s, actor=made[0].username, counter=counter, action=AuditAction.DEMO,
                               details={"enterprises": summary.enterprises, "seed": DEMO_SEED})
        demo_loaded = True
    key_created = None
    try:
        keys.signer()
    except CreditDeskError:
        key_created = keys.create(user=made[0].username, counter=counter, label="本窗口").key_id
    return SetupReport(demo_loaded, key_created, made[0].username, made[1].username, profile.id)
