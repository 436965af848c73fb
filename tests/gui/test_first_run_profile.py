"""First run asks which policy the counters issue under (issue 9, part 1): every bundled profile
with its period, one that has ended marked and explained, the one in force chosen by default."""
from __future__ import annotations

from datetime import date

import pytest

from core.usecases import bundled_profiles, default_choice
from core.policy import load_profile
from desktop.views.first_run_dialog import FirstRunDialog

ENDED_DAY = date(2026, 11, 27)  # after 苏府规字〔2024〕1号 (2024-03-01 … 2026-02-28)


class _Tasks:
    def __init__(self):
        self.calls = []

    def write(self, fn, *args, **kwargs):
        self.calls.append(args)


@pytest.fixture
def dialog(qtbot):
    profiles = bundled_profiles(ENDED_DAY)
    default = default_choice(load_profile("suzhou-2024"), ENDED_DAY).profile_id
    tasks = _Tasks()
    shown = FirstRunDialog(lambda *a: None, tasks, profiles=profiles, default_profile=default)
    qtbot.addWidget(shown)
    shown.show()
    return shown, tasks


def test_each_profile_is_offered_with_its_period_and_the_one_in_force_is_chosen(dialog):
    shown, _ = dialog
    items = [shown.profile.box.itemText(i) for i in range(shown.profile.box.count())]
    suzhou = next(text for text in items if "苏府规字〔2024〕1号" in text)
    assert "2024-03-01 至 2026-02-28" in suzhou and suzhou.endswith("（已到期）")
    assert shown.profile.chosen() != "suzhou-2024"  # the ended trial is not the default
    assert load_profile(shown.profile.chosen()).in_force(ENDED_DAY)
    assert not shown.profile.warning.isVisible()


def test_choosing_the_ended_profile_says_what_it_means_and_is_passed_to_setup(dialog, qtbot):
    shown, tasks = dialog
    shown.profile.box.setCurrentIndex(shown.profile.box.findData("suzhou-2024"))
    assert shown.profile.warning.isVisible()
    assert "2026-02-28" in shown.profile.warning.text() and "延长文件" in shown.profile.warning.text()
    assert "苏州市专用信用报告" in shown.profile.name.text()
    for form in (shown.admin, shown.clerk):
        form.password.setText("a-password-1")
        form.password2.setText("a-password-1")
    shown.start.click()
    (args,) = tasks.calls
    assert args[2] == "suzhou-2024"


@pytest.mark.parametrize("typed, told", [
    ("", "请填写窗口名称"),
    ("   ", "请填写窗口名称"),
    ("窗", "窗口名称应为 2–40 个字"),
    ("三号\u202e窗口", "窗口名称应为 2–40 个字"),
])
def test_the_counter_must_be_named(qtbot, typed, told):
    tasks = _Tasks()
    shown = FirstRunDialog(lambda *a: None, tasks, ask_counter=True)
    qtbot.addWidget(shown)
    shown.show()
    shown.counter.setText(typed)
    for form in (shown.admin, shown.clerk):
        form.password.setText("a-password-1")
        form.password2.setText("a-password-1")
    shown.start.click()
    assert told in shown.message.text() and not tasks.calls


def test_the_counter_name_goes_to_setup_and_into_the_data_directory(qtbot, tmp_path, monkeypatch):
    from core.config import Settings
    from core.db.installation import write_marker

    tasks = _Tasks()
    shown = FirstRunDialog(lambda *a: None, tasks, ask_counter=True)
    qtbot.addWidget(shown)
    shown.show()
    shown.counter.setText("  吴中区政务服务中心   3 号窗口 ")
    for form in (shown.admin, shown.clerk):
        form.password.setText("a-password-1")
        form.password2.setText("a-password-1")
    shown.start.click()
    (args,) = tasks.calls
    assert args[-1] == "吴中区政务服务中心 3 号窗口"
    # first_run writes it beside the database; every later start reads it back
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path))
    monkeypatch.delenv("CREDITDESK_COUNTER", raising=False)
    write_marker(tmp_path, "sqlite:///x.sqlite3", args[-1])
    assert Settings.from_env().counter == "吴中区政务服务中心 3 号窗口"


def test_the_log_in_names_the_report_of_the_profile_in_use(qtbot, tmp_path):
    """The log-in heading names what this deployment issues (the app passes its profile's title)."""
    from desktop.services.settings import UiSettings
    from desktop.views.login_dialog import LoginDialog

    national = load_profile("national-2025")
    login = LoginDialog(lambda *a: None, _Tasks(), UiSettings(tmp_path / "ui.ini"),
                        subtitle=f"{national.title}{national.subtitle}")
    qtbot.addWidget(login)
    texts = [label.text() for label in login.findChildren(type(login.message))]
    assert any("专项信用报告" in text for text in texts)
    assert not any("代替企业无违法证明" in text for text in texts)


def test_the_administrators_page_shows_the_policy_in_use(qtbot, make_ctx, desk_env):
    from core.usecases import Role
    from desktop.views.admin_page import AdminPage

    page = AdminPage(make_ctx(Role.ADMIN))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: "出具报告所依据的政策" in page.profile.text(), timeout=5000)
    text = page.profile.text()
    assert "苏府规字〔2024〕1号" in text and "2024-03-01 至 2026-02-28" in text
    assert "已登记延长：测试环境延长文件（非真实文件），至 2099-12-31" in text  # the test installation's
    assert "可以出具报告" in text
