"""An embedded PDF viewer for report previews: pages stacked, fit to width, the page count shown."""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QPushButton,
                               QStackedWidget, QVBoxLayout, QWidget)

from desktop.strings import counter as S

ZOOM_STEP = 1.25


class PdfPreview(QWidget):
    """Shows PDF bytes. The QBuffer the document reads from lives as long as the document."""

    loaded = Signal(int)  # page count

    def __init__(self, parent: QWidget | None = None, empty_text: str = S.PREVIEW_EMPTY):
        super().__init__(parent)
        self._bytes = b""
        self._buffer: QBuffer | None = None
        self.document = QPdfDocument(self)

        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        self.view.setStyleSheet("QPdfView { background: #e8eaed; }")

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
        """Show these PDF bytes; returns the page count (0 if they could not be read)."""
        self.document.close()
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer = buffer
        if old is not None:
            old.close()
            old.deleteLater()
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            self._bytes = b""
            self._show_empty(S.PDF_UNREADABLE)
            return 0
        self._bytes = pdf
        self.pages_label.setText(S.PAGE_COUNT.format(n=self.document.pageCount()))
        self.toolbar.setEnabled(True)
        self.stack.setCurrentWidget(self.view)
        self.fit_width()
        self.view.verticalScrollBar().setValue(0)
        self.loaded.emit(self.document.pageCount())
        return self.document.pageCount()

    def clear(self, text: str | None = None) -> None:
        self.document.close()
        self._bytes = b""
        self._show_empty(text)

    def page_count(self) -> int:
        return self.document.pageCount() if self._bytes else 0

    def pdf_bytes(self) -> bytes:
        return self._bytes

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    # -- private ---------------------------------------------------------------------------

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(4.0, current * factor)))

    def _show_empty(self, text: str | None = None) -> None:
        if text:
            self.placeholder.setText(text)
        self.pages_label.setText("")
        self.toolbar.setEnabled(False)
        self.stack.setCurrentWidget(self.placeholder)


class PdfDialog(QDialog):
    """A report in a window of its own (出具记录 → 查看)."""

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
        self.resize(820, 700)
        self.preview.set_pdf(pdf)
