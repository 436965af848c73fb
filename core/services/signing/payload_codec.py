"""Low-level pieces of the QR payload format (see docs/qr-format.md).

Digits on the outside, bytes on the inside:

  text  = PREFIX + CC + BODY
  QR    = "HTTPS://" + HOST + "/V/" + text   (verify_url.py; a scan may be either form)
  BODY  = decimal digits of int.from_bytes(0x01 + payload + signature, "big")
  CC    = ISO 7064 MOD 97-10 check digits over PREFIX + BODY, computed as if appended
          at the end (the IBAN way): CC = 98 - int(PREFIX + BODY + "00") mod 97, and
          a text is valid when int(PREFIX + BODY + CC) mod 97 == 1.

The field packers here raise ``ValueError`` on values the format cannot carry (sign
time) and ``MalformedPayload`` on bytes no honest encoder produces (scan time).
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from core.errors import CreditDeskError

PREFIX = "3205"
SENTINEL = 0x01
EPOCH = date(2000, 1, 1)
LAST_DAY = EPOCH + timedelta(days=0xFFFF)  # 2179-06-06

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_LIMIT = 31 ** 18  # exclusive upper bound of a packed USCC
USCC_BYTES = 12
SIGNATURE_BYTES = 64
FIXED_BYTES = 52  # every field of the signed part except the domain bitmask
MAX_MASK_BYTES = 255
MAX_DOMAIN = 8 * MAX_MASK_BYTES

# Longest body an honest encoder can write: sentinel + fixed + full mask + signature.
_MAX_RAW = 1 + FIXED_BYTES + MAX_MASK_BYTES + SIGNATURE_BYTES
MAX_TEXT_LENGTH = len(PREFIX) + 2 + len(str(2 * 256 ** (_MAX_RAW - 1) - 1))
# Shortest: no domains at all.
MIN_TEXT_LENGTH = len(PREFIX) + 2 + len(str(256 ** (FIXED_BYTES + 1 + SIGNATURE_BYTES - 1)))

NOT_OURS = "不是本系统的核验码"
EMPTY = "未读取到核验码，请重新扫描"
TOO_SHORT = "核验码长度不足：不是本系统的核验码，或扫描不完整，请重新扫描"
NON_DIGIT = "核验码只应包含数字，读到了其他字符：可能不是本系统的核验码，或扫描时被输入法改写，请切换到英文输入后重新扫描"
CHECK_FAILED = "核验码校验失败，可能扫描不完整，请重新扫描"
STRUCTURE = "核验码内容无法识别，可能扫描有误，请重新扫描"
NOT_OUR_URL = ("这个网址不是本系统的核验码：核验码网址应为 HTTPS://（核验网站）/V/ 后接一串数字，"
               "可能扫描不完整，请重新扫描")
VERSION = "核验码版本不受支持（版本 {version}），请升级本程序后再核验"


class MalformedPayload(CreditDeskError, ValueError):
    """Not a CreditDesk code, or a misread one: the verifier should rescan.

    ``reason`` is one Chinese sentence for the person at the counter.
    """

    def __init__(self, reason: str) -> None:
        CreditDeskError.__init__(self, reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


# --- the digit layer ---------------------------------------------------------

# The URL form, in either case, from any host (the host is not signed: the signature decides).
_URL = re.compile(r"https?://[^/]+/v/([0-9]+)/?", re.IGNORECASE)


def normalise_scan(text: str) -> str:
    """NFKC (full-width IME digits become ASCII), then drop all whitespace incl. CR/LF; of the
    URL form ``HTTPS://HOST/V/<digits>`` (any case, any host, a trailing slash) the digits alone.

    Anything else comes back folded but whole, so `split_text` can say what is wrong with it."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    match = _URL.fullmatch(folded)
    return match[1] if match else folded


