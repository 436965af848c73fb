"""Printing a report PDF: each page rendered by QtPdf at the printer's resolution and painted on.

The page opens the print dialog; this module only paints, so tests print to a PDF file through
a QPrinter set to PdfFormat and count the pages that came out.
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrinter

from core.errors import CreditDeskError

# Pages are rasterised at the printer's resolution, but never finer than this: at 1200 dpi one
# A4 page is a 550 MB image and takes seconds, while 600 dpi is already a laser printer's grain.
MAX_RENDER_DPI = 600


class PrintFailed(CreditDeskError):
    """The printer could not be opened or a page could not be rendered."""


def load_pdf(pdf_bytes: bytes, parent=None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over the bytes; keep the buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf_bytes))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PrintFailed("无法读取报告 PDF，不能打印")
    return document, buffer


def print_pdf(pdf_bytes: bytes, printer: QPrinter) -> int:
    """Paint every page of the PDF onto the printer; returns the number of pages printed."""
    document, buffer = load_pdf(pdf_bytes)
    try:
        printer.setFullPage(True)
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailed("无法连接打印机，请检查打印机是否开启并已连接")
        try:
            dpi = printer.resolution()
            render_dpi = min(dpi, MAX_RENDER_DPI)
            target = printer.pageLayout().fullRectPixels(dpi)
            for page in range(document.pageCount()):
                if page:
                    printer.newPage()
                points = document.pagePointSize(page)
                pixels = QSize(round(points.width() * render_dpi / 72),
                               round(points.height() * render_dpi / 72))
                image = document.render(page, pixels, QPdfDocumentRenderOptions())
                if image.isNull():
                    raise PrintFailed(f"第 {page + 1} 页无法渲染，打印已中止")
                # Fit the page into the paper, keeping its proportions (A4 on A4 is 1:1).
                on_paper = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                on_paper = on_paper.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), on_paper), image)
        finally:
            painter.end()
        return document.pageCount()
    finally:
        document.close()
        buffer.close()


def pdf_page_count(pdf_bytes: bytes) -> int:
    document, buffer = load_pdf(pdf_bytes)
    try:
        return document.pageCount()
    finally:
        document.close()
        buffer.close()
