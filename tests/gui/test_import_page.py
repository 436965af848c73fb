"""数据导入 (管理员): an administrator types a file's path, sees its columns as recognised and the
warnings, imports it with a progress bar, reads the rejected rows and exports them as XLSX, and
finds the batch under its unit; a cancelled import leaves the database as it was — on SQLite and
PostgreSQL. Refused files show the core's own Chinese reason."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.services.people.roles import Role
from core.services.records.ingest.cancel import CANCELLED
from core.services.records.ingest.readers import UnreadableFile
from core.services.signing.keys import KeyService
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.strings import imports as S
from desktop.views import import_page, import_result
from desktop.views.import_models import BatchColumn, RejectionColumn, SampleModel
from desktop.views.import_page import ImportPage
from tests.desks import make_desk
from tests.factories import add_enterprise
from tests.import_files import BAD_CODE, HEADER, UNIT, big_penalties, counts, mixed_penalties

WAIT = 30000
LEFT = Qt.MouseButton.LeftButton


def build_page(qtbot, desk, actor, tmp_path) -> tuple[ImportPage, TaskRunner]:
    tasks = TaskRunner(AppEvents())
    ctx = DeskContext(desk, tasks, actor, UiSettings(tmp_path / "ui.ini"), tasks.events)
    page = ImportPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    return page, tasks


@pytest.fixture
def admin_page(qtbot, db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    test_desk = make_desk(db, profile, keys)
    page, tasks = build_page(qtbot, test_desk.desk, test_desk.as_(Role.ADMIN), tmp_path)
    yield page
    tasks.wait()


def choose_file(qtbot, page: ImportPage, path: Path) -> None:
    """Click into the path box, replace its text by typing it (or pasting it, when it holds Chinese,
    which QTest cannot type), press Enter: the preview comes."""
    page.preview = None
    qtbot.mouseClick(page.path, LEFT)
    QTest.keyClick(page.path, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if str(path).isascii():
        qtbot.keyClicks(page.path, str(path))
    else:
        QApplication.clipboard().setText(str(path))
        QTest.keyClick(page.path, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert page.path.text() == str(path)
    QTest.keyClick(page.path, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.verdict.isVisible(), timeout=WAIT)  # 可以导入, or why not


def header_texts(page: ImportPage) -> list[str]:
    model = page.sample_model
    return [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]


def write_rows(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


def test_preview_import_rejections_export_and_history(qtbot, admin_page, db, tmp_path, monkeypatch):
    page = admin_page
    code = add_enterprise(db)
    source = write_rows(tmp_path, "生态环境局-处罚.csv", mixed_penalties(code))
    before = counts(db)

    choose_file(qtbot, page, source)
    headers = header_texts(page)
    assert headers[:2] == ["行号", "问题"]
    assert "统一社会信用代码\n已识别" in headers and "联系电话\n未识别，忽略" in headers
    warnings = page.warnings.text()
    assert "未识别的列「联系电话」已忽略" in warnings
    assert "文件没有“程序类型”列：新增的记录都将记为“未注明”" in warnings
    model = page.sample_model
    problems = {model.index(r, 0).data(): model.index(r, SampleModel.PROBLEMS).data()
                for r in range(model.rowCount())}
    assert list(problems) == ["2", "3", "4", "5", "6", "7"]
    assert problems["2"] == "—" and "校验位" in problems["5"] and "2025-13-45" in problems["6"]
    assert "训诫" in problems["7"]
    assert "其中 3 行有问题" in page.summary.text()
    assert page.verdict.text() == S.READY and page.import_button.isEnabled()
    assert counts(db) == before  # looking wrote nothing
    qtbot.waitUntil(lambda: page.total == 6, timeout=WAIT)
    assert page.status.text() == "共 6 行数据"

    qtbot.mouseClick(page.import_button, LEFT)
    qtbot.waitUntil(lambda: page.result_view.result is not None, timeout=WAIT)
    assert page.progress.maximum() == 6 and page.progress.value() == 6
    assert page.tabs.currentWidget() is page.result_view
    assert "接受 3 行" in page.status.text() and "拒收 3 行" in page.status.text()
    assert "未识别的列「联系电话」已忽略" in page.result_view.warnings.text()
    shown = page.result_view.proxy
    lines = [(shown.index(r, RejectionColumn.ROW).data(), shown.index(r, RejectionColumn.COLUMN).data(),
              shown.index(r, RejectionColumn.REASON).data()) for r in range(shown.rowCount())]
    assert [line[:2] for line in lines] == [("5", "统一社会信用代码"), ("6", "处罚决定日期"), ("7", "处罚类别")]
    after = counts(db)
    assert after["penalties"] == before["penalties"] + 3
    assert after["import_batches"] == before["import_batches"] + 1

    out = tmp_path / "发回单位.xlsx"
    monkeypatch.setattr(import_result, "save_file_name", lambda *a: str(out))  # the person's answer
    qtbot.mouseClick(page.result_view.export_button, LEFT)
    qtbot.waitUntil(lambda: page.result_view.status.text().startswith("已导出"), timeout=WAIT)
    book = load_workbook(out)
    rows = [list(r) for r in book["被拒收的行"].iter_rows(values_only=True)]
    assert rows[0] == ["行号", "问题所在列", "问题", *HEADER]
    assert [r[:2] for r in rows[1:]] == [[5, "统一社会信用代码"], [6, "处罚决定日期"], [7, "处罚类别"]]
    assert [r[2] for r in rows[1:]] == [line[2] for line in lines]
    assert rows[1][4] == BAD_CODE and rows[2][7] == "2025-13-45"  # what the unit sent, beside why
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["文件"] == source.name and about["数据提供单位"] == UNIT and about["拒收行数"] == 3

    qtbot.mouseClick(page.tabs.tabBar(), LEFT, pos=page.tabs.tabBar().tabRect(2).center())
    history = page.history
    qtbot.waitUntil(lambda: history.history is not None and bool(history.history.batches), timeout=WAIT)
    assert UNIT in [history.unit.itemText(i) for i in range(history.unit.count())]
    table = history.proxy
    first = {c: table.index(0, c).data() for c in BatchColumn}
    assert (first[BatchColumn.UNIT], first[BatchColumn.FILE], first[BatchColumn.KIND]) == (UNIT, source.name, "行政处罚")
    assert (first[BatchColumn.TOTAL], first[BatchColumn.ACCEPTED], first[BatchColumn.REJECTED]) == ("6", "3", "3")
    history.history = None
    history.unit.setFocus()
    QTest.keyClick(history.unit, Qt.Key.Key_Down)  # from 全部单位 to the first unit
    qtbot.waitUntil(lambda: history.history is not None, timeout=WAIT)
    assert history.unit.currentText() == UNIT and table.rowCount() >= 1
    assert {table.index(r, BatchColumn.UNIT).data() for r in range(table.rowCount())} == {UNIT}


def test_browse_picks_the_file_in_the_chinese_dialog(qtbot, admin_page, db, tmp_path, monkeypatch):
    """浏览… asks the shared Chinese open dialog (which starts in 文档) and previews the answer."""
    code = add_enterprise(db)
    source = write_rows(tmp_path, "生态环境局-处罚.csv", mixed_penalties(code))
    asked = []

    def choose(parent, title, name_filter):  # the person's answer in the open dialog
        asked.append((title, name_filter))
        return str(source)

    monkeypatch.setattr(import_page, "open_file_name", choose)
    qtbot.mouseClick(admin_page.browse_button, LEFT)
    assert asked == [(S.BROWSE_TITLE, S.BROWSE_FILTER)]
    assert admin_page.path.text() == str(source)
    qtbot.waitUntil(lambda: admin_page.verdict.isVisible(), timeout=WAIT)
    assert admin_page.verdict.text() == S.READY


def test_cancel_mid_import_leaves_the_row_counts_unchanged(qtbot, admin_page, db, tmp_path):
    page = admin_page
    code = add_enterprise(db)
    n = 40_000  # eight chunks of the importer: time to press 取消 while it runs
    source = big_penalties(tmp_path / "大文件.csv", code, n)
    before = counts(db)
    choose_file(qtbot, page, source)
    qtbot.waitUntil(lambda: page.total == n, timeout=WAIT)

    qtbot.mouseClick(page.import_button, LEFT)
    qtbot.waitUntil(lambda: page.done_rows > 0, timeout=WAIT)  # the first chunk is in the transaction
    at_click = page.done_rows
    qtbot.mouseClick(page.cancel_button, LEFT)
    assert page.status.text() == S.CANCELLING and not page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not page.importing(), timeout=WAIT)
    assert 0 < at_click < n
    assert page.status.text() == CANCELLED
    assert page.result_view.result is None and page.progress.value() == 0
    assert counts(db) == before
    assert page.import_button.isEnabled()  # the same file may be imported afterwards


def test_refused_files_show_the_reason_the_core_gives(qtbot, make_ctx, desk_env, tmp_path, screenshot_dir):
    tasks_ctx = make_ctx(Role.ADMIN)
    page = ImportPage(tasks_ctx)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    page.show()
    desk, actor = desk_env.desk, tasks_ctx.actor

    def core_reason(kind: str, path: Path) -> str:
        with pytest.raises(UnreadableFile) as refused:
            desk.import_preview(actor, kind, path)
        return str(refused.value)

    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(("\ufeff" + ",".join(HEADER) + "\n").encode("utf-16-le"))  # as Excel's "Unicode text"
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 2_000_000)
    for path, words in ((utf16, "UTF-16"), (bomb, "压缩比异常"), (tmp_path / "缺失.csv", "找不到文件")):
        choose_file(qtbot, page, path)
        reason = core_reason("penalties", path)
        assert words in reason
        assert page.verdict.text() == S.REFUSED.format(reason=reason) and page.verdict.isVisible()
        assert not page.import_button.isEnabled() and page.sample_model.rowCount() == 0

    companies = write_rows(tmp_path, "companies.csv", [["统一社会信用代码", "企业名称"], [desk_env.enterprises
                                                                                   ["苏州恒达精密机械有限公司"], "苏州恒达精密机械有限公司"]])
    choose_file(qtbot, page, companies)  # 行政处罚 is chosen: the file is of another kind
    assert page.preview.refusal.startswith("缺少必需的列：行政相对人名称")
    assert page.verdict.text().endswith("该文件的列符合“市场主体”，请检查数据类型是否选对")
    assert not page.import_button.isEnabled()
    assert page.grab().save(str(screenshot_dir / "import-wrong-kind-1024.png"))
    page.preview = None
    QTest.keyClick(page, Qt.Key.Key_K, Qt.KeyboardModifier.AltModifier)  # 数据类型(&K)
    assert page.focusWidget() is page.kind
    QTest.keyClick(page.kind, Qt.Key.Key_Home)  # 市场主体 is the first kind: previewed again at once
    qtbot.waitUntil(lambda: page.preview is not None, timeout=WAIT)
    assert page.kind.currentText() == "市场主体" and page.preview.refusal is None
    assert page.verdict.text() == S.READY and page.import_button.isEnabled()


def test_the_administrator_window_has_the_import_page_and_still_the_profile(qtbot, make_ctx, desk_env, tmp_path,
                                                                            screenshot_dir):
    from desktop.views.main_window import MainWindow

    window = MainWindow(make_ctx(Role.ADMIN))
    qtbot.addWidget(window)
    assert window.page_names[0] == "数据导入" and "管理" in window.page_names
    window.show()
    qtbot.waitExposed(window)
    page = window.import_page
    code = desk_env.enterprises["苏州恒达精密机械有限公司"]
    choose_file(qtbot, page, write_rows(tmp_path, "生态环境局-处罚.csv", mixed_penalties(code)))
    for size in ((1024, 768), (1920, 1080)):
        window.resize(*size)
        QTest.qWait(150)
        assert window.grab().save(str(screenshot_dir / f"import-preview-{size[0]}x{size[1]}.png"))
    qtbot.mouseClick(page.import_button, LEFT)
    qtbot.waitUntil(lambda: page.result_view.result is not None, timeout=WAIT)
    for size in ((1024, 768), (1920, 1080)):
        window.resize(*size)
        QTest.qWait(150)
        assert window.grab().save(str(screenshot_dir / f"import-result-{size[0]}x{size[1]}.png"))
    page.tabs.setCurrentWidget(page.history)
    qtbot.waitUntil(lambda: page.history.history is not None and bool(page.history.history.batches), timeout=WAIT)
    for size in ((1024, 768), (1920, 1080)):
        window.resize(*size)
        QTest.qWait(150)
        assert window.grab().save(str(screenshot_dir / f"import-history-{size[0]}x{size[1]}.png"))
    window.show_page(window.page_names.index("管理"))  # the policy in use stays one click away
    qtbot.waitUntil(lambda: "政策" in window.pages.currentWidget().profile.text(), timeout=WAIT)
