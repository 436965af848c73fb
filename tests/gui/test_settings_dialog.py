"""设置 (管理员) on SQLite and PostgreSQL: set every value with keyboard and mouse, save, reopen —
the values are kept, this PC's file lands under CREDITDESK_HOME, the deployment's validity is in
the database; a refused value keeps the dialog open; an old or garbled settings file upgrades to
defaults without a crash."""
from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.db.installation import read_counter_name
from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from desktop.services.context import DeskContext
from desktop.services.events import AppEvents
from desktop.services.settings import (FILE_NAME, IDLE_LOCK_MINUTES, VERDICT_SOUND, VERSION, UiSettings,
                                       default_path)
from desktop.services.tasks import TaskRunner
from desktop.views.settings_dialog import SettingsDialog
from tests.desks import make_desk
from tests.gui.modal_answers import WAIT, answer_next_dialog, type_into

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("CREDITDESK_HOME", str(home))
    monkeypatch.delenv("CREDITDESK_COUNTER", raising=False)
    monkeypatch.delenv("CREDITDESK_VERIFY_HOST", raising=False)
    return home


@pytest.fixture
def env(db, profile, tmp_path, home):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date.today() - timedelta(days=400))
    return make_desk(db, profile, keys, counter="三号窗口")


@pytest.fixture
def open_dialog(qtbot, env):
    runners = []

    def open_(role: Role = Role.ADMIN) -> SettingsDialog:
        tasks = TaskRunner(AppEvents())
        runners.append(tasks)
        ctx = DeskContext(env.desk, tasks, env.as_(role), UiSettings(), tasks.events)  # the app's default place
        dialog = SettingsDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=WAIT)
        return dialog

    yield open_
    for tasks in runners:
        tasks.wait()


def save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert dialog.result() == 1


def test_settings_round_trip(qtbot, open_dialog, env, home, screenshot_dir):
    dialog = open_dialog()
    assert dialog.counter.text() == "三号窗口" and dialog.idle.value() == 10
    assert dialog.validity.value() == 30 and not dialog.sound.isChecked()
    assert dialog.profile.currentData().in_use
    for size in ((1024, 768), (1920, 1080)):
        dialog.resize(min(size[0], dialog.sizeHint().width() + 200), dialog.sizeHint().height())
        QTest.qWait(50)
        assert dialog.grab().save(str(screenshot_dir / f"settings-dialog-{size[0]}.png"))
    type_into(dialog.counter, "吴中区政务服务中心 3 号窗口")
    type_into(dialog.idle, "25")
    dialog.sound.setFocus()
    QTest.keyClick(dialog.sound, Qt.Key.Key_Space)
    assert dialog.sound.isChecked()
    type_into(dialog.validity, "45")
    save(qtbot, dialog)

    again = open_dialog()
    assert again.counter.text() == "吴中区政务服务中心 3 号窗口"
    assert (again.idle.value(), again.sound.isChecked(), again.validity.value()) == (25, True, 45)
    assert Path(again.ctx.settings.file_name) == home / FILE_NAME == default_path()
    text = (home / FILE_NAME).read_text()
    assert "idle_lock_minutes=25" in text and f"version={VERSION}" in text
    assert read_counter_name(home) == "吴中区政务服务中心 3 号窗口"
    assert env.desk.login("张三", "test-password-1").counter == "吴中区政务服务中心 3 号窗口"
    assert env.desk.settings.validity_days == 45


def test_a_refused_value_keeps_the_dialog_open(qtbot, open_dialog):
    dialog = open_dialog()
    type_into(dialog.counter, "x")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: "窗口名称应为 2–40 个字" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible() and dialog.counter.text() == "x" and dialog.save_button.isEnabled()


def test_the_verification_host_is_chosen_once_for_every_counter(qtbot, open_dialog, env, screenshot_dir):
    dialog = open_dialog()
    assert dialog.verify_host.text() == "CREDITDESK.EXAMPLE"
    note = dialog.verify_host_note.text()
    assert "尚未为全部窗口设置核验网址" in note and "默认值，不能访问" in note  # said in red, before any report
    type_into(dialog.verify_host, "https://xybg.example.gov.cn")
    qtbot.mouseClick(dialog.save_button, LEFT)
    qtbot.waitUntil(lambda: "核验网址的主机名无效" in dialog.message.text(), timeout=WAIT)
    assert dialog.isVisible() and dialog.verify_host.text() == "https://xybg.example.gov.cn"
    type_into(dialog.verify_host, "xybg.example.gov.cn:8443")
    assert dialog.grab().save(str(screenshot_dir / "settings-dialog-verify-host.png"))
    save(qtbot, dialog)

    again = open_dialog()
    assert again.verify_host.text() == "XYBG.EXAMPLE.GOV.CN:8443"
    assert "尚未" not in again.verify_host_note.text()
    assert env.desk.settings.verify_host == "XYBG.EXAMPLE.GOV.CN:8443"
    events = env.desk.audit_events(env.as_(Role.ADMIN), limit=20)
    assert [e.details["to"] for e in events if e.subject == "verify_host"] == ["XYBG.EXAMPLE.GOV.CN:8443"]
    save(qtbot, again)  # nothing changed: no second event
    events = env.desk.audit_events(env.as_(Role.ADMIN), limit=20)
    assert len([e for e in events if e.subject == "verify_host"]) == 1


