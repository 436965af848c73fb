"""The fonts shipped in resources/fonts, registered once with reportlab.

Body text uses AR PL SungtiL GB (宋体 style, GB2312 only); headings use WenQuanYi Micro Hei
(黑体 style, GBK). Any character the chosen font lacks is set in the other one, so text is
never printed as empty boxes for characters in GBK. See resources/fonts/README.md.
"""
from __future__ import annotations

import threading
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core.services.reports.render.font_files import FILES as _FILES, FONT_DIR, HEI, SONG
_FALLBACK = {SONG: HEI, HEI: SONG}

_lock = threading.Lock()
_registered = False


class FontMissing(RuntimeError):
    """A shipped font file is not where it should be (broken installation)."""


def font_paths() -> dict[str, Path]:
    """The shipped font files by reportlab font name, registered with reportlab once."""
    global _registered
    paths = {name: FONT_DIR / file for name, (file, _) in _FILES.items()}
    with _lock:
        if _registered:
            return paths
        for name, path in paths.items():
            if not path.is_file():
                raise FontMissing(f"缺少字体文件 {path}，请重新安装本程序")
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=_FILES[name][1]))
        _registered = True
    return paths


_cmaps: dict[str, dict[int, int]] = {}


def _cmap(font: str) -> dict[int, int]:
    """The font's character map, looked up once per process (this runs for every character)."""
    cmap = _cmaps.get(font)
    if cmap is None:
        font_paths()
        cmap = _cmaps[font] = pdfmetrics.getFont(font).face.charToGlyph
    return cmap


def covers(font: str, char: str) -> bool:
    """Whether the font has a glyph for this character."""
    return ord(char) in _cmap(font)


def uncovered(text: str) -> str:
    """The distinct characters of `text` that no shipped font can print, in order of appearance."""
    seen: list[str] = []
    for ch in text:
        if ch.isspace() or ch in seen:
            continue
        if not covers(SONG, ch) and not covers(HEI, ch):
            seen.append(ch)
    return "".join(seen)


def _pick(font: str, ch: str) -> str:
    if ch.isspace() or covers(font, ch):
        return font
    other = _FALLBACK[font]
    return other if covers(other, ch) else font


def runs(text: str, font: str) -> list[tuple[str, str]]:
    """Split text into (font, piece) runs: the given font, the fallback where it lacks a glyph."""
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
