"""Knowing a pooled PostgreSQL connection is still alive without a round trip on every checkout.

SQLAlchemy's `pool_pre_ping` sends a `SELECT 1` each time a connection leaves the pool — one extra
round trip per unit of work (a credit-code look-up would cost two instead of one). Instead, a
connection is pinged only when there is reason to doubt it:

- it sat in the pool longer than IDLE_PING_SECONDS (a firewall or NAT may have dropped it quietly);
- its socket is readable while idle: an idle connection has nothing to read, so the server has
  closed it or announced it is going away (a restart, `pg_terminate_backend`, a failover).

A failed ping raises DisconnectionError, on which the pool throws the connection away and opens a
new one — the same recovery pre-ping gives.
"""
from __future__ import annotations

import select
import time

from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

IDLE_PING_SECONDS = 30.0
_IDLE_SINCE = "creditdesk_idle_since"


def _server_spoke(dbapi_conn) -> bool:
    try:
        readable, _, _ = select.select([dbapi_conn.fileno()], [], [], 0)
    except (OSError, ValueError, TypeError):
        return True  # no usable socket: let the ping decide
    return bool(readable)


def ping_when_in_doubt(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _checked_in(dbapi_conn, record) -> None:
        if dbapi_conn is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None:
            return  # a connection just opened is alive
        if time.monotonic() - since <= IDLE_PING_SECONDS and not _server_spoke(dbapi_conn):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(str(exc)) from exc
