"""Honest periods, on both databases: every report ends on its issue date, and its PDF says so."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pypdfium2
import pytest

from core.errors import InvalidRequest
from core.services.people.roles import Role
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

ISSUED = datetime(2026, 11, 27, 9, 30)
LEAP_DAY = datetime(2028, 2, 29, 10, 0)


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2026, 1, 1))
    return make_desk(db, profile, keys)


def issue(desk, request: ReportRequest, now: datetime):
    return desk.desk.issue(desk.as_(Role.CLERK), request, now=now)


def pdf_text(pdf: bytes) -> str:
    """All pages' text without white space (lines may break anywhere)."""
    document = pypdfium2.PdfDocument(pdf)
    return re.sub(r"\s+", "", "".join(page.get_textpage().get_text_range() for page in document))


def cn(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.mark.parametrize(
    "now, period, start, label",
    [
        (ISSUED, {}, date(2023, 11, 28), "近3年"),  # nothing chosen: the profile's default
        (ISSUED, {"years": 1}, date(2025, 11, 28), "近1年"),
        (ISSUED, {"years": 2}, date(2024, 11, 28), "近2年"),
        (ISSUED, {"years": 3}, date(2023, 11, 28), "近3年"),
        (LEAP_DAY, {"years": 1}, date(2027, 3, 1), "近1年"),  # no 2027-02-29: 2027-02-28 is not counted
        (LEAP_DAY, {"years": 3}, date(2025, 3, 1), "近3年"),
        (ISSUED, {"period_from": date(2026, 5, 1)}, date(2026, 5, 1), None),
        (ISSUED, {"period_from": date(2023, 11, 28), "period_to": date(2026, 11, 27)}, date(2023, 11, 28), "近3年"),
    ],
    ids=["default", "1-year", "2-years", "3-years", "leap-day-1-year", "leap-day-3-years", "custom-start",
         "custom-equal-to-3-years"],
)
def test_issued_period_exact_dates_and_printed(db, desk, now, period, start, label):
    code = add_enterprise(db)
    end = now.date()
    uncounted = add_penalty(db, code, start - timedelta(days=1))
    first = add_penalty(db, code, start)
    last = add_penalty(db, code, end)
    result = issue(desk, ReportRequest(code, **period), now)

    assert (result.content.period_from, result.content.period_to) == (start, end)
    listed = [v.decision_no for v in result.content.violations]
    assert first in listed and last in listed and uncounted not in listed
    text = pdf_text(result.pdf)
    dates = f"{cn(start)}至{cn(end)}"
    if label:
        assert f"查询期间{label}（{dates}）" in text
    else:
        assert f"查询期间{dates}" in text
        assert not re.search(r"近\d年", text)  # a chosen window is never called 近N年
    assert f"本报告的查询期间为{label + '（' + dates + '）' if label else dates}，起止日均计算在内" in text
    assert "查询期间一律截至出具日，最长为3年" in text


@pytest.mark.parametrize(
    "period, says",
    [
        # The window from the issue: a clean 2021-2023 report would hide the 2026 penalty.
        ({"period_from": date(2021, 1, 1), "period_to": date(2023, 12, 31)},
         "查询期间必须截至出具日 2026-11-27：截止日期 2023-12-31 已经过去"),
        ({"period_to": date(2026, 11, 26)}, "截止日期 2026-11-26 已经过去"),
        ({"years": 2, "period_to": date(2026, 6, 30)}, "必须截至出具日 2026-11-27"),
        ({"period_to": date(2026, 11, 28)}, "截止日期 2026-11-28 晚于出具日 2026-11-27"),
        ({"period_from": date(2023, 11, 27)}, "超过政策允许的 3 年（截至出具日，最早可从 2023-11-28 开始）"),
        ({"period_from": date(2020, 12, 31)}, "早于数据归集起始日 2021-01-01"),
        ({"period_from": date(2026, 11, 28)}, "晚于出具日 2026-11-27"),
        ({"years": 5}, "近5年”超过政策允许的 3 年"),
    ],
    ids=["old-window", "ends-yesterday", "preset-with-past-end", "ends-tomorrow", "a-day-over-3-years",
         "before-earliest-data", "starts-tomorrow", "5-years-in-suzhou"],
)
def test_refused_windows_number_nothing(db, desk, period, says):
    code = add_enterprise(db)
    hidden = add_penalty(db, code, date(2026, 3, 1))
    with pytest.raises(InvalidRequest) as refused:
        issue(desk, ReportRequest(code, **period), ISSUED)
    assert says in str(refused.value)
    honest = issue(desk, ReportRequest(code), ISSUED)  # the first number: the refusal used none
    assert honest.report_no == "SZ-2026-00000001"
    assert [v.decision_no for v in honest.content.violations] == [hidden]


def test_the_leap_day_window_holds_366_days(db, desk):
    code = add_enterprise(db)
    result = issue(desk, ReportRequest(code).with_preset(1), LEAP_DAY)
    content = result.content
    assert (content.period_to - content.period_from).days + 1 == 366
    assert "近1年（2027年3月1日至2028年2月29日）" in pdf_text(result.pdf)
