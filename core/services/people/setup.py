"""First run of a counter: schema, demo data, a signing key and the first administrator."""
from __future__ import annotations

from dataclasses import dataclass

from core.db import schema
from core.db.engine import Database
from core.errors import CreditDeskError
from core.policy import Profile
from core.services.demo.generate import generate_demo, has_data
from core.services.signing.keys import KeyService
from core.services.people.users import Role, UserService

DEMO_ENTERPRISES = 2000
DEMO_SEED = 1


@dataclass(frozen=True)
class SetupReport:
    demo_loaded: bool
    key_created: str | None
    admin: str


def needs_first_run(db: Database) -> bool:
    """True when nobody can log in yet (a new embedded database, or a fresh shared one)."""
    schema.ensure_ready(db)
    return UserService(db).count() == 0


def first_run(db: Database, profile: Profile, keys: KeyService, *, username: str, display_name: str,
              password: str, demo: bool = True) -> SetupReport:
    schema.ensure_ready(db)
    users = UserService(db)
    if users.count():
        raise CreditDeskError("本数据库已有用户，不需要首次设置")
    admin = users.add(username, password, Role.ADMIN, display_name)  # checks the password first
    demo_loaded = False
    if demo and not has_data(db):
        generate_demo(db, profile, enterprises=DEMO_ENTERPRISES, seed=DEMO_SEED)
        demo_loaded = True
    key_created = None
    try:
        keys.signer()
    except CreditDeskError:
        key_created = keys.create(user=username, label="本窗口").key_id
    return SetupReport(demo_loaded, key_created, admin.username)
