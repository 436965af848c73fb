"""Issue → PDF → rasterise → decode the printed QR → verify, and every way a code can be wrong."""
from __future__ import annotations

import json
from datetime import date, datetime

import pypdfium2
import pytest
import zxingcpp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from core.db.models_reports import Verification
from core.errors import DatabaseUnavailable, InvalidRequest
from core.services.people.roles import Role
from core.services.reports import archive
from core.services.reports.canonical import sha256_hex
from core.services.signing.keys import KeyService
from core.services.signing.payload import QrClaims, key_id_for, parse_payload, sign_payload
from core.services.reports.verify import VerificationService
from core.db.engine import Database
from tests.desks import make_desk
from tests.factories import add_arrear, add_enterprise, add_penalty

NOW = datetime(2026, 11, 27, 9, 30)


@pytest.fixture
def keys(db, tmp_path):
    service = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    service.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return service


@pytest.fixture
def issuer(db, profile, keys):
    return make_desk(db, profile, keys)


def revoke(issuer, report_no, reason):
    return issuer.desk.revoke(issuer.as_(Role.SUPERVISOR), report_no, reason)


def verify(db, keys, text, today=date(2026, 11, 28)):
    return VerificationService(db, keys).verify(text, user="核验员", counter="二号窗口", today=today)


