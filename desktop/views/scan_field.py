"""The scan field: takes a keyboard-wedge scanner's digits even while a Chinese input method is on.

The input method is switched off for this widget and its commit strings are ignored: the
digits come from the key codes (main row and keypad), not from the text an input method may
have turned full-width or swallowed. A `BurstDetector` tells a scanner's burst from typing:
a burst ended by Enter emits `scanned(text)`; a person's Enter emits `submitted(digits)`.

A code printed since the URL form (HTTPS://<HOST>/V/<digits>) is typed by the scanner letter by
letter. An "H" may start one: it is held back for a moment; the URL's letters and : / . - that
follow it within a burst join the run (by key code, upper case), and the whole URL is emitted
for the core to take the digits after /V/. Letters a person types still reach the page (which
explains that the field takes digits), the held-back "H" once it is clear nothing followed.
"""
from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.services.scanner import BurstDetector, digit_for_key, only_digits, pasted_code, url_char_for_key
from desktop.strings import verify as text

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_EDITING = (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Left, Qt.Key.Key_Right,
            Qt.Key.Key_Home, Qt.Key.Key_End)
LONE_LETTER_MS = 120  # a scanner's next character comes within ~20 ms; after this the "H" was typed


class ScanField(QLineEdit):
    scanned = Signal(str)  # a scanner's burst (digits, or the URL form), ended by Enter (or Tab)
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
        digit = char = None
        if not event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            digit = digit_for_key(key, event.text())
            char = url_char_for_key(key)
        if digit is not None:
            self.detector.feed(digit)
            self.insert(digit)
            event.accept()
        elif char is not None and self._takes_url_char(char):
            self.detector.feed(char)  # part of the run, not shown: the field shows digits only
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

    def _takes_url_char(self, char: str) -> bool:
        """Inside a burst that began with "H", the URL's characters; an "H" that may begin one."""
        if self.detector.continues():
            return self.detector.url_run()
        if char != "H":
            return False
        QTimer.singleShot(LONE_LETTER_MS, partial(self._lone_letter, self.detector.fed + 1))
        return True

    def _lone_letter(self, fed: int) -> None:
        """Nothing followed the held-back "H": a person typed it; the page hears of it as before."""
        if self.detector.fed == fed and self.parentWidget() is not None and self.hasFocus():
            QCoreApplication.sendEvent(self.parentWidget(), QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_H, Qt.KeyboardModifier.NoModifier, "H"))

    # -- helpers ----------------------------------------------------------------------------

    def paste_digits(self, pasted: str) -> None:
        self.detector.reset()
        self.insert(pasted_code(pasted))

    def clear_input(self) -> None:
        self.detector.reset()
        self.clear()

    def contextMenuEvent(self, event) -> None:
        event.ignore()  # the default menu offers input-method entries and undo of garbled text
