"""统一社会信用代码 (USCC, GB 32100-2015): normalisation, validation, generation.

Layout of the 18 characters:
  1      registering department (登记管理部门代码)
  2      kind of entity (机构类别代码), e.g. 91 企业
  3-8    division code of the registering authority (登记管理机关行政区划码)
  9-17   the organisation code (GB 11714); 17 is its own check character
  18     the check character over positions 1-17

All messages carried by ``InvalidUscc`` are meant for counter staff and are
in Simplified Chinese.
"""

from __future__ import annotations

import operator
import random
import re
import unicodedata

from core.errors import CreditDeskError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # values 0-30

# Registering-department codes of GB 32100-2015: 1 机构编制, 2 外交, 3 司法行政,
# 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 工商, A 中央军委改革和编制办公室,
# N 农业, Y 其他.
DEPARTMENTS = frozenset("123456789ANY")

_KINDS = {"91": "企业", "92": "个体工商户", "93": "农民专业合作社"}

_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714: characters 0-9A-Z valued 0-35, weights for the 8 body characters.
_ORG_VALUE = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_CHECK_CHARS = "0123456789X"

_DASHES = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"))
_FORBIDDEN_LETTERS = "IOSVZ"
_CANONICAL = re.compile(f"[{ALPHABET}]{{18}}")  # already in canonical form: nothing to fold


class InvalidUscc(CreditDeskError, ValueError):
    """A code that fails validation.

    ``position`` is the 1-based position that is wrong (None for empty input or
    wrong length); ``expected`` is the character that would be right there when
    a check character is wrong (None otherwise); ``message`` is for the user.
    """

    def __init__(self, message: str, position: int | None = None,
                 expected: str | None = None) -> None:
        CreditDeskError.__init__(self, message)
        self.position = position
        self.expected = expected

    def __str__(self) -> str:
        return self.message


