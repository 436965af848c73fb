"""Policy profiles as plain immutable data (no Qt, no I/O).

A profile describes one rule set (e.g. 苏府规字〔2024〕1号): its validity period,
the domains (领域) a report covers, and the other information it includes.
Profiles are loaded from TOML files by :mod:`core.policy.loader`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from core.errors import CreditDeskError

# Kinds of "其他核查信息" the application knows how to handle.
OTHER_INFO_KINDS: frozenset[str] = frozenset(
    {"social_insurance_arrears", "housing_fund_arrears", "credit_repair"}
)

_DIGITS = re.compile(r"[0-9]+")


class PolicyError(CreditDeskError):
    """A policy file is missing, unreadable or invalid (message in Chinese)."""


def normalize_text(text: str) -> str:
    """Fold full-width characters (NFKC) and drop every whitespace character."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if not ch.isspace())


@dataclass(frozen=True)
class Domain:
    """One 领域 of the attachment; ``code`` is its 序号."""

    code: int
    name: str
    responsible: str
    scope: str
    units: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class OtherInfo:
    """One entry of 其他核查信息 (arrears, credit repair)."""

    code: int
    kind: str
    name: str
    responsible: str


@dataclass(frozen=True)
class Profile:
    """A rule set deciding what a special credit report contains."""

    id: str
    name: str
    document: str
    valid_from: date
    valid_to: date | None
    data_start: date  # the earliest data date: no report window starts before it
    default_years: int  # the preset (近N年) chosen when nothing else is asked for
    max_years: int  # the longest window, always ending on the issue date
    excluded_procedures: frozenset[str]
    excluded_decisions: frozenset[str]
    arrears_kinds: tuple[str, ...]
    domains: tuple[Domain, ...]
    other_info: tuple[OtherInfo, ...]
    # Leading division names stripped from a 数据来源单位 before keyword matching.
    divisions: tuple[str, ...] = ()

    # --- lookups -----------------------------------------------------------

    @cached_property
    def _by_code(self) -> dict[int, Domain]:
        return {d.code: d for d in self.domains}

    @cached_property
    def _by_name(self) -> dict[str, Domain]:
        return {normalize_text(d.name): d for d in self.domains}

    @cached_property
    def _exact_units(self) -> dict[str, tuple[int, ...]]:
        index: dict[str, set[int]] = {}
        for d in self.domains:
            for unit in (*d.units, *d.aliases):
                index.setdefault(normalize_text(unit), set()).add(d.code)
        return {key: tuple(sorted(codes)) for key, codes in index.items()}

    @cached_property
    def _keywords(self) -> tuple[tuple[str, int], ...]:
        return tuple(
            (normalize_text(k), d.code) for d in self.domains for k in d.keywords if k.strip()
        )

    @cached_property
    def _divisions(self) -> tuple[str, ...]:
        names = {normalize_text(n) for n in self.divisions if n.strip()}
        return tuple(sorted(names, key=len, reverse=True))

    @cached_property
    def _unit_cache(self) -> dict[str, tuple[int, ...]]:
        return {}

    @property
    def domain_codes(self) -> tuple[int, ...]:
        """Domain codes in the order of the policy file."""
        return tuple(d.code for d in self.domains)

    def domain(self, code: int) -> Domain:
        """The domain with this code; ``KeyError`` if the profile has none."""
        return self._by_code[code]

    def find_domain(self, text: str) -> Domain | None:
        """Find a domain by its code ("5", "05", "５") or by its exact name."""
        key = normalize_text(text)
        if not key:
            return None
        if _DIGITS.fullmatch(key):
            return self._by_code.get(int(key))
        return self._by_name.get(key)

    def domains_for_unit(self, unit: str) -> tuple[int, ...]:
        """Candidate domain codes for a 数据来源单位 string, sorted; () if none.

        An exact unit or alias match wins. Otherwise leading division names
        (苏州市, 昆山市, 苏州工业园区 …) are stripped and the keywords contained
        in the rest decide. More than one code means the unit is ambiguous.
        """
        key = normalize_text(unit)
        cached = self._unit_cache.get(key)
        if cached is not None:
            return cached
        result = self._match_unit(key)
        self._unit_cache[key] = result
        return result

    def _match_unit(self, key: str) -> tuple[int, ...]:
        if not key:
            return ()
        exact = self._exact_units.get(key)
        if exact:
            return exact
        rest = self._strip_divisions(key)
        if not rest:
            return ()
        return tuple(sorted({code for word, code in self._keywords if word in rest}))

    def _strip_divisions(self, key: str) -> str:
        rest = key
        stripped = True
        while stripped and rest:
            stripped = False
            for name in self._divisions:
                if rest.startswith(name):
                    rest = rest[len(name):]
                    stripped = True
                    break
        return rest

    # --- validity ----------------------------------------------------------

    def in_force(self, on: date) -> bool:
        """Whether the rule applies on this day (both ends inclusive)."""
        if on < self.valid_from:
            return False
        return self.valid_to is None or on <= self.valid_to
