"""The printed code is a URL: issue on both databases, decode page 1's QR, verify what it says.

Also what a person reads on the page: the caption under the code and the note on verification.
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from reportlab.lib.units import mm

from core.services.people.roles import Role
from core.services.reports.render.qr import qr_code
from core.services.signing.keys import KeyService
from core.services.signing.verify_url import check_verify_host
from core.states import VerdictStatus
from desktop.strings.verify import HEADLINES
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

NOW = datetime(2026, 11, 27, 9, 30)
TODAY = date(2026, 11, 28)
HOST = "xybg.example.gov.cn:8443"
SHOTS = Path("/tmp/h1")


@pytest.fixture
def issuer(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    desk = make_desk(db, profile, keys)
    desk.desk.settings = dataclasses.replace(desk.desk.settings, verify_host=check_verify_host(HOST))
    return desk


def page_one(pdf: bytes, dpi: int):
    return pypdfium2.PdfDocument(pdf)[0].render(scale=dpi / 72).to_pil()


def decode(image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def words(verdict) -> str:
    return HEADLINES[verdict.status]  # the banner the counter app shows


def test_the_printed_url_verifies_and_so_do_the_bare_digits_of_older_reports(db, issuer):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    add_penalty(db, code, date(2025, 3, 1))
    result = issuer.issue(code, [4, 15], purpose="融资", now=NOW)
    digits = result.issue.qr_digits

    SHOTS.mkdir(exist_ok=True)
    image = page_one(result.pdf, 150)
    image.save(SHOTS / f"page1-{db.url.split(':')[0]}.png")
    (scanned,) = decode(image)
    assert scanned == f"HTTPS://XYBG.EXAMPLE.GOV.CN:8443/V/{digits}"
    assert decode(page_one(result.pdf, 100)) == [scanned]  # a coarser, phone-like image reads it too

    verifier = issuer.as_(Role.VERIFIER)
    for text in (scanned, scanned.lower() + "/\r\n", digits):  # URL in both cases; an older code
        verdict = issuer.desk.verify(verifier, text, today=TODAY)
        assert (verdict.status, words(verdict)) == (VerdictStatus.VALID, "有效"), verdict.reason
        assert verdict.report_no == result.report_no and verdict.claims.uscc == code

    at = scanned.index("/V/") + 3 + len(digits) // 2
    misread = scanned[:at] + str((int(scanned[at]) + 1) % 10) + scanned[at + 1:]
    verdict = issuer.desk.verify(verifier, misread, today=TODAY)
    assert verdict.status == VerdictStatus.MALFORMED and "请重新扫描" in verdict.reason


def test_the_url_barely_grows_the_printed_symbol(db, issuer):
    code = add_enterprise(db)
    result = issuer.issue(code, now=NOW)  # all 20 domains: the longest payload of the profile
    digits = result.issue.qr_digits
    bare, url = qr_code(digits), qr_code(f"HTTPS://{check_verify_host(HOST)}/V/{digits}")
    assert url.version <= bare.version + 1
    modules = 17 + 4 * url.version
    assert 32 * mm / modules >= 0.5 * mm  # the PDF draws the symbol 32 mm wide: modules ≥ 0.5 mm
    print(f"\nQR: {len(digits)} digits, bare v{bare.version} ({17 + 4 * bare.version} modules), "
          f"URL v{url.version} ({modules} modules, {32 / modules:.3f} mm each)")


def test_the_page_says_how_a_phone_and_a_scanner_verify(db, issuer):
    code = add_enterprise(db)
    result = issuer.issue(code, now=NOW)
    pdf = pypdfium2.PdfDocument(result.pdf)
    text = re.sub(r"\s+", "", "".join(p.get_textpage().get_text_range() for p in pdf))
    assert "手机扫码核验" in text  # under the code
    assert "用手机扫描首页二维码，打开出具单位的核验网页（HTTPS://XYBG.EXAMPLE.GOV.CN:8443）" in text
    assert "请确认手机打开的是出具单位公布的核验网址" in text
    assert "扫码枪扫描同一二维码亦可核验" in text
    assert "不载有报告全文" in text
    assert "二维码载有本报告的主要内容" not in text  # the old promise: the code carries a digest only
