"""查询与出具 and 出具记录 as a clerk uses them: search, pick, preview, issue, print, reprint, revoke."""
from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.usecases import CounterDesk
from core.services.reports.request import ReportRequest
from core.services.people.users import PermissionDenied, Role
from desktop.services.printing import print_pdf
from desktop.views.history_page import HistoryPage
from desktop.views.lookup_page import LookupPage
from desktop.views.pdf_preview import PdfPreview
from desktop.views.report_panel import ReportPanel
from desktop.views.table_models import HistoryColumn, HitColumn
from tests.factories import add_enterprise
from tests.gui.conftest import make_actor
from tests.pdf_pages import page_count, page_image

WAIT = 15000
PRINT_WAIT = 60000


def shot(widget, folder: Path, name: str) -> Path:
    """Save what the clerk sees and make sure it is a picture, not an empty rectangle."""
    path = folder / f"counter_{name}.png"
    image = widget.grab().toImage()
    assert image.save(str(path))
    step_x, step_y = max(1, image.width() // 60), max(1, image.height() // 60)
    colours = {image.pixel(x, y) for x in range(0, image.width(), step_x)
               for y in range(0, image.height(), step_y)}
    assert len(colours) > 8, f"{name}: the screenshot is blank"
    return path


def pdf_printer(path: Path, mode=QPrinter.PrinterMode.HighResolution) -> QPrinter:
    printer = QPrinter(mode)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def pages_of(pdf: bytes | Path) -> int:
    return page_count(pdf)


@pytest.fixture
def open_lookup(qtbot, make_ctx):
    def open_(role: Role = Role.CLERK):
        ctx = make_ctx(role)
        page = LookupPage(ctx)
        qtbot.addWidget(page)
        page.resize(1366, 720)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        return page, ctx

    return open_


def type_text(widget, text: str) -> None:
    """Typing as a Chinese input method does: the composed text is committed to the widget."""
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def search(qtbot, page: LookupPage, text: str) -> None:
    page.search.clear()
    type_text(page.search, text)
    qtbot.waitUntil(lambda: not page.timer.isActive() and not page.searching, timeout=WAIT)


def test_search_pick_preview_issue_print(qtbot, open_lookup, desk_env, screenshot_dir, tmp_path):
    page, ctx = open_lookup()
    shot(page, screenshot_dir, "1_start")
    search(qtbot, page, "有限公司")
    assert page.model.rowCount() == 2 and page.results.currentWidget() is page.table
    assert page.dropdown.isVisible()
    assert "找到 2 家企业" in page.search_status.text()
    shot(page, screenshot_dir, "2_results")

    with qtbot.waitSignal(page.enterprise_selected) as picked:
        page.select_hit(next(r for r in range(2) if "恒达" in page.proxy.index(r, 0).data()))
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    assert picked.args == [uscc] and not page.dropdown.isVisible()
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)
    assert page.enterprise.name_label.text() == "苏州恒达精密机械有限公司"
    assert "1 个领域有违法记录" in page.enterprise.summary.text()
    assert page.report.issue_button.isEnabled() and not page.report.print_button.isEnabled()
    shot(page, screenshot_dir, "3_enterprise")

    report = page.report
    for code in (1, 2, 3):
        report.checklist.boxes[code].setChecked(False)
    assert report.checklist.selected() == tuple(range(4, 21))
    assert "已选 17 / 20" in report.checklist.count.text()
    qtbot.mouseClick(report.preview_button, Qt.MouseButton.LeftButton)
    assert report.busy and not report.issue_button.isEnabled() and report.status.text() == "正在生成预览…"
    qtbot.waitUntil(lambda: report.preview.page_count() >= 1, timeout=WAIT)
    assert report.preview.document.pageCount() >= 1 and "共" in report.preview.pages_label.text()
    qtbot.wait(500)  # QPdfView paints its pages a moment later
    shot(page, screenshot_dir, "4_preview")

    with qtbot.waitSignal(ctx.events.data_changed, timeout=WAIT) as announced:
        qtbot.mouseClick(report.issue_button, Qt.MouseButton.LeftButton)
        # the fixture issued one for this enterprise today: 出具 asks first (issue 11)
        qtbot.waitUntil(lambda: report.confirm_box is not None and report.confirm_box.isVisible(), timeout=WAIT)
        assert "今天已为该企业出具过 1 份报告" in report.confirm_box.text()
        qtbot.mouseClick(next(b for b in report.confirm_box.buttons() if b.text() == "仍然出具"),
                         Qt.MouseButton.LeftButton)
    result = report.result
    assert announced.args == ["report", result.report_no]
    assert report.report_no_label.isVisible() and result.report_no in report.report_no_label.text()
    assert result.content.domain_codes == tuple(range(4, 21))
    archived = {r.report_no: r for r in desk_env.desk.history(make_actor(Role.SUPERVISOR))}
    assert archived[result.report_no].domains == tuple(range(4, 21))
    assert report.preview.pdf_bytes() == result.pdf and report.print_button.isEnabled()
    assert not report.issue_button.isEnabled()  # the same choices again would be a duplicate
    assert "无需重复出具" in report.issue_button.toolTip()
    qtbot.wait(500)
    shot(page, screenshot_dir, "5_issued")

    printed = tmp_path / "printed.pdf"
    assert print_pdf(result.pdf, pdf_printer(printed)) == pages_of(result.pdf)
    assert pages_of(printed) == pages_of(result.pdf)
    page_one = page_image(printed, 0, 36).convert("L")
    assert page_one.getextrema()[0] < 100  # ink on paper, not a blank sheet

    via_panel = tmp_path / "via_panel.pdf"
    report.print_with(pdf_printer(via_panel, QPrinter.PrinterMode.ScreenResolution))
    qtbot.waitUntil(lambda: not report.busy, timeout=PRINT_WAIT)
    assert "第 1 次打印" in report.status.text(), report.status.text()
    assert pages_of(via_panel) == pages_of(result.pdf)
    archived = {r.report_no: r for r in desk_env.desk.history(make_actor(Role.SUPERVISOR))}
    assert archived[result.report_no].print_count == 1

    report.checklist.boxes[20].setChecked(False)
    assert report.issue_button.isEnabled() and "打印的仍是已出具的报告" in report.status.text()
    report.checklist.boxes[20].setChecked(True)
    assert not report.issue_button.isEnabled()

    saved = tmp_path / "saved.pdf"
    report.save_to(str(saved))
    qtbot.waitUntil(lambda: not report.busy, timeout=WAIT)
    assert saved.read_bytes() == result.pdf and "已保存" in report.status.text()


