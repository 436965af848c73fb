"""The verification host is the deployment's: chosen once in 设置, printed by every counter.

Both databases; real PDFs whose page-one QR code is decoded. A host row written into the database
by hand (not through 设置, so without its audit event) stops previewing and issuing until an
administrator saves the host again: a host sends every phone that scans a report to its site.
"""
from __future__ import annotations

from datetime import date, datetime

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import text

from core.config import Settings
from core.errors import IntegrityBroken, InvalidRequest
from core.services.people.roles import Role
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from core.states import VerdictStatus
from core.usecases import CounterDesk
from tests.desks import PASSWORD, make_desk
from tests.factories import add_enterprise

NOW = datetime(2026, 11, 27, 9, 30)


@pytest.fixture
def env(db, profile, tmp_path, monkeypatch):
    monkeypatch.delenv("CREDITDESK_VERIFY_HOST", raising=False)
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    return make_desk(db, profile, keys, counter="一号窗口")


def printed_code(pdf: bytes) -> str:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil()
    (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return found.text


def other_counter(db, profile, keys) -> CounterDesk:
    """A second counter PC on the same database, started with nothing configured for the host."""
    desk = CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter="四号窗口"), keys)
    desk.refresh_profile()
    return desk


def test_a_host_saved_at_one_counter_is_printed_by_every_counter(env, db, profile):
    admin = env.as_(Role.ADMIN)
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    before = env.desk.deployment_settings(admin)
    assert (before.verify_host, before.verify_host_source) == ("CREDITDESK.EXAMPLE", "default")

    assert env.desk.set_verify_host(admin, "  xybg.example.gov.cn:8443 ") == "XYBG.EXAMPLE.GOV.CN:8443"
    other = other_counter(db, profile, env.desk.keys)
    clerk = other.login("张三", PASSWORD)
    issued = other.issue(clerk, ReportRequest(code), now=NOW)
    url = printed_code(issued.pdf)
    assert url == f"HTTPS://XYBG.EXAMPLE.GOV.CN:8443/V/{issued.issue.qr_digits}"
    verifier = env.desk.login("核验员", PASSWORD)
    assert env.desk.verify(verifier, url, today=NOW.date()).status == VerdictStatus.VALID
    shown = other.deployment_settings(other.login("管理员", PASSWORD))
    assert (shown.verify_host, shown.verify_host_source, shown.verify_host_problem) == (
        "XYBG.EXAMPLE.GOV.CN:8443", "deployment", None)
    events = env.desk.audit_events(admin, limit=50)
    saved = [e for e in events if e.action == "settings" and e.subject == "verify_host"]
    assert [(e.details["from"], e.details["to"]) for e in saved] == [("CREDITDESK.EXAMPLE", "XYBG.EXAMPLE.GOV.CN:8443")]


def test_a_host_set_on_one_pc_only_gives_way_to_the_deployments(env, db, profile, monkeypatch):
    monkeypatch.setenv("CREDITDESK_VERIFY_HOST", "old.example.gov.cn")
    admin = env.as_(Role.ADMIN)
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    pc = CounterDesk(db, profile, Settings.from_env(db_url=db.url, profile_id=profile.id), env.desk.keys)
    pc.refresh_profile()
    shown = pc.deployment_settings(pc.login("管理员", PASSWORD))
    assert (shown.verify_host, shown.verify_host_source) == ("OLD.EXAMPLE.GOV.CN", "environment")
    env.desk.set_verify_host(admin, "xybg.example.gov.cn")
    clerk = pc.login("张三", PASSWORD)
    issued = pc.issue(clerk, ReportRequest(code), now=NOW)
    assert printed_code(issued.pdf).startswith("HTTPS://XYBG.EXAMPLE.GOV.CN/V/")


@pytest.mark.parametrize("bad", ["https://xybg.example.gov.cn", "xybg.example.gov.cn/v", "核验.中国", "", "a..b",
                                 "xybg.example.gov.cn:70000"])
def test_a_host_that_cannot_be_printed_is_refused_in_chinese(env, db, bad):
    admin = env.as_(Role.ADMIN)
    with pytest.raises(InvalidRequest, match="核验网址的主机名无效"):
        env.desk.set_verify_host(admin, bad)
    assert env.desk.deployment_settings(admin).verify_host_source == "default"


def test_a_host_written_into_the_database_by_hand_stops_issuing_until_saved_again(env, db, profile):
    admin, clerk = env.as_(Role.ADMIN), env.as_(Role.CLERK)
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    env.desk.set_verify_host(admin, "xybg.example.gov.cn")
    with db.engine.begin() as conn:  # someone with database access, not through 设置
        conn.execute(text("UPDATE deployment_settings SET value = :v WHERE key = 'verify_host'"),
                     {"v": '{"host": "EVIL.EXAMPLE.COM"}'})
    pc = other_counter(db, profile, env.desk.keys)
    pc_clerk = pc.login("张三", PASSWORD)
    for attempt in (lambda: pc.issue(pc_clerk, ReportRequest(code), now=NOW),
                    lambda: pc.preview(pc_clerk, ReportRequest(code), now=NOW),
                    lambda: env.desk.issue(clerk, ReportRequest(code), now=NOW)):
        with pytest.raises(IntegrityBroken, match="EVIL.EXAMPLE.COM.*不是在“设置”中保存的"):
            attempt()
    shown = env.desk.deployment_settings(admin)
    assert "EVIL.EXAMPLE.COM" in shown.verify_host_problem
    env.desk.set_verify_host(admin, "xybg.example.gov.cn")  # an administrator saves it again
    issued = pc.issue(pc_clerk, ReportRequest(code), now=NOW)
    assert printed_code(issued.pdf).startswith("HTTPS://XYBG.EXAMPLE.GOV.CN/V/")


def test_a_host_row_deleted_by_hand_falls_back_to_the_pcs_own(env, db, profile):
    admin = env.as_(Role.ADMIN)
    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    env.desk.set_verify_host(admin, "xybg.example.gov.cn")
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM deployment_settings WHERE key = 'verify_host'"))
    issued = env.issue(code, now=NOW)
    assert printed_code(issued.pdf).startswith("HTTPS://CREDITDESK.EXAMPLE/V/")
