"""An embedded PDF viewer for report previews: pages stacked, fit to width, the page count shown.

The pages are rasterised off the GUI thread (desktop/services/pdf_raster.py) at the view's own
resolution, device pixel ratio included, and painted here as images. A zoom or a resize shows
the images it has, scaled, at once and asks for sharp ones a moment later (debounced). Only the
pages in view and a screen above and below are rendered, and images further away are let go, so
a long report at a large zoom does not fill the memory; scrolling asks for the pages it reaches.
"""
from __future__ import annotations

import functools

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFrame, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QStackedWidget, QVBoxLayout, QWidget)

from desktop.services.pdf_raster import new_client, raster
from desktop.strings import counter as S

ZOOM_STEP = 1.25
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0  # as QPdfView's: 1.0 is the page's size at 96 dpi
POINT = 96 / 72  # logical pixels per PDF point at zoom 1.0
MARGIN, SPACING = 8, 12  # around the pages, between them
RENDER_DELAY_MS = 120  # a resize or zoom settles this long before the sharp render
SCROLL_DELAY_MS = 30  # scrolling to pages not rendered yet asks for them this much later
PREFETCH, KEEP = 1.0, 3.0  # in view heights: rendered ahead above and below; images kept
BACKGROUND, PAGE_EDGE, SHADOW = QColor("#e8eaed"), QColor("#c4c7cc"), QColor(60, 64, 67, 38)


class _Pages(QWidget):
    """The scroll area's content: each page's image in its place, or a white sheet until it comes."""

    def __init__(self, owner: "PdfPreview"):
        super().__init__()
        self._owner = owner
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        owner = self._owner
        painter = QPainter(self)
        painter.fillRect(event.rect(), BACKGROUND)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        visible = QRectF(event.rect())
        for index, rect in enumerate(owner._page_rects):
            if not rect.adjusted(-3, -3, 4, 5).intersects(visible):
                continue
            for grow, alpha in ((3, 10), (2, 18), (1, 30)):  # a soft shadow below and to the right
                shade = QColor(SHADOW)
                shade.setAlpha(alpha)
                painter.fillRect(rect.adjusted(-grow + 1, -grow + 2, grow + 1, grow + 2), shade)
            image = owner._images.get(index)
            if image is None:
                painter.fillRect(rect, Qt.GlobalColor.white)
            else:
                painter.drawImage(rect, image)
            painter.setPen(QPen(PAGE_EDGE, 0))
            painter.drawRect(rect.adjusted(-0.5, -0.5, 0.5, 0.5))
        painter.end()


class _View(QScrollArea):
    """Scrolls the pages (arrows, Page Up/Down, the wheel); tells its owner when it is resized."""

    def __init__(self, owner: "PdfPreview"):
        super().__init__(owner)
        self._owner = owner
        self.setObjectName("pdfView")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWidgetResizable(False)
        self.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setStyleSheet("background: #e8eaed;")
        self.verticalScrollBar().setSingleStep(24)
        # always there: pages are taller than the view, and a bar that came and went would
        # change the width the pages fit and render them twice
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._owner._viewport_resized()


class _DocumentInfo:
    """What callers used to read off QPdfDocument: the page count (0 when nothing is shown)."""

    def __init__(self, preview: "PdfPreview"):
        self._preview = preview

    def pageCount(self) -> int:  # noqa: N802 - QPdfDocument's name, kept for callers
        return self._preview.page_count()


