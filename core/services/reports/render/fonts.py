"""The fonts shipped in resources/fonts, registered with reportlab.

Body text uses AR PL SungtiL GB (宋体 style, GB2312 only); headings use WenQuanYi Micro Hei
(黑体 style, GBK). Every character is set glyph by glyph in the first font of its text's chain
(font_files.CHAINS) that has it: the text's own font, then the Ming fallbacks — HanaMin (花園明朝)
A and B for CJK Extensions A–F, BabelStone Han for most of G and H — so a character beyond
GB2312 in 宋体 text (堃, 喆, 䶮, 𠀾, 𰻝 …) stays a serif, and last the other primary font; same
size, same baseline. The fallbacks are registered only when a text needs them. A character no
shipped font has is refused with a sentence naming it and its code point: never printed blank.
See resources/fonts/README.md.
"""
from __future__ import annotations

import threading
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from core.errors import ValueRejected
from core.services.reports.render.font_files import (
    CHAINS as _CHAINS, FILES as _FILES, FONT_DIR, HEI, SONG,  # HEI, SONG: re-exported
)

_PRIMARY = (SONG, HEI)  # registered up front; the Ming fallbacks when first needed

_lock = threading.Lock()
_registered = False


class FontMissing(RuntimeError):
    """A shipped font file is not where it should be (broken installation)."""


def font_paths() -> dict[str, Path]:
    """The shipped font files by reportlab font name; registers the primary fonts once."""
    global _registered
    paths = {name: FONT_DIR / file for name, (file, _) in _FILES.items()}
    with _lock:
        if _registered:
            return paths
        for path in paths.values():
            if not path.is_file():
                raise FontMissing(f"缺少字体文件 {path}，请重新安装本程序")
        for name in _PRIMARY:
            _register(name, paths[name])
        _registered = True
    return paths


def _register(name: str, path: Path) -> None:
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=_FILES[name][1]))


def _to_unicode_cmap(fontname, subset):
    """reportlab's ToUnicode CMap, but with characters beyond the BMP (CJK Extension B and up)
    written as UTF-16 surrogate pairs: reportlab writes <2003E>, which readers take as U+2003,
    so 𠀾 would be copied and searched as a space. BMP entries are byte-for-byte the same."""
    lines = _REPORTLAB_TO_UNICODE(fontname, subset).split("\n")
    for index, code in enumerate(subset):
        if code > 0xFFFF:
            entry = f"<{index:02X}> <{code:04X}>"
            utf16 = chr(code).encode("utf-16-be").hex().upper()
            lines = [f"<{index:02X}> <{utf16}>" if line == entry else line for line in lines]
    return "\n".join(lines)


_REPORTLAB_TO_UNICODE = ttfonts.makeToUnicodeCMap
if getattr(ttfonts.makeToUnicodeCMap, "__name__", "") != _to_unicode_cmap.__name__:
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up by TTFont.addObjects at save time


_cmaps: dict[str, dict[int, int]] = {}


def _cmap(font: str) -> dict[int, int]:
    """The font's character map, looked up once per process (this runs for every character)."""
    cmap = _cmaps.get(font)
    if cmap is None:
        paths = font_paths()
        with _lock:
            _register(font, paths[font])
        cmap = _cmaps[font] = pdfmetrics.getFont(font).face.charToGlyph
    return cmap


def covers(font: str, char: str) -> bool:
    """Whether the font has a glyph for this character."""
    return ord(char) in _cmap(font)


def _chain(font: str) -> tuple[str, ...]:
    return _CHAINS.get(font) or (font, *(f for f in _CHAINS[SONG] if f != font))


def _printable(ch: str) -> bool:
    return any(covers(f, ch) for f in _CHAINS[SONG])


def uncovered(text: str) -> str:
    """The distinct characters of `text` that no shipped font can print, in order of appearance."""
    seen: list[str] = []
    for ch in text:
        if ch.isspace() or ch in seen:
            continue
        if not _printable(ch):
            seen.append(ch)
    return "".join(seen)


def refusal(ch: str) -> ValueRejected:
    """The error for a character no shipped font has: it names the character and its code point."""
    return ValueRejected(
        f"「{ch}」(U+{ord(ch):04X}) 无法打印：随程序提供的字体中都没有这个字，报告不能出具。"
        "请核对登记信息中的这个字是否有误；确需使用的，请联系管理员。")


def _pick(font: str, ch: str) -> str:
    if ch.isspace():
        return font
    for candidate in _chain(font):
        if covers(candidate, ch):
            return candidate
    raise refusal(ch)


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split text into (font, piece) runs, each character in the first font of the chain that has
    it; raises ValueRejected for a character no shipped font has (never a blank)."""
    result: list[tuple[str, str]] = []
    for ch in text:
        chosen = _pick(font, ch)
        if result and result[-1][0] == chosen:
            result[-1] = (chosen, result[-1][1] + ch)
        else:
            result.append((chosen, ch))
    return result


def markup(text: str, font: str = SONG) -> str:
    """Escape plain text for a Paragraph in `font`, wrapping characters it lacks in the fallback."""
    parts = []
    for chosen, piece in runs(text, font):
        safe = escape(piece)
        parts.append(safe if chosen == font else f'<font name="{chosen}">{safe}</font>')
    return "".join(parts)


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float,
              anchor: str = "left") -> None:
    """Draw one line on a canvas with per-character fallback (anchor: left, centre or right)."""
    pieces = runs(text, font)
    width = sum(pdfmetrics.stringWidth(p, f, size) for f, p in pieces)
    if anchor == "centre":
        x -= width / 2
    elif anchor == "right":
        x -= width
    for chosen, piece in pieces:
        canvas.setFont(chosen, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, chosen, size)
