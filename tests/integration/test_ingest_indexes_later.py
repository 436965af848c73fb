"""A big import on SQLite builds the penalties table's plain indexes at the end (bulk.py): whatever
happens, the table keeps exactly the indexes it had — after an import that succeeds, and after one
that fails half-way (the drop is rolled back with everything else) — and the report's look-up by
credit code still goes through its index. On PostgreSQL nothing is dropped; the same checks hold.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from core.db.models import Penalty
from core.services.records.ingest.importer import CHUNK_ROWS, ImportService
from core.services.records.ingest.readers import UnreadableFile
from tests.integration.test_ingest_bounded import HEADER, row, write_rows


def _indexes(db) -> set[tuple[str, str | None]]:
    with db.session() as s:
        if db.is_embedded:
            found = s.execute(text("SELECT name, sql FROM sqlite_master "
                                   "WHERE type = 'index' AND tbl_name = 'penalties'")).all()
        else:
            found = s.execute(text("SELECT indexname, indexdef FROM pg_indexes "
                                   "WHERE tablename = 'penalties' AND schemaname = current_schema()")).all()
    return {tuple(r) for r in found}


def _stored(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Penalty))


def test_an_import_of_several_chunks_leaves_the_same_indexes(db, profile, tmp_path):
    before = _indexes(db)
    assert {name for name, _ in before} >= {"ix_penalties_uscc_date", "ix_penalties_decision_no"}
    n = 2 * CHUNK_ROWS + 10
    rows = [row(i) for i in range(n)] + [row(3)]  # the last names row 3 again: refused
    result = ImportService(db, profile).import_file("penalties", write_rows(tmp_path / "处罚.csv", rows),
                                                    user="t")
    assert (result.accepted, result.rejected_rows) == (n, 1)
    assert result.rejected[0].reason == "与本文件中前面的一行重复"
    assert _indexes(db) == before
    if db.is_embedded:  # the index answers the report's look-up, and it holds every row
        with db.session() as s:
            plan = " ".join(r[-1] for r in s.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM penalties WHERE uscc = :u ORDER BY decision_date"),
                {"u": row(0)[1]}))
            assert "ix_penalties_uscc_date" in plan
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_second_file_bigger_than_the_table_keeps_finding_the_stored_records(db, profile, tmp_path):
    service = ImportService(db, profile)
    service.import_file("penalties", write_rows(tmp_path / "第一批.csv", [row(i) for i in range(100)]), user="t")
    # The second file repeats the first 100 (updates) and adds a chunk and more of new ones.
    changed = [row(i, 违法事实="更正后的事实") for i in range(100)]
    result = service.import_file("penalties", write_rows(
        tmp_path / "第二批.csv", changed + [row(i) for i in range(100, CHUNK_ROWS + 300)]), user="t")
    assert (result.accepted, result.updated, result.rejected_rows) == (CHUNK_ROWS + 300, 100, 0)
    assert _stored(db) == CHUNK_ROWS + 300
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Penalty.facts == "更正后的事实")) == 100


def test_a_file_failing_half_way_leaves_the_indexes_as_they_were(db, profile, tmp_path):
    service = ImportService(db, profile)
    service.import_file("penalties", write_rows(tmp_path / "旧.csv", [row(0), row(1)]), user="t")
    before = _indexes(db)
    path = tmp_path / "处罚信息.csv"
    with open(path, "wb") as fh:
        fh.write((",".join(HEADER) + "\n").encode())
        for i in range(2, 2 * CHUNK_ROWS + 100):  # two chunks stored before the bad line is read
            fh.write((",".join(row(i)) + "\n").encode())
        fh.write((",".join(row(i + 1)) + "\n").encode("gb18030"))  # not UTF-8
    with pytest.raises(UnreadableFile):
        service.import_file("penalties", path, user="t")
    assert _indexes(db) == before
    assert _stored(db) == 2


@pytest.mark.parametrize("table, column, index", [
    ("enforcements", "decision_no", "ix_enforcements_decision_no"),
    ("criminal_judgments", "case_no", "ix_criminal_judgments_case_no"),
    ("penalties", "decision_no", "ix_penalties_decision_no"),
])
def test_an_imports_identity_look_up_goes_through_an_index(db, table, column, index):
    """Each chunk of an import asks which of its decision / case numbers are stored already (to
    refuse one another enterprise owns): that question has an index of its own, not a scan."""
    with db.session() as s:
        if db.is_embedded:
            plan = " ".join(str(r) for r in s.execute(text(
                f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE {column} IN ('a', 'b')")))
            assert index in plan
        else:
            found = s.scalar(text("SELECT indexdef FROM pg_indexes WHERE indexname = :i "
                                  "AND schemaname = current_schema()"), {"i": index})
            assert found is not None and f"({column})" in found