def check_digits(body: str) -> str:
    """The two MOD 97-10 check digits for PREFIX + body (02..98)."""
    return f"{98 - int(PREFIX + body + '00') % 97:02d}"


def check_digits_ok(check: str, body: str) -> bool:
    return int(PREFIX + body + check) % 97 == 1


def to_text(raw: bytes) -> str:
    """payload + signature bytes -> the full digit text."""
    body = str(int.from_bytes(bytes([SENTINEL]) + raw, "big"))
    return PREFIX + check_digits(body) + body


def split_text(text: str) -> str:
    """Normalised scan -> BODY digits; raises MalformedPayload on everything a misread does."""
    if not text:
        raise MalformedPayload(EMPTY)
    if "://" in text or text[:4].lower() == "http":  # a URL, but not one of ours (or cut short)
        raise MalformedPayload(NOT_OUR_URL)
    if not (text.isascii() and text.isdigit()):
        raise MalformedPayload(NON_DIGIT)
    if not text.startswith(PREFIX) or len(text) > MAX_TEXT_LENGTH:
        raise MalformedPayload(NOT_OURS)
    if len(text) < MIN_TEXT_LENGTH:
        raise MalformedPayload(TOO_SHORT)
    check, body = text[len(PREFIX):len(PREFIX) + 2], text[len(PREFIX) + 2:]
    if not check_digits_ok(check, body):
        raise MalformedPayload(CHECK_FAILED)
    return body


def body_to_bytes(body: str) -> bytes:
    """BODY digits -> payload + signature bytes (sentinel removed, and required)."""
    if body[0] == "0":
        raise MalformedPayload(STRUCTURE)
    number = int(body)
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    if raw[0] != SENTINEL:
        raise MalformedPayload(STRUCTURE)
    return raw[1:]


# --- field packers -------------------------------------------------------------

def pack_day(day: date, what: str) -> bytes:
    if not EPOCH <= day <= LAST_DAY:
        raise ValueError(f"{what} {day} 超出核验码可表示的日期范围（{EPOCH} 至 {LAST_DAY}）")
    return (day - EPOCH).days.to_bytes(2, "big")


def unpack_day(data: bytes) -> date:
    return EPOCH + timedelta(days=int.from_bytes(data, "big"))


def pack_uscc(uscc: str) -> bytes:
    number = 0
    for ch in uscc:
        number = number * 31 + USCC_ALPHABET.index(ch)
    return number.to_bytes(USCC_BYTES, "big")


def unpack_uscc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    if number >= USCC_LIMIT:
        raise MalformedPayload(STRUCTURE)
    chars = []
    for _ in range(18):
        number, value = divmod(number, 31)
        chars.append(USCC_ALPHABET[value])
    return "".join(reversed(chars))


def pack_domains(domains: tuple[int, ...]) -> bytes:
    """u8 length + minimal little-endian bitmask: bit i-1 of the mask integer = domain i."""
    mask = 0
    for code in domains:
        mask |= 1 << (code - 1)
    length = (mask.bit_length() + 7) // 8
    return bytes([length]) + mask.to_bytes(length, "little")


def unpack_domains(mask_bytes: bytes) -> tuple[int, ...]:
    if mask_bytes and mask_bytes[-1] == 0:  # not minimal: no honest encoder writes it
        raise MalformedPayload(STRUCTURE)
    mask = int.from_bytes(mask_bytes, "little")
    return tuple(i + 1 for i in range(mask.bit_length()) if mask >> i & 1)


class Reader:
    """Reads fields off the payload bytes; running short is a malformed code."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def take(self, size: int) -> bytes:
        if self._pos + size > len(self._data):
            raise MalformedPayload(STRUCTURE)
        chunk = self._data[self._pos:self._pos + size]
        self._pos += size
        return chunk

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    @property
    def position(self) -> int:
        return self._pos

    def rest(self) -> bytes:
        chunk = self._data[self._pos:]
        self._pos = len(self._data)
        return chunk
