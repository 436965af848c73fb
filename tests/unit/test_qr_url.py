"""One code for both readers: HTTPS://<HOST>/V/<digits> for a phone, the digits for a scanner."""
from __future__ import annotations

import pytest

from core.config import Settings
from core.errors import InvalidRequest
from core.services.reports.render.qr import qr_code, qr_matrix
from core.services.signing import payload_codec as codec
from core.services.signing.payload import MalformedPayload, parse_payload
from core.services.signing.verify_url import DEFAULT_VERIFY_HOST, check_verify_host, verify_url
from desktop.services.scanner import BurstDetector, pasted_code, url_char_for_key
from tests.unit.test_payload import ANOTHER, KEY, TEXT, claims


def outcome(text: str) -> str:
    try:
        payload = parse_payload(text)
    except MalformedPayload as exc:
        return f"rescan: {exc.reason}"
    return "genuine" if payload.verify(KEY.public_key()) else "forged"


def flip(text: str, at: int) -> str:
    return text[:at] + str((int(text[at]) + 1) % 10) + text[at + 1:]


@pytest.mark.parametrize("scanned", [
    TEXT,  # a report printed before the URL: the bare digits
    f"HTTPS://CREDITDESK.EXAMPLE/V/{TEXT}",
    f"https://creditdesk.example/v/{TEXT}",  # a phone app or a scanner with Caps Lock: lower case
    f"HTTPS://XYBG.EXAMPLE.GOV.CN:8443/V/{TEXT}",  # a port: its digits stay out of the payload
    f"HTTPS://10.0.0.7:8080/V/{TEXT}/",  # digits in the host, a trailing slash
    f"HTTP://OTHER.EXAMPLE.ORG/V/{TEXT}\r\n",  # another host: the signature decides, not the host
    f"  HTTPS://CREDITDESK.EXAMPLE/V/{TEXT} \t",
    f"ＨＴＴＰＳ：／／CREDITDESK.EXAMPLE／V／{TEXT}",  # full-width, as an input method may type it
])
def test_every_form_of_the_code_gives_the_same_claims(scanned):
    payload = parse_payload(scanned)
    assert payload.claims == claims() and payload.verify(KEY.public_key())
    assert codec.normalise_scan(scanned) == TEXT


def test_a_misread_digit_in_the_url_asks_for_a_rescan_not_forgery():
    url = f"HTTPS://CREDITDESK.EXAMPLE:8443/V/{TEXT}"
    start = url.index("/V/") + 3
    for at in (start + 4, start + 6, start + len(TEXT) // 2, len(url) - 1):  # after the 3205 prefix
        assert outcome(flip(url, at)) == f"rescan: {codec.CHECK_FAILED}"
    assert outcome(url[:-40]).startswith("rescan: ")  # cut short by a hurried scan
    # The host's digits are not signed: changing the port changes nothing.
    assert outcome(url.replace(":8443", ":9443")) == "genuine"


@pytest.mark.parametrize("scanned", [
    "HTTPS://CREDITDESK.EXAMPLE/V/",  # the digits never arrived
    f"HTTPS://CREDITDESK.EXAMPLE/R/{TEXT}",  # another path
    f"HTTPS://CREDITDESK.EXAMPLE/V/{TEXT}?UTM=1",
    f"HTTPS:///V/{TEXT}",  # no host
    "https://www.example.com/",
])
def test_a_url_that_is_not_a_code_is_named_as_such(scanned):
    assert outcome(scanned) == f"rescan: {codec.NOT_OUR_URL}"


def test_bare_digit_messages_are_unchanged():
    assert outcome("12AB") == f"rescan: {codec.NON_DIGIT}"
    assert outcome("") == f"rescan: {codec.EMPTY}"
    assert outcome(flip(ANOTHER, 20)) == f"rescan: {codec.CHECK_FAILED}"


@pytest.mark.parametrize("given, stored", [
    ("xybg.example.gov.cn", "XYBG.EXAMPLE.GOV.CN"),
    (" Verify.Example.Gov.CN:8443 ", "VERIFY.EXAMPLE.GOV.CN:8443"),
    ("10.0.0.7:8080", "10.0.0.7:8080"),
    ("localhost", "LOCALHOST"),
])
def test_the_host_is_checked_and_upper_cased(given, stored):
    assert check_verify_host(given) == stored


@pytest.mark.parametrize("bad", [
    "", "https://xybg.example.gov.cn", "xybg.example.gov.cn/v", "xy_bg.example", "-bad.example",
    "bad-.example", "a..b", "host:0", "host:65536", "host:", "信用.苏州.中国", "[::1]:8080",
    "a" * 64 + ".example",
])
def test_hosts_a_qr_code_cannot_carry_are_refused_in_chinese(bad):
    with pytest.raises(InvalidRequest, match="核验网址的主机名无效"):
        check_verify_host(bad)


def test_the_host_comes_from_the_environment_with_an_obvious_placeholder(monkeypatch):
    monkeypatch.delenv("CREDITDESK_VERIFY_HOST", raising=False)
    assert Settings.from_env("sqlite://").verify_host == DEFAULT_VERIFY_HOST == "CREDITDESK.EXAMPLE"
    monkeypatch.setenv("CREDITDESK_VERIFY_HOST", "xybg.example.gov.cn")
    assert Settings.from_env("sqlite://").verify_host == "XYBG.EXAMPLE.GOV.CN"
    monkeypatch.setenv("CREDITDESK_VERIFY_HOST", "https://xybg.example.gov.cn/")
    with pytest.raises(InvalidRequest):
        Settings.from_env("sqlite://")


def test_the_url_costs_one_qr_version_in_two_segments():
    url = verify_url("XYBG.EXAMPLE.GOV.CN:8443", TEXT)
    assert url == f"HTTPS://XYBG.EXAMPLE.GOV.CN:8443/V/{TEXT}"
    bare, both = qr_code(TEXT), qr_code(url)
    assert [(d.mode, len(d)) for d in both.data_list] == [(2, len(url) - len(TEXT)), (1, len(TEXT))]
    assert both.version <= bare.version + 1  # alphanumeric + numeric: the symbol barely grows
    assert len(qr_matrix(url)) == 17 + 4 * both.version
    with pytest.raises(ValueError):
        qr_matrix(f"https://xybg.example.gov.cn/v/{TEXT}")  # lower case would need byte mode
    with pytest.raises(ValueError):
        verify_url("XYBG.EXAMPLE.GOV.CN", "12AB")


def test_keys_of_the_url_and_pasted_urls_keep_the_host_digits_out():
    assert [url_char_for_key(ord(c)) for c in "HV:/.-"] == list("HV:/.-")
    assert url_char_for_key(ord("?")) is None and url_char_for_key(0x01000004) is None  # Return
    assert pasted_code(f"https://10.0.0.7:8080/v/{TEXT}\n") == TEXT
    assert pasted_code("３２０５ 12") == "320512"


def test_the_detector_hands_on_a_scanned_url_whole():
    now = [0.0]
    detector = BurstDetector(clock=lambda: now[0])
    for char in f"HTTPS://XYBG.EXAMPLE:8443/V/{TEXT}":
        now[0] += 0.008
        detector.feed(char)
    assert detector.url_run()
    ending = detector.finish()
    assert ending.is_scan and codec.normalise_scan(ending.digits) == TEXT
