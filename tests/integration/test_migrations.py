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
    assert {"enterprises", "penalties", "reports", "signing_keys", "users", "audit_events"} <= tables
    assert "audit_log" not in tables
    _run(empty_db, "downgrade", "base")
    assert set(inspect(empty_db.engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(empty_db)
    assert schema.current_revision(empty_db) == schema.head_revision()


def test_models_match_the_migrations(empty_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from core.db import models_audit, models_objections, models_reports  # noqa: F401
    from core.db.schema import include_object
    from core.db.models import Base

    schema.upgrade(empty_db)
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_audit_log_rows_become_a_verified_chain_and_come_back_on_downgrade(empty_db):
    from datetime import datetime

    from core.services.people import audit_chain

    _run(empty_db, "upgrade", "0003")
    with empty_db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_log (id, at, username, counter, action, subject, detail) VALUES "
            "(1, '2026-11-20 09:00:00', 'clerk', '三号窗口', 'login', NULL, NULL), "
            "(2, '2026-11-20 09:05:00', 'clerk', '三号窗口', 'issue', 'SZ-2026-00000001', '913205'), "
            "(3, '2026-11-20 09:06:00', 'boss', '一号窗口', 'revoke', 'SZ-2026-00000001', '企业申请')"))
    _run(empty_db, "upgrade", "head")
    with empty_db.session() as s:
        events = audit_chain.events_for(s, action="revoke", subject="SZ-2026-00000001")
    assert [(e.seq, e.actor, e.counter, e.details) for e in events] == [(3, "boss", "一号窗口", {"detail": "企业申请"})]
    assert events[0].at == datetime(2026, 11, 20, 9, 6)
    chain = [(e.seq, e.action) for e in audit_chain.recent(empty_db)]
    assert chain == [(3, "revoke"), (2, "issue"), (1, "login")]
    # the chain is sound as far as the links go; the issue event has no archived report behind it
    check = audit_chain.verify_chain(empty_db)
    assert check.count == 3 and check.broken_seq == 2 and "SZ-2026-00000001" in check.problem

    _run(empty_db, "downgrade", "0003")
    with empty_db.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT id, username, action, subject, detail FROM audit_log ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [
        (1, "clerk", "login", None, None), (2, "clerk", "issue", "SZ-2026-00000001", "913205"),
        (3, "boss", "revoke", "SZ-2026-00000001", "企业申请")]
    assert "audit_events" not in set(inspect(empty_db.engine).get_table_names())
    _run(empty_db, "upgrade", "head")
    assert audit_chain.verify_chain(empty_db).count == 3


@pytest.mark.parametrize("empty_db", ["postgresql"], indirect=True)
def test_postgresql_report_counter_continues_the_sequence(empty_db):
    _run(empty_db, "upgrade", "0003")
    with empty_db.engine.begin() as conn:
        for _ in range(7):
            conn.execute(text("SELECT nextval('report_serial_seq')"))
    _run(empty_db, "upgrade", "head")
    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM report_counters WHERE name = 'report'")).scalar() == 7
        roles = {r for (r,) in conn.execute(text(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'creditdesk_%'"))}
    assert {"creditdesk_counter", "creditdesk_readonly"} <= roles
    with empty_db.engine.begin() as conn:
        conn.execute(text("UPDATE report_counters SET value = 9 WHERE name = 'report'"))
    _run(empty_db, "downgrade", "0003")
    with empty_db.engine.begin() as conn:
        assert conn.execute(text("SELECT nextval('report_serial_seq')")).scalar() == 10
        assert conn.execute(text("SELECT count(*) FROM report_counters")).scalar() == 0
