"""A keyboard-wedge scanner typing the URL form of the code into the 核验 page's scan field.

The printed code reads HTTPS://<HOST>/V/<digits>; the scanner types every character of it, then
Enter. Host and port digits must not join the payload; the verdict is the same as for the digits.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.services.people.users import Role
from desktop.strings import verify as text
from desktop.views.verify_page import VerifyPage
from tests.gui.test_verify_page import SCANNER_GAP, FakeClock
from tests.pdf_pages import page_image

SHOTS = Path("/tmp/h1")


def printed_code(pdf: bytes) -> str:
    """What the scanner reads off page 1 (decoded from the rendered page, as a camera would)."""
    image = page_image(pdf, 0, 150)
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return barcode.text


def open_page(qtbot, make_ctx, role: Role = Role.VERIFIER) -> tuple[VerifyPage, FakeClock]:
    clock = FakeClock()
    page = VerifyPage(make_ctx(role), clock=clock)
    qtbot.addWidget(page)
    page.resize(1024, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.scan_field.hasFocus)
    return page, clock


def wedge_types(qtbot, page: VerifyPage, clock: FakeClock, scanned: str, gap: float = 0.0):
    """The scanner's characters, then Enter; the verdict the page shows."""
    with qtbot.waitSignal(page.verdict_shown, timeout=15000) as shown:
        if gap:
            for char in scanned:
                clock.advance(gap)
                qtbot.keyClicks(page.scan_field, char)
        else:
            qtbot.keyClicks(page.scan_field, scanned)  # as one burst: no time passes between keys
        clock.advance(gap)
        QTest.keyClick(page.scan_field, Qt.Key.Key_Return)
    return shown.args[0]


def test_a_scanned_url_with_digits_in_host_and_port_is_valid(qtbot, make_ctx, desk_env):
    desk = desk_env.desk
    desk.settings = replace(desk.settings, verify_host="XYBG2.EXAMPLE.GOV.CN:8443")
    report = desk_env.issue(desk_env.report.content.enterprise.uscc, domains=(4, 15))
    scanned = printed_code(report.pdf)
    assert scanned == f"HTTPS://XYBG2.EXAMPLE.GOV.CN:8443/V/{report.issue.qr_digits}"

    page, clock = open_page(qtbot, make_ctx)
    verdict = wedge_types(qtbot, page, clock, scanned)
    assert verdict.status == "valid" and verdict.report_no == report.report_no
    assert page.panel.headline.text() == "有效"
    assert page.panel.fact_text("report_no") == report.report_no
    assert page.scan_field.text() == "" and page.scan_field.hasFocus()  # ready for the next scan
    assert not page.message.isVisible()  # no "letters ignored" notice for a scanned URL
    SHOTS.mkdir(exist_ok=True)
    assert page.grab().save(str(SHOTS / "verify-url-1024x768.png"))
    page.resize(1920, 1080)
    QTest.qWait(100)
    assert page.grab().save(str(SHOTS / "verify-url-1920x1080.png"))

    # Caps Lock on the scanner, a scanner's real pace: still the same report.
    verdict = wedge_types(qtbot, page, clock, scanned.lower(), SCANNER_GAP)
    assert verdict.status == "valid" and page.panel.headline.text() == "有效"

    # One digit misread after /V/: the check digits ask for a rescan, not "forged".
    at = scanned.index("/V/") + 3 + 100
    misread = scanned[:at] + str((int(scanned[at]) + 3) % 10) + scanned[at + 1:]
    verdict = wedge_types(qtbot, page, clock, misread, SCANNER_GAP)
    assert verdict.status == "malformed" and page.panel.headline.text() == "请重新扫描"


def test_the_default_host_and_an_older_bare_digit_code_both_verify(qtbot, make_ctx, desk_env):
    report = desk_env.report
    scanned = printed_code(report.pdf)
    assert scanned == f"HTTPS://CREDITDESK.EXAMPLE/V/{report.issue.qr_digits}"
    page, clock = open_page(qtbot, make_ctx)
    for code in (scanned, report.issue.qr_digits):
        verdict = wedge_types(qtbot, page, clock, code, SCANNER_GAP)
        assert verdict.status == "valid" and page.panel.headline.text() == "有效"


def test_a_person_typing_letters_is_still_told_the_field_takes_digits(qtbot, make_ctx, desk_env):
    page, clock = open_page(qtbot, make_ctx)
    qtbot.keyClicks(page.scan_field, "H")  # might begin a scanned URL: held back for a moment
    qtbot.waitUntil(page.message.isVisible, timeout=2000)
    assert page.message.text() == text.LETTERS_IN_SCAN_FIELD and page.scan_field.text() == ""