def test_former_names_initials_and_empty_state(qtbot, open_lookup, desk_env, screenshot_dir):
    add_enterprise(desk_env.db, "苏州新名称机械有限公司", former=("苏州旧名称机械厂",))
    page, _ = open_lookup()
    search(qtbot, page, "旧名称")
    assert page.model.index(0, HitColumn.MATCH).data() == "曾用名：苏州旧名称机械厂"
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)  # one hit: shown
    assert page.enterprise.fields["曾用名"].text() == "苏州旧名称机械厂"
    search(qtbot, page, "szhd")
    assert page.model.index(0, HitColumn.NAME).data() == "苏州恒达精密机械有限公司"
    search(qtbot, page, "没有这家企业")
    assert page.model.rowCount() == 0 and page.results.currentWidget() is page.empty
    assert page.empty.text().startswith("未找到匹配的企业") and page.empty.isVisible()
    shot(page, screenshot_dir, "6_no_match")


class FirstSearchHeld:
    """The real desk, except that the first search waits until the test lets its answer go."""

    def __init__(self, desk: CounterDesk):
        self._desk = desk
        self.first_started, self.release_first = threading.Event(), threading.Event()
        self.first_answered = threading.Event()
        self._calls = 0

    def __getattr__(self, name: str):
        return getattr(self._desk, name)

    def search(self, *args, **kwargs):
        self._calls += 1  # only the one search thread per query; the GUI starts them in order
        first = self._calls == 1
        if first:
            self.first_started.set()
            assert self.release_first.wait(WAIT / 1000), "the test never released the first search"
        hits = self._desk.search(*args, **kwargs)
        if first:
            self.first_answered.set()
        return hits


