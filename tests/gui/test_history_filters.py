"""出具记录 as a supervisor narrows it: a period (a preset or typed dates), a search by report number,
credit code or name, and the export of exactly that list as an Excel workbook — on SQLite and
PostgreSQL (the filters run in the database)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.services.people.roles import Role
from core.services.reports.history_export import HEADERS
from core.services.signing.keys import KeyService
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.strings import history as H
from desktop.views import history_page
from desktop.views.history_page import HistoryPage
from tests.desks import make_desk
from tests.factories import add_enterprise
from tests.gui.modal_answers import type_into

WAIT = 20000
TODAY = date.today()
HENGDA, XINGHAI, MINGYUAN = "苏州恒达精密机械有限公司", "苏州工业园区星海电子科技有限公司", "昆山市玉山镇明远餐饮店"


@pytest.fixture
def env(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=TODAY - timedelta(days=400))
    env = make_desk(db, profile, keys)
    env.codes = {name: add_enterprise(db, name) for name in (HENGDA, XINGHAI, MINGYUAN)}
    at = lambda days: datetime.combine(TODAY - timedelta(days=days), datetime.min.time()).replace(hour=10)  # noqa: E731
    env.reports = {
        "hengda-old": env.issue(env.codes[HENGDA], now=at(40)),
        "xinghai": env.issue(env.codes[XINGHAI], now=at(10)),
        "mingyuan": env.issue(env.codes[MINGYUAN], now=at(2)),
        "hengda-new": env.issue(env.codes[HENGDA], now=at(0), role=Role.SUPERVISOR),
    }
    return env


@pytest.fixture
def page(qtbot, env, tmp_path):
    tasks = TaskRunner(AppEvents())
    ctx = DeskContext(env.desk, tasks, env.as_(Role.SUPERVISOR), UiSettings(tmp_path / "ui.ini"), tasks.events)
    page = HistoryPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(lambda: page.model.rowCount() == 4, timeout=WAIT)
    yield page
    tasks.wait()


def shown(page) -> list[str]:
    """The report numbers in the table, top to bottom, as the person sees them."""
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def numbers(env, *keys) -> list[str]:
    return [env.reports[k].report_no for k in keys]


def wait_for(qtbot, page, want: list[str]) -> None:
    qtbot.waitUntil(lambda: not page.loading and shown(page) == want, timeout=WAIT)


def alt(page, letter: str):
    QTest.keyClick(page, letter, Qt.KeyboardModifier.AltModifier)
    return page.focusWidget()


def type_date(page, letter: str, day: date, typed: str | None = None) -> None:
    """Alt+F / Alt+T to the date, Ctrl+A and type it (2024-01-01, or as `typed`, e.g. 20240101)."""
    field = {"f": page.filters.date_from, "t": page.filters.date_to}[letter]
    edit = alt(page, letter)
    assert edit is field.edit
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, typed or day.isoformat())
    assert field.date().toPython() == day


def grab(page, folder: Path, name: str) -> None:
    for size in ((1024, 768), (1920, 1080)):
        page.resize(*size)
        QTest.qWait(200)
        assert page.grab().save(str(folder / f"history-{name}-{size[0]}x{size[1]}.png"))


def test_a_period_narrows_the_list(qtbot, page, env, screenshot_dir):
    assert shown(page) == numbers(env, "hengda-new", "mingyuan", "xinghai", "hengda-old")
    assert page.count_label.text() == "共 4 份报告"
    assert not page.filters.date_from.isEnabled()  # 全部日期: no bounds

    combo = alt(page, "d")
    assert combo is page.filters.preset
    for _ in range(3):  # 全部日期 → 今天 → 最近 7 天 → 最近 30 天
        QTest.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "最近 30 天" and page.filters.date_from.isEnabled()
    wait_for(qtbot, page, numbers(env, "hengda-new", "mingyuan", "xinghai"))
    assert page.count_label.text() == "符合条件的报告 3 份"

    type_date(page, "f", TODAY - timedelta(days=10))
    type_date(page, "t", TODAY - timedelta(days=2))
    assert page.filters.preset.currentText() == "指定日期"
    wait_for(qtbot, page, numbers(env, "mingyuan", "xinghai"))  # both ends included
    grab(page, screenshot_dir, "period")

    type_date(page, "f", TODAY)  # upside down: said, not loaded
    qtbot.waitUntil(lambda: page.status.text() == H.BAD_PERIOD.format(
        start=TODAY, end=TODAY - timedelta(days=2)), timeout=WAIT)
    assert shown(page) == numbers(env, "mingyuan", "xinghai")


def test_a_date_typed_as_digits_and_a_refused_one(qtbot, page, env, screenshot_dir):
    """20240101 is 2024-01-01; 2024-13-01 is refused with the reason shown and nothing reloaded."""
    QTest.keyClick(alt(page, "d"), Qt.Key.Key_End)  # 指定日期: the dates open for typing
    assert page.filters.preset.currentText() == "指定日期" and page.filters.date_from.isEnabled()
    type_date(page, "f", date(2024, 1, 1), typed="20240101")
    assert page.filters.preset.currentText() == "指定日期"
    assert page.filters.date_from.text() == "20240101" and not page.filters.date_from.message.isVisible()
    QTest.keyClick(page.filters.date_from.edit, Qt.Key.Key_Return)
    assert page.filters.date_from.text() == "2024-01-01"
    wait_for(qtbot, page, numbers(env, "hengda-new", "mingyuan", "xinghai", "hengda-old"))
    assert page.filters.query().date_from == date(2024, 1, 1)

    type_date(page, "t", TODAY - timedelta(days=30))
    wait_for(qtbot, page, numbers(env, "hengda-old"))
    to = page.filters.date_to
    QTest.keyClick(to.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(to.edit, "2024-13-01")
    QTest.keyClick(to.edit, Qt.Key.Key_Return)
    assert to.message.isVisible()
    assert to.message.text() == f"“2024-13-01”不是有效的日期（没有这一天）。日期未更改，仍为 {TODAY - timedelta(days=30)}。"
    assert to.date().toPython() == TODAY - timedelta(days=30) and to.text() == str(TODAY - timedelta(days=30))
    grab(page, screenshot_dir, "typed-date")
    assert shown(page) == numbers(env, "hengda-old")


def test_search_by_name_number_and_code(qtbot, page, env, screenshot_dir):
    box = alt(page, "s")
    assert box is page.filter
    type_into(box, "恒达")
    wait_for(qtbot, page, numbers(env, "hengda-new", "hengda-old"))
    assert page.count_label.text() == "符合条件的报告 2 份"

    number = env.reports["xinghai"].report_no
    type_into(box, number.lower().replace("-", ""))  # sz202600000002, as typed in a hurry
    QTest.keyClick(box, Qt.Key.Key_Return)
    wait_for(qtbot, page, [number])
    type_into(box, env.codes[MINGYUAN][:12].lower())
    wait_for(qtbot, page, numbers(env, "mingyuan"))
    grab(page, screenshot_dir, "search")

    type_into(box, "没有这家企业")
    qtbot.waitUntil(lambda: not page.loading and page.count_label.text() == H.EMPTY_FILTERED, timeout=WAIT)
    assert shown(page) == [] and not page.export_button.isEnabled()
    page.escape()  # Esc clears the search
    wait_for(qtbot, page, numbers(env, "hengda-new", "mingyuan", "xinghai", "hengda-old"))
    assert page.count_label.text() == "共 4 份报告"


def test_export_writes_the_filtered_list(qtbot, page, env, tmp_path, monkeypatch):
    page.filters.choose_preset("month")
    type_into(page.filter, "恒达")
    wait_for(qtbot, page, numbers(env, "hengda-new"))
    env.desk.revoke(env.as_(Role.SUPERVISOR), env.reports["hengda-old"].report_no, "企业申请作废")

    target = tmp_path / "导出" / "恒达.xlsx"
    target.parent.mkdir()
    offered = []

    def choose(parent, title, name, filters):  # the person's answer in the Chinese save dialog
        offered.append((title, name, filters))
        return str(target)

    monkeypatch.setattr(history_page, "save_file_name", choose)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.text().startswith("已导出"), timeout=WAIT)
    assert page.status.text() == H.EXPORTED.format(n=1, path=target)
    start = TODAY - timedelta(days=29)
    assert offered == [(H.EXPORT_TITLE, f"出具记录_{start}至{TODAY}.xlsx", H.EXPORT_FILTER)]

    rows = list(load_workbook(target)["出具记录"].iter_rows(values_only=True))
    assert rows[0] == HEADERS
    assert [r[0] for r in rows[1:]] == shown(page)  # exactly what the table shows (the old one is out of the period)
    row = dict(zip(HEADERS, rows[1]))
    assert row["企业名称"] == HENGDA and row["统一社会信用代码"] == env.codes[HENGDA] and row["状态"] == "有效"

    page.filters.choose_preset("all")  # the whole history, the revoked report included
    wait_for(qtbot, page, numbers(env, "hengda-new", "hengda-old"))
    page.export_to(str(target))
    qtbot.waitUntil(lambda: page.status.text() == H.EXPORTED.format(n=2, path=target), timeout=WAIT)
    states = {r[0]: r[HEADERS.index("状态")] for r in load_workbook(target)["出具记录"].iter_rows(
        min_row=2, values_only=True)}
    assert states == {env.reports["hengda-new"].report_no: "有效", env.reports["hengda-old"].report_no: "已撤销"}
