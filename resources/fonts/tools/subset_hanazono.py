"""Rebuild the HanaMin fallback subsets in resources/fonts from Debian's fonts-hanazono.

Not run by the program: the subsets are committed. To rebuild (fontTools is a build-time tool
only, not a dependency of CreditDesk):

    apt-get download fonts-hanazono && dpkg-deb -x fonts-hanazono_20170904-2.1_all.deb hana
    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python resources/fonts/tools/subset_hanazono.py hana/usr/share/fonts/truetype/hanazono

What is kept: the Han characters (and CJK symbols) that the body font gbsn00lp.ttf lacks —
HanaMinA: the BMP part (CJK Unified Ideographs beyond GB2312, Extension A, compatibility
ideographs, radicals, strokes) and the Compatibility Ideographs Supplement; HanaMinB: plane 2
(Extensions B–F). Hinting, layout and vertical-metrics tables are dropped; the glyph outlines
(TrueType `glyf`, which reportlab embeds) are kept unchanged. The Hanazono Font License allows
modification without conditions (see LICENSE-hanazono.txt).
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent.parent
BMP_HAN = [(0x2E80, 0x2FDF), (0x2FF0, 0x303F), (0x3190, 0x319F), (0x31C0, 0x31EF),
           (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F),
           (0x2F800, 0x2FA1F)]
PLANE_2 = [(0x20000, 0x2F7FF)]


def _in(code: int, ranges) -> bool:
    return any(low <= code <= high for low, high in ranges)


def build(source: Path, target: Path, ranges, skip: set[int]) -> None:
    font = TTFont(source)
    wanted = [c for c in font.getBestCmap() if _in(c, ranges) and c not in skip]
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["FFTM", "BASE", "GSUB", "GDEF", "prop", "vhea", "vmtx", "gasp"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(target)
    print(f"{target.name}: {len(wanted)} characters, {target.stat().st_size:,} bytes")


def main(folder: str) -> None:
    body = set(TTFont(HERE / "gbsn00lp.ttf", lazy=True).getBestCmap())
    build(Path(folder) / "HanaMinA.ttf", HERE / "HanaMinA-subset.ttf", BMP_HAN, body)
    build(Path(folder) / "HanaMinB.ttf", HERE / "HanaMinB-subset.ttf", PLANE_2, body)


if __name__ == "__main__":
    main(sys.argv[1])
