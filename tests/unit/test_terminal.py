"""core.terminal.safe: text from the data cannot steer the terminal it is printed on."""
from __future__ import annotations

import pytest

from core.terminal import safe


@pytest.mark.parametrize(("raw", "shown"), [
    ("苏州恒达精密机械有限公司", "苏州恒达精密机械有限公司"),
    ("a\tb", "a\tb"),  # a tab is harmless
    ("\x1b[2J清屏", "\\x1b[2J清屏"),
    ("行一\n行二\r", "行一\\x0a行二\\x0d"),
    ("\x00\x07\x7f\x9b", "\\x00\\x07\\x7f\\x9b"),
    ("公司\u202e司公", "公司\\u202e司公"),
    ("".join(map(chr, range(0x202A, 0x202F))), "\\u202a\\u202b\\u202c\\u202d\\u202e"),
    ("".join(map(chr, range(0x2066, 0x206A))), "\\u2066\\u2067\\u2068\\u2069"),
    ("".join(map(chr, range(0x200B, 0x2010))), "\\u200b\\u200c\\u200d\\u200e\\u200f"),
    ("\ufeff名称", "\\ufeff名称"),
    ("\u2028", "\\u2028"),
])
def test_controls_and_overrides_become_visible_escapes(raw, shown):
    assert safe(raw) == shown
    assert safe(shown) == shown  # the escape itself is plain text


def test_none_and_non_text():
    assert safe(None) == "" and safe(42) == "42"
