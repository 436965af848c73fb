"""The counter's overview counts the record kinds the deployment's profile carries: under the
national profile 行政强制, 严重失信主体名单 and 刑事裁判 (暂无数据来源 when no court ever sent data)
join 欠缴信息 and 信用修复; under Suzhou's 2024 profile they do not appear."""
from __future__ import annotations

from datetime import date, timedelta

from core.db.models import DishonestListing, Enforcement
from core.services.people.roles import Role
from desktop.views.lookup_page import LookupPage
from tests.gui.conftest import make_actor

WAIT = 15000


def add_other_records(db, code: str) -> None:
    recent = date.today() - timedelta(days=120)
    with db.session() as s:
        s.add(Enforcement(decision_no="苏市监强〔2026〕0001号", uscc=code, party_name="恒达公司",
                          measure="查封场所、设施或者财物", decision_date=recent,
                          organ="苏州市市场监督管理局", source_unit="苏州市市场监督管理局", status="有效"))
        s.add(DishonestListing(uscc=code, party_name="恒达公司", list_name="严重违法失信名单",
                               authority="苏州市市场监督管理局", listed_on=recent,
                               source_unit="苏州市市场监督管理局"))


def overview_of(qtbot, page: LookupPage, uscc: str) -> str:
    page._shown_uscc = ""
    page.load_enterprise(uscc)
    qtbot.waitUntil(lambda: page.enterprise.model.rowCount() == 20, timeout=WAIT)
    return page.enterprise.other_info.text()


def test_the_overview_counts_the_kinds_of_the_profile(qtbot, make_ctx, desk_env, screenshot_dir):
    uscc = desk_env.enterprises["苏州恒达精密机械有限公司"]
    add_other_records(desk_env.db, uscc)
    desk_env.desk.use_profile(make_actor(Role.ADMIN), "national-2025")
    page = LookupPage(make_ctx(Role.CLERK))
    qtbot.addWidget(page)
    page.resize(1366, 720)
    page.show()

    words = overview_of(qtbot, page, uscc)
    assert words.split("　　") == ["欠缴信息 0 条", "信用修复 0 条", "行政强制 1 条",
                                  "严重失信主体名单 1 条", "刑事裁判 暂无数据来源"]
    assert "#b3261e" in page.enterprise.other_info.styleSheet()  # stands out in red
    assert page.grab().save(str(screenshot_dir / "overview_national_kinds.png"))

    plain = desk_env.enterprises["昆山市玉山镇明远餐饮店"]
    assert overview_of(qtbot, page, plain).split("　　") == [
        "欠缴信息 0 条", "信用修复 0 条", "行政强制 0 条", "严重失信主体名单 0 条", "刑事裁判 暂无数据来源"]
    assert "#b3261e" not in page.enterprise.other_info.styleSheet()

    desk_env.desk.use_profile(make_actor(Role.ADMIN), "suzhou-2024", "苏府办〔2026〕12号", date(2099, 12, 31))
    assert overview_of(qtbot, page, uscc).split("　　") == ["欠缴信息 0 条", "信用修复 0 条"]
