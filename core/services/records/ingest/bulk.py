"""Writing many new rows at once: the driver's executemany on SQLite, COPY on PostgreSQL.

Rows come as columns (one list of values per column). On SQLite each column is converted in one
pass with SQLAlchemy's own type processor for the dialect (the same conversion an ORM insert
would make; dates straight to their ISO text, which is what that processor writes), then the
rows go to the driver in one call. On PostgreSQL they are copied straight into the table: the
importer has already matched them against the stored records, and any constraint the table
still refuses fails the COPY as it would fail an INSERT (raised as SQLAlchemy's error of the same
kind). Both run inside the caller's unit of work, so a failure anywhere leaves nothing behind.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from datetime import date

from sqlalchemy import ColumnElement, Date, Table, Text, any_, bindparam, cast, func, literal_column, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Session


IMPORT_CACHE_KIB = 32 * 1024


class BulkWriter:
    def __init__(self, s: Session):
        self.s = s
        self.copy = s.get_bind().dialect.name == "postgresql"
        self._cache: int | None = None
        self._pending: _Copy | None = None

    def __enter__(self) -> BulkWriter:
        if not self.copy:  # a bigger page cache while the indexes grow, for this connection only
            connection = self.s.connection()
            self._cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        return self

    def __exit__(self, *exc) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            if exc[0] is None:
                pending.end(None, None, None)
            else:  # abandoned: the transaction is rolled back, the error on its way is the one to see
                with suppress(Exception):
                    pending.end(*exc)
        if self._cache is not None:  # the pooled connection goes back as it was
            self.s.connection().exec_driver_sql(f"PRAGMA cache_size={int(self._cache)}")

    def among(self, column, values: Collection[str]) -> ColumnElement[bool]:
        """``column`` is one of ``values`` — with one parameter, however many values there are
        (an expanding IN of thousands of placeholders costs more to build than to run)."""
        self.flush()  # the statement is about to run on this connection
        if self.copy:  # the array made by the server from JSON (the driver's is built in Python);
            # "= ANY(array)" lets the planner use the column's index however stale its statistics
            given = cast(bindparam(None, json.dumps(list(values)), type_=Text), JSONB)
            elements = func.jsonb_array_elements_text(given).table_valued("value")
            array = select(func.array_agg(elements.c.value)).scalar_subquery()
            return column == any_(cast(array, ARRAY(column.type)))
        keys = select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(list(values)))))
        return column.in_(keys.scalar_subquery())

    def insert(self, table: Table, rows: list[dict]) -> None:
        """Insert ``rows`` (dicts with the same keys, all of them columns of ``table``)."""
        if rows:
            self.insert_columns(table, {key: [row[key] for row in rows] for key in rows[0]})

    def insert_columns(self, table: Table, columns: dict[str, list], *, defer: bool = False) -> None:
        """Insert the rows given as ``columns`` (column key → values, all lists of one length).

        ``defer``: on PostgreSQL the COPY is left to finish while the caller goes on (the server
        inserting while the next rows are checked); the caller must ``flush()`` before it uses the
        connection again other than through this writer (``among`` and ``insert`` flush)."""
        self.flush()
        keys = list(columns)
        if not keys or not columns[keys[0]]:
            return
        names = ", ".join(table.c[k].name for k in keys)  # only known columns reach the SQL
        if self.copy:
            copy = _Copy(self.s, f"COPY {table.name} ({names}) FROM STDIN", queued=defer)
            copy.send(zip(*columns.values()))
            if defer:
                self._pending = copy
            else:
                copy.end(None, None, None)
            return
        dialect = self.s.get_bind().dialect
        values = [_converted(columns[k], _processor(table.c[k].type, dialect)) for k in keys]
        marks = ", ".join("?" * len(keys))
        self.s.connection().exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                            list(zip(*values)))

    def flush(self) -> None:
        """Wait until a deferred COPY has finished (its errors are raised here)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.end(None, None, None)


class _Copy:
    """One COPY … FROM STDIN on the session's connection; a failure is raised as SQLAlchemy's
    error of the same kind, as an INSERT through SQLAlchemy would raise it."""

    def __init__(self, s: Session, statement: str, *, queued: bool):
        from psycopg.copy import QueuedLibpqWriter

        self.statement = statement
        self.dialect = s.get_bind().dialect
        self.cursor = s.connection().connection.driver_connection.cursor()
        # Queued: rows are handed to a worker thread that waits on the socket, not the caller.
        writer = QueuedLibpqWriter(self.cursor) if queued else None
        self.manager = self.cursor.copy(statement, writer=writer)

    def send(self, rows) -> None:
        with self._translated():
            copy = self.manager.__enter__()
            try:
                write = copy.write_row
                for row in rows:
                    write(row)
            except BaseException as exc:
                self.end(type(exc), exc, exc.__traceback__)
                raise

    def end(self, exc_type, exc, tb) -> None:
        """Finish the COPY (or, with an exception, abort it) and wait for the server."""
        try:
            with self._translated():
                self.manager.__exit__(exc_type, exc, tb)
        finally:
            self.cursor.close()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        dbapi = self.dialect.dbapi
        try:
            yield
        except dbapi.Error as exc:
            raise DBAPIError.instance(self.statement, None, exc, dbapi.Error, dialect=self.dialect) from exc


def _processor(type_, dialect) -> Callable | None:
    """The dialect's conversion of a Python value for ``type_`` (None: the value goes as it is)."""
    impl = type_.dialect_impl(dialect)
    if isinstance(impl, Date) and getattr(impl, "_storage_format", None) == _ISO_DATE:
        return date.isoformat  # the SQLite DATE processor's own output, without its formatting
    return impl.bind_processor(dialect)


_ISO_DATE = "%(year)04d-%(month)02d-%(day)02d"


def _converted(values: list, process: Callable | None) -> list:
    """``values`` through ``process`` in one pass, None left as it is."""
    if process is None:
        return values
    if process is date.isoformat:
        return [None if v is None else process(v) for v in values]
    return list(map(process, values))
