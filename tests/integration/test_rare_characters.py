"""Rare characters (生僻字) in names print: every character, in a shipped font, or the issue is refused.

䶮 (U+4DAE) is CJK Extension A and 𠀾 (U+2003E) Extension B: neither primary font has them, the
HanaMin fallbacks do. 𰻝 (U+30EDD, biáng, Extension G) is only in the BabelStone Han fallback.
𮯰 (U+2EBF0, Extension I) is in no shipped font: it must stop the issue
with a sentence naming it, never print as a blank.
"""
from __future__ import annotations

import os
import re
from datetime import date, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pypdfium2  # noqa: E402
import pytest  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from core.db.models_reports import IssuedReport  # noqa: E402
from core.errors import ValueRejected  # noqa: E402
from core.services.reports.render.fonts import covers, runs, uncovered  # noqa: E402
from core.services.reports.render.font_files import FILES, HEI, MING_A, MING_B, MING_C, SONG  # noqa: E402
from core.services.signing.keys import KeyService  # noqa: E402
from tests.desks import make_desk  # noqa: E402
from tests.factories import add_enterprise  # noqa: E402

NOW = datetime(2026, 11, 27, 9, 30)
RARE_NAME = "苏州堃喆䶮𠀾科技有限公司"
RARE_FORMER = "苏州䶮𠀾机械厂"
UNPRINTABLE = "\U0002EBF0"  # 𮯰, CJK Unified Ideographs Extension I
BIANG = "\U00030EDD"  # 𰻝, CJK Unified Ideographs Extension G
BIANG_NAME = f"西安{BIANG}{BIANG}面餐饮管理有限公司"


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return make_desk(db, profile, keys)


def page_one(pdf: bytes):
    return pypdfium2.PdfDocument(pdf)[0]


def char_boxes(page, needle: str) -> list[tuple[float, float, float, float]]:
    """The glyph boxes of `needle`'s characters on the page (pdfium counts UTF-16 units)."""
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    start = text.index(needle)
    index = len(text[:start].encode("utf-16-le")) // 2
    boxes = []
    for ch in needle:
        boxes.append(textpage.get_charbox(index))
        index += 2 if ord(ch) > 0xFFFF else 1
    return boxes


def ink(image, box, page_height: float, scale: float) -> int:
    """Dark pixels inside a glyph box (PDF points, origin bottom left) of the rendered page."""
    left, bottom, right, top = box
    crop = image.crop((int(left * scale), int((page_height - top) * scale),
                       int(right * scale) + 1, int((page_height - bottom) * scale) + 1))
    return sum(crop.convert("L").histogram()[:128])


def test_the_fallback_fonts_have_the_rare_characters_and_none_has_the_unprintable_one():
    assert not covers(SONG, "䶮") and not covers(HEI, "䶮") and covers(MING_A, "䶮")
    assert not covers(SONG, "𠀾") and not covers(HEI, "𠀾") and covers(MING_B, "𠀾")
    assert not any(covers(font, BIANG) for font in (SONG, HEI, MING_A, MING_B)) and covers(MING_C, BIANG)
    assert not any(covers(font, UNPRINTABLE) for font in FILES)
    assert uncovered(RARE_NAME) == "" and uncovered(f"苏州{UNPRINTABLE}科技") == UNPRINTABLE


def test_characters_beyond_gb2312_stay_in_a_ming_face_in_body_text():
    # 堃 and 喆 used to switch from 宋体 to 黑体 mid-line: the body font is GB2312 only.
    assert runs(RARE_NAME, SONG) == [(SONG, "苏州"), (MING_A, "堃喆䶮"), (MING_B, "𠀾"),
                                     (SONG, "科技有限公司")]
    assert runs("堃喆", HEI) == [(HEI, "堃喆")]  # 黑体 text: its own font has them
    assert runs(BIANG_NAME, SONG) == [(SONG, "西安"), (MING_C, BIANG * 2), (SONG, "面餐饮管理有限公司")]


