"""pdfium for the tests, one call at a time with the app's own.

pdfium may never run on two threads at once, not even on different documents (pypdfium2's
documentation): the app's previews render on desktop/services/pdf_raster.py's thread and hold
PDFIUM_LOCK for each call, so a test reading a PDF while a preview of its own renders must hold it
too — from opening to closing, bitmaps included, with nothing of pdfium's left for the garbage
collector to close later on whatever thread it runs (CI saw a preview's thread crash in
FPDF_LoadPage while a test's pdfium objects were being freed)."""
from __future__ import annotations

import pypdfium2

from desktop.services.pdf_raster import PDFIUM_LOCK


def page_count(pdf: bytes | str) -> int:
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_image(pdf: bytes | str, index: int = 0, dpi: float = 150):
    """Page `index` as a PIL image of its own (no memory shared with pdfium)."""
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            page = document[index]
            try:
                bitmap = page.render(scale=dpi / 72)
                try:
                    return bitmap.to_pil().copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            document.close()


def page_texts(pdf: bytes | str) -> list[str]:
    """Each page's text, as pdfium extracts it."""
    with PDFIUM_LOCK:
        document = pypdfium2.PdfDocument(pdf)
        try:
            texts = []
            for index in range(len(document)):
                page = document[index]
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range())
                finally:
                    textpage.close()
                    page.close()
            return texts
        finally:
            document.close()
