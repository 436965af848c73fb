"""Rebuild the BabelStone Han fallback subset in resources/fonts from Debian's fonts-babelstone-han.

Not run by the program: the subset is committed. To rebuild (fontTools is a build-time tool only):

    apt-get download fonts-babelstone-han && dpkg-deb -x fonts-babelstone-han_15.0.5-2_all.deb bsh
    python -m venv /tmp/ft && /tmp/ft/bin/pip install fonttools
    /tmp/ft/bin/python resources/fonts/tools/subset_babelstone.py bsh/usr/share/fonts/truetype/babelstone

What is kept: the CJK unified ideographs that none of the fonts before it in the chain has — the
body font, HanaMinA and HanaMinB — chiefly Extensions G and H (plane 3, Unicode 13 and 15) and
the ideographs added to Extensions A–F since 2017. Only ideographs: none of the symbol glyphs
that BabelStone Han takes from Wikimedia Commons (CC BY-SA). The outlines (TrueType `glyf`) are
unchanged; hinting and layout tables are dropped, as the Arphic Public License allows for
derivatives distributed under the same licence (see LICENSE-babelstone-han.txt).
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from subset_hanazono import HERE, build  # same folder; run as a script

IDEOGRAPHS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF), (0x2A700, 0x2EE5F),
              (0x30000, 0x323AF)]


def main(folder: str) -> None:
    earlier: set[int] = set()
    for name in ("gbsn00lp.ttf", "HanaMinA-subset.ttf", "HanaMinB-subset.ttf"):
        earlier |= set(TTFont(HERE / name, lazy=True).getBestCmap())
    build(Path(folder) / "BabelStoneHan.ttf", HERE / "BabelStoneHan-subset.ttf", IDEOGRAPHS, earlier)


if __name__ == "__main__":
    main(sys.argv[1])
