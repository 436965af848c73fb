"""Where the shipped fonts are: shared by the PDF renderer and the Qt app (no reportlab here)."""
from __future__ import annotations

from pathlib import Path

import resources

SONG = "CreditDeskSong"  # body: AR PL SungtiL GB
HEI = "CreditDeskHei"  # headings and fallback: WenQuanYi Micro Hei

FONT_DIR = Path(resources.__file__).resolve().parent / "fonts"
FILES: dict[str, tuple[str, int]] = {  # name -> (file, face index in a collection)
    SONG: ("gbsn00lp.ttf", 0),
    HEI: ("wqy-microhei.ttc", 0),
}


def font_files() -> dict[str, Path]:
    return {name: FONT_DIR / file for name, (file, _) in FILES.items()}
