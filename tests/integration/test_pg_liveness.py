"""A pooled PostgreSQL connection is pinged only when in doubt, and a dead one never reaches a clerk.

core/db/liveness.py replaces pool_pre_ping (a round trip on every unit of work): a connection the
server has closed, or one idle for long, is pinged at checkout and replaced when the ping fails."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import event, text

import core.db.liveness as liveness
from core.services.records.lookup import LookupService
from tests.factories import add_enterprise
from tests.integration.test_statement_counts import Counter, measured

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(request):
    from core.db.engine import Database

    database = Database(request.getfixturevalue("pg_url"))
    yield database
    database.dispose()


def _pooled_backend_pid(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _terminate(db, pid: int) -> None:
    with db.engine.connect() as conn:  # a second pooled connection: the first sits idle in the pool
        with db.engine.connect() as other:
            assert other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        conn.rollback()
    deadline = time.monotonic() + 5
    with db.engine.connect() as conn:
        while conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                           {"pid": pid}).scalar_one() and time.monotonic() < deadline:
            time.sleep(0.05)


def test_a_connection_the_server_closed_is_replaced_before_the_look_up(pg):
    code = add_enterprise(pg, "苏州恒达精密机械有限公司")
    lookup = LookupService(pg)
    pg.engine.dispose()
    pid = _pooled_backend_pid(pg)  # one connection in the pool now
    _terminate(pg, pid)  # as a server restart or an administrator would

    dropped = []
    event.listen(pg.engine, "invalidate", lambda _conn, _record, exc: dropped.append(exc))
    info = lookup.get(code)
    assert info.name == "苏州恒达精密机械有限公司"  # answered: not 数据库连接失败
    assert len(dropped) == 1  # the dead connection was found at checkout and thrown away
    assert _pooled_backend_pid(pg) != pid


def test_a_quiet_pooled_connection_costs_no_ping_and_a_long_idle_one_is_pinged(pg, monkeypatch):
    code = add_enterprise(pg, "苏州恒达精密机械有限公司")
    lookup = LookupService(pg)
    counter = Counter(pg.engine)
    measured(counter, lambda: lookup.get(code))
    assert counter.pings == 0 and counter.round_trips == 1, counter.trace

    monkeypatch.setattr(liveness, "IDLE_PING_SECONDS", 0.0)  # every pooled connection now "idle long"
    time.sleep(0.01)
    with counter:
        lookup.get(code)
    assert counter.pings == 1 and counter.round_trips == 2, counter.trace
