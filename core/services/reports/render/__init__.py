"""Rendering an issued report: the A4 PDF, its fonts and its QR code."""
from core.services.reports.render.fonts import font_paths
from core.services.reports.render.pdf import render_pdf
from core.services.reports.render.qr import qr_matrix

__all__ = ["font_paths", "qr_matrix", "render_pdf"]
