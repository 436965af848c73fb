"""The counter page when the deployment's policy profile is out of its period: a red banner and
no 出具 / 预览; with the extension recorded (or a profile in force) both come back."""
from __future__ import annotations

from core.services.people.roles import Role
from desktop.views.report_panel import ReportPanel
from tests.gui.conftest import make_actor

WAIT = 15000


def test_banner_and_disabled_issue_outside_the_period(qtbot, make_ctx, desk_env, screenshot_dir):
    admin = make_actor(Role.ADMIN)
    desk_env.desk.use_profile(admin, "suzhou-2024")  # as published: ended 2026-02-28
    ctx = make_ctx(Role.CLERK)
    panel = ReportPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1200, 760)
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    panel.set_enterprise(desk_env.desk.overview(make_actor(), uscc))
    qtbot.waitUntil(lambda: panel.profile_banner.isVisibleTo(panel), timeout=WAIT)
    words = panel.profile_banner.text()
    assert "苏府规字〔2024〕1号" in words and "2026-02-28" in words and words.startswith("暂停出具")
    assert not panel.issue_button.isEnabled() and not panel.preview_button.isEnabled()
    assert "2026-02-28" in panel.issue_button.toolTip()
    panel.show()
    assert panel.grab().save(str(screenshot_dir / "counter_profile_ended.png"))

    desk_env.desk.use_profile(admin, "suzhou-2024", "苏府办〔2026〕12号", desk_env.profile.valid_to.replace(year=2099))
    panel.set_enterprise(desk_env.desk.overview(make_actor(), uscc))  # the next enterprise asks again
    qtbot.waitUntil(lambda: not panel.profile_banner.isVisibleTo(panel), timeout=WAIT)
    assert panel.issue_button.isEnabled() and panel.preview_button.isEnabled()
