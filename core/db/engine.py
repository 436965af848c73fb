"""Engine and unit of work for both databases: the embedded SQLite file and shared PostgreSQL."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event
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


def _owner_only(path: Path, mode: int) -> None:
    """chmod `path` to `mode` when it exists and belongs to the user running this program."""
    try:
        st = path.stat()
        if hasattr(os, "getuid") and st.st_uid == os.getuid() and st.st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours, or not there: nothing to tighten


def _is_data_dir(folder: Path) -> bool:
    """Whether `folder` is this program's own data directory, which it keeps owner-only. A folder
    the database was merely put in (/tmp, a shared folder, the home folder) is never changed:
    only the database files themselves are made private."""
    from core.config import data_dir

    try:
        resolved = folder.resolve()
        if resolved == Path.home().resolve() or folder.stat().st_mode & stat.S_ISVTX:
            return False
        return resolved == data_dir().resolve()
    except OSError:
        return False


def _private_db_files(database: Path):
    """A `connect` listener: the database file (and its -wal/-shm) readable by its owner only.
    It runs before the pragmas, so the WAL files SQLite then creates take the file's 0600."""
    def tighten(_dbapi_conn, _record) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            _owner_only(database.with_name(database.name + suffix), 0o600)
    return tighten


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


def _sqlite_file_only(may_create) -> callable:
    """Open an existing SQLite file only (URI mode=rw): the driver would otherwise create a new,
    empty file on connect, and a lost database would silently answer "not found". `may_create(path)`
    says whether this connection may create the file (mode=rwc)."""
    def connect(dialect, _record, cargs, cparams) -> None:
        if cparams.get("uri") or not cargs:
            return
        name = str(cargs[0])
        if not name or name == ":memory:" or name.startswith("file:"):
            return
        path = Path(name).absolute()
        mode = "rwc" if may_create(path) else "rw"
        cargs[0] = f"file:{quote(str(path))}?mode={mode}"
        cparams["uri"] = True

    return connect


