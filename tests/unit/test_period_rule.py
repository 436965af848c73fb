"""The period rule: a report's window always ends on its issue date (core/services/reports/period.py)."""
from __future__ import annotations

from datetime import date

import pytest

from core.errors import InvalidRequest
from core.policy import load_profile
from core.services.reports.period import Period, earliest_start, preset_start, report_period
from core.services.reports.request import ReportRequest

SUZHOU = load_profile("suzhou-2024")
NATIONAL = load_profile("national-2025")
CODE = "91350100M000100Y43"


@pytest.mark.parametrize(
    "issued, years, start",
    [
        (date(2026, 11, 27), 1, date(2025, 11, 28)),
        (date(2026, 11, 27), 2, date(2024, 11, 28)),
        (date(2026, 11, 27), 3, date(2023, 11, 28)),
        (date(2026, 1, 1), 1, date(2025, 1, 2)),
        (date(2026, 12, 31), 1, date(2026, 1, 1)),  # a calendar year, exactly
        # 29 February: no 29 February N years earlier -> the uncounted day is 28 February.
        (date(2028, 2, 29), 1, date(2027, 3, 1)),
        (date(2028, 2, 29), 2, date(2026, 3, 1)),
        (date(2028, 2, 29), 3, date(2025, 3, 1)),
        (date(2028, 2, 28), 1, date(2027, 3, 1)),  # the same start as the day after
        (date(2029, 2, 28), 1, date(2028, 2, 29)),  # the window holds the leap day
        (date(2028, 3, 1), 1, date(2027, 3, 2)),
    ],
)
def test_presets_end_on_the_issue_date_and_start_the_day_after(issued, years, start):
    period = report_period(SUZHOU, issued, years=years)
    assert (period.start, period.end) == (start, issued)
    assert period.label == f"近{years}年"
    assert preset_start(issued, years) == start


@pytest.mark.parametrize(
    "issued, days",
    [(date(2026, 11, 27), 365), (date(2028, 2, 29), 366), (date(2029, 2, 28), 366), (date(2027, 2, 28), 365)],
)
def test_one_year_is_never_a_year_and_a_day(issued, days):
    period = report_period(SUZHOU, issued, years=1)
    assert (period.end - period.start).days + 1 == days


def test_the_default_is_the_profiles_preset():
    assert report_period(SUZHOU, date(2026, 11, 27)) == Period(date(2023, 11, 28), date(2026, 11, 27))


def test_the_default_before_three_years_of_data_starts_with_the_data_and_is_not_called_a_preset():
    period = report_period(SUZHOU, date(2023, 6, 1))
    assert period == Period(date(2021, 1, 1), date(2023, 6, 1)) and period.label is None


@pytest.mark.parametrize(
    "issued, start, label",
    [
        (date(2026, 11, 27), date(2023, 11, 28), "近3年"),  # the earliest allowed start
        (date(2026, 11, 27), date(2026, 1, 1), None),
        (date(2026, 11, 27), date(2026, 11, 27), None),  # one day: the issue date itself
        (date(2023, 12, 1), date(2021, 1, 1), None),  # the earliest data date
    ],
)
def test_custom_start(issued, start, label):
    period = report_period(SUZHOU, issued, start=start)
    assert (period.start, period.end, period.label) == (start, issued, label)


@pytest.mark.parametrize(
    "profile, issued, kw, says",
    [
        (SUZHOU, date(2026, 11, 27), {"start": date(2021, 1, 1), "end": date(2023, 12, 31)},
         "查询期间必须截至出具日 2026-11-27：截止日期 2023-12-31 已经过去，这样的报告会遗漏 2024-01-01 以后的行政处罚"),
        (SUZHOU, date(2026, 11, 27), {"end": date(2026, 11, 26)}, "必须截至出具日 2026-11-27"),
        (SUZHOU, date(2026, 11, 27), {"years": 1, "end": date(2026, 6, 30)}, "必须截至出具日"),
        (SUZHOU, date(2026, 11, 27), {"end": date(2026, 11, 28)}, "截止日期 2026-11-28 晚于出具日 2026-11-27"),
        (SUZHOU, date(2026, 11, 27), {"start": date(2023, 11, 27)},
         "超过政策允许的 3 年（截至出具日，最早可从 2023-11-28 开始）"),
        (SUZHOU, date(2026, 11, 27), {"start": date(2026, 11, 28)}, "开始日期 2026-11-28 晚于出具日"),
        (SUZHOU, date(2024, 3, 1), {"start": date(2020, 12, 31)}, "早于数据归集起始日 2021-01-01"),
        (SUZHOU, date(2026, 11, 27), {"years": 5}, "近5年”超过政策允许的 3 年"),
        (SUZHOU, date(2026, 11, 27), {"years": 0}, "无效"),
        (SUZHOU, date(2026, 11, 27), {"years": 1, "start": date(2026, 1, 1)}, "只选其一"),
        (SUZHOU, date(2023, 6, 1), {"years": 3}, "近3年应从 2020-06-02 算起，早于平台归集数据的起始日 2021-01-01"),
        (NATIONAL, date(2025, 7, 1), {"years": 5}, "近5年应从 2020-07-02 算起"),
    ],
    ids=["old-window", "ends-yesterday", "preset-with-past-end", "ends-tomorrow", "longer-than-3-years",
         "starts-after-issue", "before-data", "preset-over-max", "preset-zero", "preset-and-start",
         "preset-before-data", "national-5-years-before-data"],
)
def test_refused_windows_say_why(profile, issued, kw, says):
    with pytest.raises(InvalidRequest) as refused:
        report_period(profile, issued, **kw)
    assert says in str(refused.value)


def test_national_profile_allows_five_years():
    period = report_period(NATIONAL, date(2026, 11, 27), years=5)
    assert (period.start, period.end) == (date(2021, 11, 28), date(2026, 11, 27))
    assert earliest_start(NATIONAL, date(2026, 11, 27)) == date(2021, 11, 28)
    assert earliest_start(SUZHOU, date(2026, 11, 27)) == date(2023, 11, 28)
    assert earliest_start(SUZHOU, date(2023, 6, 1)) == date(2021, 1, 1)


def test_the_end_given_as_the_issue_date_is_accepted():
    assert report_period(SUZHOU, date(2026, 11, 27), start=date(2026, 1, 1), end=date(2026, 11, 27)).end \
        == date(2026, 11, 27)


def test_a_preset_request_follows_the_day_it_is_checked_for():
    request = ReportRequest(CODE).with_preset(1)
    first = request.check(SUZHOU, date(2026, 11, 27))
    assert (first.period_from, first.period_to) == (date(2025, 11, 28), date(2026, 11, 27))
    next_day = first.on(SUZHOU, date(2026, 11, 28))
    assert (next_day.period_from, next_day.period_to) == (date(2025, 11, 29), date(2026, 11, 28))


def test_a_custom_start_keeps_its_start_and_moves_its_end():
    request = ReportRequest(CODE).with_start(date(2026, 1, 1))
    checked = request.check(SUZHOU, date(2026, 11, 27)).on(SUZHOU, date(2026, 11, 30))
    assert (checked.period_from, checked.period_to) == (date(2026, 1, 1), date(2026, 11, 30))


def test_a_request_with_a_past_end_is_refused_when_checked():
    request = ReportRequest(CODE, None, date(2021, 1, 1), date(2023, 12, 31))
    with pytest.raises(InvalidRequest, match="必须截至出具日 2026-11-27"):
        request.check(SUZHOU, date(2026, 11, 27))
