"""审计日志 (管理员): the audit chain's events by person, action and date range, and the chain's
state as `creditdesk-admin audit verify` finds it — green when whole, red naming the first break."""
from __future__ import annotations

from datetime import date, timedelta
from enum import IntEnum

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.usecases import AuditFound, AuditQuery
from desktop.services.context import DeskContext
from desktop.strings import audit as S
from desktop.views.date_field import DateField
from desktop.views.table_models import _RowsModel
from desktop.views.table_view import read_only_table

GREEN, RED = "#1a7f37", "#b3261e"
DEFAULT_DAYS = 30


class EventColumn(IntEnum):
    SEQ = 0
    AT = 1
    ACTOR = 2
    COUNTER = 3
    ACTION = 4
    SUBJECT = 5
    DETAILS = 6


def action_name(action: str) -> str:
    return S.ACTIONS.get(action, action)


def details_text(details: dict) -> str:
    def value(v) -> str:
        if v is None or v == "":
            return S.NOTHING
        if isinstance(v, list):
            return "、".join(value(x) for x in v)
        if v is True or v is False:
            return S.YES if v else S.NO
        return S.VALUE_WORDS.get(v, str(v)) if isinstance(v, str) else str(v)

    return "，".join(f"{S.DETAIL_KEYS.get(k, k)}：{value(v)}" for k, v in details.items())


class EventsModel(_RowsModel):
    columns = EventColumn
    headers = S.HEADERS

    def cell(self, event, column: EventColumn, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                EventColumn.SEQ: str(event.seq), EventColumn.AT: f"{event.at:%Y-%m-%d %H:%M:%S}",
                EventColumn.ACTOR: event.actor, EventColumn.COUNTER: event.counter,
                EventColumn.ACTION: action_name(event.action), EventColumn.SUBJECT: event.subject or "",
                EventColumn.DETAILS: details_text(event.details),
            }[column]
        if role == Qt.ItemDataRole.ToolTipRole and column is EventColumn.DETAILS:
            return details_text(event.details)
        return None


class AuditPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.found: AuditFound | None = None
        self.chain = None  # the latest ChainCheck
        self.person = QComboBox(self)
        self.person.setObjectName("auditPerson")
        self.person.setMinimumWidth(140)
        self.person.addItem(S.ALL, None)
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.action.addItem(S.ALL, None)
        for key, name in S.ACTIONS.items():
            self.action.addItem(name, key)
        today = date.today()
        self.date_from = DateField(self, S.DATE_FROM_LABEL)
        self.date_from.setDate(QDate(today - timedelta(days=DEFAULT_DAYS - 1)))
        self.date_to = DateField(self, S.DATE_TO_LABEL)
        self.date_to.setDate(QDate(today))
        for field in (self.date_from, self.date_to):
            field.setFixedWidth(190)
        self.search_button = QPushButton(S.SEARCH, self)
        self.search_button.clicked.connect(self.search)
        filters = QHBoxLayout()
        for text, widget in ((S.PERSON, self.person), (S.ACTION, self.action), (S.FROM, self.date_from),
                             (S.TO, self.date_to)):
            label = QLabel(text, self)
            label.setBuddy(widget.edit if isinstance(widget, DateField) else widget)
            filters.addWidget(label)
            filters.addWidget(widget)
            filters.addSpacing(8)
        filters.addStretch(1)
        filters.addWidget(self.search_button)
        self.chain_label = QLabel(S.CHAIN_CHECKING, self)
        self.chain_label.setObjectName("chainState")
        self.chain_label.setWordWrap(True)
        self.verify_button = QPushButton(S.VERIFY, self)
        self.verify_button.clicked.connect(self.verify)
        chain = QHBoxLayout()
        chain.addWidget(self.chain_label, 1)
        chain.addWidget(self.verify_button)
        self.model = EventsModel(self)
        self.table = read_only_table(self, self.model, "auditTable", EventColumn.DETAILS)
        self.count = QLabel(S.LOADING, self)
        self.count.setObjectName("auditCount")
        self.count.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(chain)
        layout.addLayout(filters)
        for field in (self.date_from, self.date_to):
            layout.addWidget(field.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        # a changed filter applies at once; 查询 reads again (new events since)
        self.person.currentIndexChanged.connect(self.search)
        self.action.currentIndexChanged.connect(self.search)
        self.date_from.dateChanged.connect(self.search)
        self.date_to.dateChanged.connect(self.search)
        self.started = False  # the first showing reads and checks: a long chain's check is not free

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self.started:
            self.started = True
            self.load_people()
            self.search()
            self.verify()

    # -- reading --------------------------------------------------------------------------------

    def query(self) -> AuditQuery:
        return AuditQuery(self.person.currentData(), self.action.currentData(),
                          self.date_from.date().toPython(), self.date_to.date().toPython())

    def load_people(self) -> None:
        self.ctx.tasks.query(self.ctx.desk.audit_actors, self.ctx.actor, lane=(self, "people"),
                             on_done=self._show_people, on_message=self.count.setText)

    def _show_people(self, actors: list[str]) -> None:
        chosen = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(S.ALL, None)
        for actor in actors:
            self.person.addItem(actor, actor)
        if chosen in actors:
            self.person.setCurrentIndex(actors.index(chosen) + 1)
        self.person.blockSignals(False)

    def choose_person(self, username: str) -> None:
        index = self.person.findData(username)
        if index >= 0:
            self.person.setCurrentIndex(index)

    def search(self, *_) -> None:
        self.found = None
        self.count.setText(S.LOADING)
        self.ctx.tasks.query(self.ctx.desk.audit_search, self.ctx.actor, self.query(), lane=(self, "search"),
                             on_done=self._show, on_message=self.count.setText)

    def _show(self, found: AuditFound) -> None:
        self.found = found
        self.model.set_rows(found.events)
        if not found.total:
            self.count.setText(S.NONE)
        elif found.total > len(found.events):
            self.count.setText(S.COUNT_CUT.format(total=found.total, shown=len(found.events)))
        else:
            self.count.setText(S.COUNT.format(total=found.total))

    # -- the chain ------------------------------------------------------------------------------

    def verify(self) -> None:
        self.chain = None
        self.chain_label.setStyleSheet("QLabel { font-size: 12pt; }")
        self.chain_label.setText(S.CHAIN_CHECKING)
        self.verify_button.setEnabled(False)
        self.ctx.tasks.write(self.ctx.desk.audit_verify, self.ctx.actor, lane=(self, "verify"),
                             on_done=self._show_chain, on_message=self._chain_failed)

    def _show_chain(self, check) -> None:
        self.chain = check
        self.verify_button.setEnabled(True)
        text = S.CHAIN_OK.format(count=check.count) if check.ok else S.CHAIN_BROKEN.format(problem=check.problem)
        self._chain_text(text, GREEN if check.ok else RED)

    def _chain_failed(self, reason: str) -> None:
        self.verify_button.setEnabled(True)
        self._chain_text(S.CHAIN_FAILED.format(reason=reason), RED)

    def _chain_text(self, text: str, colour: str) -> None:
        self.chain_label.setStyleSheet(f"QLabel {{ font-size: 12pt; font-weight: bold; color: {colour}; }}")
        self.chain_label.setText(text)
