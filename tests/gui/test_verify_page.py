"""The 核验 page as a verifier uses it: scan printed reports, drop files, read the verdict."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from core.db.engine import Database
from core.db.models_reports import Verification
from core.usecases import CounterDesk
from core.services.signing.payload import key_id_for, parse_payload, sign_payload
from core.services.signing.keys import KeyService
from core.services.people.users import Role
from desktop.services.scanner import BurstDetector
from desktop.strings import verify as text
from desktop.views import verify_page
from desktop.views.verify_page import VerifyPage
from tests.factories import add_penalty
from tests.gui.conftest import UNREACHABLE_DB
from tests.pdf_pages import page_image

SCANNER_GAP = 0.008  # seconds between a wedge scanner's characters
PERSON_GAP = 0.150


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def digit_key(d: str) -> Qt.Key:
    return Qt.Key(Qt.Key.Key_0.value + int(d))


def type_digits(widget, clock: FakeClock, digits: str, gap: float, enter: bool = True) -> None:
    for d in digits:
        clock.advance(gap)
        QTest.keyClick(widget, digit_key(d))
    if enter:
        clock.advance(gap)
        QTest.keyClick(widget, Qt.Key.Key_Return)


@pytest.fixture
def open_page(qtbot, make_ctx):
    def open_(role: Role = Role.CLERK, desk: CounterDesk | None = None, sound: bool = False):
        clock = FakeClock()
        ctx = make_ctx(role, desk, sound)
        page = VerifyPage(ctx, clock=clock)
        qtbot.addWidget(page)
        page.resize(1366, 768)
        page.show()
        qtbot.waitExposed(page)
        page.activateWindow()
        qtbot.waitUntil(page.scan_field.hasFocus)
        return page, clock

    return open_


def scan(qtbot, page: VerifyPage, clock: FakeClock, digits: str):
    with qtbot.waitSignal(page.verdict_shown, timeout=15000) as blocker:
        type_digits(page.scan_field, clock, digits, SCANNER_GAP)
    return blocker.args[0]


def counterfeit(digits: str) -> str:
    """The genuine claims with the violations removed, signed by someone else's key."""
    outsider = Ed25519PrivateKey.generate()
    genuine = parse_payload(digits).claims
    claims = replace(genuine, violations=0, key_id=key_id_for(outsider.public_key()))
    return sign_payload(claims, outsider)


def changed_digit(digits: str, at: int) -> str:
    return digits[:at] + str((int(digits[at]) + 3) % 10) + digits[at + 1:]


# -- the burst detector, alone --------------------------------------------------------------

def test_detector_tells_a_burst_from_typing():
    clock = FakeClock()
    detector = BurstDetector(clock=clock)
    for d in "1234567890" * 3:
        clock.advance(SCANNER_GAP)
        detector.feed(d)
    clock.advance(SCANNER_GAP)
    assert detector.finish().is_scan and detector.finish().digits == ""
    for d in "1234567890" * 3:
        clock.advance(PERSON_GAP)
        detector.feed(d)
    clock.advance(SCANNER_GAP)
    assert not detector.finish().is_scan
    for d in "123456789":  # fast, but too short to be a report's code
        clock.advance(SCANNER_GAP)
        detector.feed(d)
    assert not detector.finish().is_scan
    for i, d in enumerate("99" + "1234567890" * 3):  # stray typing, then a scan: only the burst counts
        clock.advance(PERSON_GAP if i < 3 else SCANNER_GAP)
        detector.feed(d)
    assert detector.finish().digits == "1234567890" * 3


# -- scanning -------------------------------------------------------------------------------

def test_scanned_report_is_valid_and_names_the_enterprise(qtbot, open_page, desk_env):
    page, clock = open_page()
    announced = []
    page.ctx.events.data_changed.connect(lambda kind, key: announced.append((kind, key)))
    report = desk_env.report
    with qtbot.waitSignal(page.verdict_shown, timeout=15000) as shown:
        type_digits(page.scan_field, clock, report.issue.qr_digits, SCANNER_GAP)
        assert page.busy and page.panel.state == "busy"  # the check runs off the GUI thread
        assert page.scan_field.text() == ""  # ready for the next scan at once
    verdict = shown.args[0]
    assert verdict.status == "valid" and page.panel.state == "valid" and not page.busy
    assert page.panel.headline.text() == "有效"
    assert page.panel.fact_text("enterprise") == "苏州恒达精密机械有限公司"
    assert page.panel.fact_text("report_no") == report.report_no
    assert page.panel.fact_text("uscc") == desk_env.enterprises["苏州恒达精密机械有限公司"]
    assert "生态环境" in page.panel.fact_text("domains") and page.panel.fact_text("violations") == "1 条"
    assert announced == [("verification", report.report_no)]
    with desk_env.db.session() as s:
        assert s.scalars(select(Verification.status)).all() == ["valid"]
    assert page.scan_field.hasFocus() and QApplication.focusWidget() is page.scan_field


