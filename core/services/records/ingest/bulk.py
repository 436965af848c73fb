"""Writing many new rows at once: the driver's executemany on SQLite, COPY on PostgreSQL.

Rows come as columns (one list of values per column). On SQLite each column is converted in one
pass with SQLAlchemy's own type processor for the dialect (the same conversion an ORM insert
would make; dates straight to their ISO text, which is what that processor writes), then the
rows go to the driver in one call. On PostgreSQL they are copied straight into the table: the
importer has already matched them against the stored records, and any constraint the table
still refuses fails the COPY as it would fail an INSERT (raised as SQLAlchemy's error of the same
kind). Both run inside the caller's unit of work, so a failure anywhere leaves nothing behind.

On SQLite an import that adds at least as many rows to a table as it held before may also leave
the table's plain (non-unique) indexes to the end (``insert_columns(..., indexes_later_but=...)``):
they are dropped and built again, in one sort each, just before the writer closes — cheaper than
a B-tree insert per row and index. The drop is part of the same transaction, so a failure or a
killed process leaves the indexes as they were; the unique ones (the last guard against a record
named twice) and those the import's own look-ups use stay throughout (an import that does not look
the table up at all — into a table empty at its start — leaves every plain index to the end).

``insert_columns(..., unless_stored=...)`` (SQLite) leaves out, instead of failing on, a row whose
unique identity is already stored, and says which rows it left out: an import into a table that
held nothing when it began finds a record its file names twice that way, with no look-up.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterator, Sequence
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
        self._added: dict[str, int] = {}  # table → rows this writer has inserted into it
        self._before: dict[str, int] = {}  # table → its highest rowid before this writer wrote
        self._indexes_later: dict[str, list[str]] = {}  # table → the CREATE INDEX of each one dropped

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
        if exc[0] is None:  # (abandoned: the rollback brings the dropped indexes back)
            connection = self.s.connection()
            for statements in self._indexes_later.values():
                for statement in statements:
                    connection.exec_driver_sql(statement)
        self._indexes_later.clear()
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
        # Text as it is, not \u-escaped: SQLite reads a CJK key in half the time.
        given = json.dumps(list(values), ensure_ascii=False)
        keys = select(literal_column("value")).select_from(func.json_each(bindparam(None, given)))
        return column.in_(keys.scalar_subquery())

    def insert(self, table: Table, rows: list[dict]) -> None:
        """Insert ``rows`` (dicts with the same keys, all of them columns of ``table``)."""
        if rows:
            self.insert_columns(table, {key: [row[key] for row in rows] for key in rows[0]})

    def insert_columns(self, table: Table, columns: dict[str, list], *, defer: bool = False,
                       indexes_later_but: Collection[str] | None = None,
                       unless_stored: Sequence[str] | None = None) -> list[int]:
        """Insert the rows given as ``columns`` (column key → values, all lists of one length).

        ``defer``: on PostgreSQL the COPY is left to finish while the caller goes on (the server
        inserting while the next rows are checked); the caller must ``flush()`` before it uses the
        connection again other than through this writer (``among`` and ``insert`` flush).
        ``indexes_later_but``: on SQLite the table's plain indexes may be built at the end (see
        the module's note), except those on these columns (first): the caller's look-ups of the
        table until the writer closes go by them (or by a unique index) alone.
        ``unless_stored`` (SQLite only): the columns of one of the table's unique constraints; a
        row whose values in them are already stored is left out instead of failing the statement
        (``ON CONFLICT (…) DO NOTHING``: every other constraint still fails it). Returns the
        positions of the rows so left out (always none without ``unless_stored``)."""
        self.flush()
        keys = list(columns)
        if not keys or not columns[keys[0]]:
            return []
        names = ", ".join(table.c[k].name for k in keys)  # only known columns reach the SQL
        if self.copy:
            if unless_stored is not None:
                raise NotImplementedError("unless_stored: SQLite only")  # (COPY has no ON CONFLICT)
            copy = _Copy(self.s, f"COPY {table.name} ({names}) FROM STDIN", queued=defer)
            copy.send(zip(*columns.values()))
            if defer:
                self._pending = copy
            else:
                copy.end(None, None, None)
            return []
        n = len(columns[keys[0]])
        if indexes_later_but is not None:
            self._indexes_later_when_worth_it(table, n, indexes_later_but)
        dialect = self.s.get_bind().dialect
        values = [_converted(columns[k], _processor(table.c[k].type, dialect)) for k in keys]
        marks = ", ".join("?" * len(keys))
        statement = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        if unless_stored is not None:
            statement += f" ON CONFLICT ({', '.join(table.c[k].name for k in unless_stored)}) DO NOTHING"
        inserted = self.s.connection().exec_driver_sql(statement, list(zip(*values))).rowcount
        self._added[table.name] = self._added.get(table.name, 0) + inserted
        if unless_stored is None or inserted == n:
            return []
        return self._left_out(table, columns, unless_stored, inserted)

    def _left_out(self, table: Table, columns: dict[str, list], keys: Sequence[str],
                  inserted: int) -> list[int]:
        """Positions of the rows of ``columns`` that the last insert left out: its ``inserted``
        rows are the table's last ones (SQLite gives each new row the highest rowid plus one), in
        the order given; matched against the rows given, in order, the rest are the ones left out
        (a row left out for an identity already stored cannot precede one inserted with it)."""
        identity = [table.c[k] for k in keys]
        newest = literal_column("rowid").desc()
        last = self.s.execute(select(*identity).order_by(newest).limit(inserted)).all()
        stored = [tuple(row) for row in reversed(last)]
        left_out, j = [], 0
        for i, ident in enumerate(zip(*(columns[k] for k in keys))):
            if j < len(stored) and ident == stored[j]:
                j += 1
            else:
                left_out.append(i)
        if j != len(stored):  # the rows read back are not this insert's: never silently guess
            raise RuntimeError(f"{table.name}: {len(stored) - j} inserted rows not matched")
        return left_out

    def _indexes_later_when_worth_it(self, table: Table, adding: int, kept: Collection[str]) -> None:
        """Drop ``table``'s plain indexes, but those led by a ``kept`` column, to build them at the
        end — once this writer, with the ``adding`` rows about to go in, adds at least as many rows
        as the table held before: then one sort of the whole table costs less than keeping each
        index up to date row by row. (A small file into a big table never gets here.)"""
        name = table.name
        if name in self._indexes_later:
            return
        connection = self.s.connection()
        if name not in self._before:  # the highest rowid: no fewer than the rows, found at once
            self._before[name] = connection.exec_driver_sql(f"SELECT max(rowid) FROM {name}").scalar() or 0
        if self._added.get(name, 0) + adding < self._before[name]:
            return
        unique = {row[1] for row in connection.exec_driver_sql(f"PRAGMA index_list({name})") if row[2]}
        kept_names = {table.c[k].name for k in kept}
        statements = []
        for index, sql in connection.exec_driver_sql(  # made by CREATE INDEX, oldest first
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL ORDER BY rowid", (name,)).all():
            leading = connection.exec_driver_sql(f'PRAGMA index_info("{index}")').first()[2]
            if index not in unique and leading not in kept_names:
                connection.exec_driver_sql(f'DROP INDEX "{index}"')
                statements.append(sql)
        self._indexes_later[name] = statements

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
    if process is date.isoformat:  # a date column repeats its days: each written once
        texts = {day: day.isoformat() for day in set(values) if day is not None}
        texts[None] = None
        return list(map(texts.__getitem__, values))
    return list(map(process, values))
