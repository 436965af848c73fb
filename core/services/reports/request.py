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
from core.services.reports.period import report_period

PRESETS = {"近1年": 1, "近2年": 2, "近3年": 3}
DEFAULT_PURPOSE = "其他"


@dataclass(frozen=True)
class ReportRequest:
    uscc: str
    domains: tuple[int, ...] | None = None  # None: every domain of the profile
    period_from: date | None = None  # a chosen first day; None: a preset (近N年)
    period_to: date | None = None  # None, or the issue date itself: a report ends on the day it is issued
    purpose: str = DEFAULT_PURPOSE
    years: int | None = None  # 近N年; with no period_from either, the profile's default_years

    @classmethod
    def default(cls, profile: Profile, uscc: str, today: date) -> "ReportRequest":
        """Every domain over the default preset. `today` is not stored: a preset ends on the
        day the request is checked for."""
        return cls(uscc, profile.domain_codes)

    def with_preset(self, years: int, today: date | None = None) -> "ReportRequest":
        """近`years`年, ending on whatever day the request is checked for."""
        return replace(self, period_from=None, period_to=None, years=years)

    def with_start(self, start: date) -> "ReportRequest":
        """A window chosen by its first day, ending on the issue date."""
        return replace(self, period_from=start, period_to=None, years=None)

    def check(self, profile: Profile, today: date) -> "CheckedRequest":
        """The checked request, or InvalidRequest saying in Chinese what is wrong with it."""
        code = uscc_rules.validate(self.uscc)
        domains = choose_domains(profile, self.domains)
        purpose = (self.purpose or DEFAULT_PURPOSE).strip()
        if purpose not in PURPOSES:
            raise InvalidRequest(f"用途“{purpose}”无效，应为：{'、'.join(PURPOSES)}")
        period = report_period(profile, today, years=self.years, start=self.period_from,
                               end=self.period_to)
        return CheckedRequest(code, domains, period.start, period.end, purpose, today, profile.id, self)


@dataclass(frozen=True)
class CheckedRequest:
    """A request the policy accepts, for one report date. Made only by `ReportRequest.check`."""

    uscc: str
    domains: tuple[int, ...]
    period_from: date
    period_to: date  # always report_date
    purpose: str
    report_date: date
    profile_id: str
    source: ReportRequest  # what was asked, as asked

    def on(self, profile: Profile, today: date) -> "CheckedRequest":
        """This request for `today` under `profile`: itself when nothing changed since the check."""
        if (self.report_date, self.profile_id) == (today, profile.id):
            return self
        return self.source.check(profile, today)


class ProfileNotInForce(InvalidRequest):
    """The deployment's profile (with any recorded extension) does not apply on the report date."""


def require_in_force(profile: Profile, today: date) -> None:
    """Issuing and previewing only on a day the profile is in force: else one sentence naming the
    profile and its end (or start), and the extension if one is recorded."""
    reason = profile.not_in_force(today)
    if reason:
        raise ProfileNotInForce(reason)


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
