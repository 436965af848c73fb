"""The text a report's QR code carries: ``HTTPS://<HOST>/V/<digits>`` (see docs/qr-format.md).

One code for both readers: a phone camera opens the URL (the deployment's creditdesk-web answers
it); a counter's scanner or `creditdesk-admin verify` takes the digits after ``/V/``. Everything
before the digits is upper case, so the QR code holds it in alphanumeric mode and the digits in
numeric mode, and the symbol barely grows.

The host is a deployment setting (设置 → 核验网址, core/services/deployment_settings.py; a PC's
CREDITDESK_VERIFY_HOST until one is saved, core/config.py). It is NOT signed: a
verifier accepts the digits whatever host precedes them, and the signature alone decides.
"""
from __future__ import annotations

import re

from core.errors import InvalidRequest

# RFC 2606 reserves .example: it never resolves, so a report printed before the deployment set
# its own host says so to anyone who looks at the URL, and no stranger's site answers it.
DEFAULT_VERIFY_HOST = "CREDITDESK.EXAMPLE"
SCHEME = "HTTPS://"
PATH = "/V/"
# The characters QR alphanumeric mode can hold (ISO/IEC 18004, table 5).
QR_ALPHANUMERIC = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
MAX_HOST_LENGTH = 253

_LABEL = r"(?!-)[A-Z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"({_LABEL}(?:\.{_LABEL})*)(?::(\d{{1,5}}))?")

BAD_HOST = ("核验网址的主机名无效：{host!r}。应为域名或 IP 地址，可带端口（如 XYBG.EXAMPLE.GOV.CN 或 "
            "XYBG.EXAMPLE.GOV.CN:8443），只含字母、数字、点、连字符和冒号")


def check_verify_host(host: str | None) -> str:
    """`host[:port]` upper-cased, spaces around it dropped; InvalidRequest in Chinese otherwise.

    Upper case keeps the whole URL inside QR alphanumeric mode; host names are case-blind, so
    the printed URL still reaches the same server."""
    folded = (host or "").strip().upper()
    match = _HOST.fullmatch(folded)
    if (not match or len(match[1]) > MAX_HOST_LENGTH or not set(folded) <= QR_ALPHANUMERIC
            or (match[2] is not None and not 1 <= int(match[2]) <= 65535)):
        raise InvalidRequest(BAD_HOST.format(host=host))
    return folded


def verify_url(host: str, digits: str) -> str:
    """The QR text for a signed digit payload: HTTPS://HOST/V/DIGITS."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError("核验码只能是数字")
    return f"{SCHEME}{check_verify_host(host)}{PATH}{digits}"
