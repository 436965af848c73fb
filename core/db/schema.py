"""Create or upgrade the schema with the alembic migrations: the same ones serve both databases.

Checking the schema does not import alembic (a third of a second on every start): the version a
database holds is read with plain SQL and compared with HEAD. Alembic loads only when a migration
is due. tests/integration/test_schema_head.py fails when a migration is added and HEAD is not.
"""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import DatabaseMissing, SchemaNotReady

if TYPE_CHECKING:  # glance() runs before the app loads SQLAlchemy
    from core.db.engine import Database

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0009"  # the newest migration's revision: update it with every new migration
VERSION_TABLE = "alembic_version"
# Objects the migrations create by hand (full-text search) and that the models do not describe.
MANUAL = ("enterprise_names_fts", "ix_enterprise_names_name", "ix_enterprise_names_initials",
          "ix_enterprise_names_grams")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For autogenerate: leave the hand-made search objects alone."""
    return not (reflected and name and name.startswith(MANUAL))


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The revision the code expects (HEAD), known without importing alembic."""
    return HEAD


def migrations_head() -> str:
    """The head of the migration scripts, as alembic reads them (imports alembic)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    """The revision the database holds (None: never migrated), read with plain SQL as alembic
    does: the one row of alembic_version in the connection's default schema."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from core.db.engine import unavailable

    try:
        with db.engine.connect() as conn:
            if not conn.dialect.has_table(conn, VERSION_TABLE):
                return None
            rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    except OperationalError as exc:
        raise unavailable(db.url, exc) from None
    if len(rows) > 1:  # alembic refuses this too: branches are never merged into one database
        raise SchemaNotReady(f"数据库结构版本不唯一：{', '.join(sorted(rows))}")
    return rows[0] if rows else None


def upgrade(db: Database) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; idempotent. Returns (before, after).

    This is how a database is created (`init`, the first run, the tests): a missing embedded
    file is made here and only here."""
    with db.creating():
        before = current_revision(db)
        from alembic import command
        from sqlalchemy.exc import OperationalError

        from core.db.engine import unavailable

        cfg = _config()
        try:
            with db.engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except OperationalError as exc:
            raise unavailable(db.url, exc) from None
    return before, head_revision()


def is_missing(db: Database) -> bool:
    """An embedded database whose file is absent, has no bytes or holds no tables."""
    from core.db.installation import is_missing_or_empty

    path = db.file
    return path is not None and is_missing_or_empty(path)


def missing(db: Database, home: Path | None = None) -> DatabaseMissing:
    from core.db.installation import missing_message

    return DatabaseMissing(missing_message(db.file, home))


def ensure_ready(db: Database) -> None:
    """Never creates a database: a missing or empty embedded file is DatabaseMissing (only `init`
    and the first run create one); an embedded one with an older schema is upgraded; a shared one
    must be initialised or upgraded with `init`."""
    if is_missing(db):
        raise missing(db)
    current = current_revision(db)
    if current == head_revision():
        return
    if db.is_embedded:
        upgrade(db)
        return
    if current is None:
        raise SchemaNotReady("数据库尚未初始化，请先运行：creditdesk-admin init")
    raise SchemaNotReady("数据库结构版本较旧，请先运行：creditdesk-admin init 进行升级")


_PLAIN_SQLITE = re.compile(r"sqlite:///([^?%]+)")


@dataclass(frozen=True)
class Glance:
    """What the app's start needs before it loads SQLAlchemy: an embedded database at HEAD with
    people in it (no missing-database dialog, no upgrade, no first run), and the recorded policy."""
    file: Path
    profile_id: str | None  # the deployment's recorded choice (deployment_settings "profile")


def glance(url: str) -> Glance | None:
    """A read-only look with plain sqlite3 (no SQLAlchemy, no alembic) at an embedded database.

    None whenever the answer is not a plain "ready to log in": PostgreSQL, a URL with options, a
    missing or empty file, an older or newer schema, no people, anything unreadable. The caller
    then takes the full path (schema.ensure_ready, first run, the missing-database dialog)."""
    match = _PLAIN_SQLITE.fullmatch(url)
    if not match or match[1] == ":memory:":
        return None
    path = Path(match[1]).expanduser().absolute()
    try:
        if not path.is_file() or path.stat().st_size == 0:
            return None
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            versions = [row[0] for row in conn.execute(f"SELECT version_num FROM {VERSION_TABLE}")]
            if versions != [HEAD] or conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is None:
                return None
            row = conn.execute("SELECT value FROM deployment_settings WHERE key = 'profile'").fetchone()
        finally:
            conn.close()
        profile_id = json.loads(row[0]).get("profile") if row else None
    except (OSError, sqlite3.Error, ValueError, AttributeError):
        return None
    return Glance(path, profile_id if isinstance(profile_id, str) else None)
