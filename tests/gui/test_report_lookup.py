"""核验 without a readable code: a person types the report number printed under the QR code and
gets the archive's record, clearly labelled as a look-up (not a verification of the paper);
the archived PDF only for those the desk lets open it; every look-up in the audit chain."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from sqlalchemy import func, select

from core.db.models_reports import Verification
from core.services.people.roles import Role
from desktop.strings import verify as text
from desktop.views.verify_page import VerifyPage
from tests.gui.conftest import make_actor
from tests.gui.modal_answers import type_into

WAIT = 15000


def open_page(qtbot, make_ctx, role: Role, size=(1366, 768)) -> VerifyPage:
    page = VerifyPage(make_ctx(role))
    qtbot.addWidget(page)
    page.resize(*size)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.scan_field.hasFocus)
    return page


def look_up(qtbot, dialog, typed: str):
    dialog.number.clear()
    QTest.keyClicks(dialog.number, typed)
    with qtbot.waitSignal(dialog.looked_up, timeout=WAIT) as shown:
        QTest.keyClick(dialog.number, Qt.Key.Key_Return)
    return shown.args[0]


def verifications(desk_env) -> int:
    with desk_env.db.session() as s:
        return s.scalar(select(func.count()).select_from(Verification))


def shot(widget, folder: Path, name: str, size: tuple[int, int] | None = None) -> None:
    if size:
        widget.resize(*size)
    QTest.qWait(150)
    path = folder / f"lookup-{name}.png"
    assert widget.grab().save(str(path))


def test_a_number_typed_in_the_scan_field_points_to_the_look_up(qtbot, make_ctx, desk_env, screenshot_dir):
    number = desk_env.report.report_no  # SZ-2026-0000000n
    page = open_page(qtbot, make_ctx, Role.CLERK, (1024, 768))
    assert "二维码下方印的是报告编号" in page.hint.text() and "F4" in page.hint.text()

    QTest.keyClicks(page.scan_field, number)  # the letters never enter the scan field
    assert page.message.isVisible() and page.message.text() == text.LETTERS_IN_SCAN_FIELD
    assert page.scan_field.text() == number.replace("SZ", "").replace("-", "")
    QTest.keyClick(page.scan_field, Qt.Key.Key_Return)
    assert page.panel.state == "notice" and page.panel.headline.text() == text.NUMBER_TYPED_TITLE
    reason = page.panel.reason.text()
    assert number in reason and "F4" in reason and "不是本系统的核验码" not in reason
    assert verifications(desk_env) == 0  # a typed number is no verification
    shot(page, screenshot_dir, "notice-1024x768")
    shot(page, screenshot_dir, "notice-1920x1080", (1920, 1080))

    QTest.keyClick(page.scan_field, Qt.Key.Key_F4)
    dialog = page.lookup_dialog
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.number.hasFocus(), timeout=WAIT)
    assert dialog.number.text() == number and dialog.windowTitle() == "按报告编号查询档案（不是核验）"
    assert "不是核验" in dialog.findChild(type(page.hint), "lookupWarning").text()
    with qtbot.waitSignal(dialog.looked_up, timeout=WAIT) as shown:
        QTest.keyClick(dialog.number, Qt.Key.Key_Return)
    found = shown.args[0]
    assert dialog.state.text() == "档案状态：有效"
    assert dialog.fact_text("enterprise") == "苏州恒达精密机械有限公司"
    assert dialog.fact_text("uscc") == desk_env.enterprises["苏州恒达精密机械有限公司"]
    assert dialog.fact_text("issued_on") == f"{desk_env.report.issue.issued_at:%Y-%m-%d}"
    assert dialog.fact_text("valid_until") == f"{desk_env.report.issue.valid_until:%Y-%m-%d}"
    assert dialog.fact_text("revoked_at") is None
    assert "已记入审计日志" in dialog.recorded.text()
    assert found.may_view_pdf and dialog.pdf_button.isVisible()  # the clerk issued this one
    shot(dialog, screenshot_dir, "dialog-valid")
    assert verifications(desk_env) == 0


def test_a_verifier_sees_revoked_and_gets_no_pdf(qtbot, make_ctx, desk_env, screenshot_dir):
    number = desk_env.report.report_no
    desk_env.revoke(number, "企业申请作废")
    page = open_page(qtbot, make_ctx, Role.VERIFIER, (1920, 1080))
    qtbot.mouseClick(page.lookup_button, Qt.MouseButton.LeftButton)
    dialog = page.lookup_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    found = look_up(qtbot, dialog, number.lower().replace("-", " "))  # typed as people type it
    assert dialog.number.text() == number
    assert dialog.state.text() == "档案状态：已撤销" and "撤销" in dialog.state_note.text()
    assert dialog.fact_text("revoke_reason") == "企业申请作废"
    assert dialog.fact_text("revoked_at") is not None
    assert not found.may_view_pdf and not dialog.pdf_button.isVisible() and dialog.no_pdf.isVisible()
    QTest.keyClick(dialog, Qt.Key.Key_F3)  # the PDF's key does nothing for them
    assert page.archive_dialog is None
    shot(dialog, screenshot_dir, "dialog-revoked")


def test_unknown_and_malformed_numbers_are_explained(qtbot, make_ctx, desk_env, screenshot_dir):
    page = open_page(qtbot, make_ctx, Role.VERIFIER)
    dialog = page.open_lookup()
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)

    found = look_up(qtbot, dialog, "SZ-2026-99999999")
    assert not found.found and dialog.state.text() == "档案状态：档案中没有该编号"
    assert "SZ-2026-99999999" in dialog.state_note.text() and "输错" in dialog.state_note.text()
    assert dialog.fact_text("enterprise") is None and not dialog.pdf_button.isVisible()
    shot(dialog, screenshot_dir, "dialog-unknown")

    dialog.number.clear()
    type_into(dialog.number, "恒达")  # as a Chinese input method commits it
    QTest.keyClick(dialog.number, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不是报告编号" in dialog.message.text(), timeout=WAIT)
    assert "SZ-2026-00001234" in dialog.message.text() and not dialog.summary.isVisible()

    dialog.number.clear()
    QTest.keyClick(dialog.number, Qt.Key.Key_Return)
    assert dialog.message.text() == text.LOOKUP_EMPTY


def test_a_supervisor_opens_the_archived_pdf_and_each_look_up_is_recorded(qtbot, make_ctx, desk_env,
                                                                          screenshot_dir):
    number = desk_env.report.report_no
    page = open_page(qtbot, make_ctx, Role.SUPERVISOR)
    QTest.keyClick(page.scan_field, Qt.Key.Key_F4)
    dialog = page.lookup_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    found = look_up(qtbot, dialog, number)
    assert found.may_view_pdf and dialog.pdf_button.isVisible()
    qtbot.mouseClick(dialog.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.archive_dialog is not None and page.archive_dialog.isVisible(), timeout=WAIT)
    archive = page.archive_dialog
    assert number in archive.windowTitle() and archive.preview.page_count() >= 1
    archive.accept()

    events = desk_env.desk.audit_events(make_actor(Role.ADMIN), limit=20, actor="wangwu")
    lookups = [e for e in events if e.action == "lookup"]
    assert [(e.subject, e.details.get("by"), e.details.get("state")) for e in lookups] == [
        (number, "report_no", "valid")]
    assert verifications(desk_env) == 0
