"""Engine and unit of work for both databases: the embedded SQLite file and shared PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import DatabaseUnavailable, ValueRejected

WRITE = "creditdesk_write"  # execution option: this unit of work will write


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()
    dbapi_conn.isolation_level = None  # transactions are begun by _sqlite_begin, not the driver


def _sqlite_begin(conn) -> None:
    """A writing unit of work takes SQLite's write lock at once (BEGIN IMMEDIATE): two writers
    then queue on busy_timeout instead of one failing when it upgrades from reading to writing."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


def describe_url(url: str) -> str:
    """The URL as a person may see it: without the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"数据库地址格式无效：{url}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"无法在 {folder} 创建数据库文件：{exc.strerror or exc}"
                ) from None
        engine = create_engine(parsed, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # hide_parameters: a driver error never carries the values (a password hash, a payload)
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True,
                             connect_args={"connect_timeout": 5})
    raise DatabaseUnavailable(f"不支持的数据库类型：{parsed.get_backend_name()}（仅支持 SQLite 和 PostgreSQL）")


class Database:
    """The one object services receive: an engine, and sessions as units of work."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._writers = sessionmaker(self.engine.execution_options(**{WRITE: True}),
                                     expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def is_embedded(self) -> bool:
        return self.dialect == "sqlite"

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: commits when the block ends, rolls back on any error.

        `write=True` for a unit of work that writes: on SQLite it holds the write lock from its
        first statement, so what it read cannot change before it writes (the audit chain's head).
        """
        session = (self._writers if write else self._sessions)()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            raise unavailable(self.url, exc) from None
        except DataError:
            session.rollback()
            raise ValueRejected("有数据超出数据库允许的长度或数值范围，本次操作未保存任何内容") from None
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a connection can be made now."""
        try:
            with self.engine.connect():
                pass
        except OperationalError as exc:
            raise unavailable(self.url, exc) from None

    def dispose(self) -> None:
        self.engine.dispose()


def unavailable(url: str, exc: SQLAlchemyError) -> DatabaseUnavailable:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    return DatabaseUnavailable(f"无法连接数据库 {describe_url(url)}：{detail}")
