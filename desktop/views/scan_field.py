"""The scan field: takes a keyboard-wedge scanner's digits even while a Chinese input method is on.

The input method is switched off for this widget and its commit strings are ignored: the
digits come from the key codes (main row and keypad), not from the text an input method may
have turned full-width or swallowed. A `BurstDetector` tells a scanner's burst from typing:
a burst ended by Enter emits `scanned(digits)`; a person's Enter emits `submitted(text)`.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.services.scanner import BurstDetector, digit_for_key, only_digits
from desktop.strings import verify as text

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_EDITING = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
            Qt.Key.Key_Home, Qt.Key.Key_End)


class ScanField(QLineEdit):
    scanned = Signal(str)  # a scanner's burst of digits, ended by Enter (or Tab)
    submitted = Signal(str)  # a person's input, submitted with Enter

    def __init__(self, parent: QWidget | None = None, *, detector: BurstDetector | None = None):
        super().__init__(parent)
        self.detector = detector or BurstDetector()
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setAcceptDrops(False)  # files dropped here go to the page, which decodes them
        self.setPlaceholderText(text.SCAN_PLACEHOLDER)
        self.setAccessibleName(text.PAGE_TITLE)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.setFont(font)
        self.setMinimumHeight(44)

    # -- input method: never lets text in ---------------------------------------------------

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        event.accept()  # commit and preedit strings are dropped; the key events carry the digits

    def inputMethodQuery(self, query):
        if query == Qt.InputMethodQuery.ImEnabled:
            return False
        return super().inputMethodQuery(query)

    # -- keys -----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Some scanners end with Tab; catch it only mid-burst so Tab still moves focus for people.
        if (event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab
                and self.detector.in_burst()):
            self._terminate()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        digit = None
        if not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            digit = digit_for_key(key, event.text())
        if digit is not None:
            self.detector.feed(digit)
            self.insert(digit)
            event.accept()
        elif key in _ENTER:
            self._terminate()
            event.accept()
        elif key == Qt.Key.Key_Escape:
            self.clear_input()
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_digits(QGuiApplication.clipboard().text())
            event.accept()
        elif key in _EDITING or event.matches(QKeySequence.StandardKey.SelectAll) \
                or event.matches(QKeySequence.StandardKey.Copy):
            self.detector.reset()
            super().keyPressEvent(event)
        else:
            event.ignore()  # letters, punctuation, function keys: not part of a code; shortcuts pass

    def _terminate(self) -> None:
        ending = self.detector.finish()
        if ending.is_scan:
            self.clear()  # hundreds of digits help no one; the verdict shows the report number
            self.scanned.emit(ending.digits)
            return
        typed = only_digits(self.text())
        self.setText(typed)
        self.selectAll()
        self.submitted.emit(typed)

    # -- helpers ----------------------------------------------------------------------------

    def paste_digits(self, pasted: str) -> None:
        self.detector.reset()
        self.insert(only_digits(pasted))

    def clear_input(self) -> None:
        self.detector.reset()
        self.clear()

    def contextMenuEvent(self, event) -> None:
        event.ignore()  # the default menu offers input-method entries and undo of garbled text