def test_one_scan_after_another_without_the_mouse(qtbot, open_page, desk_env):
    page, clock = open_page()
    digits = desk_env.report.issue.qr_digits
    assert scan(qtbot, page, clock, changed_digit(digits, 40)).status in ("malformed", "forged")
    assert page.panel.headline.text() in ("请重新扫描", "无效 · 伪造")
    assert page.panel.fact_text("enterprise") is None  # nothing to compare against a bad code
    assert page.scan_field.hasFocus()
    assert scan(qtbot, page, clock, digits).status == "valid"  # the next scan replaces the text
    assert page.panel.headline.text() == "有效" and page.scan_field.hasFocus()
    QTest.keyClick(page.scan_field, Qt.Key.Key_Escape)
    assert page.scan_field.text() == ""


def test_revoked_report(qtbot, open_page, desk_env):
    desk_env.revoke(desk_env.report.report_no, "企业申请作废")
    page, clock = open_page()
    assert scan(qtbot, page, clock, desk_env.report.issue.qr_digits).status == "revoked"
    assert page.panel.headline.text() == "无效 · 已撤销"
    assert page.panel.fact_text("revoke_reason") == "企业申请作废" and page.panel.fact_text("revoked_at")


def test_slow_typing_is_a_person_not_a_scan(qtbot, open_page, desk_env):
    page, clock = open_page()
    digits = desk_env.report.issue.qr_digits
    with qtbot.assertNotEmitted(page.scan_field.scanned):
        type_digits(page.scan_field, clock, digits, PERSON_GAP, enter=False)
        assert page.scan_field.text() == digits
        with qtbot.waitSignal(page.scan_field.submitted) as submitted, \
                qtbot.waitSignal(page.verdict_shown, timeout=15000) as shown:
            clock.advance(PERSON_GAP)
            QTest.keyClick(page.scan_field, Qt.Key.Key_Enter)  # the keypad's Enter
    assert submitted.args == [digits] and shown.args[0].status == "valid"


def test_input_method_text_never_leaks_but_key_codes_do(qtbot, open_page):
    page, clock = open_page()
    field = page.scan_field
    assert not field.testAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled)
    commit = QInputMethodEvent()
    commit.setCommitString("１２３核验")
    QApplication.sendEvent(field, commit)
    assert field.text() == ""
    # an IME turned the text full-width: the key code still says which digit it was
    QApplication.sendEvent(field, QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_4, Qt.KeyboardModifier.NoModifier, "４"))
    QTest.keyClick(field, Qt.Key.Key_7, Qt.KeyboardModifier.KeypadModifier)
    QTest.keyClick(field, Qt.Key.Key_A)  # letters are not part of a code
    assert field.text() == "47"


def test_empty_enter_asks_for_a_scan(qtbot, open_page):
    page, _ = open_page()
    QTest.keyClick(page.scan_field, Qt.Key.Key_Return)
    assert page.message.text() == text.EMPTY_INPUT and page.panel.state == "idle"


# -- files ----------------------------------------------------------------------------------

