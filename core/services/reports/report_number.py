"""The report number as people type it: SZ-2026-00001234, folded to its one form. Pure text rules.

The number is the region's letters, the year and an eight-digit serial (issuing.py). People type
it with spaces, without dashes, in lower case, full-width, or with another dash from an input
method; all of that folds to the one form.
"""
from __future__ import annotations

import re
import unicodedata

FORMAT_EXAMPLE = "SZ-2026-00001234"
_DASHES = "-‐‑‒–—―－_"
_TYPED = re.compile(r"([A-Z]{2})-?(\d{4})-?(\d{8})")


def _folded(text: str | None) -> str:
    folded = "".join(unicodedata.normalize("NFKC", text or "").upper().split())
    return re.sub(f"[{re.escape(_DASHES)}]+", "-", folded)


def parse_report_no(text: str | None) -> str | None:
    """The report number in canonical form when `text` has its shape, else None."""
    match = _TYPED.fullmatch(_folded(text))
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


def looks_like_report_no(text: str | None) -> bool:
    """Two letters, maybe a dash, then a digit: the start of a typed report number. A code read by
    the scanner is digits only, so such text is never a code (for the scan field's hint)."""
    return re.match(r"[A-Z]{2}-?\d", _folded(text)) is not None


def report_no_from_digits(text: str | None, region: str = "SZ") -> str | None:
    """A report number typed into the scan field, which keeps digits only (SZ-2026-00001234
    arrives as 202600001234): the year and serial, with this installation's region letters.
    A real code starts with 3205 and is far longer, so these twelve digits are never one."""
    digits = "".join((text or "").split())
    match = re.fullmatch(r"(20\d{2})(\d{8})", digits)
    return f"{region}-{match[1]}-{match[2]}" if match else None
