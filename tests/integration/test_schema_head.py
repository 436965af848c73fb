"""The schema check without alembic: HEAD is alembic's real head, the version is read as alembic
reads it, and the start's glance says "ready" only when nothing is due."""
from __future__ import annotations

import json
import sqlite3

from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from core.db import schema
from core.db.engine import Database
from core.services.people.setup import Account, create_first_people


def test_head_is_the_newest_migration():
    # adding a migration without updating schema.HEAD fails here
    assert schema.HEAD == schema.migrations_head()
    assert schema.head_revision() == schema.migrations_head()


def _alembic_reads(db: Database):
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_version_is_read_as_alembic_reads_it(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'v.sqlite3'}")
    with db.creating():
        assert schema.current_revision(db) is None and _alembic_reads(db) is None
    before, after = schema.upgrade(db)
    assert (before, after) == (None, schema.HEAD)
    assert schema.current_revision(db) == _alembic_reads(db) == schema.HEAD
    with db.engine.begin() as conn:  # an older schema: ensure_ready upgrades the embedded file
        conn.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    assert schema.current_revision(db) == _alembic_reads(db) == "0008"
    db.dispose()


def test_the_glance_says_ready_only_when_nothing_is_due(tmp_path):
    path = tmp_path / "g.sqlite3"
    url = f"sqlite:///{path}"
    assert schema.glance(url) is None  # missing: the missing-database dialog or first run decides
    db = Database(url)
    schema.upgrade(db)
    assert schema.glance(url) is None  # nobody can log in yet: first run
    create_first_people(db, "一号窗口", Account("admin", "管理员", "password-1"))
    ready = schema.glance(url)
    assert ready is not None and ready.file == path and ready.profile_id is None
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO deployment_settings (key, value, changed_at, changed_by) "
                          "VALUES ('profile', :v, CURRENT_TIMESTAMP, 'admin')"),
                     {"v": json.dumps({"profile": "national-2025", "extended_by": None, "until": None})})
    assert schema.glance(url).profile_id == "national-2025"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0008'"))
    assert schema.glance(url) is None  # an upgrade is due: the full path runs it
    db.dispose()
    assert schema.glance("postgresql://u@localhost/x") is None
    assert schema.glance(f"{url}?mode=ro") is None
    path.write_bytes(b"")
    assert schema.glance(url) is None
    sqlite3.connect(tmp_path / "other.sqlite3").close()
    assert schema.glance(f"sqlite:///{tmp_path / 'other.sqlite3'}") is None
