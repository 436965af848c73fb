"""Choose domains, period and purpose; preview, issue, print and save a 专用信用报告."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (QBoxLayout, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget)

from core.domain import PURPOSES, ReportContent
from core.services.reports.request import DEFAULT_PURPOSE
from core.usecases import CheckedRequest, IssuedResult, Permission, ReportRequest
from desktop.services.context import DeskContext
from desktop.services.errors import message_for
from desktop.strings import counter as S
from desktop.views.domain_checklist import DomainChecklist
from desktop.views.pdf_preview import PdfPreview
from desktop.views.period_box import PeriodBox
from desktop.views.report_output import PrintAndSave

INFO, BUSY, GOOD, BAD = "#3c4043", "#1a73e8", "#137333", "#b3261e"
PRIMARY = ("QPushButton { background: #1a73e8; color: white; font-weight: bold; font-size: 12pt;"
           " padding: 6px 12px;"
           " border-radius: 4px; } QPushButton:disabled { background: #c6dafc; color: #f1f3f4; }")


PLAIN = "QPushButton { font-size: 12pt; padding: 6px 12px; }"
OTHER_PURPOSE = "其他"
ENDED_STATUSES = ("注销", "吊销")  # 登记状态 words of an enterprise that no longer trades
# Below this width the choices go above the preview instead of beside it (a 1024 px screen).
SIDE_BY_SIDE_MIN = 720



class ReportPanel(PrintAndSave, QWidget):
    """`set_enterprise(content)` loads an overview; the clerk then previews, issues, prints."""

    issued = Signal(str)  # report number

    def __init__(self, ctx: DeskContext, parent: QWidget | None = None,
                 today: Callable[[], date] = date.today):
        super().__init__(parent)
        self.ctx, self.profile, self._today = ctx, ctx.desk.profile, today
        self.content: ReportContent | None = None
        self.result: IssuedResult | None = None
        self._lane = (self, "report")  # one job at a time; a newer enterprise makes its answer stale
        self._printer: QPrinter | None = None
        self._issued_request: ReportRequest | None = None
        self._not_in_force: str | None = None  # why the deployment's profile does not apply today
        self.confirm_box: QMessageBox | None = None  # 出具 for a 注销/吊销 enterprise waits for a yes
        self.today_reports: tuple[str, ...] = ()  # numbers issued today for the enterprise shown
        self._issue_when_known = False  # 出具 pressed before today's reports were read

        self.title = QLabel(S.REPORT_TITLE.format(title=self.profile.title), self)
        self.title.setStyleSheet("QLabel { font-size: 13pt; font-weight: bold; }")
        self.checklist = DomainChecklist(self.profile.domains, self)
        self.checklist.changed.connect(self._choices_changed)
        options = QVBoxLayout()
        options.addWidget(self.title)
        # 报告用途 first: every customer states one; the domains and period seldom change.
        options.addLayout(self._purpose_row())
        options.addWidget(self.purpose_other)
        options.addWidget(self.checklist)
        self.period = PeriodBox(self.profile, today, self)
        self.period.changed.connect(self._choices_changed)
        # the period's parts, by the names the page and the tests use
        self.presets, self.preset_buttons = self.period.presets, self.period.preset_buttons
        self.custom_button = self.period.custom_button
        self.date_from, self.date_to = self.period.date_from, self.period.date_to
        options.addWidget(self.period)
        self.request_error = QLabel(self)
        self.request_error.setObjectName("requestError")
        self.request_error.setWordWrap(True)
        self.request_error.setStyleSheet(f"QLabel {{ color: {BAD}; }}")
        self.request_error.hide()
        options.addWidget(self.request_error)
        options.addStretch(1)
        side = QWidget(self)
        side.setLayout(options)
        scroll = QScrollArea(self)
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(side.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)
        self.options_scroll = scroll

        # The actions sit above the page they act on: preview, issue, then print or save.
        self.report_no_label = QLabel(self)
        self.report_no_label.setObjectName("reportNo")
        self.report_no_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_no_label.setStyleSheet(
            "QLabel { font-size: 14pt; font-weight: bold; color: #137333; background: #e6f4ea;"
            " border: 1px solid #81c995; border-radius: 4px; padding: 6px 10px; }")
        self.report_no_label.hide()
        self.status = QLabel(self)
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.same_day_note = QLabel(self)  # a report for this enterprise went out today already
        self.same_day_note.setObjectName("sameDayNote")
        self.same_day_note.setWordWrap(True)
        self.same_day_note.setStyleSheet(
            "QLabel { color: #7a4b00; background: #fef7e0; border: 1px solid #f9ab00;"
            " border-radius: 4px; padding: 4px 8px; }")
        self.same_day_note.hide()
        self.preview = PdfPreview(self)
        self.profile_banner = QLabel(self)  # the profile in use is out of its period: no issuing
        self.profile_banner.setObjectName("profileBanner")
        self.profile_banner.setWordWrap(True)
        self.profile_banner.setStyleSheet(
            f"QLabel {{ font-size: 12pt; font-weight: bold; color: white; background: {BAD};"
            " border-radius: 4px; padding: 8px 12px; }")
        self.profile_banner.hide()
        work = QVBoxLayout()
        work.setContentsMargins(0, 0, 0, 0)
        work.addWidget(self.profile_banner)
        work.addLayout(self._buttons())
        work.addWidget(self.same_day_note)
        work.addWidget(self.report_no_label)
        work.addWidget(self.status)
        work.addWidget(self.preview, 1)
        # Side by side when there is room; on a narrow screen the choices sit above the preview.
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(scroll)
        self.body.addLayout(work, 1)
        self.set_enterprise(None)

    # -- reflow --------------------------------------------------------------------------------

    @property
    def stacked(self) -> bool:
        """The choices are above the preview (a narrow window), not beside it."""
        return self.body.direction() == QBoxLayout.Direction.TopToBottom

    def minimumSizeHint(self):  # noqa: N802 - Qt API
        # The narrow arrangement's needs: the window may be as narrow as that allows.
        hint = super().minimumSizeHint()
        if not self.stacked:
            hint.setWidth(max(self.options_scroll.minimumWidth(), self._work_min_width()))
        return hint

    def _work_min_width(self) -> int:
        return sum(b.minimumSizeHint().width() for b in self._action_buttons()) + 24

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._reflow(event.size().width(), event.size().height())
        super().resizeEvent(event)

    def _reflow(self, width: int, height: int) -> None:
        stacked = width < SIDE_BY_SIDE_MIN
        if stacked != self.stacked:
            self.body.setDirection(QBoxLayout.Direction.TopToBottom if stacked
                                   else QBoxLayout.Direction.LeftToRight)
        # Stacked, the choices take up to about half the height and scroll; the preview the rest.
        self.options_scroll.setMaximumHeight(max(200, height * 9 // 20) if stacked else 16777215)

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        return (self.preview_button, self.issue_button, self.print_button, self.save_button)

    # -- the profile in force ------------------------------------------------------------------

    def check_profile(self) -> None:
        """Ask (off the GUI thread) whether the deployment's profile applies today."""
        self.ctx.tasks.query(self.ctx.desk.profile_in_force, self.ctx.actor, self._today(),
                             lane=(self, "profile"), on_done=self._profile_checked,
                             on_message=lambda _reason: None)  # a lost database shows elsewhere

    def _profile_checked(self, info) -> None:
        self._not_in_force = info.reason
        self.profile_banner.setText(S.PROFILE_NOT_IN_FORCE.format(reason=info.reason or ""))
        self.profile_banner.setVisible(info.reason is not None)
        self._update_buttons()

    # -- building ----------------------------------------------------------------------------

    def _purpose_row(self) -> QHBoxLayout:
        # Each customer states their own purpose: it starts at the default for every enterprise
        # and every person, never at the last one chosen.
        self.purpose = QComboBox(self)
        self.purpose.addItems(PURPOSES)
        self.purpose.setCurrentText(DEFAULT_PURPOSE)
        self.purpose.currentTextChanged.connect(self._purpose_changed)
        # 其他: a box for the purpose in words. The request accepts only the listed purposes, so
        # the report prints 其他; the box says so rather than pretending the words are printed.
        self.purpose_other = QLineEdit(self)
        self.purpose_other.setObjectName("purposeOther")
        self.purpose_other.setPlaceholderText(S.PURPOSE_OTHER_PLACEHOLDER)
        self.purpose_other.setToolTip(S.PURPOSE_OTHER_TIP)
        self.purpose_other.setMaxLength(100)
        self.purpose_other.setVisible(self.purpose.currentText() == OTHER_PURPOSE)
        row = QHBoxLayout()
        row.addWidget(QLabel(S.PURPOSE_LABEL, self))
        row.addWidget(self.purpose, 1)
        return row

    def _buttons(self) -> QHBoxLayout:
        self.preview_button = QPushButton(S.PREVIEW_WITH_KEY, self)
        self.issue_button = QPushButton(S.ISSUE_WITH_KEY, self)
        # Shortcuts of the page's own buttons: live only while the look-up page is shown.
        self.preview_button.setShortcut(QKeySequence(S.PREVIEW_KEY))
        self.issue_button.setShortcut(QKeySequence(S.ISSUE_KEY))
        self.print_button = QPushButton(S.PRINT, self)
        self.save_button = QPushButton(S.SAVE_AS, self)
        for button, tip in ((self.preview_button, S.PREVIEW_TIP), (self.issue_button, S.ISSUE_TIP),
                            (self.print_button, S.PRINT_TIP), (self.save_button, S.SAVE_TIP)):
            button.setToolTip(tip)
            button.setMinimumHeight(40)
            button.setStyleSheet(PLAIN)
        self.preview_button.clicked.connect(self.make_preview)
        self.issue_button.clicked.connect(self.issue)
        self.print_button.clicked.connect(self.print_current)
        self.save_button.clicked.connect(self.save_as)
        row = QHBoxLayout()
        for button in (self.preview_button, self.issue_button, self.print_button, self.save_button):
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            row.addWidget(button, 1)
        return row

    # -- public ------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A preview, issue, print or save for the current enterprise is on its way."""
        return self.ctx.tasks.is_running(self._lane)

    @property
    def checking_today(self) -> bool:
        """Today's reports for the enterprise shown are being read (出具 waits for them)."""
        return self.ctx.tasks.is_running((self, "today"))

    @property
    def can_issue(self) -> bool:
        return self.ctx.actor.can(Permission.ISSUE)

    def set_enterprise(self, content: ReportContent | None) -> None:
        self.ctx.tasks.drop(self._lane)
        self._close_confirmation()
        self.content, self.result, self._issued_request = content, None, None
        self.checklist.select_all()
        self.purpose.blockSignals(True)
        self.purpose.setCurrentText(DEFAULT_PURPOSE)  # the next customer states their own
        self.purpose.blockSignals(False)
        self.purpose_other.clear()
        self.purpose_other.setVisible(DEFAULT_PURPOSE == OTHER_PURPOSE)
        self.period.reset()
        self.report_no_label.hide()
        self._issue_when_known = False
        self._show_today_reports(())
        if content is not None and self.can_issue:
            self.ctx.tasks.query(self.ctx.desk.reports_today, self.ctx.actor, content.enterprise.uscc,
                                 lane=(self, "today"), on_done=self._show_today_reports,
                                 on_message=lambda _reason: None)  # a lost database shows elsewhere
        self.preview.clear(S.PREVIEW_EMPTY)
        self._say(S.NO_ENTERPRISE if content is None else "", INFO)
        self._update_buttons()
        self.check_profile()  # an administrator may have changed the profile since the last one

    def request(self) -> CheckedRequest | None:
        """The request as chosen, checked once (the value the desk receives whole), or None with
        the reason shown inline in Chinese."""
        if self.content is None:
            return None
        try:
            checked = self._chosen().check(self.profile, self._today())
        except Exception as exc:  # noqa: BLE001 - every refusal is shown, not raised
            self.request_error.setText(message_for(exc))
            self.request_error.show()
            return None
        self.request_error.hide()
        return checked

    def _chosen(self) -> ReportRequest | None:
        """A preset stays a preset (近N年 ends on the day it is checked for); 自定义 is a start."""
        if self.content is None:
            return None
        request = ReportRequest(self.content.enterprise.uscc, self.checklist.selected(),
                                purpose=self.purpose.currentText())
        years = self.period.years()
        if years > 0:
            return request.with_preset(years)
        return request.with_start(self.period.start())

    def _already_issued(self) -> bool:
        """The report for exactly these choices is out: issuing again would make a duplicate."""
        return self._issued_request is not None and self._chosen() == self._issued_request

    def make_preview(self) -> None:
        request = self.request()
        if request is None or self.busy:
            return
        self._start(S.MAKING_PREVIEW, self.ctx.tasks.query, self.ctx.desk.preview, self.ctx.actor,
                    request, on_done=self._previewed)

    def issue(self) -> None:
        request = self.request()
        if request is None or self.busy:
            return
        if self._already_issued():
            return
        if self.checking_today:  # today's reports not known yet: ask once they are
            self._issue_when_known = True
            return
        warning = self._issue_warning()
        if warning is not None:
            self._confirm(warning, request)
            return
        self._issue(request)

    def _issue_warning(self) -> str | None:
        """Why this report deserves a second look before it is issued, or None."""
        status = (self.content.enterprise.reg_status or "") if self.content else ""
        if any(word in status for word in ENDED_STATUSES):
            return S.CONFIRM_ENDED.format(name=self.content.enterprise.name, status=status)
        if self.content is not None and self.today_reports:
            return S.CONFIRM_SAME_DAY.format(name=self.content.enterprise.name, n=len(self.today_reports),
                                             numbers="、".join(self.today_reports))
        return None

    def _show_today_reports(self, numbers) -> None:
        """The reports issued today for the enterprise shown (this installation's, any counter)."""
        self.today_reports = tuple(numbers)
        if self._issue_when_known:
            self._issue_when_known = False
            self.issue()
        self.same_day_note.setText(S.SAME_DAY_NOTE.format(n=len(self.today_reports),
                                                          numbers="、".join(self.today_reports)))
        self.same_day_note.setVisible(bool(self.today_reports))

    def _confirm(self, warning: str, request: CheckedRequest) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, S.CONFIRM_TITLE, warning,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(S.CONFIRM_ISSUE)
        box.button(QMessageBox.StandardButton.Cancel).setText(S.CONFIRM_CANCEL)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not issue by accident
        content = self.content

        def answered(_result: int) -> None:
            if self.confirm_box is not box:
                return
            self.confirm_box = None
            if box.clickedButton() is yes and self.content is content and not self.busy:
                self._issue(request)

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _close_confirmation(self) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is not None:
            box.reject()

    def _issue(self, request: CheckedRequest) -> None:
        self._start(S.ISSUING, self.ctx.tasks.write, self.ctx.desk.issue, self.ctx.actor, request,
                    key=lambda result: result.report_no,
                    on_done=lambda result: self._issued(request, result))

    # -- answers -----------------------------------------------------------------------------

    # Answers arrive only while they belong to the enterprise shown (the task helper drops the rest).

    def _previewed(self, pdf: bytes) -> None:
        self.preview.set_pdf(pdf)
        self._done(S.PREVIEW_READY)

    def _issued(self, request: CheckedRequest, result: IssuedResult) -> None:
        self.result, self._issued_request = result, request.source
        self.preview.set_pdf(result.pdf)
        self.report_no_label.setText(S.ISSUED.format(no=result.report_no))
        self.report_no_label.show()
        self._show_today_reports((result.report_no, *self.today_reports))
        self._done(S.ISSUED_NEXT, GOOD)
        self.issued.emit(result.report_no)

    def _done(self, text: str, colour: str = INFO) -> None:
        self._printer = None
        self._update_buttons()
        self._say(text, colour)

    def _failed(self, reason: str, template: str) -> None:
        self._printer = None
        self._update_buttons()
        self._say(template.format(reason=reason), BAD)

    # -- state -------------------------------------------------------------------------------

    def _start(self, text: str, start: Callable, fn: Callable, *args, failure: str = "{reason}",
               **options) -> None:
        """Start one job in this panel's lane through `start` (tasks.query or tasks.write)."""
        start(fn, *args, lane=self._lane, on_message=lambda reason: self._failed(reason, failure), **options)
        self._update_buttons()
        self._say(text, BUSY)

    def _say(self, text: str, colour: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"QLabel {{ color: {colour}; font-size: 11pt; }}")

    def _update_buttons(self) -> None:
        ready = self.content is not None and not self.busy
        issued = ready and self.result is not None
        role = self.ctx.actor.role.value
        done = self._already_issued()
        in_force = self._not_in_force is None
        self.preview_button.setEnabled(ready and self.can_issue and in_force)
        self.issue_button.setEnabled(ready and self.can_issue and not done and in_force)
        self.issue_button.setToolTip(S.NO_ISSUE_RIGHT.format(role=role) if not self.can_issue
                                     else self._not_in_force if not in_force
                                     else S.ISSUED_ALREADY if done else S.ISSUE_TIP)
        # The next step is the highlighted one: issue, then print.
        self.issue_button.setStyleSheet(PLAIN if done else PRIMARY)
        self.print_button.setStyleSheet(PRIMARY if done else PLAIN)
        self.preview_button.setToolTip(S.PREVIEW_TIP if self.can_issue
                                       else S.NO_ISSUE_RIGHT.format(role=role))
        may_print = self.ctx.actor.can(Permission.PRINT)
        self.print_button.setEnabled(issued and may_print)
        self.print_button.setToolTip(S.PRINT_TIP if may_print else S.NO_PRINT_RIGHT.format(role=role))
        self.save_button.setEnabled(issued)
        for widget in (self.checklist, self.purpose, self.purpose_other):
            widget.setEnabled(self.content is not None and not self.busy)
        self.period.set_choosable(self.content is not None and not self.busy)

    def _purpose_changed(self, text: str) -> None:
        self.purpose_other.setVisible(text == OTHER_PURPOSE)
        self._choices_changed()

    def _choices_changed(self) -> None:
        if self.content is None:
            return
        self.request()  # refreshes the inline explanation
        if self.result is not None and not self.busy:
            self._say(S.ISSUED_NEXT if self._already_issued() else S.CHOICES_CHANGED,
                      GOOD if self._already_issued() else INFO)
        self._update_buttons()
