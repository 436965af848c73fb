"""统计 (主管): a supervisor picks a period with the keyboard, refreshes with the mouse, and sees
the same numbers `desk.statistics` (and so `creditdesk-admin stats --json`) gives; each chart
exports a PNG and its numbers as a CSV Excel opens — on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import os
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest

from core.services.people.roles import Role
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.strings import stats as S
from desktop.views import stats_charts
from desktop.views.stats_charts import ALARM, LATE_RED, WARN
from desktop.views.stats_page import StatsPage
from tests.stats_data import ECOLOGY, TODAY, WEEK, a_week

WAIT = 20000


@pytest.fixture
def page(qtbot, db, profile, tmp_path, write_csv):
    week = a_week(db, profile, tmp_path, write_csv)
    tasks = TaskRunner(AppEvents())
    ctx = DeskContext(week.desk, tasks, week.as_(Role.SUPERVISOR), UiSettings(tmp_path / "ui.ini"), tasks.events)
    page = StatsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    yield page
    tasks.wait()


def type_date(qtbot, page, mnemonic: str, day: date, typed: str | None = None) -> None:
    """Alt+F / Alt+T to the date box, select its text and type the day as a person would
    (2024-01-01, or as `typed`, e.g. 20240101)."""
    field = {"f": page.date_from, "t": page.date_to}[mnemonic]
    QTest.keyClick(page, mnemonic, Qt.KeyboardModifier.AltModifier)
    edit = page.focusWidget()
    assert edit is field.edit
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, typed or day.isoformat())
    assert field.date().toPython() == day


def shot(page, folder: Path, name: str, size: tuple[int, int]) -> Path:
    page.resize(*size)
    QTest.qWait(200)
    path = folder / f"stats-{name}-{size[0]}x{size[1]}.png"
    assert page.grab().save(str(path))
    assert page.scroll.widget().grab().save(str(path.with_name(f"{path.stem}-all.png")))  # below the fold
    return path


def test_the_charts_show_the_numbers_of_the_period(qtbot, page, db, screenshot_dir):
    type_date(qtbot, page, "f", WEEK[0])
    type_date(qtbot, page, "t", WEEK[1])
    page.data = None
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    want = page.ctx.desk.statistics(page.ctx.actor, *WEEK).to_json()
    assert page.data == want
    r, v, o = want["reports"], want["verifications"], want["objections"]
    assert page.by_day.series() == [(date.fromisoformat(x["date"]), x["count"]) for x in r["by_day"]]
    assert page.by_counter.series() == [(x["counter"], x["count"]) for x in r["by_counter"]]
    assert page.by_purpose.series() == [(x["purpose"], x["count"]) for x in r["by_purpose"]]
    assert page.verifications.series() == [(S.VERDICTS[k], n) for k, n in v["by_status"].items()]
    assert dict(page.verifications.series())["伪造"] == 1 and dict(page.verifications.series())["无法识别"] == 2
    colours = dict(zip(S.VERDICTS.values(), page.verifications.colours()))
    assert colours["伪造"] == ALARM and colours["无法识别"] == WARN and colours["有效"] not in (ALARM, WARN)
    assert page.domains.series() == [(x["name"], x["violations"]) for x in want["domains"]] != []
    assert page.objections.series() == [*o["by_state"].items(), ("已超期", 1)]
    assert "出具报告 4 份" in page.summary.text() and "伪造 1 次" in page.summary.text()
    table = page.units.table
    rows = {table.item(i, 0).text(): i for i in range(table.rowCount())}
    late = rows[ECOLOGY]
    assert table.item(late, 4).text() == "逾期未更新"
    assert table.item(late, 0).foreground().color().name() == LATE_RED
    others = [i for i in range(table.rowCount()) if i != late]
    assert others and all(table.item(i, 0).foreground().color().name() != LATE_RED for i in others)
    assert "35 天" in page.units.note.text()
    for size in ((1366, 768), (1024, 768)):
        shot(page, screenshot_dir, db.engine.dialect.name, size)


def test_a_narrower_period_and_a_wrong_one(qtbot, page):
    type_date(qtbot, page, "f", TODAY)
    type_date(qtbot, page, "t", TODAY)
    page.data = None
    QTest.keyClick(page.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    assert page.data["reports"]["total"] == 2 and page.by_day.series() == [(TODAY, 2)]
    type_date(qtbot, page, "f", TODAY + timedelta(days=1))
    qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    assert page.status.text() == S.BAD_PERIOD


def test_a_date_typed_as_digits_and_a_refused_one(qtbot, page, screenshot_dir):
    """20240101 is 2024-01-01 and counts from there; 2024-02-30 is refused with the reason shown."""
    type_date(qtbot, page, "f", date(2024, 1, 1), typed="20240101")
    assert not page.date_from.message.isVisible()
    page.data = None
    QTest.keyClick(page.focusWidget(), Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    assert page.data["from"] == "2024-01-01" and page.summary.text().startswith(f"2024-01-01 至 {TODAY}")
    assert page.data == page.ctx.desk.statistics(page.ctx.actor, date(2024, 1, 1), TODAY).to_json()

    QTest.keyClick(page, "t", Qt.KeyboardModifier.AltModifier)
    to = page.date_to
    QTest.keyClick(to.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(to.edit, "2024-02-30")
    assert to.message.isVisible() and to.message.text() == "“2024-02-30”不是有效的日期（没有这一天）。"
    QTest.keyClick(to.edit, Qt.Key.Key_Return)
    assert to.date().toPython() == TODAY and to.text() == TODAY.isoformat()
    assert to.message.text().endswith(f"日期未更改，仍为 {TODAY.isoformat()}。")
    shot(page, screenshot_dir, "typed-date", (1024, 768))


def test_each_chart_exports_a_picture_and_its_numbers(qtbot, page, tmp_path, monkeypatch):
    chosen = []

    def choose(parent, title, name, filt):  # the person's answer in the Chinese save dialog
        chosen.append(tmp_path / name)
        return str(chosen[-1])

    monkeypatch.setattr(stats_charts, "save_file_name", choose)
    for card in page.cards:
        qtbot.mouseClick(card.png_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(card.csv_button, Qt.MouseButton.LeftButton)
        png, table = chosen[-2:]
        if os.environ.get("CREDITDESK_SCREENSHOTS"):
            shutil.copy(png, Path(os.environ["CREDITDESK_SCREENSHOTS"]) / f"export-{png.name}")
        image = QImage(str(png))
        assert not image.isNull() and image.width() > 200 and image.height() > 150
        assert page.status.text() == S.SAVED.format(path=table)
        assert table.read_bytes().startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
        with open(table, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        assert tuple(rows[0]) == card.header and [tuple(map(str, r)) for r in card.rows] == [tuple(r) for r in rows[1:]]
    with open(tmp_path / f"{S.BY_COUNTER}.csv", encoding="utf-8-sig") as f:
        assert list(csv.reader(f)) == [["窗口", "出具份数"], ["一号窗口", "4"], ["二号窗口", "1"]]  # the default 30 days
    with open(tmp_path / f"{S.UNITS}.csv", encoding="utf-8-sig") as f:
        assert [ECOLOGY, "逾期未更新"] == [r for r in csv.reader(f) if r[0] == ECOLOGY][0][::4]
