"""PDF pages rasterised off the GUI thread, on one pdfium thread for the whole application.

pdfium is not thread-safe, even across separate documents: every pypdfium2 call of the app's
previews happens on the one `QThread` run here. A preview is a *client* (an int from
`new_client()`); per client the thread keeps at most one open document and one render job.

- `page_sizes(client, pdf, keep)` opens the bytes and answers the pages' sizes in points (None:
  unreadable). It blocks the caller, but only for the open itself (a millisecond or two) plus the
  page being rendered at that moment, if any: opening goes before any rendering.
- `render(client, generation, pdf, scale, dpr, order)` renders the pages in `order` at `scale`
  device pixels per point, one page at a time; each arrives as `page_ready(client, generation,
  index, QImage)` on the GUI thread, then `render_done(client, generation)`. A newer render for
  the same client replaces the older one between two pages; the receiver drops answers of any
  generation but its latest.
- `warm_up()` loads pdfium on the thread ahead of the first preview (a preview calls it when made).
- `release(client)` stops the client's rendering and closes its document. With no document open
  and nothing to do the thread ends; the next request starts a new one. `shutdown()` (also run
  at `aboutToQuit` and at interpreter exit) stops it and waits.
"""
from __future__ import annotations

import atexit
import ctypes
import itertools
import math
import threading
from collections import deque
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal
from PySide6.QtGui import QImage

MAX_PAGE_PIXELS = 40_000_000  # one page's bitmap at most (160 MB at 4 bytes a pixel): zoom caps here
OPEN_TIMEOUT_S = 30.0  # a safety net only: opening takes milliseconds

_clients = itertools.count(1)
# Held around every pdfium call made off this module's thread too (desktop/services/barcode_image.py
# reads a PDF file's QR code on the task pool): pdfium must never run on two threads at once.
PDFIUM_LOCK = threading.RLock()


def new_client() -> int:
    return next(_clients)


@dataclass
class _Open:
    client: int
    pdf: bytes
    keep: bool
    done: threading.Event = field(default_factory=threading.Event)
    sizes: list[tuple[float, float]] | None = None


@dataclass
class _Render:
    client: int
    generation: int
    pdf: bytes
    scale: float  # device pixels per PDF point
    dpr: float
    order: deque[int]


class _Thread(QThread):
    def __init__(self, raster: "PdfRaster"):
        super().__init__()
        self.setObjectName("pdf-raster")
        self._raster = raster

    def run(self) -> None:
        self._raster._work(self)


