"""审计日志 (管理员) on SQLite and PostgreSQL: the events a person just caused show when the
administrator filters by that person, by action and by date; the chain's state is green when
whole and red, naming the event, once a row was changed behind the program's back."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest

from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import UiSettings
from desktop.services.tasks import TaskRunner
from desktop.strings import audit as S
from desktop.views.audit_page import GREEN, RED, AuditPage, EventColumn
from tests.desks import make_desk
from tests.gui.modal_answers import WAIT, type_into
from tests.integration.test_audit_chain import tamper

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def env(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date.today() - timedelta(days=400))
    return make_desk(db, profile, keys, counter="三号窗口")


@pytest.fixture
def page(qtbot, env, tmp_path):
    tasks = TaskRunner(AppEvents())
    ctx = DeskContext(env.desk, tasks, env.as_(Role.ADMIN), UiSettings(tmp_path / "ui.ini"), tasks.events)
    page = AuditPage(ctx)
    qtbot.addWidget(page)
    page.resize(1024, 768)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.found is not None and page.chain is not None, timeout=WAIT)
    yield page
    tasks.wait()


def shown(page) -> list[tuple[str, str, str]]:
    model = page.model
    return [tuple(model.index(r, c).data() for c in (EventColumn.ACTOR, EventColumn.ACTION, EventColumn.SUBJECT))
            for r in range(model.rowCount())]


def choose(qtbot, combo, text_: str) -> None:
    """Pick an entry with the keyboard: focus the box, walk down to it."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    while combo.currentText() != text_:
        before = combo.currentIndex()
        QTest.keyClick(combo, Qt.Key.Key_Down)
        assert combo.currentIndex() != before, f"{text_} not offered"


def wait_found(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.found is not None, timeout=WAIT)


def test_the_events_a_person_just_caused(qtbot, page, env, screenshot_dir):
    admin = env.as_(Role.ADMIN)
    env.desk.add_user(admin, "zhaoliu", "zhaoliu-pass", Role.CLERK, "赵六")
    zhaoliu = env.desk.login("zhaoliu", "zhaoliu-pass")
    env.desk.change_own_password(zhaoliu, "zhaoliu-pass", "zhaoliu-new-pass")
    page.load_people()
    qtbot.waitUntil(lambda: page.person.findData("zhaoliu") >= 0, timeout=WAIT)
    choose(qtbot, page.person, "zhaoliu")
    wait_found(qtbot, page)
    assert shown(page) == [("zhaoliu", "修改本人密码", "zhaoliu"), ("zhaoliu", "登录", "")]
    assert page.count.text() == S.COUNT.format(total=2)
    assert page.model.index(0, EventColumn.COUNTER).data() == "三号窗口"
    choose(qtbot, page.person, S.ALL)
    choose(qtbot, page.action, "添加人员")
    wait_found(qtbot, page)
    assert shown(page)[0] == ("管理员", "添加人员", "zhaoliu")
    assert "角色：窗口人员" in page.model.index(0, EventColumn.DETAILS).data()
    yesterday = date.today() - timedelta(days=1)
    type_into(page.date_to.edit, yesterday.isoformat())
    wait_found(qtbot, page)
    assert shown(page) == [] and page.count.text() == S.NONE
    type_into(page.date_to.edit, (date.today() - timedelta(days=40)).strftime("%Y%m%d"))
    qtbot.waitUntil(lambda: page.count.text() == "起始日期不能晚于截止日期", timeout=WAIT)
    page.date_to.setDate(QDate(date.today()))
    choose(qtbot, page.action, S.ALL)
    wait_found(qtbot, page)
    assert page.chain_label.text() == S.CHAIN_OK.format(count=page.chain.count)
    assert GREEN in page.chain_label.styleSheet()
    for size in ((1024, 768), (1920, 1080)):
        page.resize(*size)
        QTest.qWait(100)
        assert page.grab().save(str(screenshot_dir / f"audit-page-{size[0]}x{size[1]}.png"))


def test_a_broken_chain_shows_red(qtbot, page, env, db):
    assert page.chain.ok
    tamper(db, "UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")  # as a hostile DBA would
    qtbot.mouseClick(page.verify_button, LEFT)
    qtbot.waitUntil(lambda: page.chain is not None, timeout=WAIT)
    assert not page.chain.ok
    assert page.chain_label.text() == S.CHAIN_BROKEN.format(problem="审计链第 2 条事件被改动（散列不符）")
    assert RED in page.chain_label.styleSheet()


def test_every_action_has_a_chinese_name():
    from core.states import AuditAction

    assert set(S.ACTIONS) == {a.value for a in AuditAction}


def test_event_details_read_in_chinese():
    """A verification's details as the viewer shows them: no English verdicts or kinds."""
    from desktop.views.audit_page import details_text

    assert details_text({"status": "valid", "offline": False}) == "结论：有效，离线：否"
    assert details_text({"status": "malformed"}) == "结论：无法识别"
    assert details_text({"kind": "penalties", "accepted": 3}) == "类型：行政处罚，接收：3"
