"""Answering a modal dialog a page opens with exec(): a person's keys and clicks, run from the
dialog's own event loop. If the answer fails the dialog is closed (the failure is reported by
pytest-qt), so a broken test never hangs."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

WAIT = 20000


def answer_next_dialog(drive: Callable[[QWidget], None], seen: list | None = None) -> None:
    """Before the call that opens a dialog: `drive(dialog)` once it is on screen."""
    tries = [0]

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            tries[0] += 1
            if tries[0] < 200:
                QTimer.singleShot(20, run)
            return
        if seen is not None:
            seen.append(dialog)
        try:
            drive(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def type_into(field: QWidget, text: str) -> None:
    """Select what the field holds and type over it: ASCII as key presses, Chinese as a Chinese
    input method commits it."""
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    if text.isascii():
        QTest.keyClicks(field, text)
        return
    QTest.keyClick(field, Qt.Key.Key_Delete)
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(field, event)
