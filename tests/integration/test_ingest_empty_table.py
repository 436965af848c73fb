"""An import into a table that holds no record yet (SQLite) skips the look-up of stored records:
every stored record is then this file's, and a row naming one again is found by the insert
itself, through the table's unique identity (``ON CONFLICT … DO NOTHING``), and refused. The
rejections must be exactly those of the look-up path, for every kind identified that way and
wherever the repeats fall; a failure half-way leaves nothing, and the indexes as they were
(all the table's plain indexes are built at the end then). Both databases: PostgreSQL always
looks up, so the same assertions hold there.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from core.db.models import CriminalJudgment, DishonestListing, Enforcement, Penalty
from core.services.records.ingest.bulk import BulkWriter
from core.services.records.ingest.importer import CHUNK_ROWS, ImportService
from core.services.records.ingest.readers import UnreadableFile
from tests.factories import add_enterprise
from tests.integration.test_ingest_bounded import HEADER, row, write_rows
from tests.integration.test_ingest_indexes_later import _indexes
from tests.integration.test_national_record_kinds import KINDS, _row

EARLIER = "与本文件中前面的一行重复"
LOOKUP_COLUMN = {"penalties": "行政处罚决定书文号", "enforcement": "决定书文号", "criminal": "案号",
                 "dishonest_lists": "统一社会信用代码"}


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def _numbered(k, code: str, i: int) -> list[str]:
    """The kind's good row with its own identity: the third cell (文号, 案号, 名单名称) numbered."""
    cells = _row(k.good, code)
    cells[2] = f"{cells[2]}-{i}"
    return cells


@pytest.fixture
def national():
    from core.policy import load_profile

    return load_profile("national-2025")


@pytest.mark.parametrize("k", KINDS, ids=[k.kind for k in KINDS])
def test_repeats_across_chunks_are_refused_as_by_the_look_up(db, national, write_csv, k):
    code, other = add_enterprise(db), add_enterprise(db, name="苏州另一家有限公司")
    n = 2 * CHUNK_ROWS + 20
    rows = [_numbered(k, code, i) for i in range(n)]
    # Repeats of chunk 1's first and last rows in chunk 2 (its first row, one in the middle),
    # two in chunk 3, one of them a repeat of a chunk-2 row, and one naming another enterprise
    # (the same record for a decision number; a new identity for a listing, which has the code).
    repeats = {CHUNK_ROWS: 0, CHUNK_ROWS + 7: CHUNK_ROWS - 1, 2 * CHUNK_ROWS + 3: CHUNK_ROWS + 1,
               2 * CHUNK_ROWS + 19: 5}
    for at, first in repeats.items():
        rows[at] = _numbered(k, code, first)
    rows[2 * CHUNK_ROWS + 11] = _numbered(k, other, 17)
    path = write_csv(f"{k.kind}.csv", [k.header, *rows])

    result = ImportService(db, national).import_file(k.kind, path, user="导入员")

    refused = sorted(repeats) + ([] if k.kind == "dishonest_lists" else [2 * CHUNK_ROWS + 11])
    expected = [(i + 2, LOOKUP_COLUMN[k.kind], EARLIER) for i in sorted(refused)]
    assert [(r.row, r.column, r.reason) for r in result.rejected] == expected
    assert (result.accepted, result.updated, result.rejected_rows) == (n - len(refused), 0, len(refused))
    assert _count(db, k.model) == n - len(refused)

    # The same file into a table that already holds an unrelated record (the look-up path):
    # the same rejections, row for row; then the whole file once more: every row an update,
    # apart from the repeats.
    with db.session(write=True) as s:
        s.execute(k.model.__table__.delete())
    ImportService(db, national).import_file(
        k.kind, write_csv("other.csv", [k.header, _numbered(k, code, n + 100)]), user="导入员")
    looked_up = ImportService(db, national).import_file(k.kind, path, user="导入员")
    assert [(r.row, r.column, r.reason) for r in looked_up.rejected] == expected
    assert (looked_up.accepted, looked_up.updated) == (n - len(refused), 0)
    again = ImportService(db, national).import_file(k.kind, path, user="导入员")
    assert [(r.row, r.column, r.reason) for r in again.rejected] == expected
    assert (again.accepted, again.updated) == (n - len(refused), n - len(refused))
    assert _count(db, k.model) == n - len(refused) + 1


def test_the_earlier_row_is_the_one_kept(db, profile, tmp_path):
    rows = [row(i) for i in range(CHUNK_ROWS + 10)]
    rows[CHUNK_ROWS + 2] = row(4, **{"违法事实": "重复行的违法事实"})
    result = ImportService(db, profile).import_file("penalties", write_rows(tmp_path / "处罚.csv", rows), user="t")
    assert [(r.row, r.reason) for r in result.rejected] == [(CHUNK_ROWS + 4, EARLIER)]
    with db.session() as s:
        assert s.scalars(select(Penalty.facts).where(Penalty.decision_no == "苏基准罚〔2025〕4号")).all() \
            == ["第4行的违法事实"]


