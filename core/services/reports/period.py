"""The report period: one rule, pure, no database.

A report always covers a window that ends on its issue date: 近N年, or a start the person
chooses. A window that ends earlier would let an old clean record stand for today (a report
for 2021-01-01..2023-12-31 issued in 2026 hides every 2026 penalty), so it is refused.

近N年 is counted as 民法典 art. 201 and 202 count periods of years: the day the period is
counted from is not itself counted, and the period ends on the corresponding day. Counted
backwards from the issue date, the uncounted day is the same date N years earlier, and the
window starts on the day after it: issued 2026-11-27, 近3年 is 2023-11-28 … 2026-11-27, both
ends included (exactly three years, not three years and a day).

29 February: when the year N years earlier has no 29 February, art. 202's rule for a missing
corresponding day (the last day of that month) gives 28 February as the uncounted day, so the
window starts on 1 March: issued 2028-02-29, 近1年 is 2027-03-01 … 2028-02-29 (366 days, as
that year holds 29 February). Issued 2028-02-28 gives the same start, 2027-03-01.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from core.errors import InvalidRequest
from core.policy import Profile

_ONE_DAY = timedelta(days=1)
_LABELLED_YEARS = range(1, 11)  # how far `label` looks for a 近N年 the dates happen to match


def years_before(day: date, years: int) -> date:
    """The same month and day `years` earlier; 29 February without one becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def preset_start(end: date, years: int) -> date:
    """First day of 近`years`年 ending on `end`: the day after the same date `years` earlier."""
    return years_before(end, years) + _ONE_DAY


@dataclass(frozen=True)
class Period:
    """A report window, both ends included; `end` is always the issue date."""

    start: date
    end: date

    @property
    def years(self) -> int | None:
        """N when this window is exactly 近N年 ending on `end`, else None."""
        return next((n for n in _LABELLED_YEARS if preset_start(self.end, n) == self.start), None)

    @property
    def label(self) -> str | None:
        """"近3年" for a preset window; None for a window chosen by its start date."""
        return None if self.years is None else f"近{self.years}年"


def report_period(profile: Profile, issue_date: date, *, years: int | None = None,
                  start: date | None = None, end: date | None = None) -> Period:
    """The window a report issued on `issue_date` covers, or InvalidRequest saying why not.

    `years`: a preset (近N年). `start`: a chosen first day. Neither: the profile's default
    preset. `end` may be given only as the issue date itself (the CLI's --to).
    """
    if end is not None and end != issue_date:
        if end < issue_date:
            raise InvalidRequest(
                f"查询期间必须截至出具日 {issue_date}：截止日期 {end} 已经过去，"
                f"这样的报告会遗漏 {end + _ONE_DAY} 以后的行政处罚，因此不予出具")
        raise InvalidRequest(f"截止日期 {end} 晚于出具日 {issue_date}：查询期间必须截至出具日")
    if years is not None and start is not None:
        raise InvalidRequest("不能同时指定“近几年”和开始日期，请只选其一")
    if years is not None:
        return _preset(profile, issue_date, years, chosen=True)
    if start is None:
        return _preset(profile, issue_date, profile.default_years, chosen=False)
    return _custom(profile, issue_date, start)


def _preset(profile: Profile, issue_date: date, years: int, *, chosen: bool) -> Period:
    if isinstance(years, bool) or not isinstance(years, int) or years < 1:
        raise InvalidRequest(f"查询期间“近{years}年”无效，应为 1 至 {profile.max_years} 年")
    if years > profile.max_years:
        raise InvalidRequest(
            f"查询期间“近{years}年”超过政策允许的 {profile.max_years} 年，请选择更短的期间")
    start = preset_start(issue_date, years)
    if start >= profile.data_start:
        return Period(start, issue_date)
    if not chosen:
        # Nothing was asked for: the default covers what the platform holds, and the report
        # prints its real dates (never 近N年) because `Period.label` only names exact presets.
        return Period(profile.data_start, issue_date)
    raise InvalidRequest(
        f"近{years}年应从 {start} 算起，早于平台归集数据的起始日 {profile.data_start}，"
        f"无法出具该期间的报告；请选择较短的期间，或自 {profile.data_start} 起的自定义期间")


def _custom(profile: Profile, issue_date: date, start: date) -> Period:
    if start > issue_date:
        raise InvalidRequest(f"开始日期 {start} 晚于出具日 {issue_date}，查询期间不能从未来开始")
    if start < profile.data_start:
        raise InvalidRequest(
            f"开始日期 {start} 早于数据归集起始日 {profile.data_start}，"
            "此前的记录未归集，无法出具该期间的报告")
    earliest = preset_start(issue_date, profile.max_years)
    if start < earliest:
        raise InvalidRequest(
            f"查询期间 {start} 至 {issue_date} 超过政策允许的 {profile.max_years} 年"
            f"（截至出具日，最早可从 {earliest} 开始）")
    return Period(start, issue_date)


def earliest_start(profile: Profile, issue_date: date) -> date:
    """The earliest first day a window issued on `issue_date` may have (for date pickers)."""
    return max(profile.data_start, preset_start(issue_date, profile.max_years))

