"""Search keys for enterprise names: pinyin initials and ASCII search tokens.

Both databases index the tokens with their own full-text machinery (SQLite FTS5, PostgreSQL
GIN over a tsvector). Tokens are letters only, so no tokenizer or locale can split them:
  u<4 letters>   one character of the name
  b<8 letters>   two adjacent characters
  i<2 letters>   two adjacent pinyin initials
A substring query becomes the AND of its bigram tokens; candidates are then checked exactly.
"""
from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_HEX_TO_LETTER = str.maketrans("0123456789abcdef", "abcdefghijklmnop")


def _code(ch: str) -> str:
    return format(ord(ch) & 0xFFFF, "04x").translate(_HEX_TO_LETTER)


def fold(text: str) -> str:
    """Lower-case, no spaces: the form names are compared in."""
    return "".join(text.split()).lower()


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """Pinyin initials of Chinese characters; letters and digits kept, the rest dropped."""
    letters = lazy_pinyin(fold(text), style=Style.FIRST_LETTER, errors=lambda s: list(s))
    return "".join(ch for part in letters for ch in part if ch.isascii() and ch.isalnum())


def name_tokens(name: str) -> list[str]:
    text = fold(name)
    tokens = {"u" + _code(ch) for ch in text}
    tokens.update("b" + _code(a) + _code(b) for a, b in zip(text, text[1:]))
    return sorted(tokens)


def initials_tokens(inits: str) -> list[str]:
    return sorted({"i" + a + b for a, b in zip(inits, inits[1:])})


def grams(name: str, inits: str) -> str:
    return " ".join(name_tokens(name) + initials_tokens(inits))


def query_tokens(query: str) -> list[str]:
    """Tokens every name containing `query` must have."""
    text = fold(query)
    if len(text) == 1:
        return ["u" + _code(text)]
    return sorted({"b" + _code(a) + _code(b) for a, b in zip(text, text[1:])})
