"""Writing many new rows at once: the driver's executemany on SQLite, COPY through a staging
table on PostgreSQL.

Values are converted column by column with SQLAlchemy's own type processors for the dialect (the
same conversion an ORM insert would make), then handed to the driver in one call. Both run inside
the caller's unit of work, so a failure anywhere leaves nothing behind.
"""
from __future__ import annotations

import json
from collections.abc import Collection
from operator import itemgetter

from sqlalchemy import ColumnElement, Table, any_, bindparam, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session


IMPORT_CACHE_KIB = 32 * 1024


class BulkWriter:
    def __init__(self, s: Session):
        self.s = s
        self.copy = s.get_bind().dialect.name == "postgresql"
        self._staged: dict[tuple, str] = {}
        self._cache: int | None = None

    def __enter__(self) -> BulkWriter:
        if not self.copy:  # a bigger page cache while the indexes grow, for this connection only
            connection = self.s.connection()
            self._cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        return self

    def __exit__(self, *exc) -> None:
        if self._cache is not None:  # the pooled connection goes back as it was
            self.s.connection().exec_driver_sql(f"PRAGMA cache_size={int(self._cache)}")

    def among(self, column, values: Collection[str]) -> ColumnElement[bool]:
        """``column`` is one of ``values`` — with one parameter, however many values there are
        (an expanding IN of thousands of placeholders costs more to build than to run)."""
        if self.copy:
            return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
        keys = select(literal_column("value")).select_from(func.json_each(bindparam(None, json.dumps(list(values)))))
        return column.in_(keys.scalar_subquery())

    def insert(self, table: Table, rows: list[dict]) -> None:
        """Insert ``rows`` (dicts with the same keys, all of them columns of ``table``; on SQLite
        their values are converted in place)."""
        if not rows:
            return
        columns = list(rows[0])
        names = ", ".join(table.c[c].name for c in columns)  # only known columns reach the SQL
        if not self.copy:
            dialect = self.s.get_bind().dialect
            for key in columns:
                process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
                if process is not None:
                    for row in rows:
                        row[key] = process(row[key])
            marks = ", ".join("?" * len(columns))
            self.s.connection().exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                                                list(map(itemgetter(*columns), rows)))
            return
        staging = self._staged.get((table.name, *columns))
        if staging is None:
            staging = f"staging_{table.name}_{len(self._staged)}"
            # Column types as in the table, no constraints, no indexes; gone at commit or rollback.
            self.s.execute(text(f"CREATE TEMP TABLE {staging} ON COMMIT DROP AS "
                                f"SELECT {names} FROM {table.name} WITH NO DATA"))
            self._staged[(table.name, *columns)] = staging
        raw = self.s.connection().connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for values in map(itemgetter(*columns), rows):
                copy.write_row(values)
        self.s.execute(text(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging}"))
        self.s.execute(text(f"TRUNCATE {staging}"))