def test_a_file_failing_half_way_into_an_empty_table_leaves_nothing(db, profile, tmp_path):
    before = _indexes(db)
    path = tmp_path / "处罚信息.csv"
    with open(path, "wb") as fh:
        fh.write((",".join(HEADER) + "\n").encode())
        for i in range(2 * CHUNK_ROWS + 100):  # two chunks stored before the bad line is read
            fh.write((",".join(row(i)) + "\n").encode())
        fh.write((",".join(row(i + 1)) + "\n").encode("gb18030"))  # not UTF-8
    with pytest.raises(UnreadableFile):
        ImportService(db, profile).import_file("penalties", path, user="t")
    assert _indexes(db) == before
    assert _count(db, Penalty) == 0
    if db.is_embedded:
        with db.session() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_after_an_import_into_an_empty_table_every_index_holds_every_row(db, profile, tmp_path):
    before = _indexes(db)
    n = CHUNK_ROWS + 50
    ImportService(db, profile).import_file(
        "penalties", write_rows(tmp_path / "处罚.csv", [row(i) for i in range(n)]), user="t")
    assert _indexes(db) == before
    if db.is_embedded:
        with db.session() as s:
            assert s.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            for index in ("ix_penalties_decision_no", "ix_penalties_uscc_date"):
                assert s.scalar(text(f"SELECT count(*) FROM penalties INDEXED BY {index} "
                                     f"WHERE decision_no > '' OR uscc > ''")) == n


# -- the writer's insert that leaves out rows already stored (SQLite) --------------------------


def _listing(code: str, name: str, listed_on: str) -> dict:
    from datetime import date

    return {"uscc": code, "party_name": "恒达公司", "list_name": name, "authority": "苏州市税务局",
            "listed_on": date.fromisoformat(listed_on), "source_unit": "苏州市税务局"}


def _columns(rows: list[dict]) -> dict[str, list]:
    return {key: [r[key] for r in rows] for key in rows[0]}


IDENTITY = ("uscc", "authority", "list_name", "listed_on")


EMBEDDED = pytest.mark.parametrize("db", ["sqlite"], indirect=True)  # the shared fixture, SQLite only


@EMBEDDED
def test_unless_stored_gives_the_positions_left_out(db):
    code = add_enterprise(db)
    with db.session(write=True) as s, BulkWriter(s) as writer:
        first = [_listing(code, "甲", "2024-01-01"), _listing(code, "乙", "2024-01-02")]
        assert writer.insert_columns(DishonestListing.__table__, _columns(first), unless_stored=IDENTITY) == []
        # Stored ones at the start, the middle and the end; one twice in the rows given (the
        # second is left out too); a new one with a stored name but another date is new.
        second = [_listing(code, "甲", "2024-01-01"), _listing(code, "丙", "2024-01-03"),
                  _listing(code, "乙", "2024-01-02"), _listing(code, "丙", "2024-01-03"),
                  _listing(code, "甲", "2024-01-09"), _listing(code, "乙", "2024-01-02")]
        left_out = writer.insert_columns(DishonestListing.__table__, _columns(second), unless_stored=IDENTITY)
        assert left_out == [0, 2, 3, 5]
        stored = s.execute(select(DishonestListing.list_name, DishonestListing.listed_on)
                           .order_by(DishonestListing.id)).all()
    assert [(name, day.isoformat()) for name, day in stored] == [
        ("甲", "2024-01-01"), ("乙", "2024-01-02"), ("丙", "2024-01-03"), ("甲", "2024-01-09")]


@EMBEDDED
def test_unless_stored_relaxes_no_other_constraint(db):
    code = add_enterprise(db)
    bad = _listing(code, "甲", "2024-01-01")
    bad["source_unit"] = None  # NOT NULL
    with pytest.raises(IntegrityError):
        with db.session(write=True) as s, BulkWriter(s) as writer:
            writer.insert_columns(DishonestListing.__table__, _columns([bad]), unless_stored=IDENTITY)
    assert _count(db, DishonestListing) == 0


def test_unless_stored_is_refused_on_postgresql(pg_url):
    from core.db.engine import Database

    db = Database(pg_url)
    try:
        with pytest.raises(NotImplementedError), db.session(write=True) as s, BulkWriter(s) as writer:
            writer.insert_columns(Enforcement.__table__, {"uscc": ["x"]}, unless_stored=("organ", "decision_no"))
    finally:
        db.dispose()


def test_models_identified_this_way_have_the_unique_constraint():
    """The insert names the identity as its conflict target: SQLite refuses the statement unless a
    unique index has exactly those columns (a guard against a model changed without the import)."""
    identities = {Penalty: {"organ", "decision_no"}, Enforcement: {"organ", "decision_no"},
                  CriminalJudgment: {"court", "case_no"}, DishonestListing: set(IDENTITY)}
    for model, identity in identities.items():
        uniques = [{c.name for c in u.columns} for u in model.__table__.constraints
                   if u.__class__.__name__ == "UniqueConstraint"]
        assert identity in uniques, model
