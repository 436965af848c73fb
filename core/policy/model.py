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
from typing import TYPE_CHECKING

from core.errors import CreditDeskError

if TYPE_CHECKING:
    from core.policy.organs import OrganScope

# Kinds of "其他核查信息" the application knows how to handle.
OTHER_INFO_KINDS: frozenset[str] = frozenset(
    {"social_insurance_arrears", "housing_fund_arrears", "credit_repair"}
)

# Kinds of records a report can carry (each with its own import file and report section).
# penalties, arrears and repairs are Suzhou's; 发改财金〔2025〕565号 adds 行政强制 (enforcement),
# 严重失信主体名单 (dishonest_lists) and 刑事裁判 (criminal).
RECORD_KINDS: tuple[str, ...] = (
    "penalties", "enforcement", "dishonest_lists", "criminal", "arrears", "repairs",
)
DEFAULT_RECORD_KINDS: tuple[str, ...] = ("penalties", "arrears", "repairs")
# Kinds a report covers only "where the data exists": with no data ever imported the report says
# 暂无数据来源 instead of 无 (565号: 刑事裁判（犯罪记录）).
WHERE_DATA_EXISTS: frozenset[str] = frozenset({"criminal"})
# Section titles of the record kinds printed as sections of their own (a profile may rename them).
SECTION_TITLES: dict[str, str] = {
    "enforcement": "行政强制信息",
    "dishonest_lists": "严重失信主体名单信息",
    "criminal": "刑事裁判信息",
}

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
class Extension:
    """A document that extends a profile past its published end (recorded by an administrator)."""

    document: str
    until: date


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
    # The organs whose penalties the profile collects (None: any organ) — see core.policy.organs.
    organs: OrganScope | None = None
    # A penalty whose 程序类型 / 决定类型 is 未注明: "count" it as a violation, or "exclude" it.
    unstated_procedure: str = "count"
    unstated_decision: str = "count"
    # Arrears whose 数据截至 is more than this many days before the report date are marked as not
    # current on the report (the providing unit has not updated them since).
    arrears_fresh_days: int = 45
    # A providing unit whose latest import is more than this many days old shows as late on the
    # statistics page (统计).
    unit_late_days: int = 35
    # Set only on the profile a deployment uses, when an administrator recorded an extension.
    extension: Extension | None = None
    # What the report is called and cites. `title` / `subtitle` head the first page (an empty
    # subtitle prints none); `basis` is the document cited as 出具依据, written out in full (when
    # empty: 《name》（document）).
    title: str = "专用信用报告"
    subtitle: str = "（代替企业无违法证明）"
    basis: str = ""
    # How a repaired penalty is marked (Suzhou 已信用修复, national 已修复).
    repaired_label: str = "已信用修复"
    # Notes 1 and 2 of the report: what it proves and replaces (after "本报告依据…出具，"), and what
    # counts as a record. The defaults are the Suzhou policy's words.
    purpose_note: str = ("用于证明企业在本市行政区域内所选领域的无违法记录情况，"
                         "代替企业向所选领域各部门分别开具无违法证明。")
    records_note: str = ("违法记录是指本市行政机关、法律法规授权的具有管理公共事务职能的组织、"
                         "有关中央省垂直管理单位等对企业违反法律、法规、规章的行为作出的行政处罚记录。")
    # The kinds of records the report carries, and the titles of their sections.
    record_kinds: tuple[str, ...] = DEFAULT_RECORD_KINDS
    section_titles: tuple[tuple[str, str], ...] = ()
    # Objections: working days to accept, for the platform's check, for the providing unit and to
    # close, the day of filing not counted (issue 10).
    objection_days: tuple[int, int, int, int] = (2, 2, 10, 20)
    # Credit repair (国家发展改革委令2023年第58号): per severity, the shortest and longest
    # publicity in months from the decision date; and whether a repaired penalty still counts as
    # a violation on the report (Suzhou: yes, marked 已信用修复).
    publicity_months: tuple[tuple[str, int, int], ...] = (("一般", 3, 12), ("严重", 12, 36))
    repaired_still_counts: bool = True

    def carries(self, kind: str) -> bool:
        """Whether reports under this profile carry records of this kind."""
        return kind in self.record_kinds

    def section_title(self, kind: str) -> str:
        """The title of a record kind's section (the profile's, else the standard one)."""
        return dict(self.section_titles).get(kind) or SECTION_TITLES[kind]

    @property
    def heading(self) -> str:
        """The running header: title and subtitle, e.g. 专用信用报告（代替企业无违法证明）."""
        return f"{self.title}{self.subtitle}"

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

    # --- organs ------------------------------------------------------------

    @cached_property
    def _organ_cache(self) -> dict[str, bool]:
        return {}

    def organ_in_area(self, organ: str) -> bool:
        """Whether the profile collects penalties decided by this 处罚机关 (see OrganScope)."""
        known = self._organ_cache.get(organ)
        if known is None:
            from core.policy.organs import organ_in_scope

            known = self._organ_cache[organ] = organ_in_scope(self.organs, organ)
        return known

    # --- validity ----------------------------------------------------------

    @property
    def valid_until(self) -> date | None:
        """The last day in force: the extension's end if one is recorded, else the published one."""
        return self.extension.until if self.extension else self.valid_to

    def in_force(self, on: date) -> bool:
        """Whether the rule applies on this day (both ends inclusive, extension included)."""
        if on < self.valid_from:
            return False
        return self.valid_until is None or on <= self.valid_until

    @property
    def period_text(self) -> str:
        """The published period, e.g. "2024-03-01 至 2026-02-28" or "2025-07-01 起"."""
        if self.valid_to is None:
            return f"{self.valid_from} 起"
        return f"{self.valid_from} 至 {self.valid_to}"

    @property
    def cited_document(self) -> str:
        """The basis a report cites: the document, and the extension when one is recorded."""
        if self.extension is None:
            return self.document
        return f"{self.document}，经{self.extension.document}延长至 {self.extension.until}"

    @property
    def cited_basis(self) -> str:
        """The 出具依据 as printed: the profile's `basis` wording (the document number once), or
        《name》（document）; with a recorded extension appended in both cases."""
        if not self.basis:
            return f"《{self.name}》（{self.cited_document}）"
        if self.extension is None:
            return self.basis
        return f"{self.basis}，经{self.extension.document}延长至 {self.extension.until}"

    def extended(self, document: str, until: date) -> "Profile":
        """This profile extended by `document` to `until` (PolicyError in Chinese if not allowed)."""
        from dataclasses import replace

        document = (document or "").strip()
        if not document:
            raise PolicyError("请填写延长有效期的文件（文号）")
        if self.valid_to is None:
            raise PolicyError(f"政策“{self.name}”没有截止日期，无需延长")
        if until <= self.valid_to:
            raise PolicyError(f"延长后的截止日期（{until}）应晚于政策“{self.name}”公布的截止日期"
                              f"（{self.valid_to}）")
        return replace(self, extension=Extension(document, until))

    def not_in_force(self, on: date) -> str | None:
        """None on a day the profile is in force; otherwise one sentence saying why not."""
        if self.in_force(on):
            return None
        label = f"政策“{self.name}”（{self.document}）"
        if on < self.valid_from:
            return f"{label}自 {self.valid_from} 起施行，{on} 尚未生效，不能按此政策出具报告。"
        if self.extension is not None:
            ended = f"有效期经{self.extension.document}延长至 {self.extension.until}，已经结束"
        else:
            ended = f"有效期已于 {self.valid_to} 结束"
        return (f"{label}{ended}，{on} 不能按此政策出具报告。"
                "请管理员改用有效的政策配置，或登记延长有效期的文件。")
