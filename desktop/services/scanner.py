"""Telling a desktop scanner's burst from a person typing: pure logic, no Qt.

A USB "keyboard wedge" scanner types what it reads at roughly 5–20 ms per character and ends
with Enter. A person types a few characters per second. The detector watches the gaps between
characters: the current *run* is what arrived with gaps of at most `max_gap` seconds; when the
terminator comes quickly after a run of at least `min_length` characters, it was a scan.

A report's code reads ``HTTPS://<HOST>/V/<digits>`` (older ones: the digits alone). The field
feeds the URL's letters and punctuation into the run too, so the scan is handed on whole and the
core takes the digits after /V/: digits of the host or port never join the payload.

The clock is injectable (seconds, monotonic), so tests drive it without sleeping.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_GAP_SECONDS = 0.040  # a scanner's slowest gap is ~20 ms; people rarely beat ~80 ms
MIN_SCAN_LENGTH = 20  # the report code has hundreds of digits; no person types 20 this fast

FULL_WIDTH_DIGITS = {chr(0xFF10 + i): str(i) for i in range(10)}


@dataclass(frozen=True)
class Ending:
    """What the terminator (Enter) ended: a scan, or a person's manual input."""

    is_scan: bool
    digits: str  # for a scan: the burst alone (digits, or the URL); for manual input: empty


class BurstDetector:
    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 max_gap: float = MAX_GAP_SECONDS, min_length: int = MIN_SCAN_LENGTH):
        self.clock = clock
        self.max_gap = max_gap
        self.min_length = min_length
        self._run: list[str] = []
        self._last: float | None = None
        self.fed = 0  # characters fed since construction: tells a later check whether more came

    def reset(self) -> None:
        self._run.clear()
        self._last = None

    def _quick(self, now: float) -> bool:
        return self._last is not None and now - self._last <= self.max_gap

    def continues(self) -> bool:
        """A character arriving now would continue the current run."""
        return bool(self._run) and self._quick(self.clock())

    def url_run(self) -> bool:
        """The current run began like the URL form of a code (HTTPS://…)."""
        return bool(self._run) and self._run[0] == "H"

    def feed(self, char: str) -> None:
        """One character (a digit, or a character of the URL form) arrived now."""
        now = self.clock()
        if not self._quick(now):
            self._run.clear()  # a pause: whatever came before was not part of this burst
        self._run.append(char)
        self._last = now
        self.fed += 1

    def in_burst(self) -> bool:
        """True while a scanner-like burst is under way (used to catch a Tab terminator)."""
        return len(self._run) >= self.min_length and self._quick(self.clock())

    def finish(self) -> Ending:
        """The terminator arrived now: say what it ended, and start afresh."""
        ending = Ending(True, "".join(self._run)) if self.in_burst() else Ending(False, "")
        self.reset()
        return ending


def digit_for_key(key: int, text: str = "") -> str | None:
    """The digit a key event carries: by its key code (main row or keypad), else a full-width
    digit some input methods deliver with an unknown key code; None for anything else."""
    from_key = key - 0x30  # Qt.Key_0 .. Qt.Key_9 are 0x30 .. 0x39, the keypad shares them
    if 0 <= from_key <= 9:
        return str(from_key)
    if key in (0, 0x01FFFFFF) and len(text) == 1:  # 0 / Qt.Key_unknown
        return FULL_WIDTH_DIGITS.get(text)
    return None


def url_char_for_key(key: int) -> str | None:
    """The character of the URL form a key carries, by key code: A–Z (upper case whatever Shift
    or Caps Lock did; Qt's key codes of letters are the upper-case ones) and : / . - ; None else."""
    if 0x41 <= key <= 0x5A or key in (0x3A, 0x2F, 0x2E, 0x2D):
        return chr(key)
    return None


def pasted_code(text: str) -> str:
    """What a paste puts in the field: of the URL form the digits after /V/ (never the host's or
    port's digits), else the digits of the text, full-width folded."""
    from core.services.signing.payload_codec import normalise_scan

    folded = normalise_scan(text)
    return folded if folded.isascii() and folded.isdigit() else only_digits(text)


def only_digits(text: str) -> str:
    """Digits of pasted text, full-width folded; everything else dropped."""
    return "".join(FULL_WIDTH_DIGITS.get(c, c) for c in text if c.isdigit() and
                   (c.isascii() or c in FULL_WIDTH_DIGITS))


__all__ = ["BurstDetector", "Ending", "MAX_GAP_SECONDS", "MIN_SCAN_LENGTH", "digit_for_key", "only_digits",
           "pasted_code", "url_char_for_key"]
