"""统计 (主管): reports, verifications, objections and the providing units' data over a period.

The charts draw the JSON of `desk.statistics` — the very numbers `creditdesk-admin stats --json`
prints for the same period.
"""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from core.states import VerdictStatus as V
from desktop.services.context import DeskContext
from desktop.strings import stats as S
from desktop.views.date_field import named_date_field
from desktop.views.stats_charts import ALARM, BAR, WARN, BarCard, UnitsCard

CARD_HEIGHT = 300  # two rows and a half show on a 768-pixel screen
DEFAULT_DAYS = 30  # as `creditdesk-admin stats` without --from
REFRESH_KINDS = {"report", "verification", "objections", "records"}
VERDICT_COLOURS = {V.FORGED: ALARM, V.MALFORMED: WARN}


class StatsPage(QWidget):
    def __init__(self, ctx: DeskContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.data: dict | None = None  # the last answer, as `stats --json` prints it
        self._stale = True
        self._lane = (self, "load")
        today = date.today()
        self.date_from = named_date_field(self, "statsFrom", S.DATE_FROM_WHAT, today - timedelta(days=DEFAULT_DAYS - 1))
        self.date_to = named_date_field(self, "statsTo", S.DATE_TO_WHAT, today)
        self.refresh_button = QPushButton(S.REFRESH, self)
        self.refresh_button.setToolTip(S.REFRESH_TIP)
        self.refresh_button.setMinimumHeight(34)
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+R"), self, activated=self.refresh,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        top = QHBoxLayout()
        for text, edit in ((S.FROM, self.date_from), (S.TO, self.date_to)):
            label = QLabel(text, self)
            label.setBuddy(edit.edit)
            top.addWidget(label)
            top.addWidget(edit)
            top.addSpacing(12)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        self.summary = QLabel(self)
        self.summary.setObjectName("statsSummary")
        self.summary.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("statsStatus")
        self.status.setWordWrap(True)

        self.by_day = BarCard(S.BY_DAY, S.BY_DAY_HEADER, S.BY_DAY, dates=True)
        self.by_counter = BarCard(S.BY_COUNTER, S.BY_COUNTER_HEADER, S.BY_COUNTER)
        self.by_purpose = BarCard(S.BY_PURPOSE, S.BY_PURPOSE_HEADER, S.BY_PURPOSE)
        self.verifications = BarCard(S.VERIFICATIONS, S.VERIFICATIONS_HEADER, S.VERIFICATIONS)
        self.domains = BarCard(S.DOMAINS, S.DOMAINS_HEADER, S.DOMAINS, horizontal=True)
        self.objections = BarCard(S.OBJECTIONS, S.OBJECTIONS_HEADER, S.OBJECTIONS)
        self.units = UnitsCard()
        self.cards = (self.by_day, self.by_counter, self.by_purpose, self.verifications, self.domains,
                      self.objections, self.units)
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        for i, card in enumerate(self.cards):
            card.setFixedHeight(CARD_HEIGHT)
            card.message.connect(self.status.setText)
            wide = card is self.units  # the unit names are long: the whole width
            grid.addWidget(card, i // 2, i % 2, 1, 2 if wide else 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(grid_host)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for field in (self.date_from, self.date_to):  # why a typed date was refused
            layout.addWidget(field.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.status)
        ctx.events.data_changed.connect(self._data_changed)

    # -- loading ------------------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        return self.date_from.date().toPython(), self.date_to.date().toPython()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _data_changed(self, kind: str, _key: str) -> None:
        if kind in REFRESH_KINDS:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        start, end = self.period()
        if start > end:
            self.status.setText(S.BAD_PERIOD)
            return
        self._stale = False
        self.status.setText(S.LOADING)
        self.refresh_button.setEnabled(False)
        self.ctx.tasks.query(self.ctx.desk.statistics, self.ctx.actor, start, end,
                             on_done=self._show, on_message=self._failed, lane=self._lane)

    def _failed(self, text: str) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(text)

    def _show(self, result) -> None:
        self.refresh_button.setEnabled(True)
        self.status.clear()
        self.data = d = result.to_json()
        r, v, o = d["reports"], d["verifications"], d["objections"]
        days = [date.fromisoformat(x["date"]) for x in r["by_day"]]
        self.by_day.show_bars([x["date"] for x in r["by_day"]], [x["count"] for x in r["by_day"]], days=days,
                           period=(date.fromisoformat(d["from"]), date.fromisoformat(d["to"])))
        self.by_counter.show_bars([x["counter"] for x in r["by_counter"]], [x["count"] for x in r["by_counter"]])
        self.by_purpose.show_bars([x["purpose"] for x in r["by_purpose"]], [x["count"] for x in r["by_purpose"]])
        statuses = list(v["by_status"])
        self.verifications.show_bars([S.VERDICTS.get(k, k) for k in statuses], list(v["by_status"].values()),
                                     colours=[VERDICT_COLOURS.get(k, BAR) for k in statuses])
        self.domains.show_bars([x["name"] for x in d["domains"]], [x["violations"] for x in d["domains"]],
                               rows=[(x["domain"], x["name"], x["violations"]) for x in d["domains"]])
        states = list(o["by_state"])
        self.objections.show_bars([*states, S.OVERDUE], [*o["by_state"].values(), o["overdue"]],
                                  colours=[BAR] * len(states) + [ALARM])
        self.objections.set_note(S.OBJECTIONS_NOTE.format(n=o["overdue"]))
        self.units.show_units(d["units"], d["unit_late_days"])
        self.summary.setText(S.SUMMARY.format(
            start=d["from"], end=d["to"], reports=r["total"], checks=v["total"],
            forged=v["by_status"].get(V.FORGED, 0), malformed=v["by_status"].get(V.MALFORMED, 0),
            objections=sum(o["by_state"].values()), overdue=o["overdue"]))
