"""The QR code of a report as a plain module matrix (no drawing), shared by the PDF and the app.

The text is ``HTTPS://<HOST>/V/<digits>`` (core/services/signing/verify_url.py) or, for the
preview and for reports issued before the URL, the bare digits. It is written as two segments:
the upper-case URL part in alphanumeric mode (5.5 bits a character) and the digits in numeric
mode (3.3 bits a digit); one byte-mode segment would cost 8 bits for every digit.
"""
from __future__ import annotations

import re

import qrcode
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.util import MODE_ALPHA_NUM, MODE_NUMBER, QRData

from core.domain import IssueInfo
from core.services.signing.verify_url import QR_ALPHANUMERIC, verify_url

QUIET_ZONE = 4  # modules of white space every drawer must leave around the symbol

_SPLIT = re.compile(r"(.*?)([0-9]+)", re.DOTALL)


def qr_text(issue: IssueInfo) -> str:
    """What the report's code says: the verification URL, or the bare digits without a host."""
    return verify_url(issue.verify_host, issue.qr_digits) if issue.verify_host else issue.qr_digits


def _segments(text: str) -> list[QRData]:
    match = _SPLIT.fullmatch(text) if text.isascii() else None
    if not match or not set(match[1]) <= QR_ALPHANUMERIC:
        raise ValueError("二维码内容只能是数字，或大写的核验网址后接数字")
    prefix, digits = match.groups()
    head = [QRData(prefix, mode=MODE_ALPHA_NUM)] if prefix else []
    return [*head, QRData(digits, mode=MODE_NUMBER)]


def qr_code(text: str) -> qrcode.QRCode:
    """The fitted symbol: error correction level Q, smallest version that holds the segments."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=0)
    for segment in _segments(text):
        code.add_data(segment)
    code.make(fit=True)
    return code


def qr_matrix(text: str) -> list[list[bool]]:
    """Dark modules (True) of the QR symbol for `text`, without a quiet zone.

    The same text always gives the same matrix. Callers draw QUIET_ZONE light modules around it.
    """
    return [[bool(cell) for cell in row] for row in qr_code(text).get_matrix()]