def test_only_the_latest_query_is_shown(qtbot, make_ctx, desk_env):
    desk = FirstSearchHeld(desk_env.desk)
    ctx = make_ctx(desk=desk)
    page = LookupPage(ctx)
    qtbot.addWidget(page)
    page.show()
    shown = []  # every list of names the results table ever held
    page.model.modelReset.connect(
        lambda: shown.append([page.model.index(r, 0).data() for r in range(page.model.rowCount())]))
    try:
        page.search.setText("恒达")
        page.run_search()  # query A: held in the desk
        assert desk.first_started.wait(WAIT / 1000)
        page.search.setText("星海")
        page.run_search()  # query B: answers at once
        qtbot.waitUntil(lambda: shown == [["苏州工业园区星海电子科技有限公司"]], timeout=WAIT)
        assert not page.searching
    finally:
        desk.release_first.set()  # A now finds 恒达 and answers, late
    assert desk.first_answered.wait(WAIT / 1000)
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=WAIT)  # A's answer reached the GUI thread
    assert shown == [["苏州工业园区星海电子科技有限公司"]]  # and was dropped
    assert "找到 1 家企业" in page.search_status.text() and page.search.text() == "星海"


def test_keyboard_search_down_escape(qtbot, open_lookup):
    page, _ = open_lookup()
    page.focus_search()
    qtbot.waitUntil(page.search.hasFocus)
    type_text(page.search, "有限公司")
    QTest.keyClick(page.search, Qt.Key.Key_Down)  # before the answer: goes there when it comes
    qtbot.waitUntil(lambda: page.table.hasFocus() and page.current_hit() is not None, timeout=WAIT)
    assert page.dropdown.isVisible() and page.enterprise.content is None
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    second = page.current_hit()
    QTest.keyClick(page.table, Qt.Key.Key_Return)
    assert not page.dropdown.isVisible()
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)
    assert page.report.preview_button.hasFocus()
    assert page.enterprise.content.enterprise.uscc == second.uscc
    page.focus_search()
    assert page.dropdown.isVisible()
    page.escape()
    assert not page.dropdown.isVisible() and page.search.text() == "有限公司"
    page.escape()
    assert page.search.text() == "" and page.search.hasFocus()


def test_period_and_domain_mistakes_are_explained_inline(qtbot, make_ctx, desk_env, screenshot_dir):
    ctx = make_ctx()
    panel = ReportPanel(ctx, today=lambda: date(2028, 2, 29))  # a leap day: see core/.../period.py
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.set_enterprise(desk_env.desk.overview(ctx.actor, desk_env.enterprises["昆山市玉山镇明远餐饮店"]))
    assert panel.presets.checkedButton().text() == "近3年"
    assert (panel.date_from.date(), panel.date_to.date()) == (QDate(2025, 3, 1), QDate(2028, 2, 29))
    panel.preset_buttons["近1年"].click()
    assert (panel.date_from.date(), panel.date_to.date()) == (QDate(2027, 3, 1), QDate(2028, 2, 29))
    checked = panel.request()
    assert (checked.period_from, checked.period_to, checked.source.years) == (date(2027, 3, 1), date(2028, 2, 29), 1)
    # The end is the issue date and cannot be changed; the start cannot go back past 近3年.
    assert panel.date_to.isReadOnly() and panel.date_to.maximumDate() == panel.date_to.minimumDate()
    assert panel.date_from.minimumDate() == QDate(2025, 3, 1)
    assert panel.date_from.maximumDate() == QDate(2028, 2, 29)
    panel.date_from.setDate(QDate(2026, 5, 1))
    assert panel.custom_button.isChecked()
    assert (panel.request().period_from, panel.request().period_to) == (date(2026, 5, 1), date(2028, 2, 29))
    panel.date_from.setDate(QDate(2021, 1, 1))  # before the earliest allowed start: held at it
    assert panel.date_from.date() == QDate(2025, 3, 1) and not panel.request_error.isVisible()
    panel.preset_buttons["近2年"].click()
    assert panel.request().period_from == date(2026, 3, 1)
    panel.checklist.none_button.click()
    assert panel.request() is None and panel.request_error.text() == "请至少选择一个领域"
    shot(panel, screenshot_dir, "7_invalid_request")
    panel.checklist.all_button.click()
    panel.purpose.setCurrentText("招投标")
    assert panel.request().purpose == "招投标" and not panel.request_error.isVisible()
    assert ReportPanel(ctx).purpose.currentText() == "其他"  # each customer states their own (issue 11)


