"""Where the shipped fonts are: shared by the PDF renderer and the Qt app (no reportlab here)."""
from __future__ import annotations

from pathlib import Path

import resources

SONG = "CreditDeskSong"  # body: AR PL SungtiL GB
HEI = "CreditDeskHei"  # headings and fallback: WenQuanYi Micro Hei
MING_A = "CreditDeskMingA"  # fallback for rare characters: HanaMinA subset (BMP, Extension A)
MING_B = "CreditDeskMingB"  # fallback for rare characters: HanaMinB subset (Extensions B-F)
MING_C = "CreditDeskMingC"  # fallback for the rarest: BabelStone Han subset (Extensions G, H)

FONT_DIR = Path(resources.__file__).resolve().parent / "fonts"
FILES: dict[str, tuple[str, int]] = {  # name -> (file, face index in a collection)
    SONG: ("gbsn00lp.ttf", 0),
    HEI: ("wqy-microhei.ttc", 0),
    MING_A: ("HanaMinA-subset.ttf", 0),
    MING_B: ("HanaMinB-subset.ttf", 0),
    MING_C: ("BabelStoneHan-subset.ttf", 0),
}
# Which fonts a character is looked for in, in order, by the font its text is set in: the text's
# own font, then the Ming fallbacks before the other primary for body text, so a rare character
# in 宋体 text is set in a Ming (serif) face rather than 黑体.
CHAINS: dict[str, tuple[str, ...]] = {
    SONG: (SONG, MING_A, MING_B, MING_C, HEI),
    HEI: (HEI, SONG, MING_A, MING_B, MING_C),
}
FALLBACKS = (MING_A, MING_B, MING_C)  # the Qt interface falls back to these after its own font


def font_files() -> dict[str, Path]:
    return {name: FONT_DIR / file for name, (file, _) in FILES.items()}