class PdfPreview(QWidget):
    """Shows PDF bytes. `loaded(n)` once the page count is known, `rendered()` once every page is
    on screen at the current size (and again after each zoom or resize)."""

    loaded = Signal(int)  # page count
    rendered = Signal()

    def __init__(self, parent: QWidget | None = None, empty_text: str = S.PREVIEW_EMPTY):
        super().__init__(parent)
        self._bytes = b""
        self._sizes: list[tuple[float, float]] = []  # each page's size in points
        self._images: dict[int, QImage] = {}
        self._page_rects: list[QRectF] = []
        self._zoom_factor = 1.0
        self._fit = True
        # Which document at which resolution the images are for: answers for any other are dropped.
        self._generation = 0
        self._resolution: tuple[float, float] | None = None  # (device pixels per point, dpr)
        self._current: set[int] = set()  # pages whose image is of this generation
        self._rendering = False
        self._client = new_client()
        self._raster = raster()
        self._raster.warm_up()
        self._raster.page_ready.connect(self._page_ready)
        self._raster.render_done.connect(self._render_done)
        # a deleted preview's document is closed: the call holds the client number, not the widget
        self.destroyed.connect(functools.partial(self._raster.release, self._client))
        self.document = _DocumentInfo(self)

        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self._request_render)
        self._scroll_timer = QTimer(self)
        self._scroll_timer.setSingleShot(True)
        self._scroll_timer.setInterval(SCROLL_DELAY_MS)
        self._scroll_timer.timeout.connect(self._request_render)

        self.view = _View(self)
        self.pages = _Pages(self)
        self.view.setWidget(self.pages)
        self.view.verticalScrollBar().valueChanged.connect(self._scrolled)

        self.placeholder = QLabel(empty_text, self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet(
            "QLabel { color: #5f6368; background: #f1f3f4; border: 1px dashed #bdc1c6;"
            " border-radius: 6px; padding: 24px; font-size: 12pt; }")

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        self.pages_label = QLabel("", self)
        self.fit_button = QPushButton(S.ZOOM_FIT, self)
        self.zoom_out_button = QPushButton(S.ZOOM_OUT, self)
        self.zoom_in_button = QPushButton(S.ZOOM_IN, self)
        for button in (self.fit_button, self.zoom_out_button, self.zoom_in_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fit_button.clicked.connect(self.fit_width)
        self.zoom_in_button.clicked.connect(lambda: self._zoom(ZOOM_STEP))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(1 / ZOOM_STEP))

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.pages_label)
        bar.addStretch(1)
        bar.addWidget(self.zoom_out_button)
        bar.addWidget(self.zoom_in_button)
        bar.addWidget(self.fit_button)
        self.toolbar = QWidget(self)
        self.toolbar.setLayout(bar)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.stack, 1)
        self._show_empty()

    # -- public ----------------------------------------------------------------------------

    def set_pdf(self, pdf: bytes) -> int:
        """Show these PDF bytes; returns the page count (0 if they could not be read).

        Only the count is known on return (the document is opened on the raster thread, which
        takes a millisecond or two); the pages follow as they are rendered.
        """
        self._forget()
        sizes = self._raster.page_sizes(self._client, pdf, keep=self.isVisible())
        if not sizes:
            self._show_empty(S.PDF_UNREADABLE)
            return 0
        self.stack.setCurrentWidget(self.view)  # first: its size is final before the pages are placed
        self._bytes, self._sizes = bytes(pdf), sizes
        self.pages_label.setText(S.PAGE_COUNT.format(n=len(sizes)))
        self.toolbar.setEnabled(True)
        self._fit = True
        self._layout_pages()
        self.view.verticalScrollBar().setValue(0)
        self._request_render()
        self.loaded.emit(len(sizes))
        return len(sizes)

    def clear(self, text: str | None = None) -> None:
        self._forget()
        self._raster.release(self._client)
        self._show_empty(text)

    def page_count(self) -> int:
        return len(self._sizes) if self._bytes else 0

    def pdf_bytes(self) -> bytes:
        return self._bytes

    def fit_width(self) -> None:
        self._fit = True
        self._relayout()

    def zoom_factor(self) -> float:
        """1.0 shows a page at its size at 96 dpi (as QPdfView's zoom factor)."""
        return self._zoom_factor

    def is_rendering(self) -> bool:
        """Sharp pages for the current size are still on their way."""
        return self._rendering or self._render_timer.isActive() or self._scroll_timer.isActive()

    def page_rects(self) -> list[QRectF]:
        """Where each page is drawn, in the coordinates of `pages` (the scrolled widget)."""
        return list(self._page_rects)

    def page_image(self, index: int) -> QImage | None:
        """The image painted for this page now (maybe an older one, scaled, while rendering)."""
        return self._images.get(index)

    # -- Qt ----------------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._bytes:
            self._relayout(at_once=True)

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # hidden (or closed): the document goes from the raster thread, the images stay
        super().hideEvent(event)
        self._render_timer.stop()
        self._scroll_timer.stop()
        self._rendering = False
        self._raster.release(self._client)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == event.Type.DevicePixelRatioChange and self._bytes:
            self._render_timer.start()

    # -- private ---------------------------------------------------------------------------

    def _forget(self) -> None:
        """Drop the document shown (and any render of it still on its way)."""
        self._render_timer.stop()
        self._scroll_timer.stop()
        self._generation += 1
        self._resolution, self._current = None, set()
        self._rendering = False
        self._raster.cancel(self._client)
        self._bytes, self._sizes, self._images, self._page_rects = b"", [], {}, []
        self.pages.resize(0, 0)

    def _zoom(self, factor: float) -> None:
        if not self._sizes:
            return
        self._fit = False
        self._zoom_factor = max(MIN_ZOOM, min(MAX_ZOOM, self._zoom_factor * factor))
        self._relayout()

    def _viewport_resized(self) -> None:
        if self._bytes and self._fit:
            self._relayout()

    def _relayout(self, at_once: bool = False) -> None:
        """Place the pages for the current zoom; a sharp render follows (debounced)."""
        if not self._sizes:
            return
        bar = self.view.verticalScrollBar()
        fraction = bar.value() / max(1, bar.maximum())
        resized = self._layout_pages()
        bar.setValue(round(fraction * bar.maximum()))  # the same place in the document
        if at_once or not self._images:
            self._request_render()
        elif resized:
            self._render_timer.start()

    def _layout_pages(self) -> bool:
        """Work out the zoom (fit to width) and each page's rectangle; whether the size changed."""
        widest = max(w for w, _ in self._sizes)
        if self._fit:
            available = self.view.viewport().width() - 2 * MARGIN
            self._zoom_factor = max(MIN_ZOOM, min(MAX_ZOOM, available / (widest * POINT)))
        scale = self._zoom_factor * POINT
        width = round(widest * scale) + 2 * MARGIN
        rects, y = [], MARGIN
        for w, h in self._sizes:
            pw, ph = round(w * scale), round(h * scale)
            rects.append(QRectF((width - pw) // 2, y, pw, ph))
            y += ph + SPACING
        old = [r.size() for r in self._page_rects]
        self._page_rects = rects
        self.pages.resize(QSize(width, y - SPACING + MARGIN))
        self.pages.update()
        return old != [r.size() for r in rects]

    def _request_render(self) -> None:
        """Ask the raster thread for the pages near the view that lack a sharp image."""
        self._render_timer.stop()
        self._scroll_timer.stop()
        if not self._bytes or not self.isVisible():
            return
        dpr = self.devicePixelRatioF()
        resolution = (self._zoom_factor * POINT * dpr, dpr)
        if resolution != self._resolution:
            self._generation += 1
            self._resolution, self._current = resolution, set()
        keep = set(self._pages_near(KEEP))
        for index in [i for i in self._images if i not in keep]:  # far away: let the memory go
            del self._images[index]
            self._current.discard(index)
        missing = self._missing()
        if not missing:
            self._raster.cancel(self._client)
            self._finish()
            return
        self._rendering = True
        self._raster.render(self._client, self._generation, self._bytes, *resolution, missing)

    def _missing(self) -> list[int]:
        """The pages in view (first) and a view's height around it without a sharp image."""
        return [i for i in self._pages_near(PREFETCH) if i not in self._current]

    def _pages_near(self, views: float) -> list[int]:
        """Pages within `views` view heights of the view, those in view first, top to bottom."""
        top = self.view.verticalScrollBar().value()
        height = max(1, self.view.viewport().height())
        inside, around = [], []
        for index, rect in enumerate(self._page_rects):
            if rect.bottom() >= top and rect.top() <= top + height:
                inside.append(index)
            elif rect.bottom() >= top - views * height and rect.top() <= top + (1 + views) * height:
                around.append(index)
        return inside + around

    def _scrolled(self) -> None:
        if self._bytes and self._resolution is not None and self._missing():
            self._scroll_timer.start()

    def _page_ready(self, client: int, generation: int, index: int, image: QImage) -> None:
        if client != self._client or generation != self._generation:
            return
        self._images[index] = image
        self._current.add(index)
        if index < len(self._page_rects):
            self.pages.update(self._page_rects[index].toAlignedRect().adjusted(-4, -4, 5, 6))

    def _render_done(self, client: int, generation: int) -> None:
        if client != self._client or generation != self._generation or not self._rendering:
            return
        self._rendering = False
        if self._missing():  # scrolled on meanwhile
            if not self._scroll_timer.isActive() and not self._render_timer.isActive():
                self._request_render()
            return
        self._finish()

    def _finish(self) -> None:
        self._rendering = False
        if not self.is_rendering():
            self.rendered.emit()

    def _show_empty(self, text: str | None = None) -> None:
        if text:
            self.placeholder.setText(text)
        self.pages_label.setText("")
        self.toolbar.setEnabled(False)
        self.stack.setCurrentWidget(self.placeholder)


class PdfDialog(QDialog):
    """A report in a window of its own (出具记录 → 查看; 核验 → the archived PDF), as tall as the
    screen allows."""

    def __init__(self, title: str, pdf: bytes, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.preview = PdfPreview(self)
        buttons = QDialogButtonBox(self)
        buttons.addButton(S.CLOSE, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        screen = (parent.screen() if parent else self.screen()).availableGeometry()
        self.resize(min(900, screen.width() - 80), max(480, screen.height() - 80))
        self.preview.set_pdf(pdf)
