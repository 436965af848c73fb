"""What every page carries: watermark, running header and footer with "第 x 页 共 y 页"."""
from __future__ import annotations

from functools import partial

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from core.domain import IssueInfo, ReportContent
from core.services.reports.render.fonts import HEI, SONG, draw_text
from core.services.reports.render.styles import (
    FOOTER_Y, HEADER_Y, MARGIN_LEFT, MARGIN_RIGHT, MUTED, PAGE_HEIGHT, PAGE_WIDTH, RULE,
    WATERMARK,
)


class PageMarks:
    """Draws the page furniture of one report."""

    def __init__(self, content: ReportContent, issue: IssueInfo,
                 heading: str = "专用信用报告（代替企业无违法证明）"):
        self.heading = heading  # the profile's title and subtitle
        self.report_no = issue.report_no
        self.uscc = content.enterprise.uscc
        self.valid_until = issue.valid_until

    def watermark(self, canvas: Canvas, _doc=None) -> None:
        """The report number across the page, light grey, beneath the content."""
        canvas.saveState()
        canvas.setFillColor(WATERMARK)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(35)
        for offset in (-95 * mm, 0, 95 * mm):
            draw_text(canvas, 0, offset, self.report_no, HEI, 34, "centre")
        canvas.restoreState()

    def furniture(self, canvas: Canvas, page: int, total: int) -> None:
        """Header and footer; needs the page count, so it is drawn when the document is saved."""
        left, right = MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, HEADER_Y - 2.5 * mm, right, HEADER_Y - 2.5 * mm)
        canvas.line(left, FOOTER_Y + 4 * mm, right, FOOTER_Y + 4 * mm)
        canvas.setFillColor(MUTED)
        draw_text(canvas, left, HEADER_Y, self.heading, SONG, 9)
        draw_text(canvas, right, HEADER_Y, f"报告编号：{self.report_no}", SONG, 9, "right")
        draw_text(canvas, left, FOOTER_Y, f"统一社会信用代码：{self.uscc}", SONG, 8.5)
        draw_text(canvas, right, FOOTER_Y, f"有效期至：{self.valid_until.isoformat()}", SONG, 8.5,
                  "right")
        canvas.setFillColor(MUTED)
        draw_text(canvas, PAGE_WIDTH / 2, FOOTER_Y, f"第 {page} 页 共 {total} 页", SONG, 9,
                  "centre")
        canvas.restoreState()


class _DeferredCanvas(Canvas):
    """Keeps every page until save() so each can be told the total number of pages."""

    def __init__(self, *args, marks: PageMarks, **kwargs):
        super().__init__(*args, **kwargs)
        self._marks = marks
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for page, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._marks.furniture(self, page, total)
            super().showPage()
        super().save()


def canvas_maker(marks: PageMarks):
    """The canvasmaker for `doc.build`: pages numbered "第 x 页 共 y 页"."""
    return partial(_DeferredCanvas, marks=marks)
