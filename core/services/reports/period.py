"""The report period: defaults and the bounds the policy sets. Pure rules, no database."""
from __future__ import annotations

from datetime import date

from core.errors import InvalidRequest
from core.policy import Profile


def years_before(day: date, years: int) -> date:
    """Same month and day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def resolve_period(
    profile: Profile, report_date: date, date_from: date | None = None, date_to: date | None = None
) -> tuple[date, date]:
    """Both ends inclusive. Default: the profile's window ending on the report date."""
    end = date_to or report_date
    start = date_from or years_before(end, profile.default_years)
    if end > report_date:
        raise InvalidRequest(f"结束日期 {end} 不能晚于报告日期 {report_date}")
    if start > end:
        raise InvalidRequest(f"开始日期 {start} 不能晚于结束日期 {end}")
    if start < profile.data_start:
        raise InvalidRequest(
            f"开始日期 {start} 早于数据归集起始日 {profile.data_start}，无法出具该期间的报告"
        )
    if start < years_before(end, profile.max_years):
        raise InvalidRequest(
            f"查询期间 {start} 至 {end} 超过政策允许的 {profile.max_years} 年"
        )
    return start, end
