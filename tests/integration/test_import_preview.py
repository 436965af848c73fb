"""数据导入 without a window, on SQLite and PostgreSQL: the preview reads what the import would read
and writes nothing; progress and cancel through the use case (a cancel rolls the whole file back);
the rejected rows as XLSX; the batches per providing unit; only 管理员 may do any of it."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from core.errors import PermissionDenied
from core.services.people.roles import Role
from core.services.records.ingest.cancel import CANCELLED, ImportCancelled
from core.services.records.ingest.importer import CHUNK_ROWS
from core.services.records.ingest.readers import UnreadableFile
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise
from tests.import_files import BAD_CODE, HEADER, UNIT, big_penalties, counts, mixed_penalties


@pytest.fixture
def desk(db, profile, tmp_path):
    return make_desk(db, profile, KeyService(db, tmp_path / "keys", tmp_path / "trust.json"))


def write(tmp_path, name: str, rows: list[list[str]], encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(("\n".join(",".join(r) for r in rows) + "\n").encode(encoding))
    return path


def test_preview_shows_columns_warnings_and_bad_rows_and_writes_nothing(desk, db, tmp_path):
    code = add_enterprise(db)
    path = write(tmp_path, "p.csv", mixed_penalties(code))
    before = counts(db)
    preview = desk.desk.import_preview(desk.as_(Role.ADMIN), "penalties", path)

    assert [(c.header, c.field) for c in preview.columns][-2:] == [("数据来源单位", "数据来源单位"), ("联系电话", None)]
    assert preview.refusal is None and preview.units == (UNIT,)
    assert ("联系电话", "未识别的列「联系电话」已忽略") in preview.warnings
    assert {c for c, _ in preview.warnings} >= {"程序类型", "决定类型"}
    assert [r.number for r in preview.rows if r.problems] == [5, 6, 7]
    assert preview.rows[3].problems[0][0] == "统一社会信用代码" and preview.rows[3].cells[1] == BAD_CODE
    assert counts(db) == before
    assert desk.desk.import_row_count(desk.as_(Role.ADMIN), path) == 6
    # the import then gives the same rejections and the same unknown-column warning
    result = desk.desk.import_file(desk.as_(Role.ADMIN), "penalties", path)
    assert sorted({r.row for r in result.rejected}) == [5, 6, 7]
    assert [(r.row, r.column, r.reason) for r in result.rejected] == [
        (r.number, *p) for r in preview.rows for p in r.problems]
    assert result.warnings[0] == ("联系电话", "未识别的列「联系电话」已忽略")


def test_wrong_kind_and_blank_defaults(desk, db, tmp_path):
    admin = desk.as_(Role.ADMIN)
    code = add_enterprise(db)
    companies = write(tmp_path, "e.csv", [["统一社会信用代码", "企业名称"], [code, "苏州恒达精密机械有限公司"]])
    wrong = desk.desk.import_preview(admin, "penalties", companies)
    assert wrong.refusal.startswith("缺少必需的列：行政相对人名称") and wrong.fits == ("市场主体",)
    with pytest.raises(UnreadableFile, match="缺少必需的列"):
        desk.desk.import_file(admin, "penalties", companies)
    stated = write(tmp_path, "s.csv", [[*HEADER[:7], "程序类型"], [*mixed_penalties(code)[1][:7], ""],
                                       [*mixed_penalties(code)[2][:7], "普通程序"]])
    preview = desk.desk.import_preview(admin, "penalties", stated)
    assert ("程序类型", "前 2 行中有 1 行“程序类型”为空，将记为“未注明”；请数据提供单位补全") in preview.warnings


@pytest.mark.parametrize("content, words", [
    (("\ufeff" + ",".join(HEADER)).encode("utf-16-le"), "UTF-16"),
    (",".join(HEADER).encode("utf-8") + b"\n\x00\x01", "NUL"),
])
def test_refused_files_give_the_reason(desk, tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    admin = desk.as_(Role.ADMIN)
    with pytest.raises(UnreadableFile, match=words):
        desk.desk.import_preview(admin, "penalties", path)
    with pytest.raises(UnreadableFile, match=words):
        desk.desk.import_row_count(admin, path)
    with pytest.raises(UnreadableFile, match=words):  # the import says the same
        desk.desk.import_file(admin, "penalties", path)


def test_progress_reaches_the_end_and_a_cancel_leaves_nothing(desk, db, tmp_path):
    admin = desk.as_(Role.ADMIN)
    code = add_enterprise(db)
    n = CHUNK_ROWS * 2 + 7
    path = big_penalties(tmp_path / "big.csv", code, n)
    before = counts(db)
    seen: list[int] = []
    with pytest.raises(ImportCancelled, match=CANCELLED):
        desk.desk.import_file(admin, "penalties", path, progress=seen.append, cancel=lambda: bool(seen))
    assert seen == [CHUNK_ROWS] and counts(db) == before  # one chunk stored, then all rolled back

    seen.clear()
    result = desk.desk.import_file(admin, "penalties", path, progress=seen.append, cancel=lambda: False)
    assert seen == [CHUNK_ROWS, 2 * CHUNK_ROWS, n] and result.accepted == n
    assert counts(db)["penalties"] == before["penalties"] + n


def test_rejections_export_and_history_per_unit(desk, db, tmp_path):
    admin = desk.as_(Role.ADMIN)
    code = add_enterprise(db)
    rows = mixed_penalties(code)
    rows[4][0] = "=HYPERLINK(\"http://x\")"  # a formula in the unit's file stays text
    path = write(tmp_path, "p.csv", rows)
    result = desk.desk.import_file(admin, "penalties", path)
    other = desk.desk.import_file(admin, "penalties", write(tmp_path, "q.csv", mixed_penalties(code)[:2]),
                                  unit="苏州市公安局")

    out = desk.desk.export_rejections(admin, result, tmp_path / "back.xlsx", path)
    assert out.with_originals and out.problems == 3
    sheet = load_workbook(out.path)["被拒收的行"]
    cell = sheet["D2"]  # the first rejected row's 行政相对人名称
    assert cell.value == "=HYPERLINK(\"http://x\")" and cell.data_type == "s"
    path.write_text("changed", encoding="utf-8")
    changed = desk.desk.export_rejections(admin, result, tmp_path / "back2.xlsx", path)
    assert not changed.with_originals and "已改动" in changed.note
    assert [r[0] for r in load_workbook(changed.path)["被拒收的行"].iter_rows(values_only=True)] == ["行号", 5, 6, 7]

    every = desk.desk.import_history(admin)
    assert every.units == ("苏州市公安局", UNIT)
    assert [b.id for b in every.batches] == [other.batch_id, result.batch_id]
    ours = desk.desk.import_history(admin, UNIT)
    assert [(b.file_name, b.total_rows, b.accepted, b.rejected) for b in ours.batches] == [("p.csv", 6, 3, 3)]


def test_only_the_administrator_imports(desk, tmp_path):
    path = write(tmp_path, "p.csv", [HEADER])
    for role in (Role.CLERK, Role.SUPERVISOR, Role.VERIFIER):
        for call in (lambda s: desk.desk.import_preview(s, "penalties", path),
                     lambda s: desk.desk.import_row_count(s, path), lambda s: desk.desk.import_history(s)):
            with pytest.raises(PermissionDenied):
                call(desk.as_(role))