def normalize(text: str) -> str:
    """Fold what people type into the canonical form; never raises.

    Full-width characters are NFKC-folded, letters upper-cased, all whitespace
    (including U+3000 and inner spaces) and dashes removed.
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).upper()
    return "".join(folded.split()).translate(_DASHES)


def _org_check_from_sum(total: int) -> str:
    return _ORG_CHECK_CHARS[(11 - total % 11) % 11]


def org_code_check(first8: str) -> str:
    """GB 11714 check character for an 8-character organisation-code body."""
    total = sum(map(operator.mul, map(_ORG_VALUE.__getitem__, first8), _ORG_WEIGHTS))
    return _org_check_from_sum(total)


def check_character(first17: str) -> str:
    """C18 over the first 17 characters per GB 32100-2015."""
    total = sum(map(operator.mul, map(_VALUE.__getitem__, first17), _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def _invalid_character_message(position: int, ch: str) -> str:
    if ch in _FORBIDDEN_LETTERS:
        return f"第{position}位“{ch}”不是有效字符（统一社会信用代码不使用 I、O、S、V、Z）"
    return f"第{position}位“{ch}”不是有效字符（只能是数字或大写字母）"


def validate(text: str) -> str:
    """Normalise and check ``text``; return the canonical code or raise InvalidUscc."""
    if isinstance(text, str) and _CANONICAL.fullmatch(text):
        code = text  # already folded, 18 characters of the alphabet
    else:
        code = normalize(text)
        if not code:
            raise InvalidUscc("统一社会信用代码不能为空")
        if len(code) != 18:
            raise InvalidUscc(f"统一社会信用代码应为18位，实际为{len(code)}位")
        for position, ch in enumerate(code, start=1):
            if ch not in _VALUE:
                raise InvalidUscc(_invalid_character_message(position, ch), position)
    if code[0] not in DEPARTMENTS:
        raise InvalidUscc(f"第1位登记管理部门代码“{code[0]}”无效", 1)
    if _checks_pass(code):
        return code
    org_expected = org_code_check(code[8:16])
    if code[16] != org_expected:
        raise InvalidUscc(
            f"第17位组织机构代码校验位错误，应为“{org_expected}”", 17, org_expected)
    expected = check_character(code[:17])
    if code[17] != expected:
        raise InvalidUscc(f"第18位校验码错误，应为“{expected}”", 18, expected)
    return code


# Both check characters at C speed. A weighted sum whose weights are the powers of a number q
# modulo m is, modulo m, the code's characters read as the digits of a number in a base b with
# b ≡ q (mod m), lowest digit first — which int(text, b) computes. The full check: weights 3^i
# mod 31, base 34, digits the characters' values (0–30). The organisation-code check: weights
# 3·6^i mod 11, base 17, digits the characters' values modulo 11 (0–10).
_DIGITS = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII = ALPHABET.encode()
_AS_BASE34 = bytes.maketrans(_ASCII, bytes(_DIGITS[_VALUE[ch]] for ch in ALPHABET))
_AS_BASE17 = bytes.maketrans(_ASCII, bytes(_DIGITS[_ORG_VALUE[ch] % 11] for ch in ALPHABET))


def _checks_pass(code: str) -> bool:
    """True when both check characters of a canonical 18-character ``code`` are right."""
    raw = code.encode()
    org = int(raw[15:7:-1].translate(_AS_BASE17), 17) * 3 % 11
    if code[16] != _ORG_CHECK_CHARS[(11 - org) % 11]:
        return False
    full = int(raw[16::-1].translate(_AS_BASE34), 34) % 31
    return code[17] == ALPHABET[(31 - full) % 31]


def all_valid(codes: list[str]) -> bool:
    """True when every one of ``codes`` is canonical and passes ``validate``, checked for the whole
    list at once (a department's column). False only says that some code needs ``validate``."""
    if not codes:
        return True
    joined = "\n".join(codes)
    # (the length: as many lines as codes, none of them holding a line break of its own)
    if len(joined) != _STRIDE * len(codes) - 1 or not _CANONICAL_LINES.fullmatch(joined):
        return False
    raw = joined.encode()
    return _sums_are_zero(raw, _FULL_TERMS, 31) and _sums_are_zero(raw, _ORG_TERMS, 11)


# The same two checks over a whole column. Each check is "the sum of weight × value over some
# positions, plus the check character's value, is 0 modulo m": each position's term is looked up
# by one translation of that position's characters (every 19th byte of the joined codes), and the
# terms are added for all codes at once as the bytes of one big number, one byte per code (reduced
# modulo m by another translation before a byte could carry into the next).
_DEPARTMENT_CLASS = "".join(sorted(DEPARTMENTS))
_CANONICAL_LINES = re.compile(f"(?:[{_DEPARTMENT_CLASS}][{ALPHABET}]{{15}}[0-9X][{ALPHABET}]\n)*"
                              f"[{_DEPARTMENT_CLASS}][{ALPHABET}]{{15}}[0-9X][{ALPHABET}]")
_STRIDE = 19  # 18 characters and a line break


def _term_table(term_of) -> bytes:
    table = bytearray(range(256))
    for ch in ALPHABET:
        table[ord(ch)] = term_of(ch)
    return bytes(table)


_FULL_TERMS = (tuple((k, _term_table(lambda ch, w=_WEIGHTS[k]: _VALUE[ch] * w % 31)) for k in range(17))
               + ((17, _term_table(_VALUE.__getitem__)),))
_ORG_CHECK_VALUE = {c: i for i, c in enumerate(_ORG_CHECK_CHARS)}
_ORG_TERMS = (tuple((8 + k, _term_table(lambda ch, w=w: _ORG_VALUE[ch] * w % 11))
                    for k, w in enumerate(_ORG_WEIGHTS))
              + ((16, _term_table(lambda ch: _ORG_CHECK_VALUE.get(ch, 0))),))


def _sums_are_zero(raw: bytes, terms: tuple[tuple[int, bytes], ...], modulus: int) -> bool:
    """True when every code of ``raw`` (canonical codes joined by line breaks) has its terms'
    sum ≡ 0 modulo ``modulus``."""
    n = (len(raw) + 1) // _STRIDE
    reduce = _REDUCE[modulus]
    room = 255 // (modulus - 1)  # terms (each below the modulus) a byte holds without carrying
    total = held = 0
    for position, table in terms:
        if held == room:
            total = int.from_bytes(total.to_bytes(n, "little").translate(reduce), "little")
            held = 1
        total += int.from_bytes(raw[position::_STRIDE].translate(table), "little")
        held += 1
    return not total.to_bytes(n, "little").translate(reduce).strip(b"\0")


_REDUCE = {m: bytes(v % m for v in range(256)) for m in (11, 31)}


def kind_of(uscc: str) -> str | None:
    """Kind of entity named by positions 1-2, or None when not one we know."""
    return _KINDS.get(normalize(uscc)[:2])


def division_of(uscc: str) -> str:
    """Division code of the registering authority (positions 3-8)."""
    return normalize(uscc)[2:8]


# --- generation -------------------------------------------------------------
# The organisation-code body (positions 9-16) is drawn as four pairs of
# characters. For each pair slot every one of the 31*31 pairs is precomputed
# with its contribution to both weighted sums, so a code costs one random
# draw, a few divmods and table look-ups.

_PAIR_COUNT = len(ALPHABET) ** 2
_PAIR_SPACE = _PAIR_COUNT ** 4


def _pair_table(slot: int) -> tuple[tuple[str, int, int], ...]:
    base = 8 + 2 * slot  # 0-based position in the full code
    rows = []
    for a in ALPHABET:
        for b in ALPHABET:
            org = (_ORG_VALUE[a] * _ORG_WEIGHTS[2 * slot]
                   + _ORG_VALUE[b] * _ORG_WEIGHTS[2 * slot + 1])
            full = _VALUE[a] * _WEIGHTS[base] + _VALUE[b] * _WEIGHTS[base + 1]
            rows.append((a + b, org, full))
    return tuple(rows)


_PAIRS = tuple(_pair_table(slot) for slot in range(4))
# Contribution of the org check character (position 17) to the full sum.
_ORG_CHECK_TERM = {c: _VALUE[c] * _WEIGHTS[16] for c in _ORG_CHECK_CHARS}
_PREFIX_CACHE: dict[tuple[str, str], int] = {}


def _prefix_sum(division: str, kind: str) -> int:
    key = (division, kind)
    total = _PREFIX_CACHE.get(key)
    if total is None:
        if len(division) != 6 or not division.isascii() or not division.isdigit():
            raise ValueError(f"行政区划代码应为6位数字：{division!r}")
        if len(kind) != 2 or kind[0] not in DEPARTMENTS or kind[1] not in _VALUE:
            raise ValueError(f"机构类别代码无效：{kind!r}")
        prefix = kind + division
        total = sum(_VALUE[ch] * w for ch, w in zip(prefix, _WEIGHTS))
        _PREFIX_CACHE[key] = total
    return total


def generate(rng: random.Random, *, division: str = "320500", kind: str = "91") -> str:
    """A random code that passes both checks; deterministic for a seeded ``rng``."""
    prefix_total = _prefix_sum(division, kind)
    n = rng.randrange(_PAIR_SPACE)
    n, i0 = divmod(n, _PAIR_COUNT)
    n, i1 = divmod(n, _PAIR_COUNT)
    i3, i2 = divmod(n, _PAIR_COUNT)
    p0, p1, p2, p3 = _PAIRS[0][i0], _PAIRS[1][i1], _PAIRS[2][i2], _PAIRS[3][i3]
    org_check = _org_check_from_sum(p0[1] + p1[1] + p2[1] + p3[1])
    total = prefix_total + p0[2] + p1[2] + p2[2] + p3[2] + _ORG_CHECK_TERM[org_check]
    return (kind + division + p0[0] + p1[0] + p2[0] + p3[0] + org_check
            + ALPHABET[(31 - total % 31) % 31])
