"""The bulk writer of imports: a row the table refuses fails the whole unit of work, on
SQLite (executemany) as on PostgreSQL (COPY straight into the table, also when deferred)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core.db.models import Enterprise
from core.services.records.ingest.bulk import BulkWriter
from tests.factories import new_uscc


def _rows(*codes: str) -> dict[str, list]:
    n = len(codes)
    return {"uscc": list(codes), "name": [f"苏州测试{i}有限公司" for i in range(n)],
            "division": ["320500"] * n, "kind": ["企业"] * n, "source_unit": ["测试单位"] * n,
            "founded_on": [date(2020, 1, 2)] + [None] * (n - 1)}


def _count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Enterprise))


def test_rows_given_as_columns_are_stored_as_given(db):
    codes = [new_uscc() for _ in range(3)]
    with db.session(write=True) as s, BulkWriter(s) as writer:
        writer.insert_columns(Enterprise.__table__, _rows(*codes), defer=True)
        found = s.execute(select(Enterprise.uscc, Enterprise.founded_on)
                          .where(writer.among(Enterprise.uscc, codes)).order_by(Enterprise.id)).all()
    assert [tuple(r) for r in found] == [(codes[0], date(2020, 1, 2)), (codes[1], None), (codes[2], None)]


@pytest.mark.parametrize("defer", [False, True])
def test_a_row_the_table_refuses_fails_everything(db, defer):
    first, second = new_uscc(), new_uscc()
    with pytest.raises(IntegrityError):
        with db.session(write=True) as s, BulkWriter(s) as writer:
            writer.insert_columns(Enterprise.__table__, _rows(first))
            writer.insert_columns(Enterprise.__table__, _rows(second, first), defer=defer)
            writer.flush()
    assert _count(db) == 0


def test_a_deferred_copy_is_finished_when_the_writer_closes(db):
    code = new_uscc()
    with pytest.raises(IntegrityError):
        with db.session(write=True) as s, BulkWriter(s) as writer:
            writer.insert_columns(Enterprise.__table__, _rows(code, code), defer=True)
    assert _count(db) == 0