def decode_printed_code(pdf: bytes) -> str:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=150 / 72).to_pil()
    (barcode,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return barcode.text


def test_round_trip_from_printed_page_to_valid(db, issuer, keys):
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    add_penalty(db, code, date(2025, 3, 1))
    result = issuer.issue(code, [4, 15], purpose="融资", now=NOW)
    assert result.report_no == "SZ-2026-00000001"
    scanned = decode_printed_code(result.pdf)
    assert scanned == f"HTTPS://CREDITDESK.EXAMPLE/V/{result.issue.qr_digits}" and len(scanned) <= 430
    verdict = verify(db, keys, scanned + "\r\n")
    assert verdict.status == "valid", verdict.reason
    assert (verdict.claims.uscc, verdict.claims.domains, verdict.claims.violations) == (code, (4, 15), 1)
    assert verdict.archived.enterprise_name == "苏州恒达精密机械有限公司"
    assert verdict.new_violations == ()
    with db.session() as s:
        record = s.scalars(select(Verification)).one()
    assert (record.report_no, record.status, record.verified_by, record.counter) == (
        result.report_no, "valid", "核验员", "二号窗口")


def test_archive_holds_what_was_issued(db, issuer):
    code = add_enterprise(db)
    add_arrear(db, code)
    result = issuer.issue(code, purpose="上市", now=NOW)
    with db.session() as s:
        report, pdf = archive.get(s, result.report_no), archive.pdf(s, result.report_no)
    assert (report.uscc, report.purpose, report.issued_by, report.counter) == (code, "上市", "张三", "一号窗口")
    assert report.valid_until == date(2026, 12, 27) and report.status == "有效"
    assert report.pdf_sha256 == sha256_hex(result.pdf) == sha256_hex(pdf)
    assert report.content == json.loads(report_content_json(db, result.report_no))
    assert report.has_arrears and report.key_id == result.key_id


def report_content_json(db, report_no):
    from core.db.models_reports import IssuedReport

    with db.session() as s:
        return s.scalar(select(IssuedReport.content_json).where(IssuedReport.report_no == report_no))


def test_every_single_digit_change_is_caught(db, issuer, keys):
    code = add_enterprise(db)
    digits = issuer.issue(code, now=NOW).issue.qr_digits
    statuses = set()
    for i in range(0, len(digits), 7):  # a spread of positions; the unit tests try them all
        changed = digits[:i] + str((int(digits[i]) + 3) % 10) + digits[i + 1:]
        statuses.add(verify(db, keys, changed).status)
    assert statuses <= {"malformed", "forged"} and statuses


def test_foreign_key_is_forged_even_with_a_copied_key_id(db, issuer, keys):
    code = add_enterprise(db)
    genuine = parse_payload(issuer.issue(code, now=NOW).issue.qr_digits).claims
    outsider = Ed25519PrivateKey.generate()
    own = QrClaims(**{**genuine.__dict__, "key_id": key_id_for(outsider.public_key())})
    assert verify(db, keys, sign_payload(own, outsider)).status == "forged"


def test_revoked_and_expired(db, issuer, keys):
    code = add_enterprise(db)
    first = issuer.issue(code, now=NOW)
    revoke(issuer, first.report_no, "企业申请作废")
    verdict = verify(db, keys, first.issue.qr_digits)
    assert verdict.status == "revoked" and "企业申请作废" in verdict.reason
    second = issuer.issue(code, now=NOW)
    assert verify(db, keys, second.issue.qr_digits, today=date(2026, 12, 27)).status == "valid"
    assert verify(db, keys, second.issue.qr_digits, today=date(2026, 12, 28)).status == "expired"
    with pytest.raises(InvalidRequest, match="已于"):
        revoke(issuer, first.report_no, "再次撤销")


def test_retired_key_keeps_old_reports_valid_and_signs_no_more(db, issuer, keys):
    code = add_enterprise(db)
    old = issuer.issue(code, now=NOW)
    keys.retire(old.key_id, user="admin")
    assert verify(db, keys, old.issue.qr_digits).status == "valid"
    with pytest.raises(Exception, match="没有可用的签名密钥"):
        issuer.issue(code, now=NOW)


def test_new_violations_since_issue_are_reported(db, issuer, keys):
    code = add_enterprise(db)
    digits = issuer.issue(code, [4], now=NOW).issue.qr_digits
    later = add_penalty(db, code, date(2026, 11, 28), domain=4)
    add_penalty(db, code, date(2026, 11, 28), domain=20, organ="苏州市消防救援支队")  # outside the scope
    verdict = verify(db, keys, digits, today=date(2026, 11, 29))
    assert verdict.status == "valid" and verdict.new_violations == (later,)
    assert "新增 1 条" in verdict.reason


def test_database_away_signature_alone(db, issuer, keys, tmp_path):
    code = add_enterprise(db)
    digits = issuer.issue(code, now=NOW).issue.qr_digits
    away = Database("postgresql+psycopg://postgres@127.0.0.1:1/none")
    offline_keys = KeyService(away, tmp_path / "keys", keys.trust_cache)
    verdict = VerificationService(away, offline_keys).verify(digits, user="核验员", counter="二号窗口",
                                                             today=date(2026, 11, 28))
    assert (verdict.status, verdict.offline) == ("valid", True)
    assert "仅验证签名" in verdict.reason
    # Its record waits in a local file and reaches the database with the next verification.
    with db.session() as s:
        assert s.scalars(select(Verification)).all() == []
    verify(db, keys, digits)
    with db.session() as s:
        records = s.scalars(select(Verification).order_by(Verification.id)).all()
    assert [(r.status, r.offline, r.verified_by) for r in records] == [
        ("valid", True, "核验员"), ("valid", False, "核验员")]
    assert not offline_keys.trust_cache.with_name("pending-verifications.jsonl").exists()
    no_cache = KeyService(away, tmp_path / "keys", tmp_path / "missing.json")
    with pytest.raises(DatabaseUnavailable, match="信任列表缓存"):
        VerificationService(away, no_cache).verify(digits, user="核验员", counter="二号窗口")


def test_refusals(db, issuer):
    code = add_enterprise(db)
    with pytest.raises(InvalidRequest, match="用途"):
        issuer.issue(code, purpose="买房", now=NOW)
    with pytest.raises(InvalidRequest, match="超过政策允许"):
        issuer.issue(code, date_from=date(2022, 1, 1), now=NOW)


def test_passphrases(db, tmp_path):
    from core.errors import CreditDeskError

    plain = KeyService(db, tmp_path / "plain", tmp_path / "t1.json")
    key = plain.create(user="admin", today=date(2026, 1, 1))
    assert plain.signer(passphrase="set-for-another-key").key_id == key.key_id  # not encrypted: ignored
    guarded = KeyService(db, tmp_path / "guarded", tmp_path / "t2.json")
    key = guarded.create(user="admin", passphrase="correct horse", today=date(2026, 1, 2))
    assert b"ENCRYPTED" in guarded.private_path(key.key_id).read_bytes()
    assert guarded.signer(passphrase="correct horse").key_id == key.key_id
    with pytest.raises(CreditDeskError, match="口令错误"):
        guarded.signer(passphrase="wrong horse")
    with pytest.raises(CreditDeskError, match="受口令保护"):
        guarded.signer(passphrase="")