def drop(page: VerifyPage, path: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    enter = QDragEnterEvent(QPoint(200, 200), *args)
    QApplication.sendEvent(page, enter)
    assert enter.isAccepted() and page.hint.text() == text.DROP_HINT
    # Qt delivers a Drop only inside a real drag-and-drop session, so hand it to the handler
    page.dropEvent(QDropEvent(QPointF(200, 200), *args))


def test_dropped_pdf_is_decoded_and_verified(qtbot, open_page, desk_env, tmp_path):
    page, _ = open_page(Role.VERIFIER)
    pdf = tmp_path / "报告.pdf"
    pdf.write_bytes(desk_env.report.pdf)
    with qtbot.waitSignal(page.verdict_shown, timeout=20000) as shown:
        drop(page, pdf)
    assert shown.args[0].status == "valid" and page.panel.headline.text() == "有效"
    assert page.panel.fact_text("report_no") == desk_env.report.report_no and page.scan_field.hasFocus()


def test_chosen_picture_is_decoded_and_a_blank_one_explained(qtbot, open_page, desk_env, tmp_path, monkeypatch):
    page, _ = open_page()
    photo = tmp_path / "扫描件.png"
    page_image(desk_env.report.pdf, 0, 150).save(photo)
    blank = tmp_path / "空白.png"
    Image.new("RGB", (600, 800), "white").save(blank)
    chosen = iter([str(photo), str(blank)])
    monkeypatch.setattr(verify_page, "open_file_name", lambda *a, **k: next(chosen))  # the person's answers
    with qtbot.waitSignal(page.verdict_shown, timeout=20000) as shown:
        QTest.keyClick(page.scan_field, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert shown.args[0].status == "valid"
    page.open_button.click()
    qtbot.waitUntil(lambda: page.panel.state == "error", timeout=20000)
    assert "未在图片中找到二维码" in page.panel.reason.text()


# -- roles, archive, offline, errors --------------------------------------------------------

def test_verifier_verifies_and_may_open_the_archive(qtbot, open_page, desk_env):
    page, clock = open_page(Role.VERIFIER)
    assert scan(qtbot, page, clock, desk_env.report.issue.qr_digits).status == "valid"
    assert page.panel.fact_text("enterprise") == "苏州恒达精密机械有限公司"
    assert page.panel.archive_button.isVisible()


def test_verifier_opens_the_archived_pdf_with_f3(qtbot, open_page, desk_env):
    page, clock = open_page(Role.VERIFIER)
    scan(qtbot, page, clock, desk_env.report.issue.qr_digits)
    assert page.panel.archive_button.isVisible()
    QTest.keyClick(page.scan_field, Qt.Key.Key_F3)  # F2 belongs to the window (issue 11)
    qtbot.waitUntil(lambda: page.archive_dialog is not None and page.archive_dialog.isVisible(), timeout=10000)
    preview = page.archive_dialog.preview
    assert preview.page_count() >= 1
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=10000)
    assert preview.page_image(0) is not None and not preview.page_image(0).isNull()  # the page on screen
    page.archive_dialog.accept()
    assert page.focusWidget() is page.scan_field  # focused again as soon as the window is active


def test_database_gone_checks_the_signature_alone(qtbot, open_page, desk_env):
    page, clock = open_page(desk=desk_env.offline_desk())
    verdict = scan(qtbot, page, clock, desk_env.report.issue.qr_digits)
    assert (verdict.status, verdict.offline, page.panel.state) == ("valid", True, "offline")
    assert page.panel.headline.text() == "无法连接数据库（仅验证签名）"
    assert page.panel.fact_text("uscc") and page.panel.fact_text("enterprise") is None


def test_no_database_and_no_cache_is_a_plain_sentence(qtbot, open_page, desk_env, tmp_path):
    away = Database(UNREACHABLE_DB)
    desk = CounterDesk(away, desk_env.profile, desk_env.desk.settings,
                       KeyService(away, tmp_path / "keys", tmp_path / "no-cache.json"))
    page, clock = open_page(desk=desk)
    type_digits(page.scan_field, clock, desk_env.report.issue.qr_digits, SCANNER_GAP)
    qtbot.waitUntil(lambda: page.panel.state == "error", timeout=15000)
    shown = page.panel.reason.text()
    assert "信任列表缓存" in shown and "Traceback" not in shown and page.scan_field.hasFocus()


def test_expired_report_and_its_sound(qtbot, open_page, desk_env):
    old = desk_env.issue(desk_env.enterprises["昆山市玉山镇明远餐饮店"], days_ago=60)
    page, clock = open_page(sound=True)
    assert scan(qtbot, page, clock, old.issue.qr_digits).status == "expired"
    assert page.panel.headline.text() == "无效 · 已过期" and page.sound.last_played == "bad"


# -- how it looks ---------------------------------------------------------------------------

def distinct_colours(path: Path) -> int:
    with Image.open(path) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    return len(colours or ())


@pytest.mark.parametrize("name, state", [
    ("valid", "valid"), ("new-violations", "valid"), ("forged", "forged"), ("malformed", "malformed"),
    ("revoked", "revoked"), ("expired", "expired"), ("offline", "offline")])
def test_screenshot_of_each_verdict(qtbot, open_page, desk_env, screenshot_dir, name, state):
    report = desk_env.report
    digits = report.issue.qr_digits
    if name == "revoked":
        desk_env.revoke(report.report_no, "企业提交的材料有误，申请作废重新出具")
    elif name == "expired":
        digits = desk_env.issue(desk_env.enterprises["苏州工业园区星海电子科技有限公司"],
                                days_ago=45).issue.qr_digits
    elif name == "forged":
        digits = counterfeit(digits)
    elif name == "malformed":
        digits = digits[:60]
    elif name == "new-violations":
        add_penalty(desk_env.db, desk_env.enterprises["苏州恒达精密机械有限公司"], date.today(), domain=4)
    page, clock = open_page(desk=desk_env.offline_desk() if name == "offline" else None)
    verdict = scan(qtbot, page, clock, digits)
    assert page.panel.state == state, verdict.reason
    if name == "new-violations":
        assert "新增 1 条违法记录" in page.panel.note.text() and page.panel.note.isVisible()
    qtbot.wait(30)  # let the layout settle before the picture is taken
    path = screenshot_dir / f"verify-{name}.png"
    assert page.grab().save(str(path))
    assert distinct_colours(path) > 40
