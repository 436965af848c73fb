"""The verdict, readable from across the desk: a colour banner, the reason, the facts in large type.

Green: valid. Red: forged, revoked, expired. Amber: rescan (malformed) or signature-only
(database unreachable). Below the banner, the facts the verifier compares against the paper.
The panel only shows; the page decides what to show and opens the archived PDF.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                               QSizePolicy, QVBoxLayout, QWidget)

from core.usecases import Verdict
from core.states import VerdictStatus as V
from desktop.strings import verify as text

GREEN, RED, AMBER, GREY, BLUE = "#17753a", "#c0231d", "#f4b400", "#5f6b73", "#2a5d9f"
INK, WHITE, MUTED, AMBER_INK = "#1d1d1d", "#ffffff", "#5a6570", "#6b4a00"
_RED_STATUSES = (V.FORGED, V.REVOKED, V.EXPIRED)


def _font(label: QWidget, scale: float, bold: bool = False) -> None:
    font = QFont(label.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * scale)
    font.setBold(bold)
    label.setFont(font)


def banner_colours(status: str, offline: bool) -> tuple[str, str]:
    """(background, text) for a verdict: the one thing a verifier sees from a distance."""
    if status in _RED_STATUSES:
        return RED, WHITE
    if status == V.MALFORMED or offline:
        return AMBER, INK
    return GREEN, WHITE


class _Fact(QWidget):
    """A caption above its value, the value large enough to compare against the printed page."""

    def __init__(self, caption: str, parent: QWidget | None = None, scale: float = 1.75, wrap: bool = False):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 0)
        layout.setSpacing(2)
        self.caption = QLabel(caption, self)
        self.caption.setStyleSheet(f"color: {MUTED};")
        _font(self.caption, 1.05)
        self.value = QLabel(self)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.value.setWordWrap(wrap)  # codes and dates never wrap; names and reasons may
        _font(self.value, scale, bold=True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)

    def set(self, value: str, colour: str = INK) -> None:
        self.value.setText(value)
        self.value.setStyleSheet(f"color: {colour};")
        self.setVisible(True)


class VerdictPanel(QWidget):
    open_archive_requested = Signal(str)  # report number

    def __init__(self, domain_name: Callable[[int], str | None], parent: QWidget | None = None):
        super().__init__(parent)
        self._domain_name = domain_name
        self.state = "idle"  # idle | busy | error | notice | valid | malformed | forged | revoked | expired | offline
        self.report_no: str | None = None

        self.banner = QFrame(self)
        self.banner.setObjectName("verdictBanner")
        self.banner.setMinimumHeight(124)  # 1366×768: the verdict and its facts fit without scrolling
        self.symbol = QLabel(self.banner)
        self.symbol.setObjectName("verdictSymbol")
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _font(self.symbol, 5.0, bold=True)
        self.headline = QLabel(self.banner)
        self.headline.setObjectName("verdictHeadline")
        _font(self.headline, 3.4, bold=True)
        self.reason = QLabel(self.banner)
        self.reason.setObjectName("verdictReason")
        self.reason.setWordWrap(True)
        _font(self.reason, 1.5)
        words = QVBoxLayout()
        words.setSpacing(6)
        words.addWidget(self.headline)
        words.addWidget(self.reason)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(24, 12, 28, 14)
        banner_layout.setSpacing(20)
        banner_layout.addWidget(self.symbol)
        banner_layout.addLayout(words, 1)

        self.note = QLabel(self)  # amber: new violations or corrections since issue, signature-only check
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"background: #fff4d6; color: {AMBER_INK}; border: 2px solid {AMBER};"
                                "border-radius: 6px; padding: 8px 12px;")
        _font(self.note, 1.3, bold=True)

        self.compare_hint = QLabel(text.COMPARE_HINT, self)
        self.compare_hint.setStyleSheet(f"color: {MUTED};")
        _font(self.compare_hint, 1.1)
        self.facts = {name: _Fact(caption, wrap=name in ("enterprise", "revoke_reason")) for name, caption in (
            ("enterprise", text.ENTERPRISE), ("uscc", text.USCC), ("report_no", text.REPORT_NO),
            ("issued_on", text.ISSUED_ON), ("valid_until", text.VALID_UNTIL),
            ("period", text.PERIOD), ("violations", text.VIOLATIONS), ("arrears", text.ARREARS),
            ("revoked_at", text.REVOKED_AT), ("revoke_reason", text.REVOKE_REASON))}
        self.facts["domains"] = _Fact(text.DOMAINS, scale=1.3, wrap=True)
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(8)
        place = (("enterprise", 0, 0, 4), ("uscc", 1, 0, 1), ("report_no", 1, 1, 1),
                 ("issued_on", 1, 2, 1), ("valid_until", 1, 3, 1), ("period", 2, 0, 2),
                 ("violations", 2, 2, 1), ("arrears", 2, 3, 1), ("revoked_at", 3, 0, 1),
                 ("revoke_reason", 3, 1, 3), ("domains", 4, 0, 4))
        for name, row, column, span in place:
            grid.addWidget(self.facts[name], row, column, 1, span)
        for column in range(4):
            grid.setColumnStretch(column, 1)

        self.archive_button = QPushButton(
            text.button_with_shortcut(text.OPEN_ARCHIVE, text.OPEN_ARCHIVE_SHORTCUT), self)
        self.archive_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the scan field keeps focus
        self.archive_button.setMinimumHeight(40)
        _font(self.archive_button, 1.15)
        self.archive_button.clicked.connect(self._request_archive)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(8, 6, 8, 4)
        body_layout.setSpacing(8)
        body_layout.addWidget(self.note)
        body_layout.addWidget(self.compare_hint)
        body_layout.addLayout(grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.archive_button)
        buttons.addStretch(1)
        body_layout.addLayout(buttons)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        self.show_idle()

    # -- states -----------------------------------------------------------------------------

    def _banner(self, state: str, headline: str, reason: str, background: str, ink: str) -> None:
        self.state = state
        self.symbol.setText(text.SYMBOLS.get(state, ""))
        self.symbol.setVisible(bool(self.symbol.text()))
        self.headline.setText(headline)
        self.reason.setText(reason)
        self.banner.setStyleSheet(
            f"#verdictBanner {{ background: {background}; border-radius: 8px; }}"
            f"#verdictSymbol, #verdictHeadline, #verdictReason {{ color: {ink}; background: transparent; }}")

    def _hide_details(self) -> None:
        self.report_no = None
        self.note.hide()
        self.compare_hint.hide()
        for fact in self.facts.values():
            fact.hide()
        self.archive_button.hide()

    def show_idle(self) -> None:
        self._hide_details()
        self._banner("idle", text.IDLE_TITLE, text.IDLE_TEXT, "#e6eaee", INK)

    def show_busy(self, message: str = text.BUSY_TEXT) -> None:
        self._hide_details()
        self._banner("busy", text.BUSY_TITLE, message, BLUE, WHITE)

    def show_error(self, message: str) -> None:
        self._hide_details()
        self._banner("error", text.ERROR_TITLE, text.error_text(message), GREY, WHITE)

    def show_notice(self, headline: str, message: str) -> None:
        """Not a verdict: the input was something else (a typed report number), say what to do."""
        self._hide_details()
        self._banner("notice", headline, message, AMBER, INK)

    def show_verdict(self, verdict: Verdict, can_open_archive: bool = True) -> None:
        self._hide_details()
        offline_valid = verdict.offline and verdict.status == V.VALID
        headline = text.OFFLINE_HEADLINE if offline_valid else text.HEADLINES.get(verdict.status, verdict.status)
        background, ink = banner_colours(verdict.status, verdict.offline)
        self._banner("offline" if offline_valid else verdict.status, headline, verdict.reason, background, ink)
        notes = []
        if verdict.offline and verdict.status != V.MALFORMED:
            notes.append(text.offline_note(verdict.trust_list_synced_at))
        if verdict.dropped_keys:
            notes.append(text.dropped_keys_note(verdict.dropped_keys))
        if verdict.new_violations:
            notes.append(text.new_violations_note(verdict.new_violations))
        # Records the report shows that an upheld objection corrected after its issue: one line
        # each, worded by the verification service (报告出具后该记录已更正（日期）：文号).
        notes.extend(c.flag for c in verdict.corrections)
        if notes:
            self.note.setText("\n".join(notes))
            self.note.show()
        if verdict.claims is not None:
            self._show_facts(verdict)
        self.report_no = verdict.report_no
        self.archive_button.setVisible(verdict.archived is not None and can_open_archive)

    def _show_facts(self, verdict: Verdict) -> None:
        c, archived = verdict.claims, verdict.archived
        forged = verdict.status == V.FORGED  # the claims are a forger's: shown greyed, as evidence only
        ink = MUTED if forged else INK
        self.compare_hint.setText(text.UNTRUSTED_HINT if forged else text.COMPARE_HINT)
        self.compare_hint.setStyleSheet(f"color: {RED if forged else MUTED};")
        self.compare_hint.show()
        if archived is not None and not forged:
            self.facts["enterprise"].set(archived.enterprise_name)
        elif not verdict.offline and not forged:
            self.facts["enterprise"].set(text.NOT_ARCHIVED, MUTED)
        self.facts["uscc"].set(c.uscc, ink)
        self.facts["report_no"].set(c.report_no, ink)
        self.facts["issued_on"].set(text.day(c.issued_on), ink)
        expired = verdict.status == V.EXPIRED
        self.facts["valid_until"].set(text.day(c.valid_until), RED if expired else ink)
        self.facts["period"].set(text.period_text(c.period_from, c.period_to), ink)
        self.facts["violations"].set(text.violations_text(c.violations), ink)
        self.facts["arrears"].set(text.yes_no(c.has_arrears), ink)
        names = [text.domain_label(code, self._domain_name(code)) for code in c.domains]
        self.facts["domains"].set("　".join(names), ink)
        if verdict.status == V.REVOKED and archived is not None:
            self.facts["revoked_at"].set(text.day(archived.revoked_at), RED)
            self.facts["revoke_reason"].set(archived.revoke_reason or "—", RED)

    def fact_text(self, name: str) -> str | None:
        """The shown value of a fact, or None when hidden (for tests and accessibility)."""
        fact = self.facts[name]
        return fact.value.text() if not fact.isHidden() else None

    def _request_archive(self) -> None:
        if self.report_no and self.archive_button.isVisible():
            self.open_archive_requested.emit(self.report_no)

    def request_archive(self) -> None:
        """The page's shortcut lands here."""
        self._request_archive()
