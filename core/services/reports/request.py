"""The report request: what a counter (or a script) asks for, and the checked value it becomes.

A `ReportRequest` is plain state as the person builds it (any field may still be missing or
wrong). `check()` turns it, once, into a `CheckedRequest`: the code normalised, the domains
known and sorted, the period resolved against the policy, the purpose valid. The checked value
then travels whole to the use case, the assembler and the issuer, which trust it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from core import uscc as uscc_rules
from core.domain import PURPOSES
from core.errors import InvalidRequest
from core.policy import Profile
from core.services.reports.period import resolve_period, years_before

PRESETS = {"近1年": 1, "近2年": 2, "近3年": 3}
DEFAULT_PURPOSE = "其他"


@dataclass(frozen=True)
class ReportRequest:
    uscc: str
    domains: tuple[int, ...] | None = None  # None: every domain of the profile
    period_from: date | None = None  # None: the profile's default window
    period_to: date | None = None
    purpose: str = DEFAULT_PURPOSE

    @classmethod
    def default(cls, profile: Profile, uscc: str, today: date) -> "ReportRequest":
        start, end = resolve_period(profile, today)
        return cls(uscc, profile.domain_codes, start, end)

    def with_preset(self, years: int, today: date) -> "ReportRequest":
        return replace(self, period_from=years_before(today, years), period_to=today)

    def check(self, profile: Profile, today: date) -> "CheckedRequest":
        """The checked request, or InvalidRequest saying in Chinese what is wrong with it."""
        code = uscc_rules.validate(self.uscc)
        domains = choose_domains(profile, self.domains)
        purpose = (self.purpose or DEFAULT_PURPOSE).strip()
        if purpose not in PURPOSES:
            raise InvalidRequest(f"用途“{purpose}”无效，应为：{'、'.join(PURPOSES)}")
        start, end = resolve_period(profile, today, self.period_from, self.period_to)
        return CheckedRequest(code, domains, start, end, purpose, today, profile.id, self)


@dataclass(frozen=True)
class CheckedRequest:
    """A request the policy accepts, for one report date. Made only by `ReportRequest.check`."""

    uscc: str
    domains: tuple[int, ...]
    period_from: date
    period_to: date
    purpose: str
    report_date: date
    profile_id: str
    source: ReportRequest  # what was asked, as asked

    def on(self, profile: Profile, today: date) -> "CheckedRequest":
        """This request for `today` under `profile`: itself when nothing changed since the check."""
        if (self.report_date, self.profile_id) == (today, profile.id):
            return self
        return self.source.check(profile, today)


def choose_domains(profile: Profile, domains) -> tuple[int, ...]:
    if domains is None:
        return profile.domain_codes
    chosen = sorted(set(domains))
    if not chosen:
        raise InvalidRequest("请至少选择一个领域")
    unknown = [c for c in chosen if c not in profile.domain_codes]
    if unknown:
        raise InvalidRequest(f"领域代码 {'、'.join(map(str, unknown))} 不在政策范围内")
    return tuple(chosen)


def presets_for(profile: Profile) -> dict[str, int]:
    """近1年 … up to the profile's maximum (national: also 近5年)."""
    return {f"近{n}年": n for n in range(1, profile.max_years + 1) if n in (1, 2, 3, 5)}
