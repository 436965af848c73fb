"""Read the code printed on a report from a picture or a PDF file: `decode_file(path) -> str`.

Images go straight to zxing-cpp; a PDF is rendered page by page at 200 dpi until a code is
found. Slow (hundreds of milliseconds for a PDF), so callers run it off the GUI thread.
Failures raise `UndecodableFile` (a ValueError) whose message a person can read.
"""
from __future__ import annotations

from pathlib import Path

PDF_DPI = 200
MAX_SIDE = 2400  # phone photos are larger than zxing needs; a scaled copy is tried too


class UndecodableFile(ValueError):
    """No code could be read from the file; the message is one Chinese sentence."""


def read_qr_codes(image) -> list[str]:
    """The texts of the QR codes in a picture. Only QR: table rules and type on a report can
    look like a 1-D barcode to a reader that tries every format."""
    import zxingcpp

    return [b.text for b in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if b.text]


def _read(image) -> str | None:
    found = read_qr_codes(image)
    return found[0] if found else None


def _read_image(image) -> str | None:
    image = image.convert("L")
    found = _read(image)
    if found is None and max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        found = _read(image.resize((round(image.width * scale), round(image.height * scale))))
    return found


def _decode_pdf(path: Path) -> str | None:
    import pypdfium2

    # pdfium runs on one thread at a time (a preview may be rendering): it is held for opening and
    # drawing a page, not while zxing reads the picture
    from desktop.services.pdf_raster import PDFIUM_LOCK

    with PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError:
            raise UndecodableFile(f"无法打开文件：{path.name}（不是有效的 PDF）") from None
        pages = len(document)
    try:
        for index in range(pages):
            with PDFIUM_LOCK:
                page = document[index]
                try:
                    bitmap = page.render(scale=PDF_DPI / 72)
                    try:  # a picture of its own: the bitmap is freed here, not by the collector later
                        picture = bitmap.to_pil().copy()
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            found = _read_image(picture)
            if found:
                return found
    finally:
        with PDFIUM_LOCK:
            document.close()
    return None


def _decode_picture(path: Path) -> str | None:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            for frame in ImageSequence.Iterator(image):  # a multi-page TIFF from a flatbed scanner
                found = _read_image(frame.copy())
                if found:
                    return found
    except UnidentifiedImageError:
        raise UndecodableFile(f"无法打开文件：{path.name}（不是图片或 PDF）") from None
    return None


def _is_pdf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(5) == b"%PDF-"


def decode_file(path: str | Path) -> str:
    """The text of the first QR code in the picture or PDF at `path`."""
    path = Path(path)
    try:
        found = _decode_pdf(path) if _is_pdf(path) else _decode_picture(path)
    except UndecodableFile:
        raise
    except FileNotFoundError:
        raise UndecodableFile(f"无法打开文件：{path.name}（文件不存在）") from None
    except OSError as exc:
        raise UndecodableFile(f"无法打开文件：{path.name}（{exc.strerror or '读取失败'}）") from None
    except Exception:  # noqa: BLE001 - a damaged or hostile file: say so, never a traceback
        raise UndecodableFile(f"无法打开文件：{path.name}（文件已损坏或格式不受支持）") from None
    if not found:
        where = "PDF" if path.suffix.lower() == ".pdf" else "图片"
        raise UndecodableFile(f"未在{where}中找到二维码：{path.name}")
    return found


__all__ = ["UndecodableFile", "decode_file"]
