"""Line breaking reportlab's CJK wrapping does not know: decision numbers that never break
inside 〔…〕 (or inside a run of digits), and long texts shortened sensibly with ….

reportlab breaks CJK text after any character and has no "no break" mark (a word joiner, U+2060,
is not honoured, and no shipped font has a glyph for it). So `unbroken` breaks the lines itself,
between units that may be separated, and joins them with <br/>: every line fits the cell, and
reportlab has nothing left to break.
"""
from __future__ import annotations

import re

from reportlab.pdfbase import pdfmetrics

from core.services.reports.render.fonts import markup, runs

# A bracketed year (〔2025〕, [2025], （2025）), a run of ASCII letters and digits with a leading 第
# (第00000012号 stays whole: 号 may not start a line), or any single character.
_UNIT = re.compile(r"[〔\[［(（][^〕\]］)）]{0,12}[〕\]］)）]|第?[0-9A-Za-z\-]+|.", re.S)
# Characters that may not start a line: they stay with what precedes them.
_NO_LINE_START = set("，。、；：？！）〕】》」』”’%号")
_SOFT_END = "。；，、"  # where a shortened text preferably ends


def text_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, chosen, size) for chosen, piece in runs(text, font))


def _units(text: str) -> list[str]:
    units: list[str] = []
    for match in _UNIT.finditer(text):
        unit = match.group(0)
        if units and unit[0] in _NO_LINE_START:
            units[-1] += unit
        else:
            units.append(unit)
    return units


def lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` in lines no wider than `width`, broken only between units. A unit wider than a
    whole line (never a real decision number) is broken by character as a last resort."""
    result: list[str] = []
    line = ""
    for unit in _units(text):
        if text_width(line + unit, font, size) <= width:
            line += unit
            continue
        if line:
            result.append(line)
        line = unit
        while text_width(line, font, size) > width and len(line) > 1:
            cut = len(line) - 1
            while cut > 1 and text_width(line[:cut], font, size) > width:
                cut -= 1
            while cut > 1 and line[cut] in _NO_LINE_START:
                cut -= 1
            result.append(line[:cut])
            line = line[cut:]
    if line:
        result.append(line)
    return result


def unbroken(text: str, font: str, size: float, width: float) -> str:
    """Paragraph markup of `text` broken into lines by `lines` (escaped, with font fallback)."""
    return "<br/>".join(markup(line, font) for line in lines(text, font, size, width - 0.5))


def shortened(text: str | None, limit: int) -> str | None:
    """At most `limit` characters: cut at the last clause end in the second half of the limit
    when there is one, else at the limit, and end with ……; whitespace runs become one space."""
    if text is None:
        return None
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[:limit]
    soft = max(head.rfind(mark) for mark in _SOFT_END)
    if soft >= limit // 2:
        head = head[:soft]
    return head.rstrip(" ，、；：") + "……"
