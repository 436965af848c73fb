"""Text from the data, made safe to print on a terminal.

A name or decision number may carry control characters (an escape sequence that recolours or
clears the screen) or bidi/zero-width overrides (which make a line read differently from the
bytes in it). `safe` shows each of them as a visible escape such as ``\\u202e``. JSON output is
left alone: its consumers need the data as it is.
"""
from __future__ import annotations

import re

# C0 controls (but not tab), DEL, C1 controls; zero-width and direction marks U+200B–U+200F;
# embeddings and overrides U+202A–U+202E; isolates U+2066–U+2069; the byte order mark U+FEFF;
# line and paragraph separators U+2028/U+2029.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: object) -> str:
    """`text` as a string with every control, bidi or zero-width character shown as an escape."""
    if text is None:
        return ""
    return _UNSAFE.sub(_escape, str(text))