def test_only_the_administrator_has_the_settings_button(qtbot, env, tmp_path):
    from desktop.views.main_window import MainWindow

    for role in Role:
        tasks = TaskRunner(AppEvents())
        window = MainWindow(DeskContext(env.desk, tasks, env.as_(role), UiSettings(tmp_path / "ui.ini"),
                                        tasks.events))
        qtbot.addWidget(window)
        assert (window.settings_button is not None) == (role is Role.ADMIN)
        if role is Role.ADMIN:
            window.show()
            qtbot.waitExposed(window)

            def shorten(dialog):
                qtbot.waitUntil(lambda: dialog.loaded is not None, timeout=WAIT)
                type_into(dialog.idle, "3")
                save(qtbot, dialog)

            answer_next_dialog(shorten)
            qtbot.mouseClick(window.settings_button, LEFT)
            assert window.idle.timer.interval() == 3 * 60_000  # the idle lock follows at once
        window.close()
        tasks.wait()


def test_an_old_settings_file_upgrades_and_keeps_its_values(home):
    home.mkdir()
    (home / FILE_NAME).write_text("[security]\nidle_lock_minutes=25\n[verify]\nsound=true\n")  # version 1
    ui = UiSettings()
    assert (ui.get(IDLE_LOCK_MINUTES), ui.get(VERDICT_SOUND)) == (25, True)
    text = (home / FILE_NAME).read_text()
    assert f"version={VERSION}" in text and "[verify]" not in text and "[sounds]\nverdict=true" in text


@pytest.mark.parametrize("content", [
    b"\x00\x01garbage[[[\n=\xff\xfe\n",  # not INI at all
    b"[meta]\nversion=banana\n[security]\nidle_lock_minutes=abc\n[sounds]\nverdict=perhaps\n",
    b"[meta]\nversion=99\n[security]\nidle_lock_minutes=100000\n",  # a newer release, out of range
])
def test_a_garbled_settings_file_reads_as_defaults(qtbot, open_dialog, home, content):
    home.mkdir()
    (home / FILE_NAME).write_bytes(content)
    dialog = open_dialog()
    assert (dialog.idle.value(), dialog.sound.isChecked()) == (IDLE_LOCK_MINUTES.default, False)
    type_into(dialog.idle, "12")
    save(qtbot, dialog)
    assert UiSettings().get(IDLE_LOCK_MINUTES) == 12
    kept = list(home.glob(f"{FILE_NAME}.broken-*"))
    assert len(kept) == (1 if content.startswith(b"\x00") else 0)  # nothing lost: the unreadable file is kept


def test_saving_other_settings_does_not_record_the_default_host(qtbot, open_dialog, env):
    dialog = open_dialog()
    type_into(dialog.validity, "40")
    save(qtbot, dialog)
    shown = env.desk.deployment_settings(env.as_(Role.ADMIN))
    assert (shown.validity_days, shown.verify_host_source) == (40, "default")  # still said in red


def test_this_pcs_own_host_becomes_the_deployments_when_saved(qtbot, open_dialog, env, monkeypatch):
    monkeypatch.setenv("CREDITDESK_VERIFY_HOST", "xybg.example.gov.cn")
    env.desk.settings = dataclasses.replace(env.desk.settings, verify_host="XYBG.EXAMPLE.GOV.CN")  # as from_env
    dialog = open_dialog()
    assert dialog.verify_host.text() == "XYBG.EXAMPLE.GOV.CN"
    assert "环境变量 CREDITDESK_VERIFY_HOST" in dialog.verify_host_note.text()
    save(qtbot, dialog)
    shown = env.desk.deployment_settings(env.as_(Role.ADMIN))
    assert (shown.verify_host, shown.verify_host_source) == ("XYBG.EXAMPLE.GOV.CN", "deployment")
