"""Issue 13 part 2: the report preview is rasterised off the GUI thread.

A real report (issued through the project's renderer by the desk fixture) is shown the way the
clerk sees it: the page count, a page with its text and a QR code that scans back to the signed
digits, a zoom that brings sharper pixels (re-rendered, not stretched), a newer PDF that wins over
an older one still rendering, unreadable bytes explained in Chinese, and a preview closed in the
middle of a render that leaves no thread behind. Pictures are kept in the screenshot folder.
"""
from __future__ import annotations

from datetime import date, timedelta

import zxingcpp
from PIL import Image
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from desktop.services.pdf_raster import raster
from desktop.views.pdf_preview import PdfPreview
from tests.factories import add_penalty
from tests.pdf_pages import page_count

WAIT = 15000


def pdf_pages(qtbot, pdf: bytes) -> int:
    """The page count as pdfium reads it (only while no preview renders: pdfium is one-thread)."""
    qtbot.waitUntil(lambda: not raster().is_running(), timeout=WAIT)
    return page_count(pdf)


def shown(qtbot, pdf: bytes | None, size=(1024, 768), *, keep: bool = True) -> PdfPreview:
    """A preview on screen, showing `pdf` fully rendered; `keep=False`: the test deletes it."""
    preview = PdfPreview()
    if keep:
        qtbot.addWidget(preview)
    preview.resize(*size)
    preview.show()
    qtbot.waitExposed(preview)
    if pdf is not None:
        with qtbot.waitSignal(preview.rendered, timeout=WAIT):
            preview.set_pdf(pdf)
    return preview


def picture(preview: PdfPreview) -> QImage:
    return preview.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)


