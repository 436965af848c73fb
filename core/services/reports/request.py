"""The report request a counter builds step by step: plain state, checked by the policy rules."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from core.domain import PURPOSES
from core.errors import InvalidRequest
from core.policy import Profile
from core.services.reports.period import resolve_period, years_before

PRESETS = {"近1年": 1, "近2年": 2, "近3年": 3}


@dataclass(frozen=True)
class ReportRequest:
    uscc: str
    domains: tuple[int, ...]
    period_from: date
    period_to: date
    purpose: str = "其他"

    @classmethod
    def default(cls, profile: Profile, uscc: str, today: date) -> "ReportRequest":
        start, end = resolve_period(profile, today)
        return cls(uscc, profile.domain_codes, start, end)

    def with_preset(self, years: int, today: date) -> "ReportRequest":
        return replace(self, period_from=years_before(today, years), period_to=today)

    def check(self, profile: Profile, today: date) -> "ReportRequest":
        """The same request, or InvalidRequest saying in Chinese what is wrong with it."""
        if not self.domains:
            raise InvalidRequest("请至少选择一个领域")
        if self.purpose not in PURPOSES:
            raise InvalidRequest(f"请选择报告用途（{'、'.join(PURPOSES)}）")
        resolve_period(profile, today, self.period_from, self.period_to)
        return self


def presets_for(profile: Profile) -> dict[str, int]:
    """近1年 … up to the profile's maximum (national: also 近5年)."""
    return {f"近{n}年": n for n in range(1, profile.max_years + 1) if n in (1, 2, 3, 5)}
