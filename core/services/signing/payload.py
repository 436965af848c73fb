"""The QR payload of a 专用信用报告, format version 1 (byte layout: docs/qr-format.md).

A compact binary record of what the report says, signed with Ed25519 and written as
digits only (keyboard-wedge scanners under a Chinese IME garble everything else), with
MOD 97-10 check digits so a misread scan (``MalformedPayload``: rescan) is told apart
from a forgery (``SignedPayload.verify`` is False against the trust list).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.services.signing import payload_codec as codec
from core.services.signing.payload_codec import PREFIX, MalformedPayload

__all__ = [
    "PREFIX", "QrClaims", "SignedPayload", "MalformedPayload",
    "key_id_for", "sign_payload", "parse_payload", "digest_content",
]

VERSION = 1
DIGEST_BYTES = 16
_KEY_ID = re.compile(r"[0-9a-f]{8}")
_REPORT_NO = re.compile(r"([A-Z]{2})-(\d{4})-(\d{8})")
_USCC = re.compile(f"[{codec.USCC_ALPHABET}]{{18}}")
_YEAR_BASE = 2000  # the report number's year is stored as a u8 offset from this


@dataclass(frozen=True)
class QrClaims:
    """What the code asserts. Construction refuses anything the format cannot carry."""

    key_id: str
    report_no: str
    uscc: str
    issued_on: date
    valid_until: date
    domains: tuple[int, ...]
    period_from: date
    period_to: date
    violations: int
    has_arrears: bool
    content_digest: bytes
    version: int = 1

    def __post_init__(self) -> None:
        if not _KEY_ID.fullmatch(self.key_id):
            raise ValueError(f"密钥标识应为 8 位小写十六进制：{self.key_id!r}")
        match = _REPORT_NO.fullmatch(self.report_no)
        if not match or not _YEAR_BASE <= int(match[2]) <= _YEAR_BASE + 255:
            raise ValueError(f"报告编号格式应为 SZ-2026-00001234：{self.report_no!r}")
        if not _USCC.fullmatch(self.uscc):
            raise ValueError(f"统一社会信用代码应为 18 位有效字符：{self.uscc!r}")
        domains = tuple(self.domains)
        if (domains != tuple(sorted(set(domains)))
                or any(not 1 <= d <= codec.MAX_DOMAIN for d in domains)):
            raise ValueError(f"领域代码应为升序、不重复的 1–{codec.MAX_DOMAIN} 整数：{domains!r}")
        object.__setattr__(self, "domains", domains)
        for what, day in (("签发日期", self.issued_on), ("有效期至", self.valid_until),
                          ("查询起始日", self.period_from), ("查询截止日", self.period_to)):
            codec.pack_day(day, what)
        if self.valid_until < self.issued_on:
            raise ValueError("有效期至不能早于签发日期")
        if self.period_to < self.period_from:
            raise ValueError("查询截止日不能早于查询起始日")
        if isinstance(self.violations, bool) or not 0 <= self.violations <= 0xFFFF:
            raise ValueError(f"违法记录数应在 0–65535 之间：{self.violations!r}")
        if not isinstance(self.has_arrears, bool):
            raise ValueError("欠缴标志应为布尔值")
        if not isinstance(self.content_digest, bytes) or len(self.content_digest) != DIGEST_BYTES:
            raise ValueError(f"内容摘要应为 {DIGEST_BYTES} 字节")


@dataclass(frozen=True)
class SignedPayload:
    claims: QrClaims
    signed_bytes: bytes
    signature: bytes

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        """True only if the key is the one the code names and the signature holds."""
        if key_id_for(public_key) != self.claims.key_id:
            return False
        try:
            public_key.verify(self.signature, self.signed_bytes)
        except InvalidSignature:
            return False
        return True


def key_id_for(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:4].hex()


def digest_content(canonical_json: bytes) -> bytes:
    return hashlib.sha256(canonical_json).digest()[:DIGEST_BYTES]


def encode_claims(claims: QrClaims) -> bytes:
    """The signed part of the payload (everything before the signature)."""
    if claims.version != VERSION:
        raise ValueError(f"不支持的核验码版本：{claims.version}")
    region, year, serial = _REPORT_NO.fullmatch(claims.report_no).groups()
    return b"".join((
        bytes([claims.version]),
        bytes.fromhex(claims.key_id),
        region.encode("ascii"),
        bytes([int(year) - _YEAR_BASE]),
        int(serial).to_bytes(4, "big"),
        codec.pack_uscc(claims.uscc),
        codec.pack_day(claims.issued_on, "签发日期"),
        codec.pack_day(claims.valid_until, "有效期至"),
        codec.pack_day(claims.period_from, "查询起始日"),
        codec.pack_day(claims.period_to, "查询截止日"),
        codec.pack_domains(claims.domains),
        claims.violations.to_bytes(2, "big"),
        bytes([1 if claims.has_arrears else 0]),
        claims.content_digest,
    ))


def sign_payload(claims: QrClaims, private_key: Ed25519PrivateKey) -> str:
    """The signed digit string; the QR code wraps it as HTTPS://<HOST>/V/<digits> (verify_url.py)."""
    if key_id_for(private_key.public_key()) != claims.key_id:
        raise ValueError("声明中的密钥标识与签名私钥不符")
    signed = encode_claims(claims)
    return codec.to_text(signed + private_key.sign(signed))


def parse_payload(text: str) -> SignedPayload:
    """Scanned text (the digits, or the URL around them) -> claims and signature; signature NOT
    checked (see ``verify``)."""
    body = codec.split_text(codec.normalise_scan(text))
    raw = codec.body_to_bytes(body)
    if len(raw) < codec.FIXED_BYTES + codec.SIGNATURE_BYTES:
        raise MalformedPayload(codec.STRUCTURE)
    signed, signature = raw[:-codec.SIGNATURE_BYTES], raw[-codec.SIGNATURE_BYTES:]
    claims = _decode_claims(signed)
    if encode_claims(claims) != signed:  # one encoding per claim set, nothing else
        raise MalformedPayload(codec.STRUCTURE)
    return SignedPayload(claims, signed, signature)


def _decode_claims(signed: bytes) -> QrClaims:
    reader = codec.Reader(signed)
    version = reader.uint(1)
    if version != VERSION:
        raise MalformedPayload(codec.VERSION.format(version=version))
    key_id = reader.take(4).hex()
    region = reader.take(2)
    year = _YEAR_BASE + reader.uint(1)
    serial = reader.uint(4)
    if not (region.isalpha() and region.isupper()) or serial > 99_999_999:
        raise MalformedPayload(codec.STRUCTURE)
    uscc = codec.unpack_uscc(reader.take(codec.USCC_BYTES))
    issued_on, valid_until, period_from, period_to = (
        codec.unpack_day(reader.take(2)) for _ in range(4))
    domains = codec.unpack_domains(reader.take(reader.uint(1)))
    violations = reader.uint(2)
    flags = reader.uint(1)
    digest = reader.take(DIGEST_BYTES)
    if flags & ~1 or reader.rest():
        raise MalformedPayload(codec.STRUCTURE)
    try:
        return QrClaims(
            key_id=key_id, report_no=f"{region.decode('ascii')}-{year:04d}-{serial:08d}",
            uscc=uscc, issued_on=issued_on, valid_until=valid_until, domains=domains,
            period_from=period_from, period_to=period_to, violations=violations,
            has_arrears=bool(flags & 1), content_digest=digest, version=version,
        )
    except ValueError as exc:  # e.g. dates in the wrong order: no honest encoder wrote it
        raise MalformedPayload(codec.STRUCTURE) from exc
