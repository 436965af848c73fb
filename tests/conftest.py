"""Shared fixtures: every database test runs on the embedded SQLite file and on PostgreSQL.

PostgreSQL: CREDITDESK_TEST_PG (default: the local server, database `test`). Each test session
works in a schema of its own, so parallel runs and leftovers never meet. With CI=true an
unreachable server fails the run; a plain local run skips those tests and says why.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from core.db import schema
from core.db.engine import Database
from core.policy import load_profile

PG_BASE = os.environ.get("CREDITDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TABLES = ("audit_events", "repair_applications", "record_corrections", "objection_attachments",
          "objection_events", "objections", "calendar_days", "users", "verifications", "report_files", "reports", "signing_keys", "credit_repairs", "arrears",
          "penalties", "enforcements", "dishonest_lists", "criminal_judgments", "enterprise_names",
          "enterprises", "import_batches", "deployment_settings")


# The tests sign people in thousands of times; argon2's deliberate cost (about 0.25 s a check on
# a slow machine) would dominate the run. Test people get cheap hashes of the same algorithm:
# every check still runs argon2id; verification reads the cost from each stored hash. The
# production parameters are checked in tests/unit/test_password_hashing.py.
CHEAP_HASH = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes():
    from argon2 import PasswordHasher

    from core.services.people import users

    production = users._hasher
    users._hasher = PasswordHasher(**CHEAP_HASH)
    yield
    users._hasher = production


def _pg_reason() -> str | None:
    try:
        engine = create_engine(PG_BASE, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"PostgreSQL at {PG_BASE} is not reachable: {str(exc).splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_url():
    reason = _pg_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"{reason} (CI=true requires it)")
        pytest.skip(reason)
    name = f"cdtest_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_BASE else "?"
    url = f"{PG_BASE}{sep}options=-csearch_path%3D{name}"
    db = Database(url)
    schema.upgrade(db)
    db.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path) -> Database:
    """An empty, migrated database of each kind."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'creditdesk.sqlite3'}")
        schema.upgrade(database)
    else:
        database = Database(request.getfixturevalue("pg_url"))
        with database.engine.begin() as conn:
            # replica: the append-only triggers (audit_events refuses TRUNCATE) stay silent here
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
            conn.execute(text("UPDATE report_counters SET value = 0 WHERE name = 'report'"))
            conn.execute(text("ALTER SEQUENCE report_serial_seq RESTART"))
    yield database
    database.dispose()


@pytest.fixture
def profile():
    return load_profile("suzhou-2024")


@pytest.fixture
def write_csv(tmp_path):
    """Write rows (first = header) as a CSV file; returns its path."""

    def write(name: str, rows: list[list[object]], encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        lines = [",".join("" if c is None else str(c) for c in row) for row in rows]
        path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
        return path

    return write


@pytest.fixture(autouse=True, scope="session")
def _private_data_dir(tmp_path_factory):
    """Error logs, keys and caches the code writes by default land in a throw-away folder, never
    in the real user's data directory."""
    if "CREDITDESK_HOME" not in os.environ:
        os.environ["CREDITDESK_HOME"] = str(tmp_path_factory.mktemp("creditdesk-home"))
    yield
