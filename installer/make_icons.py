"""Draw the application icon (信 on a blue rounded square) as PNGs and a Windows .ico.

The repository holds no binary icon: the build draws it from the shipped Hei font with Pillow (a
dependency already), so the .deb's hicolor icons, the Windows .exe and the Inno Setup wizard all
use the same picture.

    python installer/make_icons.py OUT_DIR      # OUT_DIR/creditdesk-{16..256}.png, creditdesk.ico
"""
from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttc"
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, WHITE = (22, 93, 170, 255), (255, 255, 255, 255)


def draw(size: int) -> Image.Image:
    big = 1024  # drawn large, scaled down: smooth edges at every size
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((32, 32, big - 32, big - 32), radius=180, fill=BLUE)
    font = ImageFont.truetype(str(FONT), 700, index=0)
    pen.text((big / 2, big / 2), "信", font=font, fill=WHITE, anchor="mm")
    return image.resize((size, size), Image.LANCZOS)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("build/icons")
    out.mkdir(parents=True, exist_ok=True)
    images = {size: draw(size) for size in SIZES}
    for size, image in images.items():
        image.save(out / f"creditdesk-{size}.png")
    images[256].save(out / "creditdesk.ico", sizes=[(s, s) for s in SIZES])
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
