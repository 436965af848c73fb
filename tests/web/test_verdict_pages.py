"""A phone opens the code's URL: each verdict on its page, the archived PDF only for a valid or
revoked report, every check recorded as 网页核验 — on SQLite and PostgreSQL, real server."""
from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from core.db.models_audit import AuditEventRow
from tests.web.conftest import CLEAN, DIRTY, OLD, make_codes, start_server, stop_server, verifications


@pytest.fixture
def site(db, profile, tmp_path):
    codes = make_codes(db, profile, tmp_path)
    server = start_server(db.url, tmp_path, "--rate", "6000", "--burst", "500")  # limits: test_operations.py
    yield server, codes
    stop_server(server)


def visible(html: str) -> str:
    """The page's words as a person reads them (tags and the style sheet removed)."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def headline(html: str) -> str:
    return unescape(re.search(r"<h1>(.*?)</h1>", html).group(1))


def test_each_verdict_shows_on_its_page(site, db):
    server, codes = site
    with db.session() as s:
        chain_before = s.scalar(select(func.count()).select_from(AuditEventRow))

    page = server.get(f"/v/{codes.valid}")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    words = visible(page.text)
    assert headline(page.text) == "有效"
    assert 'class="banner green"' in page.text
    for fact in (CLEAN, codes.valid_no, "报告真实有效", "查看存档报告（PDF）", "下载存档报告", "核查领域"):
        assert fact in words, fact
    assert "<script" not in page.text.lower()
    assert f'href="{codes.valid}/pdf"' in page.text  # relative: /v/<digits>/pdf

    # a phone keeps the QR's upper case: /V/ answers the same
    upper = server.get(f"/V/{codes.valid}")
    assert upper.status == 200 and headline(upper.text) == "有效"

    pdf = server.get(f"/v/{codes.valid}/pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body == codes.pdf[codes.valid_no]
    assert pdf.headers["content-disposition"] == f'inline; filename="{codes.valid_no}.pdf"'
    download = server.get(f"/V/{codes.valid}/pdf?download=1")
    assert download.body == codes.pdf[codes.valid_no]
    assert download.headers["content-disposition"].startswith("attachment;")

    misread = server.get(f"/v/{codes.misread}")
    assert misread.status == 200 and headline(misread.text) == "请重新扫描"
    assert 'class="banner amber"' in misread.text
    assert CLEAN not in misread.text and "/pdf" not in misread.text

    forged = server.get(f"/v/{codes.forged}")
    assert headline(forged.text) == "无效 · 伪造" and 'class="banner red"' in forged.text
    assert "不在信任列表中" in visible(forged.text)
    assert codes.valid_no not in forged.text and "/pdf" not in forged.text  # a forger's claims are not shown
    assert server.get(f"/v/{codes.forged}/pdf").status == 404

    revoked = server.get(f"/v/{codes.revoked}")
    words = visible(revoked.text)
    assert headline(revoked.text) == "无效 · 已撤销"
    assert "企业名称有误，已重新出具" in words and "撤销日期" in words
    revoked_pdf = server.get(f"/v/{codes.revoked}/pdf")
    assert revoked_pdf.status == 200 and revoked_pdf.body == codes.pdf[codes.revoked_no]

    expired = server.get(f"/v/{codes.expired}")
    assert headline(expired.text) == "无效 · 已过期" and OLD in visible(expired.text)
    assert "/pdf" not in expired.text
    missing = server.get(f"/v/{codes.expired}/pdf")
    assert missing.status == 404 and "没有可查看的存档报告" in visible(missing.text)

    newer = server.get(f"/v/{codes.newer}")
    assert headline(newer.text) == "出具后有新增违法记录" and 'class="banner amber"' in newer.text
    assert DIRTY in visible(newer.text) and codes.newer_penalty in visible(newer.text)

    # every page view of a report's code is one check, as 网页核验 at 网页; opening a PDF is not a
    # second check, and the misread address checked no report (no row)
    seen = verifications(db)
    assert [(who, where, status) for who, where, status, _ in seen] == [
        ("网页核验", "网页", "valid"), ("网页核验", "网页", "valid"), ("网页核验", "网页", "forged"),
        ("网页核验", "网页", "revoked"), ("网页核验", "网页", "expired"), ("网页核验", "网页", "valid")]
    assert seen[0][3] == codes.valid_no
    with db.session() as s:  # the web writes nothing to the audit chain (core/usecases/public.py)
        assert s.scalar(select(func.count()).select_from(AuditEventRow)) == chain_before


def test_nothing_but_the_code_opens_anything(site):
    server, codes = site
    for path in ("/", "/v", "/v/", "/V/", "/reports", "/report", f"/v/{codes.valid_no}",
                 f"/v/{codes.valid_no}/pdf", "/v/SZ", f"/v/{codes.valid}/", f"/v/{codes.valid}/pdf/",
                 f"/v/{codes.valid}x", "/static/style.css", "/robots.txt", "/favicon.ico", "/healthz/",
                 "/v/" + "1" * 2001, "/docs", "/openapi.json", "/admin", "/search?q=%E6%81%92%E8%BE%BE"):
        reply = server.get(path)
        assert reply.status == 404, path
        assert headline(reply.text) == "页面不存在", path
        assert "请用手机扫描报告首页的二维码" in visible(reply.text)
    refused = server.get(f"/v/{codes.valid}", method="POST")
    assert refused.status == 405 and headline(refused.text) == "不支持的请求"
    head = server.get(f"/v/{codes.valid}", method="HEAD")
    assert head.status == 200 and head.body == b""
