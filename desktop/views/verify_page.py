"""The 核验 page: scan one printed report after another, keyboard only, and see the verdict at once.

Input: a keyboard-wedge scanner (or typing) in the scan field, a dropped or chosen picture/PDF.
Every check runs `ctx.desk.verify` as a write through `ctx.tasks` (the desk records it), which
announces `data_changed("verification", report_no)`. The GUI thread only shows: decoding files,
checking signatures and reading the archive all happen in the task pools. Only the latest scan's
verdict is shown: file and scan share one lane in the task helper.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QVBoxLayout,
                               QWidget)

from core.usecases import Permission
from core.usecases import Verdict
from desktop.services.barcode_image import UndecodableFile, decode_file
from desktop.services.context import DeskContext
from desktop.services.errors import message_for
from desktop.services.scanner import BurstDetector
from desktop.services.sound import VerdictSound
from desktop.strings import verify as text
from core.services.reports.report_number import looks_like_report_no, parse_report_no, report_no_from_digits
from desktop.views.file_dialogs import open_file_name
from desktop.views.pdf_preview import PdfDialog
from desktop.views.report_lookup_dialog import ReportLookupDialog
from desktop.views.scan_field import ScanField
from desktop.views.verdict_panel import RED, VerdictPanel


class VerifyPage(QWidget):
    verdict_shown = Signal(object)  # the Verdict just shown (for the window's status line, tests)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None, *,
                 decode: Callable[[str], str] = decode_file, clock: Callable[[], float] = time.monotonic):
        super().__init__(parent)
        self.ctx = ctx
        self._decode = decode
        self._lane, self._archive_lane = (self, "verify"), (self, "archive")
        self.sound = VerdictSound(ctx.settings, self)
        self.archive_dialog: PdfDialog | None = None
        self.lookup_dialog: ReportLookupDialog | None = None
        self._typed_number = ""  # a report number typed where a code was expected, for the look-up
        self.setAcceptDrops(True)

        title = QLabel(text.PAGE_TITLE, self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.scan_field = ScanField(self, detector=BurstDetector(clock=clock))
        self.scan_field.scanned.connect(self.verify_text)
        self.scan_field.submitted.connect(self.verify_text)
        self.open_button = QPushButton(text.button_with_shortcut(text.OPEN_FILE, text.OPEN_FILE_SHORTCUT), self)
        self.open_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.open_button.setMinimumHeight(44)
        self.open_button.clicked.connect(self.choose_file)
        self.lookup_button = QPushButton(text.button_with_shortcut(text.LOOKUP_BUTTON, text.LOOKUP_SHORTCUT), self)
        self.lookup_button.setObjectName("lookupButton")
        self.lookup_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lookup_button.setMinimumHeight(44)
        self.lookup_button.clicked.connect(lambda: self.open_lookup())
        self.hint = QLabel(text.SCAN_HINT, self)
        self.hint.setStyleSheet("color: #5a6570;")
        self.hint.setWordWrap(True)
        self.message = QLabel(self)  # transient problems that do not replace the verdict
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setWordWrap(True)
        self.message.hide()
        self.panel = VerdictPanel(self._domain_name, self)
        self.panel.open_archive_requested.connect(self.open_archive)

        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.scan_field, 1)
        row.addWidget(self.open_button)
        row.addWidget(self.lookup_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(self.panel, 1)

        for keys, slot in ((text.OPEN_FILE_SHORTCUT, self.choose_file),
                           (text.OPEN_ARCHIVE_SHORTCUT, self.panel.request_archive),
                           (text.LOOKUP_SHORTCUT, lambda: self.open_lookup())):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _domain_name(self, code: int) -> str | None:
        try:
            return self.ctx.desk.profile.domain(code).name
        except KeyError:
            return None

    # -- focus: the scan field always has it ------------------------------------------------

    def focus_scan(self) -> None:
        self.scan_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.focus_scan)

    def mousePressEvent(self, event) -> None:
        self.focus_scan()
        super().mousePressEvent(event)

    # -- verification -----------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A file is being read or a code checked; its verdict is the one that will be shown."""
        return self.ctx.tasks.is_running(self._lane)

    def _start(self, message: str) -> None:
        self.message.hide()
        self.panel.show_busy(message)

    def keyPressEvent(self, event) -> None:
        # Letters the scan field refused reach the page: a person typing a report number.
        if self.scan_field.hasFocus() and event.text().isalpha() and event.text().isascii():
            self.message.setText(text.LETTERS_IN_SCAN_FIELD)
            self.message.show()
            event.accept()
            return
        super().keyPressEvent(event)

    def verify_text(self, raw: str) -> None:
        digits = raw.strip()
        if not digits:
            self.message.setText(text.EMPTY_INPUT)
            self.message.show()
            return
        number = parse_report_no(digits) or report_no_from_digits(digits, self.ctx.desk.settings.region)
        if number or looks_like_report_no(digits):  # never a code: point to the look-up instead
            self._typed_number = number or ""
            self.message.hide()
            self.panel.show_notice(text.NUMBER_TYPED_TITLE,
                                   text.NUMBER_TYPED_TEXT.format(number=f" {number} " if number else ""))
            self.focus_scan()
            return
        self._start(text.BUSY_TEXT)
        self.ctx.tasks.write(self.ctx.desk.verify, self.ctx.actor, digits, lane=self._lane,
                             key=lambda verdict: verdict.report_no or "",
                             on_done=self._verified, on_message=self._failed)

    def _verified(self, verdict: Verdict) -> None:
        self.panel.show_verdict(verdict, can_open_archive=self.ctx.actor.can(Permission.VIEW_ARCHIVE))
        self.sound.play(verdict.status, verdict.offline)
        self.focus_scan()
        self.verdict_shown.emit(verdict)

    def _failed(self, reason: str) -> None:
        self.panel.show_error(reason)
        self.focus_scan()

    def _unreadable(self, exc: BaseException) -> None:
        # The decoder's refusal is already one Chinese sentence; anything else is explained as usual.
        self._failed(str(exc) if isinstance(exc, UndecodableFile) else message_for(exc))

    # -- files ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path = open_file_name(self, text.OPEN_FILE_TITLE, text.OPEN_FILE_FILTER)  # Chinese, starts in 文档
        self.focus_scan()
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        self._start(text.READING_FILE)
        self.ctx.tasks.query(self._decode, str(path), lane=self._lane,
                             on_done=self.verify_text, on_error=self._unreadable)

    @staticmethod
    def _local_files(event) -> list[str]:
        mime = event.mimeData()
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []

    def dragEnterEvent(self, event) -> None:
        if self._local_files(event):
            self.hint.setText(text.DROP_HINT)
            event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:
        self.hint.setText(text.SCAN_HINT)

    def dropEvent(self, event) -> None:
        self.hint.setText(text.SCAN_HINT)
        files = self._local_files(event)
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    # -- look-up by report number (when the code cannot be read) ----------------------------

    def open_lookup(self, number: str | None = None) -> ReportLookupDialog:
        if self.lookup_dialog is None:
            self.lookup_dialog = ReportLookupDialog(self.ctx, self)
            self.lookup_dialog.open_archive_requested.connect(self.open_archive)
            self.lookup_dialog.finished.connect(self.focus_scan)
        self.lookup_dialog.start(number if number is not None else self._typed_number)
        self._typed_number = ""
        return self.lookup_dialog

    # -- the archived PDF -------------------------------------------------------------------

    def open_archive(self, report_no: str) -> None:
        self.ctx.tasks.query(self.ctx.desk.report_pdf, self.ctx.actor, report_no, lane=self._archive_lane,
                             on_done=lambda pdf: self._show_archive(report_no, pdf),
                             on_message=self._archive_failed)

    def _show_archive(self, report_no: str, pdf: bytes) -> None:
        # the archived PDF, exactly as issued, to compare with the paper in hand
        self.archive_dialog = PdfDialog(text.ARCHIVE_TITLE.format(report_no=report_no), pdf, self)
        self.archive_dialog.finished.connect(self.focus_scan)
        self.archive_dialog.open()

    def _archive_failed(self, reason: str) -> None:
        self.message.setText(reason)
        self.message.show()
        self.focus_scan()