def test_verifier_cannot_issue(qtbot, make_ctx, desk_env):
    ctx = make_ctx(Role.VERIFIER)
    panel = ReportPanel(ctx)
    qtbot.addWidget(panel)
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    panel.set_enterprise(desk_env.desk.overview(make_actor(), uscc))
    assert not panel.issue_button.isEnabled() and not panel.preview_button.isEnabled()
    assert "无权出具报告" in panel.issue_button.toolTip()
    request = ReportRequest.default(desk_env.profile, uscc, QDate.currentDate().toPython())
    with pytest.raises(PermissionDenied):
        ctx.desk.issue(ctx.actor, request)


def test_history_reprint_view_and_revoke(qtbot, make_ctx, desk_env, screenshot_dir, tmp_path):
    ctx = make_ctx(Role.SUPERVISOR)
    page = HistoryPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=WAIT)
    first = desk_env.report.report_no
    assert page.count_label.text() == "共 1 份报告" and page.revoke_button.isVisible()

    newer = desk_env.issue(desk_env.enterprises["苏州工业园区星海电子科技有限公司"])
    ctx.events.data_changed.emit("report", newer.report_no)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=WAIT)
    page.filter.setText("恒达")  # searched in the database once typing pauses
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 1 and page.count_label.text() == "符合条件的报告 1 份",
                    timeout=WAIT)
    assert page.select_report(first) and page.selected().report_no == first
    shot(page, screenshot_dir, "8_history")

    printed = tmp_path / "reprint.pdf"
    page.reprint_with(pdf_printer(printed, QPrinter.PrinterMode.ScreenResolution))
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().print_count == 1,
                    timeout=PRINT_WAIT)
    assert pages_of(printed) == pages_of(desk_env.report.pdf)
    assert page.proxy.index(0, HistoryColumn.PRINTS).data() == "1"

    page.view_selected()
    qtbot.waitUntil(lambda: page.viewer is not None and page.viewer.isVisible(), timeout=WAIT)
    assert page.viewer.preview.page_count() == pages_of(desk_env.report.pdf)
    assert first in page.viewer.windowTitle()
    page.viewer.resize(820, 700)
    qtbot.wait(500)
    shot(page.viewer, screenshot_dir, "9_view_dialog")
    page.viewer.close()

    page.revoke_selected("")
    qtbot.waitUntil(lambda: not page.working, timeout=WAIT)
    assert page.status.text() == "撤销报告必须填写原因"
    page.revoke_selected("企业申请作废")
    qtbot.waitUntil(lambda: page.selected() is not None and page.selected().revoked, timeout=WAIT)
    assert page.proxy.index(0, HistoryColumn.STATUS).data() == "已撤销"
    assert not page.reprint_button.isEnabled() and not page.revoke_button.isEnabled()
    shot(page, screenshot_dir, "10_revoked")


def test_only_a_supervisor_has_the_history_and_an_admin_no_counter_page(qtbot, make_ctx, desk_env):
    from desktop.views.main_window import MainWindow

    pages = {}
    for role in Role:
        window = MainWindow(make_ctx(role))
        qtbot.addWidget(window)
        pages[role] = window.page_names
    assert pages == {Role.CLERK: ["查询与出具", "核验"], Role.VERIFIER: ["核验"],
                     Role.SUPERVISOR: ["查询与出具", "核验", "出具记录", "异议与修复", "统计"],
                     Role.ADMIN: ["数据导入", "人员", "审计日志", "管理"]}


def test_preview_explains_unreadable_bytes(qtbot):
    preview = PdfPreview()
    qtbot.addWidget(preview)
    assert preview.set_pdf(b"not a pdf") == 0
    assert preview.placeholder.text() == "无法显示该 PDF 文件" and preview.page_count() == 0


def test_desk_refuses_history_to_verifier(desk_env):
    desk: CounterDesk = desk_env.desk
    with pytest.raises(PermissionDenied):
        desk.history(make_actor(Role.VERIFIER))
