"""按报告编号查询: the archive's record of a typed report number, when the code cannot be read.

Read-only and labelled as a look-up, never as a verification: a typed number says nothing about
the paper in hand. The desk records each look-up (`look_up_report`, a write); the archived PDF
is offered only to people the desk lets open it, and the page opens it (its own archive viewer).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QDialog, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSizePolicy, QVBoxLayout, QWidget)

from core.services.reports.report_lookup import LookupState, ReportLookup
from desktop.services.context import DeskContext
from desktop.strings import verify as text

RED, GREEN, AMBER, AMBER_INK, MUTED, INK = "#c0231d", "#17753a", "#f4b400", "#6b4a00", "#5a6570", "#1d1d1d"
STATE_COLOURS = {LookupState.VALID: GREEN, LookupState.REVOKED: RED, LookupState.EXPIRED: RED,
                 LookupState.BROKEN: RED, LookupState.UNKNOWN: RED}


def _scaled(widget: QWidget, scale: float, bold: bool = False) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(max(font.pointSizeF(), 9.0) * scale)
    font.setBold(bold)
    widget.setFont(font)


class ReportLookupDialog(QDialog):
    open_archive_requested = Signal(str)  # report number: the page opens its archive viewer
    looked_up = Signal(object)  # the ReportLookup just shown (tests, status line)

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.result: ReportLookup | None = None
        self._lane = (self, "lookup")
        self.setWindowTitle(text.LOOKUP_TITLE)

        warning = QLabel(text.LOOKUP_WARNING, self)
        warning.setObjectName("lookupWarning")
        warning.setWordWrap(True)
        warning.setStyleSheet(f"background: #fff4d6; color: {AMBER_INK}; border: 2px solid {AMBER};"
                              "border-radius: 6px; padding: 8px 12px;")
        _scaled(warning, 1.1, bold=True)

        self.number = QLineEdit(self)
        self.number.setObjectName("lookupNumber")
        self.number.setPlaceholderText(text.LOOKUP_PLACEHOLDER)
        self.number.setMaxLength(40)
        self.number.setMinimumHeight(38)
        _scaled(self.number, 1.25)
        self.number.returnPressed.connect(self.look_up)
        label = QLabel(f"{text.LOOKUP_NUMBER}：", self)
        label.setBuddy(self.number)
        self.run_button = QPushButton(text.LOOKUP_RUN, self)
        self.run_button.setMinimumHeight(38)
        self.run_button.setAutoDefault(False)
        self.run_button.clicked.connect(self.look_up)
        entry = QHBoxLayout()
        entry.addWidget(label)
        entry.addWidget(self.number, 1)
        entry.addWidget(self.run_button)

        self.message = QLabel(self)  # busy, refusals and errors
        self.message.setObjectName("lookupMessage")
        self.message.setWordWrap(True)

        self.state = QLabel(self)
        self.state.setObjectName("lookupState")
        _scaled(self.state, 2.0, bold=True)
        self.state_note = QLabel(self)
        self.state_note.setWordWrap(True)
        _scaled(self.state_note, 1.1)
        self.facts: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for row, (name, caption) in enumerate((
                ("enterprise", text.ENTERPRISE), ("uscc", text.USCC), ("report_no", text.REPORT_NO),
                ("issued_on", text.ISSUED_ON), ("valid_until", text.VALID_UNTIL),
                ("counter", text.LOOKUP_COUNTER), ("revoked_at", text.REVOKED_AT),
                ("revoke_reason", text.REVOKE_REASON))):
            name_label = QLabel(caption, self)
            name_label.setStyleSheet(f"color: {MUTED};")
            value = QLabel(self)
            value.setObjectName(f"lookup_{name}")
            value.setWordWrap(name in ("enterprise", "revoke_reason", "counter"))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            _scaled(value, 1.35, bold=True)
            grid.addWidget(name_label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
            self.facts[name], self._captions[name] = value, name_label
        grid.setColumnStretch(1, 1)
        self.recorded = QLabel(self)
        self.recorded.setStyleSheet(f"color: {MUTED};")
        self.recorded.setWordWrap(True)

        self.summary = QFrame(self)
        self.summary.setObjectName("lookupSummary")
        self.summary.setStyleSheet("#lookupSummary { border: 1px solid #c8d0d8; border-radius: 6px; }")
        inner = QVBoxLayout(self.summary)
        inner.addWidget(self.state)
        inner.addWidget(self.state_note)
        inner.addLayout(grid)
        inner.addWidget(self.recorded)

        self.pdf_button = QPushButton(text.button_with_shortcut(text.OPEN_ARCHIVE, text.OPEN_ARCHIVE_SHORTCUT), self)
        self.pdf_button.setObjectName("lookupPdf")
        self.pdf_button.setAutoDefault(False)
        self.pdf_button.setShortcut(text.OPEN_ARCHIVE_SHORTCUT)
        self.pdf_button.clicked.connect(self._request_pdf)
        self.no_pdf = QLabel(text.LOOKUP_NO_PDF, self)
        self.no_pdf.setStyleSheet(f"color: {MUTED};")
        close = QPushButton(text.LOOKUP_CLOSE, self)
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.no_pdf)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(warning)
        layout.addLayout(entry)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)
        self.resize(760, 620)
        self._clear()

    # -- running a look-up -------------------------------------------------------------------

    def start(self, number: str = "") -> None:
        """Open (again) with `number` in the box, ready to type or to press Enter."""
        if number:
            self.number.setText(number)
        self.show()
        self.raise_()
        self.activateWindow()
        self.number.setFocus(Qt.FocusReason.OtherFocusReason)
        self.number.selectAll()

    @property
    def busy(self) -> bool:
        return self.ctx.tasks.is_running(self._lane)

    def look_up(self) -> None:
        typed = self.number.text().strip()
        self._clear()
        if not typed:
            self._say(text.LOOKUP_EMPTY, RED)
            return
        self._say(text.LOOKUP_BUSY, MUTED)
        self.run_button.setEnabled(False)
        self.ctx.tasks.write(self.ctx.desk.look_up_report, self.ctx.actor, typed, lane=self._lane,
                             on_done=self._show, on_message=self._failed)

    def _failed(self, reason: str) -> None:
        self.run_button.setEnabled(True)
        self._say(reason, RED)
        self.number.setFocus(Qt.FocusReason.OtherFocusReason)
        self.number.selectAll()

    def _show(self, found: ReportLookup) -> None:
        self.run_button.setEnabled(True)
        self._say("", MUTED)
        self.result = found
        self.number.setText(found.report_no)
        self.number.selectAll()
        self.state.setText(f"{text.LOOKUP_STATE}：{text.LOOKUP_STATES[found.state]}")
        self.state.setStyleSheet(f"color: {STATE_COLOURS[found.state]};")
        self.state_note.setText(text.LOOKUP_STATE_NOTES[found.state].format(number=found.report_no))
        if found.found:
            self._fact("enterprise", found.enterprise_name)
            self._fact("uscc", found.uscc)
            self._fact("report_no", found.report_no)
            self._fact("issued_on", text.day(found.issued_at))
            expired = found.state is LookupState.EXPIRED
            self._fact("valid_until", text.day(found.valid_until), RED if expired else INK)
            self._fact("counter", found.counter)
            if found.revoked_at is not None:
                self._fact("revoked_at", text.day(found.revoked_at), RED)
                self._fact("revoke_reason", found.revoke_reason or "—", RED)
        self.recorded.setText(text.LOOKUP_RECORDED.format(at=f"{found.looked_up_at:%Y-%m-%d %H:%M:%S}"))
        self.summary.show()
        usable = found.found and found.state is not LookupState.BROKEN
        self.pdf_button.setVisible(usable and found.may_view_pdf)
        self.no_pdf.setVisible(usable and not found.may_view_pdf)
        self.looked_up.emit(found)

    # -- shown facts -------------------------------------------------------------------------

    def fact_text(self, name: str) -> str | None:
        """The shown value of a fact, or None when hidden (for tests and accessibility)."""
        value = self.facts[name]
        return value.text() if not value.isHidden() else None

    def _fact(self, name: str, value: str | None, colour: str = INK) -> None:
        label = self.facts[name]
        label.setText(value or "—")
        label.setStyleSheet(f"color: {colour};")
        label.show()
        self._captions[name].show()

    def _clear(self) -> None:
        self.result = None
        self.summary.hide()
        for label in (*self.facts.values(), *self._captions.values()):
            label.hide()
        self.pdf_button.hide()
        self.no_pdf.hide()

    def _say(self, words: str, colour: str) -> None:
        self.message.setText(words)
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setVisible(bool(words))

    def _request_pdf(self) -> None:
        if self.result is not None and self.pdf_button.isVisible():
            self.open_archive_requested.emit(self.result.report_no)
