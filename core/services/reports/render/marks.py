"""Drawn marks of the report: the QR code (vector modules) and the signature block with the seal."""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from core.services.reports.render.fonts import HEI, SONG, draw_text
from core.services.reports.render.qr import QUIET_ZONE, qr_matrix
from core.services.reports.render.styles import BODY_SIZE, INK, SEAL


class QrCode(Flowable):
    """The QR symbol drawn as filled rectangles, `size` wide without its quiet zone.

    The flowable is the symbol plus a light quiet zone of QUIET_ZONE modules on every side,
    painted white so that nothing (not even the watermark) shows through it.
    """

    def __init__(self, text: str, size: float = 32 * mm):
        super().__init__()
        self.matrix = qr_matrix(text)
        count = len(self.matrix)
        self.module = size / count
        self.quiet = QUIET_ZONE * self.module
        self.width = self.height = size + 2 * self.quiet

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        count = len(self.matrix)
        path = canvas.beginPath()
        for row, cells in enumerate(self.matrix):
            y = self.quiet + (count - row - 1) * self.module
            col = 0
            while col < count:
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < count and cells[col]:
                    col += 1
                path.rect(self.quiet + start * self.module, y,
                          (col - start) * self.module, self.module)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()


class SignatureBlock(Flowable):
    """Issuer and date at the right, under a dashed circle marking where the seal goes."""

    DIAMETER = 40 * mm

    def __init__(self, issuer: str, issued_on: str):
        super().__init__()
        self.issuer = issuer
        self.issued_on = issued_on
        self.height = self.DIAMETER + 2 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        cx = self.width - self.DIAMETER / 2 - 14 * mm
        cy = self.height / 2
        canvas.saveState()
        # The seal is stamped here on paper: keep it clear of the watermark drawn beneath.
        canvas.setFillColor(colors.white)
        canvas.circle(cx, cy, self.DIAMETER / 2 + 3 * mm, stroke=0, fill=1)
        canvas.setStrokeColor(SEAL)
        canvas.setLineWidth(0.8)
        canvas.setDash(3, 2.5)
        canvas.circle(cx, cy, self.DIAMETER / 2, stroke=1, fill=0)
        canvas.setFillColor(SEAL)
        draw_text(canvas, cx, cy + 9 * mm, "（盖章）", SONG, 9, "centre")
        canvas.setFillColor(INK)
        draw_text(canvas, cx, cy - 1 * mm, self.issuer, HEI, BODY_SIZE + 0.5, "centre")
        draw_text(canvas, cx, cy - 8 * mm, self.issued_on, SONG, BODY_SIZE, "centre")
        canvas.restoreState()
