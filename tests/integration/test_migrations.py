"""The same migrations serve both databases: up from nothing, down to nothing, and data kept."""
from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from core.db import schema
from core.db.engine import Database
from tests.conftest import IN_CI, PG_BASE, _pg_reason


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request, tmp_path):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'm.sqlite3'}")
        yield db
        db.dispose()
        return
    reason = _pg_reason()
    if reason:
        (pytest.fail if IN_CI else pytest.skip)(reason)
    name = f"cdmig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    db = Database(f"{PG_BASE}?options=-csearch_path%3D{name}")
    yield db
    db.dispose()
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


def _run(db: Database, verb: str, target: str) -> None:
    cfg = schema._config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, target)


def test_upgrade_keeps_data_and_downgrade_removes_everything(empty_db):
    _run(empty_db, "upgrade", "0001")
    with empty_db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO enterprises (id, uscc, name, division, kind, source_unit) "
            "VALUES (1, '91350100M000100Y43', '苏州恒达精密机械有限公司', '350100', '企业', '市场监管局')"))
    _run(empty_db, "upgrade", "head")
    assert schema.current_revision(empty_db) == schema.head_revision()
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM enterprises")).scalar() == "苏州恒达精密机械有限公司"
    tables = set(inspect(empty_db.engine).get_table_names())
    assert {"enterprises", "penalties", "reports", "signing_keys", "users", "audit_log"} <= tables
    _run(empty_db, "downgrade", "base")
    assert set(inspect(empty_db.engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(empty_db)
    assert schema.current_revision(empty_db) == schema.head_revision()


def test_models_match_the_migrations(empty_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from core.db import models_reports  # noqa: F401
    from core.db.schema import include_object
    from core.db.models import Base

    schema.upgrade(empty_db)
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []
