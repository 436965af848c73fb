"""The QR payload: what a verifier at another office sees when scanning a report's code."""
from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
import qrcode.util
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.services.signing.payload import (
    PREFIX,
    MalformedPayload,
    QrClaims,
    digest_content,
    key_id_for,
    parse_payload,
    sign_payload,
)
from core.services.signing.payload_codec import check_digits

# RFC 8032 test vector 1: a fixed key makes every payload here reproducible.
KEY = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
FOREIGN = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))


def claims(key: Ed25519PrivateKey = KEY, **changes) -> QrClaims:
    base = QrClaims(
        key_id=key_id_for(key.public_key()), report_no="SZ-2026-00001234",
        uscc="913205063YHXFNFQXF", issued_on=date(2026, 3, 2), valid_until=date(2026, 4, 1),
        domains=tuple(range(1, 21)), period_from=date(2023, 3, 2), period_to=date(2026, 3, 2),
        violations=2, has_arrears=True, content_digest=digest_content(b'{"report":"SZ"}'),
    )
    return dataclasses.replace(base, **changes)


TEXT = sign_payload(claims(), KEY)
ANOTHER = sign_payload(claims(domains=(3, 7, 19), violations=0, has_arrears=False), KEY)


def outcome(text: str) -> str:
    """What the verifier's screen would say: misread, forged, or genuine."""
    try:
        payload = parse_payload(text)
    except MalformedPayload:
        return "rescan"
    return "genuine" if payload.verify(KEY.public_key()) else "forged"


def test_round_trip_gives_back_the_claims_and_verifies_with_the_right_key_only():
    payload = parse_payload(TEXT)
    assert payload.claims == claims()
    assert payload.verify(KEY.public_key()) is True
    assert payload.verify(FOREIGN.public_key()) is False


def test_round_trip_of_edge_values():
    edge = claims(report_no="AB-2255-99999999", uscc="Y" * 18, issued_on=date(2000, 1, 1),
                  valid_until=date(2179, 6, 6), period_from=date(2000, 1, 1),
                  period_to=date(2000, 1, 1), domains=(), violations=65535, has_arrears=False,
                  content_digest=bytes(16))
    assert parse_payload(sign_payload(edge, KEY)).claims == edge
    zeros = claims(uscc="0" * 18, report_no="AA-2000-00000000", domains=(2040,))
    assert parse_payload(sign_payload(zeros, KEY)).claims == zeros


def test_the_text_is_digits_behind_the_prefix_in_qr_numeric_mode():
    assert TEXT.isascii() and TEXT.isdigit()
    assert TEXT.startswith(PREFIX)
    assert qrcode.util.QRData(TEXT).mode == qrcode.util.MODE_NUMBER
    assert len(TEXT) <= 300


def test_a_real_qr_image_scans_back_to_the_same_verifiable_text():
    zxingcpp = pytest.importorskip("zxingcpp")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(qrcode.util.QRData(TEXT, mode=qrcode.util.MODE_NUMBER))
    image = code.make_image().get_image().convert("L")
    scanned = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [b.text for b in scanned] == [TEXT]
    assert outcome(scanned[0].text) == "genuine"


@pytest.mark.parametrize("text", [TEXT, ANOTHER])
def test_every_single_digit_misread_asks_for_a_rescan(text):
    results = {
        (i, d): outcome(text[:i] + d + text[i + 1:])
        for i in range(len(text)) for d in "0123456789" if d != text[i]
    }
    assert len(results) == 9 * len(text)
    assert set(results.values()) == {"rescan"}


@pytest.mark.parametrize("text", [TEXT, ANOTHER])
def test_a_dropped_or_doubled_digit_asks_for_a_rescan(text):
    dropped = {outcome(text[:i] + text[i + 1:]) for i in range(len(text))}
    doubled = {outcome(text[:i] + text[i] + text[i:]) for i in range(len(text))}
    assert dropped == doubled == {"rescan"}


@pytest.mark.parametrize("text", [TEXT, ANOTHER])
def test_swapped_neighbours_never_pass_as_genuine(text):
    swapped = {
        outcome(text[:i] + text[i + 1] + text[i] + text[i + 2:])
        for i in range(len(text) - 1) if text[i] != text[i + 1]
    }
    assert "genuine" not in swapped


def test_a_truncated_scan_asks_for_a_rescan():
    assert {outcome(TEXT[:n]) for n in range(len(TEXT))} == {"rescan"}


def test_full_width_digits_and_the_scanners_enter_are_accepted():
    full_width = TEXT.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert outcome(full_width) == "genuine"
    assert outcome(TEXT + "\r\n") == "genuine"
    assert outcome("  " + TEXT + "\n") == "genuine"


@pytest.mark.parametrize("garbage", ["", "   \r\n", TEXT[:50] + "A" + TEXT[51:],
                                     TEXT + "。", TEXT.replace("3", "#", 1),
                                     "https://example.com/r/123", "ＳＺ-2026-00001234"])
def test_letters_punctuation_or_nothing_ask_for_a_rescan(garbage):
    with pytest.raises(MalformedPayload) as caught:
        parse_payload(garbage)
    assert caught.value.reason and str(caught.value) == caught.value.reason


def test_the_reasons_tell_foreign_codes_misreads_and_new_versions_apart():
    with pytest.raises(MalformedPayload, match="不是本系统的核验码"):
        parse_payload("320506199001011234")  # a Suzhou ID card number
    with pytest.raises(MalformedPayload, match="不是本系统的核验码"):
        parse_payload("1" + TEXT[1:])
    with pytest.raises(MalformedPayload, match="校验失败.*重新扫描"):
        parse_payload(TEXT[:-1])
    body = TEXT[6:]
    future = str(int(body) + (1 << (8 * (len(parse_payload(TEXT).signed_bytes) + 63))))
    with pytest.raises(MalformedPayload, match="版本不受支持（版本 2）"):
        parse_payload(PREFIX + check_digits(future) + future)


def test_a_code_signed_by_a_foreign_key_is_a_forgery_not_a_misread():
    forged = sign_payload(claims(FOREIGN), FOREIGN)
    assert outcome(forged) == "forged"
    impostor = parse_payload(forged)
    assert impostor.verify(FOREIGN.public_key()) is True
    # the forger copies the genuine key id: parses fine, still does not verify
    copied = parse_payload(TEXT)
    tampered = dataclasses.replace(copied, signature=FOREIGN.sign(copied.signed_bytes))
    assert tampered.verify(KEY.public_key()) is False


def test_45_domains_still_fit_in_400_digits():
    text = sign_payload(claims(domains=tuple(range(1, 46))), KEY)
    assert len(text) <= 400
    assert parse_payload(text).claims.domains == tuple(range(1, 46))


def test_key_id_is_a_stable_8_hex_digest_of_the_public_key():
    key_id = key_id_for(KEY.public_key())
    assert key_id == key_id_for(KEY.public_key()) == parse_payload(TEXT).claims.key_id
    assert len(key_id) == 8 and set(key_id) <= set("0123456789abcdef")
    assert key_id != key_id_for(FOREIGN.public_key())


def test_digest_is_16_bytes_of_sha256():
    assert digest_content(b"abc").hex() == "ba7816bf8f01cfea414140de5dae2223"


@pytest.mark.parametrize("field, day", [
    ("issued_on", date(1999, 12, 31)), ("period_from", date(1990, 1, 1)),
    ("valid_until", date(2180, 1, 1)), ("period_to", date(2179, 6, 7)),
])
def test_dates_outside_2000_to_2179_are_refused_at_sign_time(field, day):
    with pytest.raises(ValueError):
        sign_payload(claims(**{field: day}), KEY)


@pytest.mark.parametrize("changes", [
    dict(report_no="SZ-2026-1234"), dict(uscc="91320506MA1XXXXXXI"), dict(domains=(2, 1)),
    dict(domains=(0,)), dict(domains=(1, 1)), dict(violations=65536), dict(key_id="ABCDEF01"),
    dict(content_digest=bytes(32)), dict(period_from=date(2026, 3, 3)), dict(version=2),
])
def test_claims_the_format_cannot_carry_are_refused(changes):
    with pytest.raises(ValueError):
        sign_payload(claims(**changes), KEY)


def test_signing_with_a_key_other_than_the_named_one_is_refused():
    with pytest.raises(ValueError):
        sign_payload(claims(), FOREIGN)


def test_the_worked_example_in_the_spec_is_this_very_code():
    spec = (Path(__file__).resolve().parents[2] / "docs" / "qr-format.md").read_text("utf-8")
    example = re.search(r"```\n(3205[\d\n]+)```", spec)[1].replace("\n", "")
    assert example == TEXT