class PdfRaster(QObject):
    """The application's one pdfium thread and its queue (see the module's text)."""

    page_ready = Signal(int, int, int, QImage)  # client, generation, page index, image
    render_done = Signal(int, int)  # client, generation

    def __init__(self) -> None:
        super().__init__()
        self._cond = threading.Condition()
        self._opens: deque[_Open] = deque()
        self._closes: deque[int] = deque()
        self._renders: dict[int, _Render] = {}
        self._quitting = False
        self._thread: _Thread | None = None  # the thread taking work; None once it decided to end
        self._ending: set[_Thread] = set()  # threads returning from run(): kept until finished
        self._warmed = False

    # -- requests (GUI thread) ------------------------------------------------------------

    def warm_up(self) -> None:
        """Load pdfium on the thread now, once, so that the first preview does not wait for it
        (the thread ends again at once, having nothing to do)."""
        if not self._warmed:
            self._warmed = True
            with self._cond:
                self._wake()

    def page_sizes(self, client: int, pdf: bytes, keep: bool = True) -> list[tuple[float, float]] | None:
        """Open `pdf` for this client (its older document goes); each page's size in points."""
        job = _Open(client, bytes(pdf), keep)
        with self._cond:
            self._renders.pop(client, None)
            self._closes = deque(c for c in self._closes if c != client)  # the open replaces it
            self._opens.append(job)
            self._wake()
        if not job.done.wait(OPEN_TIMEOUT_S):
            return None
        return job.sizes

    def render(self, client: int, generation: int, pdf: bytes, scale: float, dpr: float,
               order: list[int]) -> None:
        with self._cond:
            self._renders[client] = _Render(client, generation, pdf, scale, dpr, deque(order))
            self._wake()

    def cancel(self, client: int) -> None:
        """Stop this client's rendering (its document stays open)."""
        with self._cond:
            self._renders.pop(client, None)

    def release(self, client: int) -> None:
        """Stop this client's rendering and close its document."""
        with self._cond:
            self._renders.pop(client, None)
            self._opens = deque(o for o in self._opens if o.client != client)
            if self._thread is not None:
                self._closes.append(client)
                self._cond.notify_all()

    def is_running(self) -> bool:
        with self._cond:
            self._prune()
            return self._thread is not None or bool(self._ending)

    def shutdown(self) -> None:
        """Stop the thread now (pending work dropped, documents closed) and wait for it."""
        with self._cond:
            self._quitting = True
            self._cond.notify_all()
            threads = [t for t in (self._thread, *self._ending) if t is not None]
        for thread in threads:
            thread.wait()
        with self._cond:
            self._prune()
            self._quitting = False
            self._opens.clear()
            self._closes.clear()
            self._renders.clear()

    def _wake(self) -> None:
        """Called with the lock held: make sure a thread is there to take the work."""
        self._prune()
        if self._thread is None:
            self._thread = _Thread(self)
            self._thread.start()
        self._cond.notify_all()

    def _prune(self) -> None:
        """With the lock held, on the GUI thread: forget the threads that have finished (a QThread
        is let go only here, never from its own thread, so none is destroyed while running)."""
        self._ending = {t for t in self._ending if not t.isFinished()}

    # -- the pdfium thread ----------------------------------------------------------------

    def _work(self, me: _Thread) -> None:
        try:
            import pypdfium2 as pdfium  # here, not at import: the log-in window never needs it
        except ImportError:  # a broken install: every PDF reads as unreadable, nothing hangs
            pdfium = None

        docs: dict[int, tuple[bytes, object]] = {}
        try:
            while True:
                with self._cond:
                    unit = self._next(docs)
                    while unit is None:
                        if self._quitting or not docs:
                            # nothing open and nothing asked: this thread ends (decided under
                            # the lock, so a new request starts a new thread)
                            self._thread = None
                            self._ending.add(me)
                            return
                        self._cond.wait()
                        unit = self._next(docs)
                try:
                    self._do(pdfium, unit, docs)
                except Exception:  # noqa: BLE001 - the thread goes on; an open still answers
                    if isinstance(unit, _Open):
                        unit.done.set()
        finally:
            with PDFIUM_LOCK:
                for _pdf, doc in docs.values():
                    doc.close()

    def _next(self, docs: dict) -> object | None:
        """The next piece of work, with the lock held: opens, then closes, then one page."""
        if self._quitting:
            return None
        if self._opens:
            return self._opens.popleft()
        if self._closes:
            return ("close", self._closes.popleft())
        for client, job in list(self._renders.items()):
            if job.order:
                return job, job.order.popleft()
            del self._renders[client]
            return ("done", job)
        return None

    def _do(self, pdfium, unit: object, docs: dict) -> None:
        if isinstance(unit, _Open):
            with PDFIUM_LOCK:
                self._open(pdfium, unit, docs)
        elif unit[0] == "close":
            with PDFIUM_LOCK:
                self._close(unit[1], docs)
        elif unit[0] == "done":
            self.render_done.emit(unit[1].client, unit[1].generation)
        else:
            job, index = unit
            with PDFIUM_LOCK:
                image = self._page(pdfium, job, index, docs)
            if image is not None:
                self.page_ready.emit(job.client, job.generation, index, image)

    @staticmethod
    def _close(client: int, docs: dict) -> None:
        held = docs.pop(client, None)
        if held is not None:
            held[1].close()

    def _open(self, pdfium, job: _Open, docs: dict) -> None:
        self._close(job.client, docs)
        try:
            doc = pdfium.PdfDocument(job.pdf)
            sizes = [tuple(doc.get_page_size(i)) for i in range(len(doc))]
        except Exception:  # noqa: BLE001 - unreadable bytes: the preview says so in Chinese
            sizes = None
        else:
            if job.keep and sizes:
                docs[job.client] = (job.pdf, doc)
            else:
                doc.close()
        job.sizes = sizes or None
        job.done.set()

    def _page(self, pdfium, job: _Render, index: int, docs: dict) -> QImage | None:
        held = docs.get(job.client)
        try:
            if held is None or held[0] != job.pdf:
                self._close(job.client, docs)
                held = docs[job.client] = (job.pdf, pdfium.PdfDocument(job.pdf))
            doc = held[1]
            if index >= len(doc):
                return None
            page = doc[index]
            try:
                image = _render_into_image(pdfium.raw, page, job.scale)
            finally:
                page.close()
        except Exception:  # noqa: BLE001 - a page that does not render stays a blank sheet
            return None
        image.setDevicePixelRatio(job.dpr)
        return image


def _render_into_image(raw, page, scale: float) -> QImage:
    """pdfium draws straight into the QImage's memory, through raw calls that let go of the GIL.

    (pypdfium2's `PdfPage.render` zero-fills a ctypes buffer and the caller then copies it, both
    while holding the GIL: tens of milliseconds of a large page during which the GUI thread could
    not run Python at all. Here the only work done under the GIL is a few calls.)
    """
    width, height = page.get_size()
    scale = min(scale, (MAX_PAGE_PIXELS / max(width * height, 1.0)) ** 0.5)
    w, h = max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))
    image = QImage(w, h, QImage.Format.Format_RGB32)  # BGRx in memory on a little-endian machine
    stride = image.bytesPerLine()
    bits = image.bits()
    buffer = (ctypes.c_ubyte * (stride * h)).from_buffer(bits)
    bitmap = raw.FPDFBitmap_CreateEx(w, h, raw.FPDFBitmap_BGRx, buffer, stride)
    try:
        raw.FPDFBitmap_FillRect(bitmap, 0, 0, w, h, 0xFFFFFFFF)
        raw.FPDF_RenderPageBitmap(bitmap, page.raw, 0, 0, w, h, 0, raw.FPDF_ANNOT)
    finally:
        raw.FPDFBitmap_Destroy(bitmap)
        del buffer
        bits.release()
    return image


_raster: PdfRaster | None = None


def raster() -> PdfRaster:
    """The application's one rasteriser (made on first use, on the GUI thread)."""
    global _raster
    if _raster is None:
        _raster = PdfRaster()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(_raster.shutdown)
        atexit.register(_raster.shutdown)
    return _raster