def test_a_name_with_rare_characters_is_issued_with_every_character_printed(db, desk):
    code = add_enterprise(db, RARE_NAME, former=(RARE_FORMER,),
                          address="苏州市吴中区䶮𠀾路8号")
    result = desk.issue(code, [4, 15], now=NOW)
    pdf = result.pdf

    text = re.sub(r"\s+", "", "".join(p.get_textpage().get_text_range()
                                      for p in pypdfium2.PdfDocument(pdf)))
    for expected in (RARE_NAME, RARE_FORMER, "苏州市吴中区䶮𠀾路8号"):
        assert expected in text, expected  # copied and searched as the characters themselves
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>]+)", pdf))
    assert {b"HanaMinA", b"HanaMinB"} <= fonts  # embedded, as subsets

    assert_printed_in_line(pdf, RARE_NAME, "州", "堃喆䶮𠀾")


def assert_printed_in_line(pdf: bytes, name: str, reference_char: str, rare: str) -> None:
    """Each rare character of `name` has ink on page one, at the size and on the baseline of the
    body font's `reference_char` (within a point)."""
    page = page_one(pdf)
    scale = 4
    image = page.render(scale=scale).to_pil()
    height = page.get_height()
    boxes = dict(zip(name, char_boxes(page, name)))
    reference = boxes[reference_char]  # set in the body font
    for ch in rare:
        left, bottom, right, top = boxes[ch]
        assert ink(image, boxes[ch], height, scale) > 40, f"{ch} printed blank"
        assert abs((top - bottom) - (reference[3] - reference[1])) < 1.5, ch
        assert abs(bottom - reference[1]) < 1.0 and abs(top - reference[3]) < 1.0, ch


def test_an_extension_g_character_is_printed_from_the_babelstone_fallback(db, desk):
    code = add_enterprise(db, BIANG_NAME, address=f"西安市碑林区{BIANG}{BIANG}面巷1号")
    pdf = desk.issue(code, [4, 15], now=NOW).pdf
    text = re.sub(r"\s+", "", "".join(p.get_textpage().get_text_range()
                                      for p in pypdfium2.PdfDocument(pdf)))
    assert BIANG_NAME in text and f"{BIANG}{BIANG}面巷1号" in text
    assert b"BabelStoneHan" in b" ".join(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([^\s/>]+)", pdf))
    assert_printed_in_line(pdf, BIANG_NAME, "安", BIANG)


def test_a_character_no_font_has_refuses_the_issue_and_uses_no_number(db, desk):
    code = add_enterprise(db, f"苏州{UNPRINTABLE}科技有限公司")
    with pytest.raises(ValueRejected) as refused:
        desk.issue(code, [4, 15], now=NOW)
    assert f"「{UNPRINTABLE}」(U+2EBF0) 无法打印" in str(refused.value)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssuedReport)) == 0

    plain = add_enterprise(db, "苏州恒达精密机械有限公司")
    assert desk.issue(plain, [4, 15], now=NOW).report_no == "SZ-2026-00000001"  # no gap


def test_the_interface_shows_the_rare_characters(qapp):
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QLabel

    from desktop.services.fonts import install_fonts

    install_fonts(qapp)
    assert {"HanaMinA", "HanaMinB", "BabelStone Han"} <= set(qapp.font().families())

    def drawn(text: str) -> QImage:
        label = QLabel(text)
        label.setStyleSheet("background: white; color: black")
        label.adjustSize()
        return label.grab().toImage()

    def dark(image: QImage) -> int:
        return sum(1 for y in range(image.height()) for x in range(image.width())
                   if image.pixelColor(x, y).lightness() < 128)

    missing = drawn(UNPRINTABLE)  # what a character without a glyph looks like (a box)
    for ch in ("䶮", "𠀾", BIANG):
        image = drawn(ch)
        assert dark(image) > 10, f"{ch} shows blank"
        assert image != missing, f"{ch} shows as a missing-glyph box"
    assert drawn("䶮") != drawn("𠀾")