def make_engine(url: str, may_create=lambda path: True, pool_size: int | None = None) -> Engine:
    """`pool_size`: connections kept open (SQLAlchemy's default 5). A caller running more units of
    work at once should keep as many: a connection over the pool's size is opened for one unit of
    work and closed after it (on PostgreSQL a new server process each time)."""
    pool = {} if pool_size is None else {"pool_size": pool_size}
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUnavailable(f"数据库地址格式无效：{url}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            created = not folder.exists()
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data directory: owner-only
            except OSError as exc:
                raise DatabaseUnavailable(
                    f"无法在 {folder} 创建数据库文件：{exc.strerror or exc}"
                ) from None
            if created or _is_data_dir(folder):
                _owner_only(folder, 0o700)
        engine = create_engine(parsed, hide_parameters=True, **({} if parsed.database in (None, "", ":memory:") else pool))
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            event.listen(engine, "connect", _private_db_files(Path(parsed.database).expanduser().absolute()))
        event.listen(engine, "do_connect", _sqlite_file_only(may_create))
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        # hide_parameters: a driver error never carries the values (a password hash, a payload)
        from core.db.liveness import ping_when_in_doubt

        engine = create_engine(parsed, hide_parameters=True, connect_args={"connect_timeout": 5}, **pool)
        ping_when_in_doubt(engine)  # not pool_pre_ping: a round trip per unit of work (core/db/liveness.py)
        return engine
    raise DatabaseUnavailable(f"不支持的数据库类型：{parsed.get_backend_name()}（仅支持 SQLite 和 PostgreSQL）")


class Database:
    """The one object services receive: an engine, and sessions as units of work."""

    def __init__(self, url: str, *, pool_size: int | None = None):
        self.url = url
        self._creating = 0  # > 0 while init / first run / restore may create the embedded file
        self.engine = make_engine(url, self._may_create, pool_size)
        # Once the embedded file has existed, a connection never creates it again: a file deleted
        # or moved while the program runs is an error, not a new empty database. (A file that has
        # never existed is created by schema.upgrade — init, first run — which is the only caller
        # that connects before ensure_ready has refused a missing database.)
        self._existed = self.file is not None and self.file.exists()
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
        self._check_file()
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

    @contextmanager
    def connection(self, *, write: bool = False, autocommit: bool = False) -> Iterator[Connection]:
        """A unit of work on a plain Core connection, with session()'s contract (the file checked
        first, commit at the end, rollback on any error, errors in Chinese) and without an ORM
        Session — which costs as much again as a short check's own reads (the web page's).

        `autocommit=True`, on PostgreSQL only: each statement is its own transaction — no BEGIN
        and no COMMIT, two round trips saved. For work whose statements need no common snapshot:
        under PostgreSQL's READ COMMITTED (the engine's level) each statement of a transaction
        reads its own snapshot anyway, and a single write commits by itself. On SQLite the block
        stays one transaction (a snapshot there, and no round trips to save)."""
        self._check_file()
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(**{WRITE: True})
                if autocommit and self.dialect == "postgresql":
                    conn.execution_options(isolation_level="AUTOCOMMIT")  # reset when pooled again
                    yield conn
                    return
                with conn.begin():
                    yield conn
        except OperationalError as exc:
            raise unavailable(self.url, exc) from None
        except DataError:
            raise ValueRejected("有数据超出数据库允许的长度或数值范围，本次操作未保存任何内容") from None

    def ping(self) -> None:
        """Raise DatabaseUnavailable unless a connection can be made now.

        An embedded file that does not exist yet on a machine with no installation is fine when
        its folder is writable: the first run will create it (ping never creates it)."""
        if self._new_machine():
            return
        self._check_file()
        try:
            with self.engine.connect():
                pass
        except OperationalError as exc:
            raise unavailable(self.url, exc) from None

    def dispose(self) -> None:
        self.engine.dispose()

    # -- the embedded file ---------------------------------------------------------------------

    @property
    def file(self) -> Path | None:
        """The embedded database's file (None for PostgreSQL or an in-memory database)."""
        if not hasattr(self, "_file"):
            from core.db.installation import sqlite_path

            self._file = sqlite_path(self.url) if self.is_embedded else None
        return self._file

    @contextmanager
    def creating(self) -> Iterator[None]:
        """Within this block (init, first run, restore) a missing embedded file may be created."""
        self._creating += 1
        try:
            yield
        finally:
            self._creating -= 1

    def file_problem(self) -> str | None:
        """Why the embedded file cannot be used now (gone, moved, read-only), or None."""
        path = self.file
        if path is None or self._creating:
            return None
        if not path.is_file():
            return f"数据库文件不见了：{path}"
        if not os.access(path, os.R_OK | os.W_OK):
            return f"数据库文件不可读写：{path}"
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return f"数据库所在文件夹不可写：{path.parent}"
        return None

    def _may_create(self, path: Path) -> bool:
        if path.exists():
            self._existed = True
        return self._creating > 0 or not self._existed

    def _new_machine(self) -> bool:
        from core.db.installation import holds_installation

        path = self.file
        return (path is not None and not path.exists() and os.access(path.parent, os.W_OK | os.X_OK)
                and not holds_installation())

    def _check_file(self) -> None:
        problem = self.file_problem()
        if problem:
            self.engine.dispose()  # pooled connections still reach the deleted file's old contents
            raise DatabaseUnavailable(f"数据库不可用：{problem}")

    def health(self) -> str | None:
        """None when the database can be used now; otherwise one sentence saying why not."""
        problem = self.file_problem()
        if problem:
            self.engine.dispose()
            return f"数据库不可用：{problem}"
        try:
            self.ping()
        except DatabaseUnavailable as exc:
            return exc.message
        return None


def unavailable(url: str, exc: SQLAlchemyError) -> DatabaseUnavailable:
    detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    return DatabaseUnavailable(f"无法连接数据库 {describe_url(url)}：{detail}")
