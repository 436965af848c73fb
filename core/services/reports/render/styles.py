"""Page geometry, type sizes, colours and table styles of the report, plus small text helpers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, TableStyle
from reportlab.platypus import paragraph as _paragraph
from reportlab.lib import textsplit as _textsplit

from core.services.reports.render.fonts import HEI, SONG, font_paths, markup

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
HEADER_Y = PAGE_HEIGHT - 15 * mm  # baseline of the running header
FOOTER_Y = 12 * mm  # baseline of the running footer

INK = colors.black
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9A9A9A")  # table grid and header/footer rules
HEAD_FILL = colors.HexColor("#EDEFF2")  # table header rows and label cells
NOTE_FILL = colors.HexColor("#F6F7F9")  # the conclusion box
ALERT = colors.HexColor("#8B1A1A")  # counts of records in the conclusion
SEAL = colors.HexColor("#B0B0B0")  # the dashed seal area
WATERMARK = colors.HexColor("#EEEEEE")  # drawn beneath the content

BODY_SIZE = 10.5
CELL_SIZE = 9


def _style(name: str, font: str = SONG, size: float = BODY_SIZE, leading: float | None = None,
           align: int = TA_JUSTIFY, **extra) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=font, fontSize=size, leading=leading or round(size * 1.5, 1),
        alignment=align, wordWrap="CJK", textColor=INK, **extra,
    )


# reportlab's CJK line breaking keeps (Japanese) closing punctuation off the start of a line but
# not the Chinese full-width ，；：？！ nor ” ’ 》: without them “处罚依据” ends a line and “：” starts the
# next. Both modules read the name at each break, so adding them here is enough (one mark may hang).
_CN_CANNOT_START = "，；：？！”’》"
for _module in (_paragraph, _textsplit):
    if _CN_CANNOT_START[0] not in _module.ALL_CANNOT_START:
        _module.ALL_CANNOT_START += _CN_CANNOT_START

font_paths()
TITLE = _style("title", HEI, 20, 28, TA_CENTER)
SUBTITLE = _style("subtitle", SONG, 12, 18, TA_CENTER, spaceAfter=4 * mm)
HEADING = _style("heading", HEI, 12, 18, TA_LEFT, spaceBefore=5 * mm, spaceAfter=2 * mm)
SUBHEADING = _style("subheading", HEI, BODY_SIZE, 16, TA_LEFT, spaceBefore=2 * mm,
                    spaceAfter=1.5 * mm)
BODY = _style("body")
SUMMARY = _style("summary", SONG, BODY_SIZE, 17)
META = _style("meta", SONG, BODY_SIZE, 17, TA_LEFT)
NOTE = _style("note", SONG, 9.5, 14.5, leftIndent=5 * mm, firstLineIndent=-5 * mm)
CELL = _style("cell", SONG, CELL_SIZE, 12.5, TA_LEFT)
CELL_CENTRE = _style("cell-centre", SONG, CELL_SIZE, 12.5, TA_CENTER)
CELL_RIGHT = _style("cell-right", SONG, CELL_SIZE, 12.5, TA_RIGHT)
CELL_HEAD = _style("cell-head", HEI, CELL_SIZE, 12.5, TA_CENTER)
LABEL = _style("label", HEI, CELL_SIZE + 0.5, 14, TA_CENTER)
VALUE = _style("value", SONG, CELL_SIZE + 0.5, 14, TA_LEFT)
CAPTION = _style("caption", HEI, 9, 12, TA_CENTER)
CAPTION_SMALL = _style("caption-small", SONG, 7.5, 10, TA_CENTER)
SIGN = _style("sign", SONG, BODY_SIZE, 18, TA_CENTER)


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain (unescaped) text, with fallback glyphs where the font lacks them."""
    return Paragraph(markup(text, style.fontName), style)


def rich(markup_text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of already escaped markup (use `markup()` for any user data inside)."""
    return Paragraph(markup_text, style)


def grid_style(header_rows: int = 1) -> TableStyle:
    """Light grid, shaded header row, vertically centred cells."""
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SONG),  # for empty cells: never reportlab's Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ])


def cn_date(day: date) -> str:
    """2026年11月27日"""
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    """12,345.60"""
    return f"{amount:,.2f}"
