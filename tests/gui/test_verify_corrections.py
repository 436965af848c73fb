"""The 核验 page after an objection corrected a record the scanned report shows: the verdict stays
valid (the report is genuine) and says, visibly, which record was corrected after issue and when."""
from __future__ import annotations

from datetime import date

from core.services.objections.corrections import Correction
from core.services.objections.register import Filing
from core.services.people.users import Role
from tests.gui.conftest import make_actor
from tests.gui.test_verify_page import SCANNER_GAP, open_page, type_digits  # noqa: F401 - fixture


def correct_the_penalty(desk_env) -> str:
    """File, accept, check and resolve 已更正 an objection to the report's one penalty."""
    desk, today = desk_env.desk, date.today()
    (violation,) = desk_env.report.content.violations
    filing = Filing(uscc=desk_env.report.content.enterprise.uscc, record_kind="penalty",
                    record_ref=violation.decision_no, grounds="信息错误", filed_by="张伟")
    oid = desk.file_objection(make_actor(Role.CLERK), filing, today=today).id
    boss = make_actor(Role.SUPERVISOR)
    for action in ("accept", "check"):
        desk.objection_step(boss, oid, action, "按规定办理", today=today)
    desk.objection_step(boss, oid, "resolve", "处罚机关确认金额有误", outcome="已更正", today=today,
                        correction=Correction.from_assignments(["处罚内容=罚款人民币1000元"]))
    return violation.decision_no


def test_a_corrected_record_is_flagged_on_the_valid_verdict(qtbot, open_page, desk_env, screenshot_dir):
    number = correct_the_penalty(desk_env)
    page, clock = open_page(Role.VERIFIER)
    with qtbot.waitSignal(page.verdict_shown, timeout=15000) as shown:
        type_digits(page.scan_field, clock, desk_env.report.issue.qr_digits, SCANNER_GAP)
    verdict = shown.args[0]
    assert verdict.status == "valid" and page.panel.state == "valid"
    flag = f"报告出具后该记录已更正（{date.today().isoformat()}）：{number}"
    assert page.panel.note.isVisible() and flag in page.panel.note.text()
    assert "已更正" in page.panel.reason.text()
    page.grab().save(str(screenshot_dir / "verify-corrected.png"))