def dark_share(image: QImage, rect) -> float:
    """The share of dark pixels (text, rules, QR modules) inside `rect` of a grey picture."""
    r = rect.toAlignedRect().intersected(image.rect())
    dark = sum(1 for y in range(r.top(), r.bottom(), 3) for x in range(r.left(), r.right(), 3)
               if image.pixelColor(x, y).value() < 110)
    return dark / max(1, (r.width() // 3) * (r.height() // 3))


def qr_texts(image: QImage) -> list[str]:
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    data = bytes(grey.constBits())[: grey.bytesPerLine() * grey.height()]
    pil = Image.frombuffer("L", (grey.width(), grey.height()), data, "raw", "L", grey.bytesPerLine(), 1)
    return [b.text for b in zxingcpp.read_barcodes(pil, formats=zxingcpp.BarcodeFormat.QRCode)]


def in_view(preview: PdfPreview, index: int):
    """Page `index`'s rectangle in the preview widget's coordinates."""
    offset = preview.pages.mapTo(preview, QPoint(0, 0))
    return preview.page_rects()[index].translated(offset.x(), offset.y())


def long_report(desk_env) -> bytes:
    """A report of many pages: an enterprise with many penalties, every domain."""
    uscc = list(desk_env.enterprises.values())[1]
    for days in range(40):
        add_penalty(desk_env.db, uscc, date.today() - timedelta(days=30 + days), domain=4 + days % 3)
    return desk_env.issue(uscc).pdf


def test_a_real_report_is_shown_with_its_text_its_qr_and_its_page_count(qtbot, desk_env, screenshot_dir):
    pdf = desk_env.report.pdf
    pages = pdf_pages(qtbot, pdf)
    preview = shown(qtbot, pdf, (1920, 1080))
    assert preview.page_count() == pages == preview.document.pageCount()
    assert preview.pages_label.text() == f"共 {pages} 页" and preview.toolbar.isEnabled()
    assert preview.stack.currentWidget() is preview.view
    assert preview.grab().save(str(screenshot_dir / "preview-1920x1080.png"))

    image = picture(preview)
    first = in_view(preview, 0)
    # fit to width: the page fills the view's width, grey margins left and right of it
    assert first.width() >= preview.view.viewport().width() - 40
    assert image.pixelColor(first.left() - 3, first.top() + 100).value() < 245  # grey, not white
    assert dark_share(image, first) > 0.01, "the first page shows no text"
    scanned = qr_texts(preview.grab().toImage())
    assert len(scanned) == 1 and scanned[0].endswith(desk_env.report.issue.qr_digits), scanned
    # each page image is as sharp as the screen: its width in device pixels is the page's on screen
    dpr = preview.devicePixelRatioF()
    assert abs(preview.page_image(0).width() - round(first.width() * dpr)) <= 1

    # the arrows and Page Down scroll the pages
    preview.view.setFocus()
    bar = preview.view.verticalScrollBar()
    QTest.keyClick(preview.view, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    bar.setValue(round(preview.page_rects()[1].top()) - 200)  # the gap between pages 1 and 2
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
    assert preview.grab().save(str(screenshot_dir / "preview-1920x1080-gap.png"))
    bar.setValue(bar.maximum())  # the last page comes when scrolled to
    qtbot.waitUntil(lambda: preview.page_image(pages - 1) is not None and not preview.is_rendering(),
                    timeout=WAIT)
    assert abs(preview.page_image(pages - 1).width() - round(first.width() * dpr)) <= 1
    last = preview.page_image(pages - 1).convertToFormat(QImage.Format.Format_Grayscale8)
    assert dark_share(last, QRectF(last.rect())) > 0.001, "the last page is blank"


def test_a_long_report_keeps_only_the_pages_near_the_view(qtbot, desk_env):
    pdf = long_report(desk_env)
    pages = pdf_pages(qtbot, pdf)
    assert pages >= 6
    preview = shown(qtbot, pdf, (1366, 768))
    assert preview.page_count() == pages and preview.pages_label.text() == f"共 {pages} 页"
    assert preview.page_image(pages - 1) is None  # far below: not rendered yet
    bar = preview.view.verticalScrollBar()
    for step in range(1, 11):  # scroll down to the end, as a wheel would
        bar.setValue(bar.maximum() * step // 10)
        qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
        first_in_view = next(i for i, r in enumerate(preview.page_rects()) if r.bottom() >= bar.value())
        assert preview.page_image(first_in_view) is not None
    assert preview.page_image(pages - 1) is not None
    assert preview.page_image(0) is None  # let go: memory stays bounded however long the report
    held = [i for i in range(pages) if preview.page_image(i) is not None]
    assert len(held) < pages


def test_at_1024_by_768_the_page_fits_the_width(qtbot, desk_env, screenshot_dir):
    preview = shown(qtbot, desk_env.report.pdf)
    assert preview.grab().save(str(screenshot_dir / "preview-1024x768.png"))
    first = in_view(preview, 0)
    assert preview.view.viewport().width() - 40 <= first.width() <= preview.view.viewport().width()
    assert dark_share(picture(preview), first) > 0.01
    assert not preview.view.horizontalScrollBar().isVisible()


def test_zoom_in_renders_again_wider_and_sharper(qtbot, desk_env, screenshot_dir):
    preview = shown(qtbot, desk_env.report.pdf)
    before = preview.page_image(0)
    on_screen = preview.page_rects()[0].width()
    qtbot.mouseClick(preview.zoom_in_button, Qt.MouseButton.LeftButton)
    # at once the page is larger on screen, the old picture stretched until the sharp one comes
    assert preview.page_rects()[0].width() > on_screen * 1.2
    assert preview.page_image(0) is before and preview.is_rendering()
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
    after = preview.page_image(0)
    assert after.width() > before.width() * 1.2  # more device pixels: rendered again
    assert abs(after.width() - round(preview.page_rects()[0].width() * preview.devicePixelRatioF())) <= 1
    assert preview.view.horizontalScrollBar().maximum() > 0  # wider than the view now
    assert preview.grab().save(str(screenshot_dir / "preview-zoomed.png"))

    qtbot.mouseClick(preview.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(preview.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
    assert preview.page_image(0).width() < before.width()
    qtbot.mouseClick(preview.fit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
    assert preview.page_image(0).width() == before.width()


def test_a_resize_renders_again_at_the_new_width(qtbot, desk_env):
    preview = shown(qtbot, desk_env.report.pdf, (800, 600))
    narrow = preview.page_image(0).width()
    preview.resize(1400, 800)
    qtbot.waitUntil(lambda: preview.page_image(0).width() > narrow * 1.5 and not preview.is_rendering(),
                    timeout=WAIT)


def test_a_newer_pdf_wins_over_one_still_rendering(qtbot, desk_env):
    small = desk_env.report.pdf
    big = long_report(desk_env)
    small_pages, big_pages = pdf_pages(qtbot, small), pdf_pages(qtbot, big)
    assert big_pages > small_pages
    reference = shown(qtbot, small)
    wanted = [reference.page_image(i) for i in range(small_pages)]
    reference.close()

    preview = shown(qtbot, None)
    arrived: list[int] = []
    preview.rendered.connect(lambda: arrived.append(preview.page_count()))
    for _ in range(3):
        preview.set_pdf(big)  # its pages start rendering…
        qtbot.waitUntil(lambda: preview.page_image(0) is not None, timeout=WAIT)
        assert preview.set_pdf(small) == small_pages  # …and a newer document replaces it
        arrived.clear()
        qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
        assert arrived == [small_pages]  # one `rendered`, for the newer document
    qtbot.wait(300)  # let any late page of the older document arrive: it must be dropped
    assert preview.page_count() == small_pages and preview.pages_label.text() == f"共 {small_pages} 页"
    assert [preview.page_image(i) for i in range(small_pages)] == wanted
    assert preview.page_image(small_pages) is None and len(preview.page_rects()) == small_pages

    # twice in a row without the event loop in between: only the second is ever shown
    preview.set_pdf(big)
    assert preview.set_pdf(small) == small_pages
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
    assert [preview.page_image(i) for i in range(small_pages)] == wanted


def test_unreadable_bytes_show_the_chinese_placeholder(qtbot, desk_env, screenshot_dir):
    preview = shown(qtbot, desk_env.report.pdf)
    for bad in (b"not a pdf", b"%PDF-1.7\n" + b"\x00garbage" * 50, b""):
        assert preview.set_pdf(bad) == 0
        assert preview.stack.currentWidget() is preview.placeholder
        assert preview.placeholder.text() == "无法显示该 PDF 文件"
        assert preview.page_count() == 0 and preview.pdf_bytes() == b"" and preview.pages_label.text() == ""
        assert not preview.toolbar.isEnabled()
    assert preview.grab().save(str(screenshot_dir / "preview-unreadable.png"))
    # and it still shows a good one afterwards
    with qtbot.waitSignal(preview.rendered, timeout=WAIT):
        assert preview.set_pdf(desk_env.report.pdf) >= 1
    assert dark_share(picture(preview), in_view(preview, 0)) > 0.01


def test_closing_in_the_middle_of_a_render_leaves_no_thread(qtbot, desk_env, qtlog):
    big = long_report(desk_env)
    for _ in range(3):
        preview = shown(qtbot, None, (1920, 1080), keep=False)
        preview.set_pdf(big)  # the pages are being rendered right now
        assert preview.is_rendering() and raster().is_running()
        preview.close()
        preview.deleteLater()
        qtbot.waitUntil(lambda: not raster().is_running(), timeout=WAIT)
    preview = shown(qtbot, None, keep=False)
    preview.set_pdf(big)
    preview.deleteLater()  # destroyed without being closed first
    qtbot.waitUntil(lambda: not raster().is_running(), timeout=WAIT)
    assert not [m for m in qtlog.records if "QThread" in m.message], [m.message for m in qtlog.records]


def test_the_clear_text_comes_back_after_a_report(qtbot, desk_env):
    preview = shown(qtbot, desk_env.report.pdf)
    preview.clear("选择企业后点击“预览”，报告样张显示在这里")
    assert preview.stack.currentWidget() is preview.placeholder and preview.page_count() == 0
    assert preview.placeholder.text() == "选择企业后点击“预览”，报告样张显示在这里"
    qtbot.waitUntil(lambda: not preview.is_rendering(), timeout=WAIT)
