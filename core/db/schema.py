"""Create or upgrade the schema with the alembic migrations: the same ones serve both databases."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import OperationalError

from core.db.engine import Database, unavailable
from core.errors import DatabaseMissing, SchemaNotReady

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Objects the migrations create by hand (full-text search) and that the models do not describe.
MANUAL = ("enterprise_names_fts", "ix_enterprise_names_name", "ix_enterprise_names_initials",
          "ix_enterprise_names_grams")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For autogenerate: leave the hand-made search objects alone."""
    return not (reflected and name and name.startswith(MANUAL))


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(db: Database) -> str | None:
    try:
        with db.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except OperationalError as exc:
        raise unavailable(db.url, exc) from None


def upgrade(db: Database) -> tuple[str | None, str]:
    """Bring the schema to the newest revision; idempotent. Returns (before, after).

    This is how a database is created (`init`, the first run, the tests): a missing embedded
    file is made here and only here."""
    with db.creating():
        before = current_revision(db)
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
